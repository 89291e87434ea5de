/**
 * Pending work (src/api/pending.ts): a synthetic running execution with a retrying activity, an open
 * timer and pending children; and every real history as it stood while running (cut after each event
 * before its close: a history only grows at its end), checked against the raw file.
 */
import * as assert from 'node:assert/strict';
import { groupSteps, normalizeHistory, pendingWork } from '../../../src/api';
import { bigHistory } from '../helpers/bigHistory';
import { get, rawAttrs, rawType, REAL_FILES, str } from '../../helpers/realHistoryReader';
import { loadReal } from '../helpers/realHistories';

const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);

function ev(id: number, type: string, attributes: Record<string, unknown> = {}): Record<string, unknown> {
  return { event_id: id, event_type: type, event_time: new Date(T0 + id * 1000).toISOString(), attributes };
}

const running = normalizeHistory([
  ev(1, 'WORKFLOW_EXECUTION_STARTED', { workflow_type: { name: 'order' } }),
  ev(2, 'WORKFLOW_TASK_SCHEDULED'), ev(3, 'WORKFLOW_TASK_STARTED'), ev(4, 'WORKFLOW_TASK_COMPLETED'),
  ev(5, 'ACTIVITY_TASK_SCHEDULED', { activity_id: '5', activity_type: { name: 'charge' } }),
  ev(6, 'ACTIVITY_TASK_STARTED', { scheduled_event_id: 5, attempt: 3, last_failure: { message: 'gateway timeout' } }),
  ev(7, 'ACTIVITY_TASK_SCHEDULED', { activity_id: '7', activity_type: { name: 'reserve' } }),
  ev(8, 'TIMER_STARTED', { timer_id: 'reminder', start_to_fire_timeout: '90s' }),
  ev(9, 'TIMER_STARTED', { timer_id: 'short', start_to_fire_timeout: { seconds: '1', nanos: 500_000_000 } }),
  ev(10, 'TIMER_FIRED', { timer_id: 'short', started_event_id: 9 }),
  ev(11, 'START_CHILD_WORKFLOW_EXECUTION_INITIATED', { workflow_type: { name: 'ship' }, workflow_id: 'ship-1' }),
  ev(12, 'CHILD_WORKFLOW_EXECUTION_STARTED', { initiated_event_id: 11, workflow_execution: { workflow_id: 'ship-1', run_id: 'r-1' } }),
  ev(13, 'START_CHILD_WORKFLOW_EXECUTION_INITIATED', { workflow_type: { name: 'invoice' }, workflow_id: 'inv-1' }),
  ev(14, 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED', { protocol_instance_id: 'u1', accepted_request: { meta: { update_id: 'u1' }, input: { name: 'set_address' } } }),
  ev(15, 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED', { signal_name: 'ping', workflow_execution: { workflow_id: 'other-1' } }),
  ev(16, 'ACTIVITY_TASK_SCHEDULED', { activity_id: '16', activity_type: { name: 'notify' } }),
  ev(17, 'ACTIVITY_TASK_CANCEL_REQUESTED', { scheduled_event_id: 16 }),
  ev(18, 'WORKFLOW_EXECUTION_UPDATE_ADMITTED', { request: { meta: { update_id: 'u2' }, input: { name: 'later' } } }),
  ev(19, 'WORKFLOW_TASK_SCHEDULED'), ev(20, 'WORKFLOW_TASK_STARTED'), ev(21, 'WORKFLOW_TASK_COMPLETED'),
]);
const at = (id: number): Date => new Date(T0 + id * 1000);

describe('api/pending pendingWork on a running execution', () => {
  const work = pendingWork(running);

  it('lists activities without a result: a retrying one with its attempt and last failure, a scheduled one, a cancel request', () => {
    assert.equal(work.closed, false);
    assert.deepEqual(work.activities.map((a) => [a.name, a.activityId, a.state, a.attempt, a.lastFailure, a.since, a.startedTime]), [
      ['charge', '5', 'started', 3, 'gateway timeout', at(5), at(6)],
      ['reserve', '7', 'scheduled', undefined, undefined, at(7), undefined],
      ['notify', '16', 'cancelRequested', undefined, undefined, at(16), undefined],
    ]);
  });

  it('lists open timers with their fire time, not fired ones', () => {
    assert.deepEqual(work.timers.map((t) => [t.timerId, t.since, t.fireTime]), [['reminder', at(8), new Date(at(8).getTime() + 90_000)]]);
  });

  it('lists children not yet closed, started or not', () => {
    assert.deepEqual(work.children.map((c) => [c.workflowType, c.workflowId, c.runId, c.state]), [
      ['ship', 'ship-1', 'r-1', 'running'],
      ['invoice', 'inv-1', undefined, 'starting'],
    ]);
  });

  it('lists updates accepted and not completed, and signals sent and not acknowledged', () => {
    assert.deepEqual(work.updates.map((u) => [u.name, u.since]), [['set_address', at(14)]], 'an update only admitted is not accepted yet');
    assert.deepEqual(work.signals.map((s) => [s.signalName, s.workflowId]), [['ping', 'other-1']]);
  });

  it('reuses a grouping it is given, and reads a fire time from { seconds, nanos }', () => {
    assert.deepEqual(pendingWork(running, groupSteps(running)), work);
    const open = pendingWork(running.slice(0, 9));
    assert.deepEqual(open.timers.map((t) => [t.timerId, t.fireTime]), [['reminder', new Date(at(8).getTime() + 90_000)], ['short', new Date(at(9).getTime() + 1500)]]);
  });

  it('has nothing pending once the run is closed', () => {
    const closed = normalizeHistory([...running.map((e) => e.raw as Record<string, unknown>), ev(22, 'WORKFLOW_EXECUTION_COMPLETED')]);
    assert.deepEqual(pendingWork(closed), { closed: true, activities: [], timers: [], children: [], updates: [], signals: [], nexusOperations: [], workflowTask: false });
  });

  it('finds the one activity in flight when the sandbox’s 51,200-event history is cut mid-activity', () => {
    const events = bigHistory();
    const cut = events.findIndex((e, i) => i > 30_000 && e.type === 'ACTIVITY_TASK_STARTED');
    const work = pendingWork(events.slice(0, cut + 1));
    assert.deepEqual(work.activities.map((a) => [a.name, a.state, a.attempt]), [['embed_chunks', 'started', 1]]);
    assert.equal(pendingWork(events).closed, true);
  });
});

/** Raw events that close each kind of step, and the attribute pointing back to where it began. */
const CLOSERS: { begins: string; refs: string; closes: RegExp; kind: 'activities' | 'timers' | 'children' | 'signals' }[] = [
  { begins: 'ACTIVITY_TASK_SCHEDULED', refs: 'scheduledEventId', closes: /^ACTIVITY_TASK_(COMPLETED|FAILED|TIMED_OUT|CANCELED)$/, kind: 'activities' },
  { begins: 'TIMER_STARTED', refs: 'startedEventId', closes: /^TIMER_(FIRED|CANCELED)$/, kind: 'timers' },
  { begins: 'START_CHILD_WORKFLOW_EXECUTION_INITIATED', refs: 'initiatedEventId', closes: /^(CHILD_WORKFLOW_EXECUTION_(COMPLETED|FAILED|CANCELED|TIMED_OUT|TERMINATED)|START_CHILD_WORKFLOW_EXECUTION_FAILED)$/, kind: 'children' },
  { begins: 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED', refs: 'initiatedEventId', closes: /^(EXTERNAL_WORKFLOW_EXECUTION_SIGNALED|SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED)$/, kind: 'signals' },
];

const totals = { cuts: 0, activities: 0, timers: 0, children: 0, signals: 0, updates: 0 };

describe('api/pending pendingWork on the real histories while they ran', () => {
  for (const file of REAL_FILES) {
    it(`${file}: cut after each event before the close, what is open in the raw file`, () => {
      const { raws, events } = loadReal(file);
      const types = raws.map(rawType);
      const attrs = raws.map(rawAttrs);
      const ids = raws.map((r) => String(r.eventId));
      // Where each step-beginning event's step closes (Infinity: never), read once from the raw file.
      const closedAt = new Map<number, number>();
      for (const { begins, refs, closes } of CLOSERS) {
        types.forEach((t, i) => {
          if (t !== begins) return;
          const k = types.findIndex((u, j) => j > i && closes.test(u) && str(attrs[j], refs) === ids[i]);
          closedAt.set(i, k < 0 ? Infinity : k);
        });
      }
      const updateIds = attrs.map((a) => str(a, 'protocolInstanceId') ?? str(a, 'meta.updateId'));
      for (let cut = 0; cut < raws.length - 1; cut++) {
        const work = pendingWork(events.slice(0, cut + 1));
        assert.equal(work.closed, false);
        totals.cuts++;
        for (const { begins, kind } of CLOSERS) {
          const want = ids.filter((_, i) => i <= cut && types[i] === begins && (closedAt.get(i) ?? 0) > cut);
          assert.deepEqual(work[kind].map((p) => String(p.step.firstEventId)), want, `${kind} open after event ${ids[cut]}`);
          totals[kind] += want.length;
        }
        const accepted = new Map<string, string>();
        for (let i = 0; i <= cut; i++) {
          const id = updateIds[i];
          if (types[i] === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED' && id !== undefined) accepted.set(id, ids[i]);
          if (types[i] === 'WORKFLOW_EXECUTION_UPDATE_COMPLETED' && id !== undefined) accepted.delete(id);
        }
        assert.deepEqual(work.updates.map((u) => String(u.step.lastEventId)), [...accepted.values()], `updates open after event ${ids[cut]}`);
        totals.updates += accepted.size;
        for (const timer of work.timers) {
          const i = timer.step.eventIndexes[0];
          const seconds = Number(String(get(attrs[i], 'startToFireTimeout')).replace(/s$/, ''));
          assert.equal(timer.fireTime?.getTime(), (events[i].time?.getTime() ?? NaN) + seconds * 1000);
        }
      }
      assert.equal(pendingWork(events).closed, true, 'the stored history is closed');
    });
  }

  it('exercised every kind on real data', () => {
    for (const [what, n] of Object.entries(totals)) assert.ok(n > 0, `${what}: ${n}`);
  });
});
