/**
 * Nexus operations live on the engine: the suite's dev server gets the endpoint nexus_tour.py calls, its
 * worker serves both sides (test/fixtures/nexus-workflows/nexus_tour.py), and the steps, Pending and
 * Reset to Before This Step are checked against the engine's own events and describe.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { beforeStepResetPoint, describeEvents, groupSteps, isResetMarker, isStep, normalizeHistory, pendingWork, type HistoryStep, type WorkflowEvent } from '../../src/api';
import { createNexusEndpoint, NEXUS_TOUR_ENDPOINT, startNexusTourWorker } from '../../sandbox/engine/nexus';
import type { Worker } from '../../sandbox/engine';
import { eventually } from '../helpers/eventually';
import { engine, uniqueId, ENGINE_POLLING } from './engine';

const CALLERS = 'engine-suite-nexus';
const HANDLERS = 'engine-suite-nexus-handlers';

type Raw = { eventId: string; eventType: string } & Record<string, unknown>;

function attrsOf(raw: Raw): Record<string, unknown> {
  const key = Object.keys(raw).find((k) => k.endsWith('EventAttributes'));
  return key === undefined ? {} : (raw[key] as Record<string, unknown>);
}

const nexusSteps = (events: readonly WorkflowEvent[]): HistoryStep[] => groupSteps(events).entries.filter(isStep).filter((s) => s.kind === 'nexus');

describe('Nexus operations on the real engine', () => {
  let worker: Worker | undefined;

  before(async function () {
    this.timeout(90_000);
    const { server } = engine();
    await createNexusEndpoint(server, NEXUS_TOUR_ENDPOINT, HANDLERS);
    worker = await startNexusTourWorker({ address: server.grpcAddress, namespace: server.namespace, taskQueue: CALLERS, handlerTaskQueue: HANDLERS });
  });
  after(async () => worker?.stop());

  async function run(workflowType: string, status: string): Promise<{ id: string; runId: string; raw: Raw[]; events: WorkflowEvent[] }> {
    const { client } = engine();
    const id = uniqueId(workflowType.replace('_', '-'));
    const { runId } = await client.start(id, { workflowType, taskQueue: CALLERS, input: [id] });
    const closed = await eventually(`${workflowType} closed`, async () => {
      const s = (await client.describe(id, runId)).execution.status;
      return s === 'RUNNING' ? undefined : s;
    }, 60_000, ENGINE_POLLING);
    assert.equal(closed, status, worker?.tail(20));
    const raw = (await client.historyAll(id, runId)) as Raw[];
    return { id, runId, raw, events: normalizeHistory({ history: { events: raw } }) };
  }

  it('groups every operation of nexus_tour as the engine wrote it: its events, name, outcome and reset point', async function () {
    this.timeout(90_000);
    const { raw, events } = await run('nexus_tour', 'COMPLETED');
    const scheduled = raw.flatMap((r, i) => (r.eventType === 'EVENT_TYPE_NEXUS_OPERATION_SCHEDULED' ? [i] : []));
    const steps = nexusSteps(events);
    assert.equal(steps.length, 7);
    const details = describeEvents(events);
    steps.forEach((step, k) => {
      const a = attrsOf(raw[scheduled[k]]);
      const mine = raw.flatMap((r, i) => (i === scheduled[k] || String(attrsOf(r).scheduledEventId) === raw[scheduled[k]].eventId ? [i] : []));
      assert.deepEqual(step.eventIndexes, mine, `operation scheduled at ${raw[scheduled[k]].eventId}`);
      assert.equal(step.name, `${String(a.endpoint)} · ${String(a.service)} · ${String(a.operation)}`);
      for (const i of mine) assert.ok(details[i].detail?.startsWith(step.name), `event ${raw[i].eventId} ${raw[i].eventType}: ${details[i].detail}`);
      const last = [...mine].reverse().map((i) => raw[i].eventType).find((t) => !t.includes('CANCEL_REQUEST'));
      const want = { EVENT_TYPE_NEXUS_OPERATION_COMPLETED: 'completed', EVENT_TYPE_NEXUS_OPERATION_FAILED: 'failed', EVENT_TYPE_NEXUS_OPERATION_CANCELED: 'canceled', EVENT_TYPE_NEXUS_OPERATION_TIMED_OUT: 'timedOut' }[last ?? ''];
      assert.equal(step.status, want, `${step.name} ends in ${last}`);
      assert.equal(beforeStepResetPoint(events, step)?.point.eventId, Number(a.workflowTaskCompletedEventId), step.name);
    });
    assert.deepEqual(steps.map((s) => s.status), ['completed', 'completed', 'failed', 'failed', 'canceled', 'timedOut', 'timedOut']);
    assert.match(steps[3].failure ?? '', /^TooHeavy: parcel .*-c weighs 40 kg, over the 30 kg limit$/);
    assert.match(steps[6].reason ?? '', /^cancel refused: BAD_REQUEST: track-.*-f cannot be cancelled: the parcel is in transit$/);
  });

  it('lists an operation in flight as the engine’s describe does, until it completes', async function () {
    this.timeout(90_000);
    const { client } = engine();
    const id = uniqueId('nexus-hold');
    const { runId } = await client.start(id, { workflowType: 'nexus_hold', taskQueue: CALLERS, input: [id] });
    const events = await eventually('the operation started', async () => {
      const e = normalizeHistory({ history: { events: await client.historyAll(id, runId) } });
      return e.some((x) => x.type === 'NEXUS_OPERATION_STARTED') ? e : undefined;
    }, 30_000, ENGINE_POLLING);
    const work = pendingWork(events);
    assert.deepEqual(work.nexusOperations.map((n) => [n.endpoint, n.service, n.operation, n.state]), [[NEXUS_TOUR_ENDPOINT, 'CarrierService', 'book_pickup', 'started']]);
    const described = (await client.describe(id, runId)).pendingNexusOperations;
    assert.deepEqual(described.map((n) => [n.endpoint, n.service, n.operation, n.state, n.scheduledEventId, n.attempt]),
      [[NEXUS_TOUR_ENDPOINT, 'CarrierService', 'book_pickup', 'STARTED', work.nexusOperations[0].step.firstEventId, 1]]);
    await client.signal(`pickup-${id}`, 'release');
    await eventually('the hold completed', async () => ((await client.describe(id, runId)).execution.status === 'COMPLETED' ? true : undefined), 30_000, ENGINE_POLLING);
    const done = normalizeHistory({ history: { events: await client.historyAll(id, runId) } });
    assert.equal(pendingWork(done).closed, true);
    assert.deepEqual(nexusSteps(done).map((s) => s.status), ['completed']);
    assert.deepEqual((await client.describe(id, runId)).pendingNexusOperations, []);
  });

  it('resets nexus_order to before its failed operation: the engine takes the point, the new run calls it again', async function () {
    this.timeout(90_000);
    const { client } = engine();
    const { id, runId, events } = await run('nexus_order', 'FAILED');
    const failed = nexusSteps(events).find((s) => s.status === 'failed');
    assert.ok(failed, 'the pickup failed');
    const found = beforeStepResetPoint(events, failed);
    assert.ok(found?.point.eventId !== undefined);
    const reason = 'engine-test: before the failed Nexus operation';
    const reset = await client.reset(id, { runId, workflowTaskFinishEventId: found.point.eventId, reason, requestId: randomUUID(), excludeSignals: false, excludeUpdates: false });
    await eventually('the new run closed', async () => ((await client.describe(id, reset.runId)).execution.status === 'FAILED' ? true : undefined), 60_000, ENGINE_POLLING);
    const again = normalizeHistory({ history: { events: await client.historyAll(id, reset.runId) } });
    const marker = again.findIndex(isResetMarker);
    // The new run copies the history up to the point's workflow task, whose completion becomes the reset marker.
    assert.equal(again[marker]?.eventId, found.point.eventId, 'the reset marker takes the place of the point');
    const steps = nexusSteps(again);
    assert.deepEqual(steps.map((s) => [s.name?.split(' · ')[2], s.status]), [['quote', 'completed'], ['book_pickup', 'failed']]);
    assert.ok(steps[1].eventIndexes[0] > marker, 'the operation is scheduled again after the reset');
  });
});
