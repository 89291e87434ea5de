/**
 * Workflows written with the plain temporalio SDK (workers/temporal-workflows: @workflow.defn,
 * @activity.defn, no Mistral SDK) on a Temporal workspace, inside VS Code on the real engine: Go to
 * Source finds their definitions in the folder (temporal-workflows/), the replay check replays them
 * with temporalio's defaults, and the fix-check-reset story ends in a run the engine completes.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { attrText, normalizeHistory, type WorkflowEvent } from '../../src/api';
import { COMMAND_IDS } from '../../src/commands/ids';
import type { CheckedRun } from '../../src/replay';
import type { EventNode } from '../../src/tree/eventNode';
import { SHIPPING, SHIPPING_DEMO, shipmentOrder, untilStatus } from '../../sandbox/engine/sandbox';
import { eventually } from '../helpers/eventually';
import { description, extensionApi, isEvent } from '../integration/helpers/env';
import { assertOpenedAt, folder } from '../integration/helpers/source';
import { closeWorld, type World } from '../integration/helpers/world';
import { backToEngineSandbox, ENGINE, resetMarkers, resetSteps } from './helpers';
import { shippingEngine, temporalWorld } from './temporalWorld';

const BUG = 'order["shipping_address"]["city"]';
const FIX = 'order["address"]["city"]';

/** The pollers' identities (pid@host) on the shipments task queue, as the engine reports them. */
async function pollers(): Promise<Set<string>> {
  const url = `${ENGINE.temporal}/api/v1/namespaces/${SHIPPING.namespace}/task-queues/${SHIPPING.taskQueue}?taskQueueType=TASK_QUEUE_TYPE_WORKFLOW`;
  const body = (await (await fetch(url)).json()) as { pollers?: { identity?: string }[] };
  return new Set((body.pollers ?? []).map((p) => p.identity ?? ''));
}

/**
 * Edits carrier.py as a developer does, in the opened folder (what Go to Source and the replay check
 * read), then deploys it: the same edit where the plain worker runs, which restarts. Waits until a new
 * worker process polls the engine, i.e. runs the edited code.
 */
async function editCarrier(from: string, to: string): Promise<void> {
  const before = await pollers();
  for (const file of [path.join(folder().fsPath, 'temporal-workflows', 'carrier.py'), path.join(ENGINE.temporalWorkflows, 'carrier.py')]) {
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.includes(from), `${file} contains ${from}`);
    fs.writeFileSync(file, text.replace(from, to));
  }
  await eventually('the restarted worker to poll', async () => ([...(await pollers())].some((p) => !before.has(p)) ? true : undefined), 60_000);
}

describe('On the real engine: plain temporalio workflows in a Temporal workspace', function () {
  this.timeout(240_000);
  let world: World;
  const engine = shippingEngine();
  const events = async (id: string): Promise<EventNode[]> => {
    const node = await world.services.tree.openExecution(id);
    await world.services.tree.reloadExecution(node);
    return (await world.services.tree.getChildren(node)).filter(isEvent);
  };
  before(async () => {
    world = await temporalWorld.make();
    // This suite is about the replay check: on before a reset, as by default.
    await vscode.workspace.getConfiguration('mistralWorkflows').update('replayCheck.beforeReset', undefined, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    if (fs.readFileSync(path.join(ENGINE.temporalWorkflows, 'carrier.py'), 'utf8').includes(FIX)) await editCarrier(FIX, BUG);
    await closeWorld(world);
    await backToEngineSandbox((await extensionApi()).services);
  });
  afterEach(async () => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('Go to Source opens the @activity.defn, the @workflow.defn class and its signal and update handlers', async () => {
    const shown = await events(SHIPPING_DEMO.failed);
    const go = async (type: string, which: (e: EventNode) => boolean = () => true): Promise<void> => {
      const event = shown.find((e) => e.event.type === type && which(e));
      assert.ok(event, `a ${type} event`);
      await vscode.commands.executeCommand(COMMAND_IDS.goToSource, event);
    };
    await go('ACTIVITY_TASK_FAILED');
    await assertOpenedAt('temporal-workflows/carrier.py', 'async def book_carrier', 'book_carrier');
    await go('WORKFLOW_EXECUTION_STARTED');
    await assertOpenedAt('temporal-workflows/shipments.py', 'class Shipment', 'Shipment');
    await go('WORKFLOW_EXECUTION_SIGNALED', (e) => attrText(e.event, 'signal_name') === 'approve');
    await assertOpenedAt('temporal-workflows/shipments.py', 'def approve', 'approve');
    await go('WORKFLOW_EXECUTION_SIGNALED', (e) => attrText(e.event, 'signal_name') === 'add_note');
    await assertOpenedAt('temporal-workflows/shipments.py', 'def add_note', 'add_note');
    await go('WORKFLOW_EXECUTION_UPDATE_COMPLETED');
    await assertOpenedAt('temporal-workflows/shipments.py', 'def set_window', 'set_window');
    assert.deepEqual(world.ui.notifications, [], 'no error');
  });

  it('the replay check replays a plain temporalio workflow with temporalio’s defaults: unchanged code replays cleanly', async () => {
    const id = await world.failed();
    const result = await vscode.commands.executeCommand<CheckedRun>(COMMAND_IDS.checkReplay, id);
    assert.ok(result, 'the command returns the check');
    assert.equal(result.result.outcome, 'clean', JSON.stringify(result.result));
    assert.deepEqual(result.dirs.map((d) => path.basename(d)), ['temporal-workflows'], 'it loaded the folder that defines the workflow');
    const points = (await events(id)).filter((e) => e.event.type === 'WORKFLOW_TASK_COMPLETED');
    assert.ok(points.length >= 3);
    for (const p of points) assert.match(description(p), /replays with your code|would fail again/, `event ${p.event.idText} is marked`);
  });

  it('fix the activity, and Reset to Last Safe Point: the check runs first, and the engine completes the new run', async () => {
    // A shipment with an address, as new orders have it: it fails only on the bug.
    const id = `shipment-fix-${randomUUID().slice(0, 8)}`;
    await engine.start(id, { workflowType: 'shipment', taskQueue: SHIPPING.taskQueue, input: [shipmentOrder(id)] });
    await eventually(`${id} to run`, async () => ((await engine.describe(id)).execution.status === 'RUNNING' ? true : undefined));
    await engine.signal(id, 'approve', { input: ['warehouse'] });
    await untilStatus(engine, id, 'FAILED');
    const failedRun = (await engine.describe(id)).execution.runId;
    const history: WorkflowEvent[] = normalizeHistory(await engine.historyAll(id));
    assert.match(attrText(history.find((e) => e.type === 'ACTIVITY_TASK_FAILED') ?? history[0], 'failure.message') ?? '', /shipping_address/);

    await editCarrier(BUG, FIX);
    const node = await world.services.tree.openExecution(id);
    await world.services.tree.reloadExecution(node);
    world.ui.script(...resetSteps('Book the carrier with the order’s address (replay checked)'));
    await vscode.commands.executeCommand(COMMAND_IDS.resetToLastSafePoint, node);
    world.ui.assertDone();
    const confirmation = world.ui.asked.filter((a) => a.kind === 'confirm').at(-1);
    assert.match(confirmation?.detail ?? '', /your current code replays the kept \d+ events cleanly/);

    await untilStatus(engine, id, 'COMPLETED');
    const after = normalizeHistory(await engine.historyAll(id));
    assert.notEqual((await engine.describe(id)).execution.runId, failedRun, 'a new run');
    const markers = resetMarkers(after);
    assert.equal(markers.length, 1);
    assert.equal(attrText(markers[0], 'failure.message'), 'Book the carrier with the order’s address (replay checked)');
    const booked = after.filter((e) => e.type === 'ACTIVITY_TASK_COMPLETED').length;
    assert.ok(booked >= 3, 'reserve_stock, book_carrier and notify_customer completed in the new run');
  });
});
