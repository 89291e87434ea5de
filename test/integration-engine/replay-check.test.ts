/**
 * "Will the fix replay?" inside VS Code on the real engine: an order fails on the demo's bug; the
 * developer edits the workspace's workflow files (the worker restarts with them), runs Check Workflow
 * Code Against History, sees the marks, and Reset to Last Safe Point gives a run that completes.
 * The check runs in the folder's .venv (the SDK the worker uses); the verdicts are temporalio's own.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { attr, attrText, type WorkflowEvent } from '../../src/api';
import { COMMAND_IDS } from '../../src/commands/ids';
import type { CheckedRun } from '../../src/replay';
import { ENGINE_DEMO, TASK_QUEUE } from '../../sandbox/engine/sandbox';
import type { EventNode } from '../../src/tree/eventNode';
import { eventually } from '../helpers/eventually';
import { description } from '../integration/helpers/env';
import { DEMO_BUG, DEMO_FIX, deployDemoCode, editWorkflowFile, eventsOf, latestRun, resetMarkers, resetSteps, untilEngineStatus, useEngineEnv, type EngineEnv } from './helpers';
import * as vscode from 'vscode';

const BUG = DEMO_BUG;
const FIX = DEMO_FIX;
const SHIP = '        shipment = await create_shipment(order, self.window)\n';
/** A non-deterministic change: an activity call added before the one that failed. */
const PACKED = '        await send_email(order["order_id"], "order_packed")\n';

/** An order with only `address`: with the bug, create_shipment fails on `shipping_address`. */
async function failedOrder(env: EngineEnv): Promise<{ id: string; events: WorkflowEvent[]; point: number; runId: string }> {
  const id = `replay-${randomUUID().slice(0, 8)}`;
  await env.temporal.start(id, { workflowType: 'order-fulfillment', taskQueue: TASK_QUEUE, input: [{ order: { order_id: id, items: ['lamp'], total: 40, address: { city: 'Lyon' } } }] });
  await env.temporal.signal(id, 'approve', { input: [{ by: 'warehouse' }] });
  await untilEngineStatus(env, id, 'FAILED');
  const { events, runId } = await latestRun(env, id);
  const failed = events.find((e) => e.type === 'ACTIVITY_TASK_FAILED');
  assert.ok(failed, 'the engine records the failed activity');
  assert.match(attrText(failed, 'failure.message') ?? '', /shipping_address/);
  const scheduled = events.find((e) => e.eventId === Number(attr(failed, 'scheduled_event_id')));
  const point = Number(attr(scheduled ?? failed, 'workflow_task_completed_event_id'));
  assert.ok(Number.isInteger(point) && point > 0, 'the task that scheduled the failed activity');
  return { id, events, point, runId };
}

async function check(id: string): Promise<{ result: CheckedRun; events: EventNode[] }> {
  const result = await vscode.commands.executeCommand<CheckedRun>(COMMAND_IDS.checkReplay, id);
  assert.ok(result, 'the command returns the check');
  return { result, events: (await eventsOf(worldEnv, id)).events };
}

let worldEnv: EngineEnv;

describe('On the real engine: check the workflow code against the history, then reset to the last safe point', function () {
  this.timeout(240_000);
  const world = useEngineEnv();
  let env: EngineEnv;
  before(async () => {
    env = worldEnv = world();
    // Earlier files may have fixed the bug; this story starts from the buggy code the worker ran.
    await deployDemoCode('buggy');
  });
  after(async () => {
    // Leave the code fixed, as the story does.
    await deployDemoCode('fixed');
  });

  it('a fix inside an activity replays cleanly: every reset point safe, and the reset at the last one completes', async () => {
    const order = await failedOrder(env);
    await editWorkflowFile('activities.py', BUG, FIX);
    const { result, events } = await check(order.id);
    assert.equal(result.result.outcome, 'clean', JSON.stringify(result.result));
    assert.equal(result.interpreter.source, 'folderVenv', 'the folder’s .venv ran it');
    const points = events.filter((e) => e.event.type === 'WORKFLOW_TASK_COMPLETED');
    assert.ok(points.length >= 3);
    for (const p of points) {
      assert.equal(p.replayMark?.kind, 'safe', `event ${p.event.idText}`);
      assert.match(description(p), /replays with your code/);
    }
    const { node } = await eventsOf(env, order.id);
    assert.match(description(node), /replays cleanly/);

    env.ui.script(...resetSteps('Fixed the address key in create_shipment (replay checked)'));
    await vscode.commands.executeCommand(COMMAND_IDS.resetToLastSafePoint, node);
    env.ui.assertDone();
    const confirmation = env.ui.asked.filter((a) => a.kind === 'confirm').at(-1);
    assert.match(confirmation?.detail ?? '', new RegExp(`your current code replays the kept ${order.point - 1} events cleanly`));

    await untilEngineStatus(env, order.id, 'COMPLETED');
    const after = await latestRun(env, order.id);
    assert.notEqual(after.runId, order.runId);
    const markers = resetMarkers(after.events);
    assert.equal(markers.length, 1);
    assert.equal(markers[0].eventId, order.point, 'the engine reset to the task that scheduled the failed step');
  });

  it('an activity call added before the failure diverges there; the last safe point is the task before it, and that reset completes', async () => {
    await editWorkflowFile('activities.py', FIX, BUG);
    const order = await failedOrder(env);
    const scheduledShipment = order.events.find((e) => e.type === 'ACTIVITY_TASK_SCHEDULED' && attrText(e, 'activity_type.name') === 'create_shipment');
    assert.ok(scheduledShipment?.eventId !== undefined);
    try {
      await editWorkflowFile('orders.py', SHIP, PACKED + SHIP);
      await editWorkflowFile('activities.py', BUG, FIX);

      const { result, events } = await check(order.id);
      assert.equal(result.result.outcome, 'diverges', JSON.stringify(result.result));
      if (result.result.outcome !== 'diverges') return;
      assert.equal(result.result.eventId, scheduledShipment.eventId, 'at the scheduled create_shipment the new code disagrees with');
      assert.equal(result.result.cause, 'nondeterminism');
      assert.match(result.result.message, /[Nn]ondeterminism/);
      assert.match(result.result.message, /create_shipment|send_email/, 'the replayer names the activities');
      for (const e of events.filter((n) => n.event.type === 'WORKFLOW_TASK_COMPLETED')) {
        assert.equal(e.replayMark?.kind, (e.event.eventId ?? 0) < scheduledShipment.eventId ? 'safe' : 'failsAgain', `event ${e.event.idText}`);
      }
      const divergent = events.find((e) => e.event.eventId === scheduledShipment.eventId);
      assert.equal(divergent?.replayMark?.kind, 'divergesHere');
      assert.match(description(divergent as EventNode), /your code diverges here/);

      const { node } = await eventsOf(env, order.id);
      await vscode.commands.executeCommand(COMMAND_IDS.showReplayReport, node);
      const report = vscode.window.activeTextEditor?.document.getText() ?? '';
      assert.match(report, new RegExp(`## Diverges at event ${scheduledShipment.eventId}\n\nEvent ${scheduledShipment.eventId} ACTIVITY_TASK_SCHEDULED, in activity create_shipment`));
      assert.ok(report.includes(result.result.message), 'the replayer’s message, verbatim');
      assert.match(report, /The workflow is defined at workflows\/orders\.py:\d+\./);
      assert.match(report, /Python: the folder's \.venv/);

      env.ui.script(...resetSteps('Ship only after the packing email (replay checked)'));
      await vscode.commands.executeCommand(COMMAND_IDS.resetToLastSafePoint, node);
      env.ui.assertDone();
      const reasonPrompt = env.ui.asked.filter((a) => a.kind === 'input').at(-1);
      assert.match(reasonPrompt?.prompt ?? '', new RegExp(`Event ${order.point} is the latest safe reset point: your code diverges at event ${scheduledShipment.eventId}, after it`));

      await untilEngineStatus(env, order.id, 'COMPLETED');
      const after = await latestRun(env, order.id);
      assert.equal(resetMarkers(after.events)[0]?.eventId, order.point, 'reset to the task before the divergence');
      const activities = after.events.filter((e) => e.type === 'ACTIVITY_TASK_SCHEDULED' && (e.eventId ?? 0) > order.point).map((e) => attrText(e, 'activity_type.name'));
      assert.deepEqual(activities.slice(0, 2), ['send_email', 'create_shipment'], 'the new run ran the changed code');
    } finally {
      await editWorkflowFile('orders.py', PACKED + SHIP, SHIP);
    }
  });

  it('the reset confirmation warns when the chosen point comes after the divergence, and the reset is still the user’s call', async () => {
    await editWorkflowFile('activities.py', FIX, BUG);
    const order = await failedOrder(env);
    try {
      await editWorkflowFile('orders.py', SHIP, PACKED + SHIP);
      const { events } = await eventsOf(env, order.id);
      const late = events.filter((e) => e.event.type === 'WORKFLOW_TASK_COMPLETED' && (e.event.eventId ?? 0) > order.point).at(-1);
      assert.ok(late, 'a reset point after the divergence');
      // No check yet: the flow runs it by itself (the default), then asks; the user cancels.
      env.ui.script(...resetSteps('Trying a late point', {}, false));
      await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, late);
      env.ui.assertDone();
      const confirmation = env.ui.asked.filter((a) => a.kind === 'confirm').at(-1);
      assert.match(confirmation?.detail ?? '', /Warning: your code diverges at event \d+, before this point: the new run would fail again/);
      await eventually('no reset was sent', async () => ((await env.temporal.describe(order.id)).execution.runId === order.runId ? true : undefined));
    } finally {
      await editWorkflowFile('orders.py', PACKED + SHIP, SHIP);
      await editWorkflowFile('activities.py', BUG, FIX);
    }
  });

  it('with the automatic check off, the confirmation offers Check Replay First, then asks again with the verdict', async () => {
    const config = vscode.workspace.getConfiguration('mistralWorkflows');
    await config.update('replayCheck.beforeReset', false, vscode.ConfigurationTarget.Global);
    try {
      const { node, events } = await eventsOf(env, ENGINE_DEMO.completed);
      env.services.checks.forget(ENGINE_DEMO.completed);
      const point = events.filter((e) => e.resettable).at(-1);
      assert.ok(point, 'a reset point');
      env.ui.script(...resetSteps('Only looking', {}, 'alternative'), { kind: 'confirm', answer: false });
      await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, point);
      env.ui.assertDone();
      const [first, second] = env.ui.asked.filter((a) => a.kind === 'confirm').slice(-2);
      assert.match(first?.detail ?? '', /Your code has not been checked against this history yet\./);
      assert.match(second?.detail ?? '', new RegExp(`Replay check: your current code replays the kept ${(point.event.eventId ?? 0) - 1} events cleanly`));
      assert.equal(env.services.checks.get(ENGINE_DEMO.completed, node.execution.runId)?.result.outcome, 'clean', 'the check the user asked for is kept');
      assert.equal((await env.temporal.describe(ENGINE_DEMO.completed)).execution.runId, node.execution.runId, 'nothing was reset');
    } finally {
      await config.update('replayCheck.beforeReset', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
