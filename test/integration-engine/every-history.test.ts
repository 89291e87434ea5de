/**
 * Every history on the engine, read by the extension's reader: counts, types, ids and reset points
 * exactly as in the engine's own JSON. It resets an execution of its own first, so that a run a reset
 * started is among them whatever the other files did before (or did not: files may run in any order).
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { normalizeHistory } from '../../src/api';
import { ENGINE_DEMO } from '../../sandbox/engine/sandbox';
import { eventually } from '../helpers/eventually';
import { useEngineEnv, waitingOrder, type EngineEnv } from './helpers';

/** The engine's enum spelling to the plain one, written here rather than taken from the code under test. */
function eventTypeOf(raw: string): string {
  assert.match(raw, /^EVENT_TYPE_[A-Z_]+$/, `an event type as the engine spells it: ${raw}`);
  return raw.slice('EVENT_TYPE_'.length);
}

type RawEvent = { eventId: string; eventType: string };

describe('On the real engine: every history it holds', function () {
  this.timeout(120_000);
  const world = useEngineEnv();
  let env: EngineEnv;
  beforeEach(() => {
    env = world();
  });

  it('is read exactly: count, types, ids, reset points (a reset run among them)', async () => {
    // An execution of its own, so that no other file meets a reset it did not make.
    const order = await waitingOrder(env, 'every-history');
    const { runId: resetRun } = await env.temporal.reset(order.id, {
      runId: order.runId,
      workflowTaskFinishEventId: order.point,
      reason: 'every-history check',
      requestId: randomUUID(),
      excludeSignals: false,
      excludeUpdates: false,
    });

    // What must be among them whatever ran before: the seeded orders, and both runs of this order.
    // Listing is eventually consistent: wait until it shows them all.
    const expected = [...Object.values(ENGINE_DEMO).map((id) => `${id}/`), `${order.id}/${order.runId}`, `${order.id}/${resetRun}`];
    const executions = await eventually(`the seeded orders and the reset's new run ${resetRun} to be listed`, async () => {
      const page = await env.temporal.listWorkflows({ pageSize: 1000 });
      const listed = page.executions.map((e) => `${e.workflowId}/${e.runId}`);
      return expected.every((want) => listed.some((row) => row.startsWith(want))) ? page.executions : undefined;
    }, 30_000);
    for (const run of executions) {
      const raw = (await env.temporal.historyAll(run.workflowId, run.runId)) as RawEvent[];
      const events = normalizeHistory(raw);
      const where = `${run.workflowId}/${run.runId}`;
      assert.equal(events.length, raw.length, where);
      assert.deepEqual(events.map((e) => e.eventId), raw.map((e) => Number(e.eventId)), where);
      assert.deepEqual(events.map((e) => e.type), raw.map((e) => eventTypeOf(e.eventType)), where);
      const completed = raw.filter((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED').map((e) => Number(e.eventId));
      assert.deepEqual(events.filter((e) => e.type === 'WORKFLOW_TASK_COMPLETED').map((e) => e.eventId), completed, where);
    }
  });
});
