/**
 * Issue #15 in the extension host, against the sandbox: the steps view (toggle, step rows, their
 * events, reset points, Reset to Before This Step), Find in History, the Pending row and Show Call Stack.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { resetSteps } from './helpers/scriptedUi';
import { DEMO } from '../../sandbox/seed';
import { COMMAND_IDS } from '../../src/commands/ids';
import type { EventNode } from '../../src/tree/eventNode';
import type { ExecutionNode } from '../../src/tree/executionNode';
import type { TreeNode } from '../../src/tree/node';
import type { StepNode } from '../../src/tree/stepNode';
import { children, description, isEvent, isLoadMore, kindOf, label, setUpEnv, tearDownEnv, TestEnv } from './helpers/env';
import { menuCommandsFor } from './helpers/menus';

const REASON = 'Deployed fix for create_shipment (#512)';
const MODE_KEY = 'mistralWorkflows.historyMode';
/** DEMO.failed's history: 42 events (sandbox/seed.ts). */
const FAILED_EVENTS = 42;

const isStepRow = (n: TreeNode): n is StepNode => kindOf(n) === 'step';
const isResetRow = (n: TreeNode): n is EventNode => isEvent(n) && label(n).startsWith('Reset point');
const contextOf = (n: TreeNode): string => n.getTreeItem().contextValue ?? '';

async function execution(env: TestEnv, executionId: string): Promise<ExecutionNode> {
  return env.services.tree.openExecution(executionId);
}

async function find(env: TestEnv, node: TreeNode, answer: string, rejected?: string[]): Promise<TreeNode[]> {
  env.ui.script({ kind: 'input', titleMatch: /^Find in History/, answer, rejected });
  await vscode.commands.executeCommand(COMMAND_IDS.findInHistory, node);
  env.ui.assertDone();
  return children(env, node);
}

describe('Steps, Find in History and Pending (issue #15)', function () {
  let env: TestEnv;
  before(async () => {
    env = await setUpEnv({ completionDelayMs: 60_000 });
  });
  afterEach(async () => {
    await vscode.commands.executeCommand(COMMAND_IDS.showEvents);
    const failed = env.services.tree.findExecution(DEMO.failed);
    if (failed) await vscode.commands.executeCommand(COMMAND_IDS.clearFind, failed);
  });
  after(async () => tearDownEnv(env));

  it('switches to steps and back from the view title, remembered for the folder, without reading the history again', async () => {
    const node = await execution(env, DEMO.failed);
    const eventRows = await children(env, node);
    assert.equal(eventRows.filter(isEvent).length, FAILED_EVENTS);
    // Live runs may poll other executions meanwhile: what counts is this history's reads.
    const historyReads = (): number => env.sandbox.requests.filter((r) => r.path.includes(DEMO.failed) && r.path.endsWith('/history')).length;
    const requests = historyReads();

    await vscode.commands.executeCommand(COMMAND_IDS.showSteps);
    assert.equal(env.services.context.workspaceState.get(MODE_KEY), 'steps');
    const rows = await children(env, node);
    const steps = rows.filter(isStepRow);
    assert.deepEqual(steps.map(label), [
      'workflow started order-fulfillment',
      'activity validate_order',
      'activity reserve_inventory',
      'signal address_updated',
      'update set_delivery_window',
      'activity charge_payment',
      'signal priority_changed',
      'activity create_shipment',
      'workflow failed',
    ]);
    assert.ok(!rows.some((r) => isEvent(r) && !isResetRow(r)), 'workflow tasks fold away: no raw event rows');
    const resets = rows.filter(isResetRow);
    assert.ok(resets.length >= 5, `reset points between steps (${resets.length})`);
    assert.equal(label(resets[0]), 'Reset point after workflow started order-fulfillment');
    assert.ok(resets.every((r) => r.event.type === 'WORKFLOW_TASK_COMPLETED' && /\+resettable\b/.test(contextOf(r))));
    assert.ok(resets.every((r) => menuCommandsFor(r).includes(COMMAND_IDS.resetToHere)), 'Reset to Here on every reset point row');
    // A reset point sits right after the step it names.
    const reserve = rows.findIndex((r) => label(r) === 'activity reserve_inventory');
    assert.equal(label(rows[reserve + 1]), 'Reset point after activity reserve_inventory');

    const failed = steps.find((s) => label(s) === 'activity create_shipment');
    assert.ok(failed);
    assert.match(contextOf(failed), /^step \+activity \+failed \+latest$/);
    assert.match(description(failed), /^failed · \d.* · .*'shipping_address'/);
    assert.equal((failed.getTreeItem().iconPath as vscode.ThemeIcon).id, 'error');
    assert.ok(menuCommandsFor(failed).includes(COMMAND_IDS.resetBeforeStep), 'Reset to Before This Step on the step');
    assert.equal(historyReads(), requests, 'switching views does not read the history again');

    await vscode.commands.executeCommand(COMMAND_IDS.showEvents);
    assert.equal(env.services.context.workspaceState.get(MODE_KEY), 'events');
    assert.equal((await children(env, node)).filter(isEvent).length, FAILED_EVENTS);
  });

  it('expands a step into its raw events; an earlier run shows steps without reset actions', async () => {
    await vscode.commands.executeCommand(COMMAND_IDS.showSteps);
    const node = await execution(env, DEMO.failed);
    const failed = (await children(env, node)).filter(isStepRow).find((s) => label(s) === 'activity create_shipment');
    assert.ok(failed);
    const events = await children(env, failed);
    assert.deepEqual(events.map(label), ['36 ACTIVITY_TASK_SCHEDULED', '37 ACTIVITY_TASK_STARTED', '38 ACTIVITY_TASK_FAILED']);
    assert.ok(events.every((e) => isEvent(e) && e.owner === node), 'the events belong to the execution (their actions work)');
    assert.ok(menuCommandsFor(events[2]).includes(COMMAND_IDS.resetBeforeStep));

    const reset = await execution(env, DEMO.reset);
    const earlier = (await children(env, reset)).find((r) => kindOf(r) === 'earlierRuns');
    assert.ok(earlier);
    const [run] = await children(env, earlier);
    const runRows = await children(env, run);
    const runSteps = runRows.filter(isStepRow);
    assert.ok(runSteps.length > 0 && runSteps.every((s) => /\+earlier$/.test(contextOf(s))));
    for (const row of runRows) {
      const menu = menuCommandsFor(row);
      assert.ok(!menu.includes(COMMAND_IDS.resetBeforeStep) && !menu.includes(COMMAND_IDS.resetToHere), `${label(row)}: no reset on an earlier run`);
    }
  });

  it('pages the 51,200-event history as steps: one request, a page of rows, Load more', async () => {
    await vscode.commands.executeCommand(COMMAND_IDS.showSteps);
    const before = env.sandbox.requests.length;
    const node = await execution(env, DEMO.big);
    const rows = await children(env, node);
    assert.equal(env.sandbox.requests.slice(before).filter((r) => r.path.endsWith('/history')).length, 1);
    const more = rows[rows.length - 1];
    assert.ok(isLoadMore(more), 'Load more');
    assert.equal(rows.length - 1, 500, 'a page of steps and reset points');
    // The first page shows as soon as its events have arrived; the total once the rest is in.
    assert.match(label(more), /^Load 500 more \(500 (of [\d,]+ rows|rows shown, more of the history arriving…\))/);
    await node.rows.history.load();
    const whole = await children(env, node);
    assert.equal(whole[0], rows[0], 'the first row keeps its node');
    assert.match(label(whole[whole.length - 1]), /^Load 500 more \(500 of [\d,]+ rows/);
    await vscode.commands.executeCommand(COMMAND_IDS.loadMore, whole[whole.length - 1]);
    assert.equal((await children(env, node)).length - 1, 1000);
  });

  it('Find in History: text, then only the matching events with a count, and Clear', async () => {
    const node = await execution(env, DEMO.failed);
    const rows = await find(env, node, 'shipping_address');
    const [summary, ...found] = rows;
    assert.match(label(summary), new RegExp(`^${found.length} of ${FAILED_EVENTS} events match “shipping_address”$`));
    assert.ok(found.length >= 2 && found.every(isEvent), label(summary));
    for (const e of found as EventNode[]) assert.match(JSON.stringify(e.event.raw), /shipping_address/i, label(e));
    assert.ok(found.some((e) => (e as EventNode).event.type === 'ACTIVITY_TASK_FAILED'), 'the failure message matched');
    assert.match(contextOf(node), /\+searching\b/);
    assert.ok(menuCommandsFor(node).includes(COMMAND_IDS.clearFind));
    assert.ok(menuCommandsFor(summary).includes(COMMAND_IDS.clearFind));
    assert.ok(!menuCommandsFor(node).includes(COMMAND_IDS.resetToHere));

    await vscode.commands.executeCommand(COMMAND_IDS.clearFind, summary);
    assert.doesNotMatch(contextOf(node), /\+searching\b/);
    assert.equal((await children(env, node)).filter(isEvent).length, FAILED_EVENTS);
  });

  it('Find in History: a /regex/ in the steps view shows the matching steps, still offering their resets', async () => {
    await vscode.commands.executeCommand(COMMAND_IDS.showSteps);
    const node = await execution(env, DEMO.failed);
    const [summary, ...found] = await find(env, node, '/key ?error/i');
    assert.match(label(summary), /^2 of 9 steps match “\/key \?error\/i” \(\d+ events\)$/);
    assert.deepEqual(found.map(label), ['activity create_shipment', 'workflow failed']);
    const step = found.find(isStepRow);
    assert.ok(step && menuCommandsFor(step).includes(COMMAND_IDS.resetBeforeStep));
  });

  it('Find in History: no match says so; a bad regex is refused inline with the reason', async () => {
    const node = await execution(env, DEMO.failed);
    const rows = await find(env, node, 'no-such-text-anywhere', ['/(unclosed/', '/x/q', '   ']);
    assert.equal(label(rows[0]), `0 of ${FAILED_EVENTS} events match “no-such-text-anywhere”`);
    assert.equal(rows.length, 2);
    assert.match(label(rows[1]), /^Nothing matches/);
    const [bad, flag, empty] = env.ui.validationMessages.slice(-3);
    assert.match(bad, /^\/\(unclosed\/ is not a valid regular expression: unterminated group\.$/);
    assert.match(flag, /unknown flag "q"/);
    assert.match(empty, /^Type something to find/);
  });

  it('Find in History on the 51,200-event history: searched in slices, every match counted', async () => {
    const node = await execution(env, DEMO.big);
    const [summary, ...found] = await find(env, node, 'progress_report_requested');
    assert.equal(label(summary), '6 of 51,200 events match “progress_report_requested”');
    assert.deepEqual(found.map((e) => (e as EventNode).event.type), Array(6).fill('WORKFLOW_EXECUTION_SIGNALED'));
    await vscode.commands.executeCommand(COMMAND_IDS.clearFind, node);
  });

  it('Pending on a running execution: a retrying activity, an open timer and a running child', async () => {
    const node = await execution(env, DEMO.pending);
    const [pending] = await children(env, node);
    assert.equal(kindOf(pending), 'pending');
    assert.equal(label(pending), 'Pending: 1 activity, 1 timer, 1 child workflow');
    const items = await children(env, pending);
    assert.deepEqual(items.map(label), ['activity check_fraud_score', 'timer refund_sla', 'child workflow customer-notification']);
    const [activity, timer, child] = items.map(description);
    assert.match(activity, /^started · attempt 3 · since .+ ago · last failure: ServiceUnavailable: fraud-score service unavailable \(HTTP 503\)$/);
    assert.match(timer, /^fires in (1|2) hours? \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\) · since /);
    assert.match(child, /^running · notify-rf_9c2e71ab · since /);
    assert.ok(menuCommandsFor(pending).includes(COMMAND_IDS.showCallStack));
    assert.ok(menuCommandsFor(node).includes(COMMAND_IDS.showCallStack));

    const closed = await execution(env, DEMO.failed);
    assert.ok(!(await children(env, closed)).some((r) => kindOf(r) === 'pending'), 'no Pending row on a closed execution');
    assert.ok(!menuCommandsFor(closed).includes(COMMAND_IDS.showCallStack));
  });

  it('Show Call Stack runs the __stack_trace query and opens the answer read-only', async () => {
    const node = await execution(env, DEMO.pending);
    const [pending] = await children(env, node);
    const before = env.sandbox.requests.length;
    await vscode.commands.executeCommand(COMMAND_IDS.showCallStack, pending);
    const queries = env.sandbox.requests.slice(before).filter((r) => r.path.endsWith('/queries'));
    assert.deepEqual(queries.map((q) => [q.method, q.body]), [['POST', { name: '__stack_trace' }]]);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor opened');
    assert.equal(editor.document.uri.scheme, 'mistral-workflows-event', 'a read-only document');
    assert.match(editor.document.getText(), /Stack for the sandbox's stand-in of refund-processor/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Reset to Before This Step… on a step row resets to the workflow task that decided it', async () => {
    await vscode.commands.executeCommand(COMMAND_IDS.showSteps);
    const node = await execution(env, DEMO.failed);
    const rows = await children(env, node);
    const failed = rows.filter(isStepRow).find((s) => label(s) === 'activity create_shipment');
    assert.ok(failed);
    const [scheduled] = (await children(env, failed)) as EventNode[];
    const decidedBy = (scheduled.event.attributes as { workflow_task_completed_event_id?: number }).workflow_task_completed_event_id;
    assert.equal(typeof decidedBy, 'number');
    env.ui.script(...resetSteps(REASON));
    await vscode.commands.executeCommand(COMMAND_IDS.resetBeforeStep, failed);
    env.ui.assertDone();
    const prompt = env.ui.asked.filter((a) => a.kind === 'input' && /reason/.test(a.title ?? '')).at(-1)?.prompt;
    assert.match(prompt ?? '', new RegExp(`^Resetting to event ${decidedBy}: .*decided this step \\(event ${scheduled.event.idText}\\)`));
    assert.deepEqual(env.sandbox.resets.map((r) => [r.executionId, r.eventId, r.reason]), [[DEMO.failed, decidedBy, REASON]]);
  });
});
