/**
 * Nexus operations on the two real histories made on the engine (test/fixtures/real-histories/nexus-*,
 * see PROVENANCE.md): event rows name endpoint · service · operation and the handler's failure, each
 * operation is one step with its outcome, Reset to Before This Step finds the task that scheduled it,
 * Find in History finds every event of an operation, Pending lists the ones in flight, and Go to Source
 * finds the operation's handler in nexus_tour.py. Expectations are read from the raw files apart from the
 * code under test (helpers/realHistories.ts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  analyzeReset, beforeStepResetPoint, describeEvents, eventKind, findEvents, groupSteps, type HistoryQuery, type HistoryStep, isStep, parseQuery,
  pendingWork, resetPointBefore, shortText, stepLabel, stepsMatching, type WorkflowEvent,
} from '../../../src/api';
import { eventTarget } from '../../../src/source/eventTarget';
import { findPythonDefinitions } from '../../../src/source/pythonDefinitions';
import { pendingLines, pendingSummary, stepDescription } from '../../../src/tree/stepText';
import { get, type Json, rawAttrs, rawType, str } from '../../helpers/realHistoryReader';
import { loadReal, type RealHistory, realVariants } from '../helpers/realHistories';

const TOUR = 'nexus-all-events-wf-completed.py.json';
const ORDER = 'nexus-op-failed-wf-failed.py.json';
const SCRIPT = path.resolve(__dirname, '../../../../test/fixtures/nexus-workflows/nexus_tour.py');

interface RawOperation {
  /** Index of NEXUS_OPERATION_SCHEDULED. */
  scheduled: number;
  endpoint: string;
  service: string;
  operation: string;
  /** Indexes of every event of the operation, in order. */
  indexes: number[];
  decidedBy: string;
}

/** The Nexus operations of a raw file: SCHEDULED names them, every later event points back with scheduledEventId. */
function rawOperations(h: RealHistory): RawOperation[] {
  const byId = new Map<string, RawOperation>();
  const out: RawOperation[] = [];
  h.raws.forEach((raw, i) => {
    const type = rawType(raw);
    if (!type.startsWith('NEXUS_OPERATION_')) return;
    const a = rawAttrs(raw);
    if (type === 'NEXUS_OPERATION_SCHEDULED') {
      const op = { scheduled: i, endpoint: String(a.endpoint), service: String(a.service), operation: String(a.operation), indexes: [i], decidedBy: String(a.workflowTaskCompletedEventId) };
      byId.set(String(raw.eventId), op);
      out.push(op);
    } else {
      const op = byId.get(String(a.scheduledEventId));
      assert.ok(op, `event ${String(raw.eventId)} ${type} points at a scheduled operation`);
      op.indexes.push(i);
    }
  });
  return out;
}

const nameOf = (op: RawOperation): string => `${op.endpoint} · ${op.service} · ${op.operation}`;

/**
 * What the handler said, as a reader would put it: the cause under Temporal's "nexus operation completed
 * unsuccessfully" wrapper, its type in front (application failure or handler error), a timeout's kind after.
 */
function rawFailure(a: Json): string {
  const cause = get(a, 'failure.cause') ?? get(a, 'failure');
  const message = str(cause, 'message') ?? '';
  const type = str(cause, 'applicationFailureInfo.type') ?? str(cause, 'nexusHandlerFailureInfo.type');
  const timeout = str(cause, 'timeoutFailureInfo.timeoutType');
  const text = type === undefined ? message : `${type}: ${message}`;
  return timeout === undefined ? text : `${text} (${timeout.replace('TIMEOUT_TYPE_', '').toLowerCase().split('_').join(' ')})`;
}

const STATUS_OF: Record<string, string> = {
  NEXUS_OPERATION_SCHEDULED: 'scheduled', NEXUS_OPERATION_STARTED: 'running', NEXUS_OPERATION_CANCEL_REQUESTED: 'cancelRequested',
  NEXUS_OPERATION_COMPLETED: 'completed', NEXUS_OPERATION_FAILED: 'failed', NEXUS_OPERATION_CANCELED: 'canceled', NEXUS_OPERATION_TIMED_OUT: 'timedOut',
};

function query(text: string): HistoryQuery {
  const parsed = parseQuery(text);
  assert.ok(parsed.ok);
  return parsed.query;
}

const nexusSteps = (events: readonly WorkflowEvent[]): HistoryStep[] => groupSteps(events).entries.filter(isStep).filter((s) => s.kind === 'nexus');

describe('Nexus operations in real histories made on the engine', () => {
  for (const file of [TOUR, ORDER]) {
    const history = loadReal(file);
    const ops = rawOperations(history);
    const types = history.raws.map(rawType);

    describe(file, () => {
      for (const { name: variant, events } of realVariants(history)) {
        it(`names endpoint · service · operation on every event, and the handler's failure (${variant})`, () => {
          const details = describeEvents(events);
          for (const op of ops) {
            for (const i of op.indexes) {
              assert.equal(eventKind(events[i].type), 'nexus', `event ${events[i].idText}`);
              const failed = /_(FAILED|TIMED_OUT)$/.test(types[i]);
              const want = failed ? `${nameOf(op)}: ${rawFailure(rawAttrs(history.raws[i]))}` : nameOf(op);
              assert.equal(details[i].detail, shortText(want), `event ${events[i].idText} ${types[i]}`);
            }
          }
        });

        it(`makes each operation one step with its outcome, and a reset point before it (${variant})`, () => {
          const steps = nexusSteps(events);
          assert.deepEqual(steps.map((s) => s.eventIndexes), ops.map((op) => op.indexes));
          steps.forEach((step, k) => {
            const op = ops[k];
            const closing = [...op.indexes].reverse().find((i) => /_(COMPLETED|FAILED|CANCELED|TIMED_OUT)$/.test(types[i]) && !types[i].includes('CANCEL_REQUEST_'));
            const last = closing ?? op.indexes.filter((i) => !types[i].includes('CANCEL_REQUEST_')).at(-1) ?? op.scheduled;
            assert.equal(step.name, nameOf(op));
            assert.equal(stepLabel(step), `Nexus operation ${nameOf(op)}`);
            assert.equal(step.status, STATUS_OF[types[last]], `${stepLabel(step)} ends in ${types[last]}`);
            assert.equal(step.failure, /_(FAILED|TIMED_OUT)$/.test(types[last]) ? rawFailure(rawAttrs(history.raws[last])) : undefined, stepLabel(step));
            const refused = op.indexes.find((i) => types[i] === 'NEXUS_OPERATION_CANCEL_REQUEST_FAILED');
            assert.equal(step.reason, refused === undefined ? undefined : `cancel refused: ${rawFailure(rawAttrs(history.raws[refused]))}`);
            const found = beforeStepResetPoint(events, step);
            assert.equal(found?.point.eventId, Number(op.decidedBy), `${stepLabel(step)}: the task that scheduled it`);
            assert.equal(found?.stepStart, events[op.scheduled]);
            // What the reset's confirmation says the new run does first.
            assert.equal(analyzeReset(events, Number(op.decidedBy)).nextStep, `Nexus operation ${nameOf(op)}`, `reset to ${op.decidedBy}`);
            for (const i of op.indexes) {
              const again = resetPointBefore(events, i);
              assert.equal(again?.point, found?.point, `from event ${events[i].idText} ${types[i]}`);
              assert.equal(again?.stepStart, events[op.scheduled], `event ${events[i].idText} belongs to the step of event ${events[op.scheduled].idText}`);
            }
          });
        });

        it(`finds every event of an operation by its name (${variant})`, async () => {
          const described = describeEvents(events);
          const g = groupSteps(events);
          for (const operation of new Set(ops.map((op) => op.operation))) {
            const matches = await findEvents(events, described, query(operation));
            const want = ops.filter((op) => op.operation === operation).flatMap((op) => op.indexes);
            for (const i of want) assert.ok(matches.indexes.includes(i), `"${operation}" finds event ${events[i].idText} ${types[i]}`);
            const selected = stepsMatching(g, matches).entries.filter(isStep).filter((s) => s.kind === 'nexus');
            assert.deepEqual(selected.map((s) => s.eventIndexes[0]), ops.filter((op) => op.operation === operation).map((op) => op.scheduled));
          }
        });

        it(`goes to the operation's handler from every event (${variant})`, () => {
          for (const op of ops) {
            for (const i of op.indexes) {
              assert.deepEqual(eventTarget(events[i], eventKind(events[i].type), events, undefined), { kind: 'nexusOperation', name: op.operation },
                `event ${events[i].idText} ${types[i]}`);
            }
          }
        });
      }

      it('lists the operations in flight while the run was running (the history cut after each event)', () => {
        const { events } = history;
        for (let cut = 1; cut <= events.length; cut++) {
          const prefix = events.slice(0, cut);
          const work = pendingWork(prefix);
          const open = ops.filter((op) => op.scheduled < cut && !op.indexes.some((i) => i < cut && STATUS_OF[types[i]] !== undefined
            && !['scheduled', 'running', 'cancelRequested'].includes(STATUS_OF[types[i]])));
          if (work.closed) continue;
          assert.deepEqual(work.nexusOperations.map((n) => [n.endpoint, n.service, n.operation]), open.map((op) => [op.endpoint, op.service, op.operation]), `cut after ${cut}`);
          work.nexusOperations.forEach((n, k) => {
            const seen = open[k].indexes.filter((i) => i < cut).map((i) => types[i]);
            const state = seen.includes('NEXUS_OPERATION_CANCEL_REQUESTED') ? 'cancelRequested' : seen.includes('NEXUS_OPERATION_STARTED') ? 'started' : 'scheduled';
            assert.equal(n.state, state, `cut after ${cut}: ${n.operation}`);
            assert.equal(n.since?.getTime(), events[open[k].scheduled].time?.getTime());
          });
        }
      });
    });
  }

  describe('spot checks from PROVENANCE.md', () => {
    it('reads the seven outcomes of nexus_tour as the steps view shows them', () => {
      const steps = nexusSteps(loadReal(TOUR).events);
      assert.deepEqual(steps.map((s) => `${s.name?.split(' · ')[2]} ${s.status} ${s.eventIndexes.length}`), [
        'quote completed 2', 'book_pickup completed 3', 'quote failed 2', 'book_pickup failed 3', 'book_pickup canceled 5', 'book_pickup timedOut 3', 'track timedOut 5',
      ]);
      assert.match(stepDescription(steps[2]), /^failed · \d+ ms · OperationError: no carrier serves parcel order-1-b$/);
      assert.match(stepDescription(steps[3]), /· TooHeavy: parcel order-1-c weighs 40 kg, over the 30 kg limit$/);
      assert.match(stepDescription(steps[6]), /^timed out · \d\.\d s · operation timed out \(schedule to close\)$/);
      assert.equal(steps[6].reason, 'cancel refused: BAD_REQUEST: track-order-1-f cannot be cancelled: the parcel is in transit');
    });

    it('shows why nexus_order failed: the handler workflow’s failure, not Temporal’s wrapper', () => {
      const { events } = loadReal(ORDER);
      const g = groupSteps(events);
      const closed = g.entries.filter(isStep).at(-1);
      assert.deepEqual([closed?.kind, closed?.status, closed?.failure], ['workflowClosed', 'failed', 'TooHeavy: parcel order-2 weighs 45 kg, over the 30 kg limit']);
      assert.equal(describeEvents(events)[18].detail, 'TooHeavy: parcel order-2 weighs 45 kg, over the 30 kg limit');
      const failed = nexusSteps(events)[1];
      assert.deepEqual([failed.status, beforeStepResetPoint(events, failed)?.point.eventId], ['failed', 9]);
    });

    it('says what a running nexus_tour waits on, in the Pending row', () => {
      const { events } = loadReal(TOUR);
      const work = pendingWork(events.slice(0, 38)); // up to event 38, the cancel request of the pickup begun at 33
      assert.equal(pendingSummary(work), 'Pending: 1 Nexus operation');
      const now = (events[32].time?.getTime() ?? 0) + 5_000;
      assert.deepEqual(pendingLines(work, now).map((l) => [l.kind, l.label, l.description]), [
        ['nexus', 'Nexus operation nexus-tour-carriers · CarrierService · book_pickup', 'cancel requested · since 5 seconds ago'],
      ]);
    });

    it('finds the three operation handlers of nexus_tour.py for Go to Source', () => {
      const found = findPythonDefinitions(fs.readFileSync(SCRIPT, 'utf8')).filter((d) => d.kind === 'nexusOperation');
      assert.deepEqual(found.map((d) => [d.name, d.identifier, d.container]), [
        ['quote', 'quote', 'CarrierServiceHandler'], ['book_pickup', 'book_pickup', 'CarrierServiceHandler'], ['track', 'track', 'CarrierServiceHandler'],
      ]);
    });
  });
});
