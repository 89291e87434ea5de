import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { resetSteps } from './helpers/scriptedUi';
import { DEMO } from '../../sandbox/seed';
import { COMMAND_IDS } from '../../src/commands/ids';
import type { EventNode } from '../../src/tree/eventNode';
import { children, isEvent, setUpEnv, tearDownEnv, TestEnv } from './helpers/env';
import { menuCommandsFor } from './helpers/menus';

const REASON = 'Deployed fix for ship_order (#512)';

async function failedEvents(env: TestEnv): Promise<EventNode[]> {
  const node = await env.services.tree.openExecution(DEMO.failed);
  return (await children(env, node)).filter(isEvent);
}

describe('Beyond reset-to-here', () => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await setUpEnv({ completionDelayMs: 60_000 });
  });
  afterEach(async () => tearDownEnv(env));

  it('Reset to before this step: offered on steps of the latest run, resets to the task that decided the step, and says why', async () => {
    const events = await failedEvents(env);
    const failed = events.find((e) => e.event.type === 'ACTIVITY_TASK_FAILED');
    assert.ok(failed);
    assert.ok(menuCommandsFor(failed).includes(COMMAND_IDS.resetBeforeStep));
    for (const e of events.filter((x) => x.event.type === 'WORKFLOW_TASK_COMPLETED')) {
      assert.ok(!menuCommandsFor(e).includes(COMMAND_IDS.resetBeforeStep), 'not on a workflow task');
    }
    const scheduledId = String((failed.event.attributes as { scheduled_event_id?: unknown }).scheduled_event_id);
    const scheduled = events.find((e) => e.event.idText === scheduledId);
    const decidedBy = (scheduled?.event.attributes as { workflow_task_completed_event_id?: number }).workflow_task_completed_event_id;
    assert.ok(typeof decidedBy === 'number', 'the sandbox records which task scheduled the activity');
    env.ui.script(...resetSteps(REASON));
    await vscode.commands.executeCommand(COMMAND_IDS.resetBeforeStep, failed);
    env.ui.assertDone();
    const prompt = env.ui.asked.find((a) => a.kind === 'input')?.prompt ?? '';
    assert.match(prompt, new RegExp(`Resetting to event ${decidedBy}: event ${decidedBy} is the completed workflow task that decided this step \\(event ${scheduledId}\\)`));
    assert.match(env.ui.asked.find((a) => a.kind === 'confirm')?.detail ?? '', new RegExp(`^Resetting to event ${decidedBy}`));
    assert.equal(env.sandbox.resets.length, 1);
    assert.equal(env.sandbox.resets[0].eventId, decidedBy);
  });

  it('Copy as code: the reset as a Python SDK call and as curl, with $MISTRAL_API_KEY and never the key', async () => {
    const point = (await failedEvents(env)).find((e) => e.resettable);
    assert.ok(point);
    assert.ok(menuCommandsFor(point).includes(COMMAND_IDS.copyResetAsPython));
    await vscode.commands.executeCommand(COMMAND_IDS.copyResetAsPython, point);
    const python = await vscode.env.clipboard.readText();
    assert.match(python, new RegExp(`reset_workflow\\(\\n    execution_id="${DEMO.failed}",\\n    event_id=${point.event.eventId},`));
    assert.match(python, /os\.environ\["MISTRAL_API_KEY"\]/);
    assert.match(python, new RegExp(`server_url="${env.sandbox.baseUrl}"`));
    await vscode.commands.executeCommand(COMMAND_IDS.copyResetAsCurl, point);
    const curl = await vscode.env.clipboard.readText();
    assert.ok(curl.includes(`'${env.sandbox.baseUrl}/v1/workflows/executions/${DEMO.failed}/reset'`));
    assert.ok(curl.includes('Bearer $MISTRAL_API_KEY'));
    for (const text of [python, curl]) assert.ok(!text.includes(env.sandbox.apiKey));
  });

  it('Audit trail: every reset sent is a JSON line with its outcome; Show Reset History opens it', async () => {
    const points = (await failedEvents(env)).filter((e) => e.resettable);
    const before = (await env.services.audit.entries()).length;
    env.sandbox.faults.add({ method: 'POST', pathIncludes: '/reset', status: 500, times: 1 });
    env.ui.script({ kind: 'input', answer: `${REASON} (first try)` }, { kind: 'pickMany', choose: () => [] }, { kind: 'confirm', answer: true });
    await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, points[1]);
    env.ui.script({ kind: 'input', answer: REASON }, { kind: 'pickMany', choose: (items) => items.filter((i) => /signals/.test(i.label)) }, { kind: 'confirm', answer: true });
    await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, points[1]);
    env.ui.assertDone();
    const entries = (await env.services.audit.entries()).slice(before);
    assert.equal(entries.length, 2);
    assert.deepEqual(
      entries.map((e) => [e.executionId, e.eventId, e.reason, e.excludeSignals, e.outcome, e.workspace]),
      [
        // A 500 may come after the reset was applied: read back, it was not (never “failed”).
        [DEMO.failed, points[1].event.eventId, `${REASON} (first try)`, false, 'not applied', 'sandbox'],
        [DEMO.failed, points[1].event.eventId, REASON, true, 'applied', 'sandbox'],
      ],
    );
    assert.equal(entries[1].newRunId, env.sandbox.resets[0].newRunId);
    assert.match(entries[0].error ?? '', /internal error \(500\)/);
    await vscode.commands.executeCommand(COMMAND_IDS.showResetHistory);
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.ok(text.includes(REASON) && text.includes(env.sandbox.resets[0].newRunId));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Compare with previous run: a diff of the two histories without ids and timestamps, and the lineage on earlier runs', async () => {
    const node = await env.services.tree.openExecution(DEMO.reset);
    const rows = await children(env, node);
    assert.ok(menuCommandsFor(node).includes(COMMAND_IDS.compareWithPreviousRun));
    await vscode.commands.executeCommand(COMMAND_IDS.compareWithPreviousRun, node);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff editor opened');
    const left = (await vscode.workspace.openTextDocument(tab.input.original)).getText();
    const right = (await vscode.workspace.openTextDocument(tab.input.modified)).getText();
    assert.notEqual(left, right);
    for (const text of [left, right]) {
      assert.ok(!/[0-9a-f]{8}-[0-9a-f]{4}-/.test(text), 'no run or execution ids');
      assert.ok(!/\d{4}-\d{2}-\d{2}T\d{2}:/.test(text), 'no timestamps');
      assert.match(text, /^WORKFLOW_EXECUTION_STARTED/);
    }
    assert.match(right, /WORKFLOW_TASK_FAILED {2}Reset: /, 'the newer run shows its reset marker');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const earlier = rows.find((n) => n.getTreeItem().contextValue === 'earlierRuns');
    assert.ok(earlier);
    const runs = await children(env, earlier);
    for (const run of runs) await children(env, run);
    const newest = runs[0].getTreeItem().description;
    assert.match(typeof newest === 'string' ? newest : '', /reset to event \d+: Deployed fix/, 'each earlier run says at which event and why it was reset');
    assert.match(runs[0].resolveTooltip()?.value ?? '', /Reset at/);
  });

  it('Batch reset: selected executions to their last workflow task, one reason, a summary of what failed and why', async () => {
    const nodes = await Promise.all([DEMO.failed, DEMO.reset, DEMO.running].map((id) => env.services.tree.openExecution(id)));
    const client = await env.services.connection.client();
    const expected = new Map<string, number | undefined>();
    for (const id of [DEMO.failed, DEMO.reset]) {
      const events = await client.getHistory(id);
      expected.set(id, events.filter((e) => e.type === 'WORKFLOW_TASK_COMPLETED').pop()?.eventId);
    }
    env.sandbox.faults.add({ method: 'POST', pathIncludes: `/executions/${DEMO.running}/reset`, status: 500, times: 1 });
    env.ui.script(
      { kind: 'pickOne', titleMatch: /Reset 3 executions/, choose: (items) => items.find((i) => i.label === 'Last workflow task') },
      { kind: 'input', titleMatch: /reason/, answer: REASON },
      { kind: 'pickMany', choose: (items) => items.filter((i) => /signals/.test(i.label)) },
      { kind: 'confirm', answer: true },
    );
    const results = await vscode.commands.executeCommand<{ executionId: string; outcome: string; detail: string }[]>(COMMAND_IDS.resetSelected, nodes[0], nodes);
    env.ui.assertDone();
    assert.deepEqual(results.map((r) => r.outcome), ['reset', 'reset', 'failed']);
    assert.match(results[2].detail, /internal error \(500\)/);
    assert.deepEqual(
      env.sandbox.resets.map((r) => [r.executionId, r.eventId, r.reason, r.excludeSignals]),
      [[DEMO.failed, expected.get(DEMO.failed), REASON, true], [DEMO.reset, expected.get(DEMO.reset), REASON, true]],
    );
    const summary = await env.ui.waitForNotification(/Batch reset/);
    assert.equal(summary.message, 'Batch reset: 2 of 3 executions reset, 1 failed.');
    assert.equal(summary.level, 'warning');
    const confirm = env.ui.asked.find((a) => a.kind === 'confirm');
    assert.match(confirm?.detail ?? '', new RegExp(DEMO.running));
  });

  it('Batch reset stops at Cancel: the rest are not attempted', async () => {
    const nodes = await Promise.all([DEMO.failed, DEMO.reset, DEMO.running].map((id) => env.services.tree.openExecution(id)));
    env.sandbox.faults.add({ method: 'POST', pathIncludes: '/reset', latencyMs: 1500, times: 1 });
    env.ui.script(
      { kind: 'pickOne', choose: (items) => items.find((i) => i.label === 'First workflow task') },
      { kind: 'input', answer: REASON },
      { kind: 'pickMany', choose: () => [] },
      { kind: 'confirm', answer: true },
    );
    const cancel = new vscode.CancellationTokenSource();
    const timer = setInterval(() => {
      if (env.sandbox.requests.some((r) => r.method === 'POST')) cancel.cancel();
    }, 50);
    const results = await vscode.commands.executeCommand<{ outcome: string }[]>(COMMAND_IDS.resetSelected, nodes[0], nodes, cancel.token);
    clearInterval(timer);
    env.ui.assertDone();
    assert.deepEqual(results.map((r) => r.outcome), ['reset', 'not attempted', 'not attempted']);
    assert.equal(env.sandbox.requests.filter((r) => r.method === 'POST').length, 1);
  });
});
