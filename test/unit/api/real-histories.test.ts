/**
 * The 18 real Temporal histories in test/fixtures/real-histories (see PROVENANCE.md there), read as the
 * extension reads them, in every shape a server may send: as stored, newest first (history-reverse),
 * wrapped as `{events}`, `{history:{events}}` or a bare array, and with their enum values in the other
 * spelling (full `TASK_QUEUE_KIND_NORMAL` / short `Normal` / Pascal with prefix `TaskQueueKindNormal`).
 *
 * The expectations come from the raw JSON through the tests' own reader (test/helpers/realHistoryReader.ts
 * and the few functions below), written apart from the code under test (no regex conversion, no
 * attribute accessor), so the two can disagree.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  attrText, describeEvent, describeEvents, eventKind, isResetMarker, normalizeHistory, resetLinks, resetPointBefore, resetPoints,
  WorkflowEvent,
} from '../../../src/api';
import { eventTarget } from '../../../src/source/eventTarget';
import { enumName, isJson, pascal, rawAttrs, rawEventsOf, rawType, REAL_DIR, REAL_FILES, str, type Json } from '../../helpers/realHistoryReader';

// ---- The independent reader: test/helpers/realHistoryReader.ts, and what only this test reads ----

function idOf(raw: Json): number {
  const id = raw.eventId;
  assert.ok(typeof id === 'string' || typeof id === 'number');
  const n = Number(id);
  assert.ok(Number.isSafeInteger(n) && n > 0, `event id ${String(id)}`);
  return n;
}

/** RFC 3339 in UTC with 0–9 fraction digits → milliseconds, truncated (as Date does). */
function timeOf(raw: Json): number {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?Z$/.exec(String(raw.eventTime));
  assert.ok(m, `eventTime ${String(raw.eventTime)}`);
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
}

interface Expected {
  ids: number[];
  types: string[];
  times: number[];
  /** Event index → the activity, signal, update or child name its step carries. */
  names: Map<number, { kind: 'activity' | 'signal' | 'update' | 'child'; name: string }>;
  markers: { index: number; reason: string; baseRunId: string; newRunId: string }[];
}

/** What the file says, read in event order (the files are stored ascending). */
function expectedOf(raws: readonly Json[]): Expected {
  const ids = raws.map(idOf);
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i] > ids[i - 1], 'the stored files are in ascending event order');
  const types = raws.map(rawType);
  const names: Expected['names'] = new Map();
  const markers: Expected['markers'] = [];
  const activities = new Map<string, string>();
  const signals = new Map<string, string>();
  const children = new Map<string, string>();
  const updatesById = new Map<string, string>(); // update id → name
  const updatesByEvent = new Map<string, string>(); // accepted event id → update id
  raws.forEach((raw, index) => {
    const t = types[index];
    const a = rawAttrs(raw);
    const id = String(ids[index]);
    let found: { kind: 'activity' | 'signal' | 'update' | 'child'; name: string | undefined } | undefined;
    if (t.startsWith('ACTIVITY_TASK_')) {
      const name = str(a, 'activityType.name') ?? activities.get(String(a.scheduledEventId));
      if (t === 'ACTIVITY_TASK_SCHEDULED' && name !== undefined) activities.set(id, name);
      found = { kind: 'activity', name };
    } else if (t === 'WORKFLOW_EXECUTION_SIGNALED' || t === 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED') {
      const name = str(a, 'signalName');
      if (name !== undefined) signals.set(id, name);
      found = { kind: 'signal', name };
    } else if (t === 'EXTERNAL_WORKFLOW_EXECUTION_SIGNALED' || t === 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED') {
      found = { kind: 'signal', name: signals.get(String(a.initiatedEventId)) };
    } else if (t.startsWith('WORKFLOW_EXECUTION_UPDATE_')) {
      const updateId = str(a, 'request.meta.updateId') ?? str(a, 'acceptedRequest.meta.updateId') ?? str(a, 'rejectedRequest.meta.updateId')
        ?? str(a, 'protocolInstanceId') ?? str(a, 'meta.updateId') ?? updatesByEvent.get(String(a.acceptedEventId));
      const own = str(a, 'request.input.name') ?? str(a, 'acceptedRequest.input.name') ?? str(a, 'rejectedRequest.input.name');
      if (updateId !== undefined && own !== undefined) updatesById.set(updateId, own);
      if (t === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED' && updateId !== undefined) updatesByEvent.set(id, updateId);
      found = { kind: 'update', name: own ?? (updateId === undefined ? undefined : updatesById.get(updateId)) };
    } else if (t.includes('CHILD_WORKFLOW_EXECUTION')) {
      const name = str(a, 'workflowType.name') ?? children.get(String(a.initiatedEventId));
      if (t === 'START_CHILD_WORKFLOW_EXECUTION_INITIATED' && name !== undefined) children.set(id, name);
      found = { kind: 'child', name };
    } else if (t === 'WORKFLOW_TASK_FAILED' && typeof a.cause === 'string' && enumName(a.cause, 'WORKFLOW_TASK_FAILED_CAUSE_') === 'RESET_WORKFLOW') {
      const reason = str(a, 'failure.message');
      const baseRunId = str(a, 'baseRunId');
      const newRunId = str(a, 'newRunId');
      assert.ok(reason !== undefined && baseRunId !== undefined && newRunId !== undefined, 'a real reset marker has a reason and both run ids');
      markers.push({ index, reason, baseRunId, newRunId });
    }
    if (found !== undefined) {
      assert.ok(found.name !== undefined, `event ${id} (${t}): the file itself names its step`);
      names.set(index, { kind: found.kind, name: found.name });
    }
  });
  return { ids, types, times: raws.map(timeOf), names, markers };
}

// ---- Variants of a file, as other servers would send it -------------------------------------------

/** Enum fields of Temporal's history events and their proto prefixes (`cause` depends on the event). */
const ENUM_PREFIX = new Map<string, string>([
  ['kind', 'TASK_QUEUE_KIND_'],
  ['retryState', 'RETRY_STATE_'],
  ['timeoutType', 'TIMEOUT_TYPE_'],
  ['initiator', 'CONTINUE_AS_NEW_INITIATOR_'],
  ['parentClosePolicy', 'PARENT_CLOSE_POLICY_'],
  ['workflowIdReusePolicy', 'WORKFLOW_ID_REUSE_POLICY_'],
  ['origin', 'UPDATE_REQUESTED_EVENT_ORIGIN_'],
]);

type Spelling = 'full' | 'short' | 'pascalFull';
/** How each spelling writes the reset cause: checked on the markers, so a respelling that did nothing fails. */
const RESET_CAUSE: Record<Spelling, string> = {
  full: 'WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW',
  short: 'ResetWorkflow',
  pascalFull: 'WorkflowTaskFailedCauseResetWorkflow',
};

function spell(value: string, prefix: string, spelling: Spelling): string {
  const name = enumName(value, prefix);
  if (spelling === 'full') return prefix + name;
  if (spelling === 'short') return pascal(name);
  return pascal(prefix + name);
}

function respellValue(value: unknown, causePrefix: string, spelling: Spelling): unknown {
  if (Array.isArray(value)) return value.map((v) => respellValue(v, causePrefix, spelling));
  if (!isJson(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    const prefix = k === 'cause' ? causePrefix : ENUM_PREFIX.get(k);
    out[k] = prefix !== undefined && typeof v === 'string' ? spell(v, prefix, spelling) : respellValue(v, causePrefix, spelling);
  }
  return out;
}

/** The same event with its type and every enum value written in `spelling`. */
function respell(raw: Json, spelling: Spelling): Json {
  const type = rawType(raw);
  const out = respellValue(raw, `${type}_CAUSE_`, spelling) as Json;
  out.eventType = spell(type, 'EVENT_TYPE_', spelling);
  return out;
}

interface Variant {
  name: string;
  body: unknown;
  /** Whether the variant's events are the file's own objects (so `raw` must be them). */
  sameObjects: boolean;
  spelling?: Spelling;
}

function variantsOf(body: unknown, raws: Json[]): Variant[] {
  const reversed = [...raws].reverse();
  const variants: Variant[] = [
    { name: 'as stored', body, sameObjects: true },
    { name: 'newest first, {events}', body: { events: reversed }, sameObjects: true },
    { name: 'newest first, {history:{events}} with a page token', body: { history: { events: reversed }, nextPageToken: 'bmV4dA==' }, sameObjects: true },
    { name: 'newest first, bare array', body: reversed, sameObjects: true },
    { name: 'ascending, bare array', body: raws, sameObjects: true },
  ];
  for (const spelling of ['full', 'short', 'pascalFull'] as const) {
    const respelt = raws.map((r) => respell(r, spelling));
    variants.push({ name: `${spelling} enum names`, body: { events: respelt }, sameObjects: false, spelling });
    variants.push({ name: `${spelling} enum names, newest first`, body: [...respelt].reverse(), sameObjects: false, spelling });
  }
  return variants;
}

// ---- The checks -----------------------------------------------------------------------------------

function load(file: string): { body: unknown; raws: Json[]; expected: Expected } {
  const body: unknown = JSON.parse(fs.readFileSync(path.join(REAL_DIR, file), 'utf8'));
  const raws = rawEventsOf(body);
  return { body, raws, expected: expectedOf(raws) };
}

function model(events: readonly WorkflowEvent[]): unknown[] {
  return events.map((e) => [e.eventId, e.idText, e.type, e.time?.getTime()]);
}

const totals = { activity: 0, signal: 0, update: 0, child: 0, markers: 0, resetPoints: 0, activitiesScheduled: 0 };

describe('Real Temporal histories (test/fixtures/real-histories)', () => {
  it('holds the 18 files (16 copied, 2 made here with Nexus operations), each named in PROVENANCE.md', () => {
    assert.equal(REAL_FILES.length, 18);
    const provenance = fs.readFileSync(path.join(REAL_DIR, 'PROVENANCE.md'), 'utf8');
    for (const f of REAL_FILES) assert.ok(provenance.includes(`\`${f}\``), `${f} is in PROVENANCE.md`);
  });

  for (const file of REAL_FILES) {
    describe(file, () => {
      const { body, raws, expected } = load(file);
      const variants = variantsOf(body, raws);
      const read = (v: Variant): WorkflowEvent[] => normalizeHistory(v.body);

      it('has the events of the file: count, ids, types and times (to the ms)', () => {
        const events = normalizeHistory(body);
        assert.equal(events.length, raws.length);
        assert.deepEqual(events.map((e) => e.eventId), expected.ids);
        assert.deepEqual(events.map((e) => e.idText), raws.map((r) => String(r.eventId)));
        assert.deepEqual(events.map((e) => e.type), expected.types);
        assert.deepEqual(events.map((e) => e.time?.getTime()), expected.times);
        events.forEach((e, i) => {
          assert.equal(e.raw, raws[i]);
          assert.deepEqual(e.attributes, rawAttrs(raws[i]));
        });
      });

      it('gives the same model newest first, in every wrapper and every enum spelling', () => {
        const reference = normalizeHistory(body);
        const referenceDetails = describeEvents(reference);
        for (const v of variants) {
          const events = read(v);
          assert.deepEqual(model(events), model(reference), v.name);
          if (v.sameObjects) events.forEach((e, i) => assert.equal(e.raw, reference[i].raw, `${v.name}: event ${e.idText} is the file's object`));
          assert.deepEqual(describeEvents(events), referenceDetails, v.name);
        }
      });

      it('has one reset point per WORKFLOW_TASK_COMPLETED', () => {
        const want = expected.ids.filter((_, i) => expected.types[i] === 'WORKFLOW_TASK_COMPLETED');
        assert.ok(want.length > 0, 'every real history has a completed workflow task');
        totals.resetPoints += want.length;
        for (const v of variants) {
          assert.deepEqual(resetPoints(read(v), { latestRun: true }).map((e) => e.eventId), want, v.name);
          assert.deepEqual(resetPoints(read(v), { latestRun: false }), [], v.name);
        }
      });

      it('has one reset marker per reset, with its reason and run ids', () => {
        totals.markers += expected.markers.length;
        for (const v of variants) {
          const events = read(v);
          const markers = events.filter(isResetMarker);
          assert.deepEqual(markers.map((e) => e.eventId), expected.markers.map((m) => expected.ids[m.index]), v.name);
          expected.markers.forEach((m, k) => {
            const e = markers[k];
            assert.deepEqual(describeEvent(e), { kind: 'workflowTask', detail: `Reset: ${m.reason}` }, v.name);
            assert.equal(attrText(e, 'base_run_id'), m.baseRunId, v.name);
            assert.equal(attrText(e, 'new_run_id'), m.newRunId, v.name);
            if (v.spelling !== undefined) assert.equal(attrText(e, 'cause'), RESET_CAUSE[v.spelling], `${v.name}: the cause as this spelling writes it`);
          });
          const links = resetLinks(events);
          assert.deepEqual(
            links.map((l) => [l.baseRunId, l.reason, l.pointEventId, l.time?.getTime()]),
            expected.markers.map((m) => [m.baseRunId, m.reason, expected.ids[m.index - 1], expected.times[m.index]]),
            v.name,
          );
        }
      });

      it('names the activity, signal, update or child workflow on every event of its step', () => {
        for (const [, { kind }] of expected.names) totals[kind]++;
        for (const v of variants) {
          const events = read(v);
          const details = describeEvents(events);
          for (const [index, { kind, name }] of expected.names) {
            const e = events[index];
            assert.equal(e.eventId, expected.ids[index], v.name);
            const detail = details[index].detail ?? '';
            assert.ok(detail === name || detail.startsWith(`${name}: `), `${v.name}: event ${e.idText} ${e.type} shows "${detail}", not ${kind} ${name}`);
            const target = eventTarget(e, eventKind(e.type), events, undefined);
            assert.deepEqual(target, { kind: kind === 'child' ? 'workflow' : kind, name }, `${v.name}: Go to Source from event ${e.idText} ${e.type}`);
          }
        }
      });

      it('has a reset point before every activity, found from each of its events', () => {
        const scheduled = expected.types.flatMap((t, i) => (t === 'ACTIVITY_TASK_SCHEDULED' ? [i] : []));
        totals.activitiesScheduled += scheduled.length;
        for (const v of variants) {
          const events = read(v);
          for (const i of scheduled) {
            const found = resetPointBefore(events, i);
            assert.ok(found, `${v.name}: a reset point before activity event ${expected.ids[i]}`);
            assert.equal(found.point.type, 'WORKFLOW_TASK_COMPLETED', v.name);
            assert.ok(found.point.eventId !== undefined && found.point.eventId < expected.ids[i], `${v.name}: ${found.point.eventId} < ${expected.ids[i]}`);
            assert.equal(found.stepStart, events[i], v.name);
            // The task that decided the step, when the event says so.
            const decidedBy = rawAttrs(raws[i]).workflowTaskCompletedEventId;
            if (decidedBy !== undefined) assert.equal(found.point.eventId, Number(decidedBy), v.name);
            // The step's later events (started, completed, failed...) lead back to the same point.
            events.forEach((later, j) => {
              if (j <= i || !later.type.startsWith('ACTIVITY_TASK_') || String(rawAttrs(raws[j]).scheduledEventId) !== String(expected.ids[i])) return;
              const again = resetPointBefore(events, j);
              assert.equal(again?.point, found.point, `${v.name}: from event ${later.idText} ${later.type}`);
              assert.equal(again?.stepStart, events[i], `${v.name}: event ${later.idText} belongs to the step of ${expected.ids[i]}`);
            });
          }
        }
      });
    });
  }

  describe('spot checks from PROVENANCE.md', () => {
    const eventsOf = (file: string, reversed = false): WorkflowEvent[] => {
      const raws = load(file).raws;
      return normalizeHistory({ events: reversed ? [...raws].reverse() : raws });
    };

    for (const reversed of [false, true]) {
      const order = reversed ? 'newest first' : 'as stored';
      it(`reads the reset of reset-signal-children-timers.ts.json (event 9, its reason), ${order}`, () => {
        const events = eventsOf('reset-signal-children-timers.ts.json', reversed);
        assert.deepEqual(events.filter(isResetMarker).map((e) => e.eventId), [9]);
        assert.equal(describeEvent(events[8]).detail, 'Reset: test direct Math.random and uuid4 reset behavior');
        assert.equal(resetPoints(events, { latestRun: true }).length, 13);
      });

      it(`names the reapplied update of reset-update-reapplied.go.json on all three events, ${order}`, () => {
        const events = eventsOf('reset-update-reapplied.go.json', reversed);
        const details = describeEvents(events);
        assert.deepEqual(events.filter(isResetMarker).map((e) => e.eventId), [4]);
        assert.equal(details[3].detail, 'Reset: <unknown-user>: test');
        // Event 9 (ACCEPTED) carries no name: only the update id ties it to event 5 (ADMITTED).
        assert.deepEqual([5, 9, 15].map((id) => details[id - 1].detail), ['fetch_and_add', 'fetch_and_add', 'fetch_and_add']);
      });

      it(`names the signal sent to another workflow in http-response-terminated.pascal.ui.json, ${order}`, () => {
        const events = eventsOf('http-response-terminated.pascal.ui.json', reversed);
        assert.equal(events[25].type, 'EXTERNAL_WORKFLOW_EXECUTION_SIGNALED');
        assert.equal(describeEvents(events)[25].detail, 'signalToTrigger');
      });

      it(`keeps a failed workflow task that is not a reset apart, in wft-failed-timers-activities-146.go.json, ${order}`, () => {
        const events = eventsOf('wft-failed-timers-activities-146.go.json', reversed);
        const failed = events.filter((e) => e.type === 'WORKFLOW_TASK_FAILED');
        assert.equal(failed.length, 1);
        assert.equal(isResetMarker(failed[0]), false);
        assert.equal(resetPoints(events, { latestRun: true }).length, 26);
      });
    }
  });

  // A suite of its own, declared last: mocha runs a suite's own tests before its child suites, and
  // child suites in order, so this runs after every file's checks.
  describe('coverage', () => {
    it('exercised every kind of check on real data (none of the loops above was empty)', () => {
      for (const [what, n] of Object.entries(totals)) assert.ok(n > 0, `${what}: ${n}`);
      assert.equal(totals.markers, 3, 'three of the files are new runs after a reset');
    });
  });
});
