/**
 * readStuck and stuckText (src/incidents/stuck.ts): the real history with a failed workflow task, at
 * its end and cut where it was failing; small synthetic histories for non-determinism, a task that
 * failed and then completed, the attempt from describe, and a retrying activity.
 */
import * as assert from 'node:assert/strict';
import { normalizeHistory, type WorkflowEvent } from '../../../src/api';
import { readStuck, stuckText, type Stuck, type WorkflowTaskStuck } from '../../../src/incidents';
import { loadReal } from '../helpers/realHistories';

const WFT_FILE = 'wft-failed-timers-activities-146.go.json';

/** The history as it stood right after the event with this id (a history only grows at its end). */
function cutAfter(events: readonly WorkflowEvent[], eventId: number): WorkflowEvent[] {
  const at = events.findIndex((e) => e.eventId === eventId);
  assert.ok(at >= 0, `event ${eventId}`);
  return events.slice(0, at + 1);
}

function workflowTask(stuck: Stuck | undefined): WorkflowTaskStuck {
  assert.equal(stuck?.kind, 'workflowTask');
  return stuck as WorkflowTaskStuck;
}

describe('readStuck on the real history with a failed workflow task', () => {
  const { events } = loadReal(WFT_FILE);

  it('is not stuck at its end: it completed (and its last workflow task did)', () => {
    assert.equal(readStuck(events), undefined);
    // As if still running: without the close, task 145 completed after the failure at 4.
    assert.equal(readStuck(events.slice(0, -1)), undefined);
  });

  it('is stuck right after its WORKFLOW_TASK_FAILED (event 4), and while the retry runs', () => {
    for (const id of [4, 5, 6]) {
      const stuck = workflowTask(readStuck(cutAfter(events, id)));
      assert.deepEqual(stuck, {
        kind: 'workflowTask',
        since: new Date('2024-06-24T17:07:54.207151088Z'),
        attempt: undefined,
        cause: 'WORKFLOW_WORKER_UNHANDLED_FAILURE',
        message: 'unable to find workflow type: Workflow. Supported types: []',
        nonDeterministic: false,
        timedOut: false,
      }, `cut after ${id}`);
    }
  });

  it('is no longer stuck once the retried task completed (event 7)', () => {
    assert.equal(readStuck(cutAfter(events, 7)), undefined);
  });

  it('takes the attempt from describe, not from the events', () => {
    assert.equal(workflowTask(readStuck(cutAfter(events, 6), { pendingWorkflowTask: { attempt: 37 } })).attempt, 37);
  });

  it('sees an activity on its third attempt as retrying at a threshold of 3, not at the default 5', () => {
    const atThird = cutAfter(events, 26); // ACTIVITY_TASK_STARTED of DescribeWorkflowExecution, attempt 3
    assert.equal(readStuck(atThird), undefined);
    assert.deepEqual(readStuck(atThird, undefined, { retryingAttempts: 3 }), {
      kind: 'activityRetrying',
      name: 'DescribeWorkflowExecution',
      activityId: '25',
      attempt: 3,
      lastFailure: 'ActivityNotRegisteredError: unable to find activityType=DescribeWorkflowExecution. Supported types: []',
      since: new Date('2024-06-24T17:07:55.281739380Z'),
    });
  });

  it('words it for a row', () => {
    const stuck = readStuck(cutAfter(events, 6), { pendingWorkflowTask: { attempt: 37 } });
    assert.ok(stuck);
    assert.equal(stuckText(stuck, { now: new Date('2024-06-24T20:00:00Z') }), 'workflow task failing since 17:07 UTC (attempt 37): unable to find workflow type: Workflow. Supported types: []');
    assert.equal(stuckText(stuck), 'workflow task failing since 2024-06-24 17:07 UTC (attempt 37): unable to find workflow type: Workflow. Supported types: []');
    assert.equal(stuckText(stuck, { formatTime: (t) => `t=${t.getTime()}` }), `workflow task failing since t=${Date.parse('2024-06-24T17:07:54.207Z')} (attempt 37): unable to find workflow type: Workflow. Supported types: []`);
  });
});

const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);

/** Temporal's own JSON (camelCase keys, full enum names, string ids), as the HTTP API sends it. */
function ev(id: number, type: string, attributes: Record<string, unknown> = {}): Record<string, unknown> {
  const key = `${type.toLowerCase().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())}EventAttributes`;
  return { eventId: String(id), eventTime: new Date(T0 + id * 60_000).toISOString(), eventType: `EVENT_TYPE_${type}`, [key]: attributes };
}

const begun = [
  ev(1, 'WORKFLOW_EXECUTION_STARTED', { workflowType: { name: 'order' } }),
  ev(2, 'WORKFLOW_TASK_SCHEDULED'), ev(3, 'WORKFLOW_TASK_STARTED'), ev(4, 'WORKFLOW_TASK_COMPLETED'),
  ev(5, 'ACTIVITY_TASK_SCHEDULED', { activityId: '5', activityType: { name: 'charge_card' } }),
  ev(6, 'ACTIVITY_TASK_STARTED', { scheduledEventId: '5', attempt: 1 }),
  ev(7, 'ACTIVITY_TASK_COMPLETED', { scheduledEventId: '5' }),
  ev(8, 'WORKFLOW_TASK_SCHEDULED'), ev(9, 'WORKFLOW_TASK_STARTED'),
];

const NDE = '[TMPRL1100] Nondeterminism error: Activity type of scheduled event \'create_shipment\' does not match activity type of activity command \'charge_card\'';

describe('readStuck on synthetic histories', () => {
  it('names non-determinism by its cause, however the cause is spelt', () => {
    for (const cause of ['WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR', 'NonDeterministicError']) {
      const stuck = workflowTask(readStuck(normalizeHistory([...begun, ev(10, 'WORKFLOW_TASK_FAILED', { cause, failure: { message: 'boom' } })])));
      assert.equal(stuck.cause, 'NON_DETERMINISTIC_ERROR');
      assert.equal(stuck.nonDeterministic, true);
      assert.equal(stuck.since?.toISOString(), new Date(T0 + 10 * 60_000).toISOString());
      assert.equal(stuckText(stuck, { now: new Date(T0) }), 'workflow task failing since 09:10 UTC: non-determinism: boom');
    }
  });

  it("names non-determinism by Temporal's message when the cause is another", () => {
    const history = normalizeHistory([...begun, ev(10, 'WORKFLOW_TASK_FAILED', { cause: 'WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE', failure: { message: `${NDE}\n  at replay` } })]);
    const stuck = workflowTask(readStuck(history, { pendingWorkflowTask: { attempt: 37 } }));
    assert.equal(stuck.nonDeterministic, true);
    const text = stuckText(stuck, { now: new Date(T0) });
    assert.ok(text.startsWith("workflow task failing since 09:10 UTC (attempt 37): [TMPRL1100] Nondeterminism error: Activity type of scheduled event 'create_shipment'"), text);
    assert.ok(text.endsWith('…') && !text.includes('at replay'), text);
  });

  it('is not stuck when the failed task then completed', () => {
    const history = normalizeHistory([
      ...begun, ev(10, 'WORKFLOW_TASK_FAILED', { cause: 'WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR', failure: { message: NDE } }),
      ev(11, 'WORKFLOW_TASK_SCHEDULED'), ev(12, 'WORKFLOW_TASK_STARTED'), ev(13, 'WORKFLOW_TASK_COMPLETED'),
    ]);
    assert.equal(readStuck(history, { pendingWorkflowTask: { attempt: 1 } }), undefined);
  });

  it('dates a streak from its first failure and words it from its latest', () => {
    const history = normalizeHistory([
      ...begun, ev(10, 'WORKFLOW_TASK_FAILED', { cause: 'WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE', failure: { message: 'first' } }),
      ev(11, 'WORKFLOW_TASK_SCHEDULED'), ev(12, 'WORKFLOW_TASK_STARTED'), ev(13, 'WORKFLOW_TASK_TIMED_OUT', { timeoutType: 'TIMEOUT_TYPE_START_TO_CLOSE' }),
    ]);
    const stuck = workflowTask(readStuck(history));
    assert.deepEqual([stuck.since?.getTime(), stuck.message, stuck.cause, stuck.timedOut], [T0 + 10 * 60_000, 'workflow task timed out (START_TO_CLOSE)', undefined, true]);
    assert.equal(stuckText(stuck, { now: new Date(T0) }), 'workflow task timing out since 09:10 UTC: workflow task timed out (START_TO_CLOSE)');
  });

  it('does not take a reset for a failure', () => {
    const history = normalizeHistory([
      ev(1, 'WORKFLOW_EXECUTION_STARTED', { workflowType: { name: 'order' } }),
      ev(2, 'WORKFLOW_TASK_SCHEDULED'), ev(3, 'WORKFLOW_TASK_STARTED'),
      ev(4, 'WORKFLOW_TASK_FAILED', { cause: 'WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW', failure: { message: 'reset by ops' } }),
      ev(5, 'WORKFLOW_TASK_SCHEDULED'), ev(6, 'WORKFLOW_TASK_STARTED'),
    ]);
    assert.equal(readStuck(history), undefined);
  });

  it("takes a retrying activity from describe's pending activities, with its last failure", () => {
    const history = normalizeHistory([...begun.slice(0, 5)]);
    const describe = { pendingActivities: [
      { activityId: '9', activityType: 'other', attempt: 2 },
      { activityId: '5', activityType: 'charge_card', attempt: 12, lastFailureMessage: 'card declined' },
    ] };
    const stuck = readStuck(history, describe);
    assert.deepEqual(stuck, { kind: 'activityRetrying', name: 'charge_card', activityId: '5', attempt: 12, lastFailure: 'card declined', since: new Date(T0 + 5 * 60_000) });
    assert.equal(stuckText(stuck, { now: new Date(T0) }), 'activity charge_card retrying since 09:05 UTC (attempt 12): card declined');
    assert.equal(readStuck(history, describe, { retryingAttempts: 13 }), undefined);
  });

  it('prefers the failing workflow task to a retrying activity, and sees nothing in a closed run', () => {
    const failing = normalizeHistory([...begun, ev(10, 'WORKFLOW_TASK_FAILED', { cause: 'WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR' })]);
    assert.equal(readStuck(failing, { pendingActivities: [{ activityId: '5', activityType: 'charge_card', attempt: 50 }] })?.kind, 'workflowTask');
    const closed = normalizeHistory([...begun, ev(10, 'WORKFLOW_TASK_FAILED', { cause: 'WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR' }), ev(11, 'WORKFLOW_EXECUTION_TERMINATED')]);
    assert.equal(readStuck(closed, { pendingActivities: [{ activityId: '5', activityType: 'charge_card', attempt: 50 }] }), undefined);
  });
});
