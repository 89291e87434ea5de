/**
 * The product's story on the real engine: an order fails in an activity because of a bug; the
 * developer fixes the Python file (the worker restarts with it) and resets to before the failed step;
 * the new run completes. Every check reads what the engine itself reports.
 */
import * as assert from 'node:assert/strict';
import { attr, attrText } from '../../src/api';
import { COMMAND_IDS } from '../../src/commands/ids';
import { ENGINE_DEMO } from '../../sandbox/engine/sandbox';
import { eventually } from '../helpers/eventually';
import { description, isEarlierRuns, isRun, label } from '../integration/helpers/env';
import { deployDemoCode, eventsOf, fixTheBug, latestRun, resetMarkers, resetSteps, run, useEngineEnv, untilEngineStatus, type EngineEnv } from './helpers';

const REASON = 'Fixed the shipping address key in create_shipment (#4821)';

describe('On the real engine: fix the bug, reset to before the failed step', function () {
  this.timeout(180_000);
  const world = useEngineEnv();
  let env: EngineEnv;
  // The story's developer meets the bug the seeded order failed on, whatever files ran before.
  before(() => deployDemoCode('buggy'));
  beforeEach(() => {
    env = world();
  });

  it('the seeded order failed on the bug; after the fix, Reset to Before This Step gives a run that completes', async () => {
    const id = ENGINE_DEMO.failed;
    const before = await latestRun(env, id);
    assert.equal(before.status, 'FAILED', 'the engine reports the order failed');
    const { node, events } = await eventsOf(env, id);
    assert.equal(node.execution.status, 'FAILED');
    const failed = events.find((e) => e.event.type === 'ACTIVITY_TASK_FAILED');
    assert.ok(failed, 'the tree shows the failed activity');
    assert.match(description(failed), /create_shipment/);
    assert.match(attrText(failed.event, 'failure.message') ?? '', /shipping_address/);
    // The workflow task that scheduled the failed activity: where Reset to Before This Step goes.
    const scheduled = before.events.find((e) => e.eventId === Number(attr(failed.event, 'scheduled_event_id')));
    const point = Number(attr(scheduled ?? failed.event, 'workflow_task_completed_event_id'));
    assert.ok(Number.isInteger(point) && point > 0, 'the engine records which task scheduled the activity');

    await fixTheBug();
    env.ui.script(...resetSteps(REASON));
    await run(COMMAND_IDS.resetBeforeStep, failed);
    env.ui.assertDone();

    await untilEngineStatus(env, id, 'COMPLETED');
    const after = await latestRun(env, id);
    assert.notEqual(after.runId, before.runId, 'a new run');
    assert.equal((await env.temporal.describe(id, before.runId)).execution.status, 'FAILED', 'the engine keeps the closed run as it ended');
    const markers = resetMarkers(after.events);
    assert.equal(markers.length, 1, 'one reset marker');
    assert.equal(attrText(markers[0], 'failure.message'), REASON);
    assert.equal(attrText(markers[0], 'base_run_id'), before.runId);
    assert.equal(markers[0].eventId, point, 'the marker takes the reset point’s place');
    assert.deepEqual(
      after.events.filter((e) => (e.eventId ?? 0) < point).map((e) => `${e.eventId} ${e.type}`),
      before.events.filter((e) => (e.eventId ?? 0) < point).map((e) => `${e.eventId} ${e.type}`),
      'the events before the point are the old run’s',
    );
    const shipped = after.events.filter((e) => e.type === 'ACTIVITY_TASK_COMPLETED' && (e.eventId ?? 0) > point);
    assert.ok(shipped.length >= 2, 'create_shipment and send_email ran again, with the fixed code');
    assert.ok(after.events.some((e) => e.type === 'WORKFLOW_EXECUTION_COMPLETED'));

    // The tree: the new run completed, and the earlier run with the reason of its reset.
    await env.services.tree.reloadExecution(node);
    assert.equal(node.execution.status, 'COMPLETED');
    assert.equal(node.execution.runId, after.runId);
    const rows = await env.services.tree.getChildren(node);
    const earlier = rows.find(isEarlierRuns);
    assert.ok(earlier, 'an “Earlier runs” row');
    assert.equal(label(earlier), 'Earlier runs (1)');
    const runs = (await env.services.tree.getChildren(earlier)).filter(isRun);
    assert.equal(runs.length, 1);
    // Live runs may reload the execution's history meanwhile (the reset wrote events): read until it settles.
    await eventually('the earlier run to show the reason of its reset', async () => {
      await env.services.tree.getChildren(node);
      await env.services.tree.getChildren(runs[0]);
      return runs[0].reason === REASON ? true : undefined;
    });
  });
});
