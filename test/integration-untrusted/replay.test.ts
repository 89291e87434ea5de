import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../src/commands/ids';
import type { ExecutionNode } from '../../src/tree/executionNode';
import { isEvent, isExecution, roots, setUpEnv, tearDownEnv, TestEnv } from '../integration/helpers/env';
import { resetSteps } from '../integration/helpers/scriptedUi';

/**
 * The replay check runs the folder's own workflow code: in an untrusted folder it does not run, says
 * why, and the reset flow says the code was not checked (the reset itself stays the user's call).
 */
describe('In an untrusted folder: the replay check', () => {
  let env: TestEnv;
  let marker: string;

  before(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this suite runs in an untrusted folder');
    env = await setUpEnv();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder);
    assert.ok(fs.existsSync(path.join(folder, 'workflows', 'orders.py')), 'the folder defines the workflow');
    marker = path.join(folder, 'workflows', 'imported.txt');
    fs.rmSync(marker, { force: true });
  });

  after(() => tearDownEnv(env));

  async function anOrder(): Promise<ExecutionNode> {
    const order = (await roots(env)).filter(isExecution).find((n) => n.execution.workflowName === 'order-fulfillment');
    assert.ok(order, 'the sandbox lists an order-fulfillment execution');
    return order;
  }

  it('does not run, says why and offers to manage trust', async () => {
    const order = await anOrder();
    const result = await vscode.commands.executeCommand(COMMAND_IDS.checkReplay, order);
    assert.equal(result, undefined, 'no check result');
    const shown = await env.ui.waitForNotification(/trusted folder/);
    assert.equal(shown.level, 'error');
    assert.match(shown.message, /^The replay check runs your workflow code on this machine, so it runs only in a trusted folder\./);
    assert.ok(shown.actions.includes('Manage Workspace Trust'));
    assert.equal(fs.existsSync(marker), false, 'the folder’s Python file was never imported');
  });

  it('the reset confirmation says the code was not checked, and Cancel sends nothing', async () => {
    const order = await anOrder();
    const point = (await env.services.tree.getChildren(order)).filter(isEvent).find((e) => e.resettable);
    assert.ok(point, 'a reset point');
    env.ui.script(...resetSteps('Checking the untrusted flow', {}, false));
    await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, point);
    env.ui.assertDone();
    const confirmation = env.ui.asked.filter((a) => a.kind === 'confirm').at(-1);
    assert.match(confirmation?.detail ?? '', /Your code was not checked against this history: the replay check runs only in trusted folders\./);
    assert.equal(env.sandbox.requests.filter((r) => r.method === 'POST').length, 0, 'no reset was sent');
    assert.equal(fs.existsSync(marker), false);
  });
});
