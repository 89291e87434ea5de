import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEMO } from '../../sandbox/seed';
import type { Execution } from '../../src/api/types';
import { COMMAND_IDS } from '../../src/commands/ids';
import type { EventNode } from '../../src/tree/eventNode';
import { children, isEvent, setUpEnv, tearDownEnv, TestEnv, WORKSPACE } from './helpers/env';
import { assertOpenedAt, locate } from './helpers/source';

// The Python files come from test/fixtures/workspace (workflows/, legacy/): see its README.

async function failedEvents(env: TestEnv): Promise<EventNode[]> {
  const node = await env.services.tree.openExecution(DEMO.failed);
  return (await children(env, node)).filter(isEvent);
}

function eventById(events: readonly EventNode[], id: number): EventNode {
  const event = events.find((e) => e.event.eventId === id);
  assert.ok(event, `event ${id} is shown`);
  return event;
}

describe('Go to source (in the extension host, against the sandbox)', function () {
  let env: TestEnv;
  before(async () => {
    env = await setUpEnv();
  });
  after(async () => tearDownEnv(env));
  afterEach(async () => {
    env.ui.assertDone();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the activity of an activity event (followed back from ACTIVITY_TASK_FAILED) at its name', async () => {
    const events = await failedEvents(env);
    const failed = eventById(events, 38);
    assert.equal(failed.event.type, 'ACTIVITY_TASK_FAILED');
    assert.match(failed.getTreeItem().contextValue ?? '', /^event \+activity\b/);
    await vscode.commands.executeCommand(COMMAND_IDS.goToSource, failed);
    await assertOpenedAt('workflows/activities.py', 'async def create_shipment', 'create_shipment');
    assert.deepEqual(env.ui.notifications, [], 'no error');
  });

  it('opens the workflow class, and the signal and update handlers, from their events and the execution', async () => {
    const events = await failedEvents(env);
    await vscode.commands.executeCommand(COMMAND_IDS.goToSource, eventById(events, 1)); // WORKFLOW_EXECUTION_STARTED
    await assertOpenedAt('workflows/orders.py', 'class OrderFulfillment', 'OrderFulfillment');
    await vscode.commands.executeCommand(COMMAND_IDS.goToSource, eventById(events, 42)); // WORKFLOW_EXECUTION_FAILED
    await assertOpenedAt('workflows/orders.py', 'class OrderFulfillment', 'OrderFulfillment');
    await vscode.commands.executeCommand(COMMAND_IDS.goToSource, eventById(events, 17)); // signal address_updated (name=)
    await assertOpenedAt('workflows/orders.py', 'async def on_address_updated', 'on_address_updated');
    await vscode.commands.executeCommand(COMMAND_IDS.goToSource, eventById(events, 32)); // signal priority_changed (method name)
    await assertOpenedAt('workflows/orders.py', 'async def priority_changed', 'priority_changed');
    const update = events.find((e) => e.event.type === 'WORKFLOW_EXECUTION_UPDATE_COMPLETED');
    assert.ok(update, 'the update completed');
    await vscode.commands.executeCommand(COMMAND_IDS.goToSource, update); // name followed back to UPDATE_ACCEPTED
    await assertOpenedAt('workflows/orders.py', 'async def set_window', 'set_window');
    const execution = await env.services.tree.openExecution(DEMO.failed);
    await vscode.commands.executeCommand(COMMAND_IDS.goToSource, execution);
    await assertOpenedAt('workflows/orders.py', 'class OrderFulfillment', 'OrderFulfillment');
    assert.deepEqual(env.ui.notifications, [], 'no error');
  });

  it('asks which one when a name is defined twice, and opens the chosen one', async () => {
    const charge = (await failedEvents(env)).find((e) => e.event.type === 'ACTIVITY_TASK_COMPLETED' && e.detail === 'charge_payment');
    assert.ok(charge, 'charge_payment completed');
    let offered: string[] = [];
    env.ui.script({
      kind: 'pickOne',
      titleMatch: /2 definitions of activity “charge_payment”/,
      choose: (items) => {
        offered = items.map((i) => `${i.label} ${i.description ?? ''}`);
        return items.find((i) => i.description?.startsWith('legacy/'));
      },
    });
    await vscode.commands.executeCommand(COMMAND_IDS.goToSource, charge);
    const legacy = await locate('legacy/payments.py', 'async def charge_payment', 'charge_payment');
    const current = await locate('workflows/activities.py', 'async def charge_payment', 'charge_payment');
    assert.deepEqual(offered, [`charge_payment legacy/payments.py:${legacy.line + 1}`, `charge_payment workflows/activities.py:${current.line + 1}`]);
    await assertOpenedAt('legacy/payments.py', 'async def charge_payment', 'charge_payment');
  });

  it('opens nothing when the quick pick is dismissed', async () => {
    const charge = (await failedEvents(env)).find((e) => e.event.type === 'ACTIVITY_TASK_SCHEDULED' && e.detail === 'charge_payment');
    assert.ok(charge);
    env.ui.script({ kind: 'pickOne', choose: () => undefined });
    await vscode.commands.executeCommand(COMMAND_IDS.goToSource, charge);
    assert.equal(vscode.window.activeTextEditor, undefined);
    assert.deepEqual(env.ui.notifications, [], 'a cancel is silent');
  });

  it('says clearly when nothing in the workspace defines the name', async () => {
    const running = await env.services.tree.openExecution(DEMO.running); // customer-onboarding: not in the fixtures
    await vscode.commands.executeCommand(COMMAND_IDS.goToSource, running);
    const shown = await env.ui.waitForNotification(/No Python definition/);
    assert.equal(shown.level, 'error');
    assert.match(shown.message, /^No Python definition of workflow “customer-onboarding” found in this workspace \(searched \d+ Python files\)\.$/);
    const searched = Number(/searched (\d+)/.exec(shown.message)?.[1]);
    assert.ok(searched >= 3, `the fixture files were searched (${searched})`);
    assert.equal(vscode.window.activeTextEditor, undefined);
  });

  it('shows “Executions: N running · M failed” on the workflow class, and filters the view to it', async () => {
    // The truth, independently: every run of the workflow, the newest run of each execution.
    const client = await env.services.connection.client();
    const rows = (await client.listExecutions({ workflow: 'order-fulfillment', pageSize: 1000 })).executions;
    const newest = new Map<string, Execution>();
    for (const row of rows) {
      const known = newest.get(row.executionId);
      if (!known || (row.startTime?.getTime() ?? 0) > (known.startTime?.getTime() ?? 0)) newest.set(row.executionId, row);
    }
    const running = [...newest.values()].filter((e) => e.status === 'RUNNING').length;
    const failed = [...newest.values()].filter((e) => e.status === 'FAILED').length;
    assert.ok(failed >= 1, 'DEMO.failed at least');

    const { uri } = await locate('workflows/orders.py', 'class OrderFulfillment', 'OrderFulfillment');
    const decorator = await locate('workflows/orders.py', '@workflows.workflow.define(', '@');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
    const ours = lenses.filter((l) => l.command?.title.startsWith('Executions:'));
    assert.equal(ours.length, 1, `one lens: ${JSON.stringify(lenses.map((l) => l.command?.title))}`);
    const lens = ours[0];
    assert.equal(lens.range.start.line, decorator.line, 'above the decorator');
    assert.equal(lens.command?.title, `Executions: ${running} running · ${failed} failed`);

    const activities = await locate('workflows/activities.py', 'import', 'import');
    const none = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', activities.uri, 100);
    assert.equal(none.filter((l) => l.command?.title.startsWith('Executions:')).length, 0, 'no lens on activities');

    assert.ok(lens.command);
    await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
    assert.deepEqual(env.services.tree.filter, { statuses: [], workflow: 'order-fulfillment' });
    assert.equal(env.services.treeView.description, 'Filter: workflow: order-fulfillment');
    assert.deepEqual(env.services.context.workspaceState.get('mistralWorkflows.filter'), { statuses: [], workflow: 'order-fulfillment' });
  });

  it('shows “unavailable” instead of counts when there is no API key', async () => {
    await env.services.keys.clear(WORKSPACE);
    try {
      const { uri } = await locate('workflows/orders.py', 'class OrderFulfillment', 'OrderFulfillment');
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
      const titles = lenses.map((l) => l.command?.title ?? '').filter((t) => t.startsWith('Executions:'));
      assert.deepEqual(titles, ['Executions: unavailable (no API key)']);
    } finally {
      await env.services.keys.store(WORKSPACE, env.sandbox.apiKey);
    }
  });
});
