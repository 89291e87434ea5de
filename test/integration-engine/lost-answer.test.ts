/**
 * The facade drops the answer after the engine applied the reset: the extension reads the execution
 * back, says the reset was applied, and the engine's records show exactly one reset.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { COMMAND_IDS } from '../../src/commands/ids';
import { TASK_QUEUE } from '../../sandbox/engine/sandbox';
import { eventually } from '../helpers/eventually';
import { admin, eventsOf, latestRun, resetMarkers, resetSteps, run, useEngineEnv, type EngineEnv } from './helpers';

describe('On the real engine: a lost answer', function () {
  this.timeout(180_000);
  const world = useEngineEnv();
  let env: EngineEnv;
  beforeEach(() => {
    env = world();
  });

  it('reads back a reset whose answer was dropped after the engine applied it, and never sends it again', async () => {
    const id = randomUUID();
    await env.temporal.start(id, { workflowType: 'order-fulfillment', taskQueue: TASK_QUEUE, input: [{ order: { order_id: 'L-1', items: ['cup'], total: 9, address: { city: 'Lille' } } }] });
    const point = await eventually('the order to wait', async () => {
      const { events } = await latestRun(env, id);
      return events.filter((e) => e.type === 'ACTIVITY_TASK_COMPLETED').length === 2 ? events.filter((e) => e.type === 'WORKFLOW_TASK_COMPLETED').pop()?.eventId : undefined;
    }, 60_000);
    const before = await latestRun(env, id);
    const { events } = await eventsOf(env, id);
    const node = events.find((e) => e.event.eventId === point);
    assert.ok(node?.resettable);

    await admin('POST', 'faults', { method: 'POST', pathIncludes: '/reset', drop: 'after', times: 1 });
    const posts = async (): Promise<number> => ((await admin('GET', 'requests')) as { method: string; path: string }[]).filter((r) => r.method === 'POST' && r.path.endsWith('/reset')).length;
    const postsBefore = await posts();
    env.ui.script(...resetSteps('lost answer check'));
    await run(COMMAND_IDS.resetToHere, node);
    env.ui.assertDone();
    assert.equal(env.ui.notifications.filter((n) => n.level === 'error').length, 0, `no error: ${JSON.stringify(env.ui.notifications)}`);
    assert.equal(await posts() - postsBefore, 1, 'one POST, not re-sent');

    // The engine: exactly two runs (the first, and the one the reset made), one reset marker.
    const runs = await env.temporal.listWorkflows({ query: `WorkflowId = '${id}'` });
    assert.equal(runs.executions.length, 2, runs.executions.map((r) => `${r.runId} ${r.status}`).join(', '));
    const now = await latestRun(env, id);
    assert.notEqual(now.runId, before.runId);
    assert.equal(resetMarkers(now.events).length, 1);
    assert.equal(node.run.executionId, id);
    await env.temporal.terminate(id, { reason: 'test done' });
  });
});
