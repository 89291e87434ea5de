import * as assert from 'node:assert/strict';
import { historyAsText, normalizeHistory, resetLinks } from '../../../src/api';

/** One Temporal-JSON event with the given attributes under its `<type>EventAttributes` key. */
function event(id: number, eventType: string, attributes: Record<string, unknown>, eventTime = `2026-01-01T00:00:0${id}Z`): Record<string, unknown> {
  const key = eventType.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) + 'EventAttributes';
  return { eventId: String(id), eventType, eventTime, [key]: attributes };
}

describe('run lineage: historyAsText (Compare with Previous Run)', () => {
  const text = (attributes: Record<string, unknown>): string =>
    historyAsText(normalizeHistory([event(1, 'ACTIVITY_TASK_COMPLETED', attributes)]));

  it('keeps real fields whose names merely end like an id or a time', () => {
    const shown = text({ result: { paid: true, is_paid: false, valid: 'yes', runtime: 'py3.12', overtime: 2, userValid: 1, isPaid: 0, maxAttempts: 3 } });
    for (const key of ['paid', 'is_paid', 'valid', 'runtime', 'overtime', 'userValid', 'isPaid', 'maxAttempts']) {
      assert.ok(shown.includes(`"${key}"`), `${key} is shown: ${shown}`);
    }
  });

  it('hides ids, times, identities and attempts in camelCase and snake_case', () => {
    const shown = text({
      scheduledEventId: '5', startedEventId: '6', runId: 'r1', requestId: 'q', id: 'x', ids: ['a'],
      scheduled_event_id: 5, run_ids: ['r'], eventTime: 't', startTime: 't', expiration_time: 't', time: 't',
      timestamp: 't', lastHeartbeatTimestamp: 't', timestamp_unix_nano: '1', start_time_unix_ms: 1,
      identity: '12@host', workerIdentity: 'w', attempt: 2, lastAttempt: 1,
      result: 'kept',
    });
    assert.equal(shown, 'ACTIVITY_TASK_COMPLETED  {"result":"kept"}\n');
  });

  it('shows the same text for two runs that differ only in ids, times and identities', () => {
    const run = (runId: string, second: number, identity: string): string =>
      historyAsText(normalizeHistory([
        event(1, 'WORKFLOW_EXECUTION_STARTED', { originalExecutionRunId: runId, identity, workflowType: { name: 'order' }, input: [{ total: 3 }] }, `2026-01-01T00:00:0${second}Z`),
        event(2, 'ACTIVITY_TASK_SCHEDULED', { activityId: '1', activityType: { name: 'charge' }, workflowTaskCompletedEventId: '1' }),
      ]));
    assert.equal(run('r1', 1, 'a@1'), run('r2', 7, 'b@2'));
    const otherInput = historyAsText(normalizeHistory([event(1, 'WORKFLOW_EXECUTION_STARTED', { workflowType: { name: 'order' }, input: [{ total: 4 }] })]));
    assert.ok(otherInput.includes('"total":4'), 'a different input shows');
  });
});

describe('run lineage: resetLinks', () => {
  it('links a reset marker to the run it replaced, with its reason, time and point', () => {
    const events = normalizeHistory([
      event(1, 'WORKFLOW_EXECUTION_STARTED', {}),
      event(2, 'WORKFLOW_TASK_SCHEDULED', {}),
      event(3, 'WORKFLOW_TASK_STARTED', {}),
      event(4, 'WORKFLOW_TASK_FAILED', { cause: 'WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW', failure: { message: 'deploy fix' }, baseRunId: 'old', newRunId: 'new' }),
    ]);
    assert.deepEqual(resetLinks(events), [{ baseRunId: 'old', reason: 'deploy fix', time: new Date('2026-01-01T00:00:04Z'), pointEventId: 3 }]);
  });

  it('ignores workflow task failures that are not resets', () => {
    const events = normalizeHistory([event(1, 'WORKFLOW_TASK_FAILED', { cause: 'WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE', baseRunId: 'x' })]);
    assert.deepEqual(resetLinks(events), []);
  });
});
