/**
 * The shared suites (test/integration/shared: tree, reset flow and its safety, faults, security,
 * randomised reset faults) on a Temporal workspace: the real dev server and a real temporalio worker,
 * through the sandbox's pass-through (temporalWorld.ts). The main suite runs the same on Mistral's API.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { COMMAND_IDS } from '../../src/commands/ids';
import { SHIPPING, shipmentOrder } from '../../sandbox/engine/sandbox';
import { eventually } from '../helpers/eventually';
import { children, description, extensionApi, isEvent, isExecution, isMessage, label, roots, showView, WORKSPACE } from '../integration/helpers/env';
import { closeWorld, type World } from '../integration/helpers/world';
import { faultsSuite } from '../integration/shared/faults';
import { resetSuite } from '../integration/shared/reset';
import { resetFaultsSuite } from '../integration/shared/resetFaults';
import { resetSafetySuite } from '../integration/shared/resetSafety';
import { securitySuite } from '../integration/shared/security';
import { treeSuite } from '../integration/shared/tree';
import { backToEngineSandbox } from './helpers';
import { shippingEngine, temporalWorld } from './temporalWorld';

describe('The shared suites on a Temporal workspace (real engine)', () => {
  treeSuite(temporalWorld);
  resetSuite(temporalWorld);
  resetSafetySuite(temporalWorld);
  faultsSuite(temporalWorld);
  securitySuite(temporalWorld);
  // Every new run is run by the engine: fewer runs than on the in-memory sandbox.
  resetFaultsSuite(temporalWorld, 40);

  after(async () => backToEngineSandbox((await extensionApi()).services));
});

describe('Temporal workspaces only: keys are optional, and Add Workspace… makes one', function () {
  this.timeout(60_000);
  let world: World;
  before(async () => {
    world = await temporalWorld.make();
  });
  after(async () => {
    await world.services.keys.clear('cloud');
    await closeWorld(world);
    await backToEngineSandbox(world.services);
  });

  it('without a key a Temporal workspace still connects (none is sent); a cluster that wants one gets a row that says so', async () => {
    await world.services.keys.clear(WORKSPACE);
    world.services.connection.invalidate('test: no key');
    assert.equal((await world.services.connection.current()).kind, 'ready', 'no welcome view: the key is optional');
    const [row] = await roots(world);
    assert.ok(row && isMessage(row), label(row));
    assert.match(label(row), /API key was rejected \(401\)/);
    assert.equal(row.getTreeItem().command?.title, 'Set API Key');
    assert.ok(world.sandbox.requests.length > 0 && world.sandbox.requests.every((r) => !r.authorized), 'no key was sent');
  });

  it('Copy Reset as curl / Python writes Temporal’s own reset, the key as $TEMPORAL_API_KEY, never its value', async () => {
    await world.services.keys.store(WORKSPACE, world.sandbox.apiKey);
    world.services.connection.invalidate('test: the key again');
    const id = await world.failed();
    const point = (await children(world, await world.services.tree.openExecution(id))).filter(isEvent).find((e) => e.resettable && e.event.type === 'WORKFLOW_TASK_COMPLETED');
    assert.ok(point);
    await vscode.commands.executeCommand(COMMAND_IDS.copyResetAsCurl, point);
    const curl = await vscode.env.clipboard.readText();
    assert.ok(curl.startsWith(`curl -X POST '${world.sandbox.baseUrl}/api/v1/namespaces/${SHIPPING.namespace}/workflows/${id}/reset'`), curl);
    assert.ok(curl.includes('Bearer $TEMPORAL_API_KEY'));
    assert.ok(curl.includes(`"workflowTaskFinishEventId":"${point.event.eventId}"`));
    await vscode.commands.executeCommand(COMMAND_IDS.copyResetAsPython, point);
    const python = await vscode.env.clipboard.readText();
    assert.match(python, new RegExp(`workflow_execution=WorkflowExecution\\(workflow_id="${id}", run_id="${point.run.runId}"\\)`));
    for (const text of [curl, python]) assert.ok(!text.includes(world.sandbox.apiKey), 'no key in the copied code');
  });

  it('Add Workspace… → Temporal Cloud: an API key is required; the entry has no key; the tree lists the namespace', async () => {
    world.ui.script(
      { kind: 'pickOne', titleMatch: /what kind/, choose: (items) => items.find((i) => /Temporal Cloud/.test(i.label)) },
      { kind: 'input', titleMatch: /\(2\/6\): name/, answer: 'cloud' },
      { kind: 'input', titleMatch: /base URL/, answer: world.sandbox.baseUrl },
      { kind: 'input', titleMatch: /namespace/, rejected: [''], answer: SHIPPING.namespace },
      { kind: 'pickOne', titleMatch: /production/, choose: (items) => items.find((i) => i.label === 'Production') },
      { kind: 'input', titleMatch: /\(6\/6\): API key/, rejected: ['', 'has space'], answer: world.sandbox.apiKey },
    );
    await vscode.commands.executeCommand(COMMAND_IDS.addWorkspace);
    world.ui.assertDone();
    assert.match(world.ui.validationMessages.join(' | '), /A namespace is required.*Temporal Cloud needs an API key.*no spaces/);
    const entries = vscode.workspace.getConfiguration('mistralWorkflows').get<Record<string, unknown>[]>('workspaces') ?? [];
    assert.deepEqual(entries.at(-1), { name: 'cloud', baseUrl: world.sandbox.baseUrl, production: true, kind: 'temporal', namespace: SHIPPING.namespace });
    assert.ok(!JSON.stringify(entries).includes(world.sandbox.apiKey), 'the key is not in settings');
    const active = world.services.connection.currentWorkspace();
    assert.deepEqual([active.name, active.kind, active.production], ['cloud', 'temporal', true]);
    const rows = (await roots(world)).filter(isExecution);
    const listed = (await shippingEngine().listWorkflows({ pageSize: 1 })).executions[0];
    assert.equal(rows[0]?.executionId, listed?.workflowId, 'the namespace’s executions, as the engine lists them');
    assert.ok(world.sandbox.requests.filter((r) => r.path.startsWith('/api/v1/')).at(-1)?.authorized, 'with the key, as a Bearer token');
  });
});

describe('Live runs on a Temporal workspace: long polls of the history', function () {
  this.timeout(120_000);
  let world: World;
  const engine = shippingEngine();
  before(async () => {
    world = await temporalWorld.make();
  });
  after(async () => {
    await closeWorld(world);
    await backToEngineSandbox(world.services);
  });

  it('a watched running shipment refreshes by itself as events arrive, and notifies exactly once when it ends', async () => {
    const id = `shipment-live-${randomUUID().slice(0, 8)}`;
    await engine.start(id, { workflowType: 'shipment', taskQueue: SHIPPING.taskQueue, input: [shipmentOrder(id)] });
    await eventually(`${id} to wait for its approval`, async () => ((await engine.historyAll(id)).length >= 10 ? true : undefined));
    await showView(world);
    const node = await world.services.tree.openExecution(id);
    await world.services.tree.reloadExecution(node);
    const before = (await children(world, node)).filter(isEvent).length;
    world.ui.script({ kind: 'pickOrEnter', answer: id });
    await vscode.commands.executeCommand(COMMAND_IDS.watchExecution);
    world.ui.assertDone();
    assert.match(description(node), /watching/);
    await eventually('the execution to be followed', async () => (world.services.liveUpdates.following.get(id) === 'stream' ? true : undefined));
    await eventually('a long poll of its history', async () => (world.sandbox.requests.some((r) => world.isFollow(r) && r.path.endsWith(`/${id}/history`)) ? true : undefined));

    await engine.signal(id, 'add_note', { input: ['leave at the door'] });
    await eventually('the signal to appear without a manual refresh', async () => {
      const now = (await children(world, node)).filter(isEvent).length; // cached until the live refresh forgets them
      return now > before ? true : undefined;
    }, 30_000);

    await engine.signal(id, 'approve', { input: ['warehouse'] });
    const ended = new RegExp(`^shipment \\(${id}\\) failed\\.$`); // book_carrier's bug
    const note = await world.ui.waitForNotification(ended, 60_000);
    assert.deepEqual(note.actions, ['Show']);
    assert.equal(node.execution.status, 'FAILED', 'the tree shows it too');
    assert.equal(world.services.liveUpdates.isWatched(id), false, 'the watch ended');
    await eventually('following to stop', async () => (world.services.liveUpdates.following.has(id) ? undefined : true));
    assert.equal(world.ui.notifications.filter((n) => ended.test(n.message)).length, 1);
  });
});

