/**
 * readFailure (src/incidents/failure.ts) on every real history that ends in a failure or a time-out,
 * with expectations read from the JSON files by eye (written here as literals, not computed), and on
 * small synthetic histories for the shapes the real ones do not have.
 */
import * as assert from 'node:assert/strict';
import { normalizeHistory, type Execution } from '../../../src/api';
import { readFailure, type FailedStep, type FailureReading, type RecognisedFailure } from '../../../src/incidents';
import { rawType, REAL_FILES } from '../../helpers/realHistoryReader';
import { loadReal } from '../helpers/realHistories';

const failed: Execution = { workflowName: 'wf', executionId: 'e-1', status: 'FAILED' };

interface Expected {
  step: FailedStep;
  errorType: string;
  message: string;
  closedAt: string;
}

/** Read off each file's last event (its failure's outer info and innermost cause). */
const FAILED_FIXTURES: Record<string, Expected> = {
  'activity-failed-wf-failed.pascal.java.json': {
    step: { kind: 'activity', name: 'HeartbeatAndThrowIO' }, errorType: 'java.io.IOException', message: 'simulated IO problem', closedAt: '2020-07-14T15:04:04.000Z',
  },
  'child-failed-wf-failed.pascal.java.json': {
    step: { kind: 'child', name: 'ITestChild' }, errorType: 'java.lang.UnsupportedOperationException', message: 'simulated failure', closedAt: '2020-07-14T15:05:37.000Z',
  },
  // The IOException's own cause, a Throwable, is the innermost one; the failure has no scheduledEventId.
  'local-activity-fails-wf-failed.pascal.java.json': {
    step: { kind: 'localActivity', name: 'ThrowIO' }, errorType: 'java.lang.Throwable', message: 'test throwable wrapping', closedAt: '2022-12-05T23:33:25.136Z',
  },
  'nexus-op-failed-wf-failed.py.json': {
    step: { kind: 'nexus', name: 'nexus-tour-carriers · CarrierService · book_pickup' }, errorType: 'TooHeavy',
    message: 'parcel order-2 weighs 45 kg, over the 30 kg limit', closedAt: '2026-12-02T15:44:00.265Z',
  },
};

function recognised(reading: FailureReading): RecognisedFailure {
  assert.ok(reading.recognised, reading.recognised ? '' : reading.reason);
  return reading;
}

describe('readFailure on the real histories', () => {
  it('covers every real history that ends failed or timed out', () => {
    const endingBadly = REAL_FILES.filter((file) => {
      const { raws } = loadReal(file);
      const last = rawType(raws[raws.length - 1]);
      return last === 'WORKFLOW_EXECUTION_FAILED' || last === 'WORKFLOW_EXECUTION_TIMED_OUT';
    });
    assert.deepEqual(endingBadly, Object.keys(FAILED_FIXTURES).sort());
  });

  for (const [file, expected] of Object.entries(FAILED_FIXTURES)) {
    it(`reads ${file}`, () => {
      const { events } = loadReal(file);
      const reading = recognised(readFailure(failed, events));
      assert.deepEqual(reading.step, expected.step);
      assert.equal(reading.errorType, expected.errorType);
      assert.equal(reading.message, expected.message);
      assert.equal(reading.closedAt?.toISOString(), expected.closedAt);
    });
  }

  it('reads the same failure newest first (history-reverse)', () => {
    const { raws } = loadReal('nexus-op-failed-wf-failed.py.json');
    const reading = recognised(readFailure(failed, normalizeHistory({ events: [...raws].reverse() })));
    assert.equal(reading.errorType, 'TooHeavy');
  });

  it('says why a history that does not end in a failure is unrecognised', () => {
    const reading = readFailure(failed, loadReal('wft-failed-timers-activities-146.go.json').events);
    assert.deepEqual(reading, { recognised: false, reason: 'the history ends in WORKFLOW_EXECUTION_COMPLETED, not in a failure' });
  });
});

const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);

/** Sandbox-style snake_case events: the other spelling the extension reads. */
function ev(id: number, type: string, attributes: Record<string, unknown> = {}): Record<string, unknown> {
  return { event_id: id, event_type: type, event_time: new Date(T0 + id * 1000).toISOString(), attributes };
}

const start = [
  ev(1, 'WORKFLOW_EXECUTION_STARTED', { workflow_type: { name: 'order' } }),
  ev(2, 'WORKFLOW_TASK_SCHEDULED'), ev(3, 'WORKFLOW_TASK_STARTED'), ev(4, 'WORKFLOW_TASK_COMPLETED'),
];

function closingTask(from: number): Record<string, unknown>[] {
  return [ev(from, 'WORKFLOW_TASK_SCHEDULED'), ev(from + 1, 'WORKFLOW_TASK_STARTED'), ev(from + 2, 'WORKFLOW_TASK_COMPLETED')];
}

describe('readFailure on synthetic histories', () => {
  it('reads a snake_case failure, a time-out as its type', () => {
    const events = normalizeHistory([
      ...start,
      ev(5, 'WORKFLOW_EXECUTION_FAILED', {
        failure: { message: 'activity failed', activity_failure_info: { scheduled_event_id: 9, activity_type: { name: 'charge_card' } }, cause: { message: 'activity StartToClose timeout', timeout_failure_info: { timeout_type: 'TIMEOUT_TYPE_START_TO_CLOSE' } } },
      }),
    ]);
    const reading = recognised(readFailure(failed, events));
    assert.deepEqual(reading.step, { kind: 'activity', name: 'charge_card' });
    assert.equal(reading.errorType, 'Timeout: START_TO_CLOSE');
    assert.equal(reading.message, 'activity StartToClose timeout');
  });

  it('names a cancel and a termination', () => {
    for (const [info, type] of [['canceled_failure_info', 'Canceled'], ['terminated_failure_info', 'Terminated']] as const) {
      const events = normalizeHistory([...start, ev(5, 'WORKFLOW_EXECUTION_FAILED', { failure: { message: 'child failed', child_workflow_execution_failure_info: { workflow_type: { name: 'ship' } }, cause: { message: 'gone', [info]: {} } } })]);
      const reading = recognised(readFailure(failed, events));
      assert.deepEqual([reading.step, reading.errorType, reading.message], [{ kind: 'child', name: 'ship' }, type, 'gone']);
    }
  });

  it('pins a failure that names no step on the step the closing task saw fail', () => {
    const events = normalizeHistory([
      ...start,
      ev(5, 'ACTIVITY_TASK_SCHEDULED', { activity_type: { name: 'create_shipment' } }),
      ev(6, 'ACTIVITY_TASK_STARTED', { scheduled_event_id: 5 }),
      ev(7, 'ACTIVITY_TASK_FAILED', { scheduled_event_id: 5, failure: { message: 'no address' } }),
      ...closingTask(8),
      ev(11, 'WORKFLOW_EXECUTION_FAILED', { failure: { message: "'shipping_address'", application_failure_info: { type: 'KeyError' } } }),
    ]);
    const reading = recognised(readFailure(failed, events));
    assert.deepEqual(reading.step, { kind: 'activity', name: 'create_shipment' });
    assert.equal(reading.errorType, 'KeyError');
  });

  it('pins it on the workflow when the failed step was handled in an earlier task', () => {
    const events = normalizeHistory([
      ...start,
      ev(5, 'ACTIVITY_TASK_SCHEDULED', { activity_type: { name: 'create_shipment' } }),
      ev(6, 'ACTIVITY_TASK_STARTED', { scheduled_event_id: 5 }),
      ev(7, 'ACTIVITY_TASK_FAILED', { scheduled_event_id: 5, failure: { message: 'no address' } }),
      ...closingTask(8),
      ev(11, 'TIMER_STARTED', { timer_id: 't1' }), ev(12, 'TIMER_FIRED', { started_event_id: 11 }),
      ...closingTask(13),
      ev(16, 'WORKFLOW_EXECUTION_FAILED', { failure: { message: 'gave up', application_failure_info: { type: 'ValueError' } } }),
    ]);
    assert.deepEqual(recognised(readFailure(failed, events)).step, { kind: 'workflow' });
  });

  it('pins a time-out on the workflow, or on its workflow task when that was failing', () => {
    const quiet = normalizeHistory([...start, ev(5, 'WORKFLOW_EXECUTION_TIMED_OUT', { retry_state: 'RETRY_STATE_TIMEOUT' })]);
    const calm = recognised(readFailure({ ...failed, status: 'TIMED_OUT' }, quiet));
    assert.deepEqual([calm.step, calm.errorType, calm.message], [{ kind: 'workflow' }, 'Timeout', 'workflow execution timed out']);
    const wedged = normalizeHistory([
      ...start,
      ev(5, 'WORKFLOW_TASK_SCHEDULED'), ev(6, 'WORKFLOW_TASK_STARTED'),
      ev(7, 'WORKFLOW_TASK_FAILED', { cause: 'NonDeterministicError', failure: { message: '[TMPRL1100] Nondeterminism error: activity type changed' } }),
      ev(8, 'WORKFLOW_TASK_SCHEDULED'), ev(9, 'WORKFLOW_TASK_STARTED'),
      ev(10, 'WORKFLOW_EXECUTION_TIMED_OUT'),
    ]);
    const stuck = recognised(readFailure({ ...failed, status: 'TIMED_OUT' }, wedged));
    assert.deepEqual([stuck.step, stuck.errorType, stuck.message], [{ kind: 'workflowTask' }, 'Timeout', '[TMPRL1100] Nondeterminism error: activity type changed']);
  });

  it('says why it cannot read a failure', () => {
    const cases: [events: Record<string, unknown>[], reason: string][] = [
      [start, 'the history (4 events) has no closing event, though the execution is FAILED'],
      [[...start, ev(5, 'WORKFLOW_EXECUTION_FAILED')], 'the WORKFLOW_EXECUTION_FAILED event carries no failure'],
      [[...start, ev(5, 'WORKFLOW_EXECUTION_FAILED', { failure: { message: '  ', cause: { application_failure_info: {} } } })], 'the failure has neither a message nor an error type'],
    ];
    for (const [events, reason] of cases) assert.deepEqual(readFailure(failed, normalizeHistory(events)), { recognised: false, reason });
  });
});
