import * as assert from 'node:assert/strict';
import {
  analyzeReset, firstResetPoint, isResetPoint, isResetTarget, lastResetPoint, nextStepAfter, normalizeHistory, resetPoints, WorkflowEvent,
} from '../../../src/api';

/** A small seed-shaped history: two workflow tasks, activities, a signal, an update, a timer. */
function history(): WorkflowEvent[] {
  const rows: [number, string, Record<string, unknown>][] = [
    [1, 'WORKFLOW_EXECUTION_STARTED', { workflow_type: { name: 'order' } }],
    [2, 'WORKFLOW_TASK_SCHEDULED', {}],
    [3, 'WORKFLOW_TASK_STARTED', {}],
    [4, 'WORKFLOW_TASK_COMPLETED', {}],
    [5, 'ACTIVITY_TASK_SCHEDULED', { activity_type: { name: 'charge_card' } }],
    [6, 'ACTIVITY_TASK_STARTED', { scheduled_event_id: 5 }],
    [7, 'ACTIVITY_TASK_COMPLETED', { scheduled_event_id: 5 }],
    [8, 'WORKFLOW_EXECUTION_SIGNALED', { signal_name: 'approve' }],
    [9, 'WORKFLOW_TASK_SCHEDULED', {}],
    [10, 'WORKFLOW_TASK_STARTED', {}],
    [11, 'WORKFLOW_TASK_COMPLETED', {}],
    [12, 'TIMER_STARTED', { timer_id: '2' }],
    [13, 'ACTIVITY_TASK_SCHEDULED', { activity_type: { name: 'ship' } }],
    [14, 'ACTIVITY_TASK_SCHEDULED', { activity_type: { name: 'charge_card' } }],
    [15, 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED', { accepted_request: { input: { name: 'set_limit' } } }],
    [16, 'WORKFLOW_EXECUTION_FAILED', { failure: { message: 'boom' } }],
  ];
  return normalizeHistory(rows.map(([event_id, event_type, attributes]) => ({ event_id, event_type, attributes })));
}

describe('api/resetPoints', () => {
  it('finds completed workflow tasks with integer ids, only for the latest run', () => {
    const events = history();
    assert.deepEqual(resetPoints(events, { latestRun: true }).map((e) => e.eventId), [4, 11]);
    assert.deepEqual(resetPoints(events, { latestRun: false }), []);
    assert.equal(firstResetPoint(events)?.eventId, 4);
    assert.equal(lastResetPoint(events)?.eventId, 11);
    assert.equal(firstResetPoint([]), undefined);
    assert.equal(lastResetPoint([]), undefined);
  });

  it('never treats an event without an integer id as a reset point', () => {
    const events = normalizeHistory([
      { id: 'wt-1', name: 'WORKFLOW_TASK_COMPLETED' },
      { id: '3.5', name: 'WORKFLOW_TASK_COMPLETED' },
      { name: 'WORKFLOW_TASK_COMPLETED' },
      { id: '8', name: 'WORKFLOW_TASK_COMPLETED' },
    ]);
    assert.deepEqual(events.map(isResetPoint), [false, false, false, true]);
    assert.throws(() => analyzeReset(events, 3), /not a valid reset point/);
  });

  it('analyses what a reset redoes', () => {
    const events = history();
    const early = analyzeReset(events, 4);
    assert.equal(early.index, 3);
    assert.equal(early.point.eventId, 4);
    assert.equal(early.discardedEventCount, 12);
    assert.deepEqual(early.activitiesToRerun, [{ name: 'charge_card', count: 2 }, { name: 'ship', count: 1 }]);
    assert.deepEqual(early.signalsAfter.map((e) => e.eventId), [8]);
    assert.deepEqual(early.updatesAfter.map((e) => e.eventId), [15]);
    assert.equal(early.nextStep, 'activity charge_card');

    const late = analyzeReset(events, 11);
    assert.equal(late.discardedEventCount, 5);
    assert.deepEqual(late.activitiesToRerun, [{ name: 'ship', count: 1 }, { name: 'charge_card', count: 1 }]);
    assert.deepEqual(late.signalsAfter, []);
    assert.equal(late.nextStep, 'timer 2');
  });

  it('describes the next step, including the workflow ending', () => {
    const events = history();
    assert.equal(nextStepAfter(events, 14), 'workflow failed');
    assert.equal(nextStepAfter(events, 15), undefined);
    const last = analyzeReset(normalizeHistory([{ event_id: 1, event_type: 'WORKFLOW_TASK_COMPLETED' }]), 1);
    assert.equal(last.discardedEventCount, 0);
    assert.equal(last.nextStep, undefined);
    assert.deepEqual(last.activitiesToRerun, []);
  });

  it('rejects ids that are not reset points with a clear message', () => {
    const events = history();
    assert.throws(() => analyzeReset(events, 5), /Event 5 is not a valid reset point: it is not a completed workflow task/);
    assert.throws(() => analyzeReset(events, 999), /Event 999 is not a valid reset point: there is no such event/);
  });

  it('takes a backend’s extra reset targets (Temporal’s WORKFLOW_TASK_STARTED) only when they are given', () => {
    const events = history();
    const started = events.find((e) => e.eventId === 10) as WorkflowEvent;
    assert.equal(isResetTarget(started, []), false);
    assert.equal(isResetTarget(started, ['WORKFLOW_TASK_STARTED']), true);
    assert.equal(isResetTarget(events[0], ['WORKFLOW_TASK_STARTED']), false, 'not any event');
    assert.throws(() => analyzeReset(events, 10), /not a completed workflow task/);
    const impact = analyzeReset(events, 10, ['WORKFLOW_TASK_STARTED']);
    assert.equal(impact.point, started);
    assert.equal(impact.discardedEventCount, 6);
  });
});
