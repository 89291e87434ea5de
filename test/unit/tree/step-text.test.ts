/**
 * The steps view's and the Pending row's wording (src/tree/stepText.ts), on a grouped history: what a
 * step row says after its name, and one line per pending item.
 */
import * as assert from 'node:assert/strict';
import { groupSteps, isStep, normalizeHistory, pendingWork } from '../../../src/api';
import type { HistoryStep } from '../../../src/api';
import { isFailedStatus, pendingLines, pendingSummary, stepDescription, stepTooltipRows } from '../../../src/tree/stepText';

const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);

function ev(id: number, type: string, attributes: Record<string, unknown> = {}, seconds = id): Record<string, unknown> {
  return { event_id: id, event_type: type, event_time: new Date(T0 + seconds * 1000).toISOString(), attributes };
}

const history = normalizeHistory([
  ev(1, 'WORKFLOW_EXECUTION_STARTED', { workflow_type: { name: 'refund' } }),
  ev(2, 'WORKFLOW_TASK_SCHEDULED'), ev(3, 'WORKFLOW_TASK_STARTED'), ev(4, 'WORKFLOW_TASK_COMPLETED'),
  ev(5, 'ACTIVITY_TASK_SCHEDULED', { activity_id: '5', activity_type: { name: 'charge' } }),
  ev(6, 'ACTIVITY_TASK_STARTED', { scheduled_event_id: 5, attempt: 5 }),
  ev(7, 'ACTIVITY_TASK_FAILED', { scheduled_event_id: 5, failure: { message: "KeyError: 'shipping_address'\n  at line 3" } }, 9.5),
  ev(8, 'ACTIVITY_TASK_SCHEDULED', { activity_id: '8', activity_type: { name: 'fraud' } }),
  ev(9, 'ACTIVITY_TASK_STARTED', { scheduled_event_id: 8, attempt: 3, last_failure: { message: 'service unavailable' } }),
  ev(10, 'TIMER_STARTED', { timer_id: 'sla', start_to_fire_timeout: '7200s' }),
  ev(11, 'START_CHILD_WORKFLOW_EXECUTION_INITIATED', { workflow_type: { name: 'notify' }, workflow_id: 'notify-1' }),
]);
const steps = groupSteps(history).entries.filter(isStep);
const named = (name: string): HistoryStep => {
  const step = steps.find((s) => s.name === name);
  assert.ok(step, `a step named ${name}`);
  return step;
};

describe('tree/stepText: step rows and Pending (pure)', () => {
  it('describes a failed step: status, duration, attempts, the failure on one line', () => {
    assert.equal(stepDescription(named('charge')), "failed · 4.5 s · attempt 5 · KeyError: 'shipping_address' at line 3");
    assert.ok(isFailedStatus(named('charge').status));
  });

  it('describes an open step without a duration, a retrying one with its attempt and last failure', () => {
    assert.equal(stepDescription(named('fraud')), 'running · attempt 3 · service unavailable');
    assert.equal(stepDescription(named('sla')), 'running');
    assert.ok(!isFailedStatus(named('sla').status));
  });

  it('puts the events, times and the whole failure in the tooltip', () => {
    const rows = new Map(stepTooltipRows(named('charge')));
    assert.equal(rows.get('Events'), '5–7 (3)');
    assert.equal(rows.get('Failure'), "KeyError: 'shipping_address'\n  at line 3");
    assert.equal(rows.get('Ended'), '2026-03-01 09:00:09Z');
  });

  it('sums up and lists what a running history waits on', () => {
    const work = pendingWork(history);
    assert.equal(pendingSummary(work), 'Pending: 1 activity, 1 timer, 1 child workflow');
    const now = T0 + 60_000;
    assert.deepEqual(pendingLines(work, now).map((l) => [l.kind, l.label, l.description]), [
      ['activity', 'activity fraud', 'started · attempt 3 · since 52 seconds ago · last failure: service unavailable'],
      ['timer', 'timer sla', 'fires in 2 hours (2026-03-01 11:00:10Z) · since 50 seconds ago'],
      ['child', 'child workflow notify', 'starting · notify-1 · since 49 seconds ago'],
    ]);
  });

  it('says when nothing is pending, and when the run is closed', () => {
    const idle = normalizeHistory([ev(1, 'WORKFLOW_EXECUTION_STARTED'), ev(2, 'WORKFLOW_TASK_SCHEDULED')]);
    assert.equal(pendingSummary(pendingWork(idle)), 'Pending: a workflow task (the worker has yet to run it)');
    const waiting = normalizeHistory([ev(1, 'WORKFLOW_EXECUTION_STARTED'), ev(2, 'WORKFLOW_TASK_SCHEDULED'), ev(3, 'WORKFLOW_TASK_STARTED'), ev(4, 'WORKFLOW_TASK_COMPLETED')]);
    assert.equal(pendingSummary(pendingWork(waiting)), 'Pending: nothing scheduled (the workflow waits for a signal, an update or a condition)');
    const closed = normalizeHistory([ev(1, 'WORKFLOW_EXECUTION_STARTED'), ev(2, 'TIMER_STARTED', { timer_id: 't' }), ev(3, 'WORKFLOW_EXECUTION_TERMINATED')]);
    assert.equal(pendingSummary(pendingWork(closed)), 'Pending: nothing (the run is closed)');
  });
});
