import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEMO } from '../../sandbox/seed';
import type { EventNode } from '../../src/tree/eventNode';
import type { TreeNode } from '../../src/tree/node';
import { children, EXTENSION_ID, isEvent, setUpEnv, tearDownEnv, TestEnv } from './helpers/env';
import { evaluateWhen } from './helpers/whenClause';

const REASON = 'Deployed fix for ship_order (#512)';

function menuCommandsFor(node: TreeNode): string[] {
  const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };
  const viewItem = node.getTreeItem().contextValue;
  return pkg.contributes.menus['view/item/context']
    .filter((entry) => evaluateWhen(entry.when ?? 'true', { view: 'mistralWorkflows.executions', viewItem }))
    .map((entry) => entry.command);
}

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
    assert.ok(menuCommandsFor(failed).includes('mistralWorkflows.resetBeforeStep'));
    for (const e of events.filter((x) => x.event.type === 'WORKFLOW_TASK_COMPLETED')) {
      assert.ok(!menuCommandsFor(e).includes('mistralWorkflows.resetBeforeStep'), 'not on a workflow task');
    }
    const scheduledId = String((failed.event.attributes as { scheduled_event_id?: unknown }).scheduled_event_id);
    const scheduled = events.find((e) => e.event.idText === scheduledId);
    const decidedBy = (scheduled?.event.attributes as { workflow_task_completed_event_id?: number }).workflow_task_completed_event_id;
    assert.ok(typeof decidedBy === 'number', 'the sandbox records which task scheduled the activity');
    env.ui.script(
      { kind: 'input', titleMatch: /reason/, answer: REASON },
      { kind: 'pickMany', choose: () => [] },
      { kind: 'confirm', answer: true },
    );
    await vscode.commands.executeCommand('mistralWorkflows.resetBeforeStep', failed);
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
    assert.ok(menuCommandsFor(point).includes('mistralWorkflows.copyResetAsPython'));
    await vscode.commands.executeCommand('mistralWorkflows.copyResetAsPython', point);
    const python = await vscode.env.clipboard.readText();
    assert.match(python, new RegExp(`reset_workflow\\(\\n    execution_id="${DEMO.failed}",\\n    event_id=${point.event.eventId},`));
    assert.match(python, /os\.environ\["MISTRAL_API_KEY"\]/);
    assert.match(python, new RegExp(`server_url="${env.sandbox.baseUrl}"`));
    await vscode.commands.executeCommand('mistralWorkflows.copyResetAsCurl', point);
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
    await vscode.commands.executeCommand('mistralWorkflows.resetToHere', points[1]);
    env.ui.script({ kind: 'input', answer: REASON }, { kind: 'pickMany', choose: (items) => items.filter((i) => /signals/.test(i.label)) }, { kind: 'confirm', answer: true });
    await vscode.commands.executeCommand('mistralWorkflows.resetToHere', points[1]);
    env.ui.assertDone();
    const entries = (await env.services.audit.entries()).slice(before);
    assert.equal(entries.length, 2);
    assert.deepEqual(
      entries.map((e) => [e.executionId, e.eventId, e.reason, e.excludeSignals, e.outcome, e.workspace]),
      [
        [DEMO.failed, points[1].event.eventId, `${REASON} (first try)`, false, 'failed', 'sandbox'],
        [DEMO.failed, points[1].event.eventId, REASON, true, 'applied', 'sandbox'],
      ],
    );
    assert.equal(entries[1].newRunId, env.sandbox.resets[0].newRunId);
    assert.match(entries[0].error ?? '', /internal error \(500\)/);
    await vscode.commands.executeCommand('mistralWorkflows.showResetHistory');
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.ok(text.includes(REASON) && text.includes(env.sandbox.resets[0].newRunId));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
