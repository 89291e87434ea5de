/**
 * A notification turns `[text](command:…)` in its message into a link that runs the command: text the
 * server chooses (execution ids, workflow names, error details) must never make one.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../src/commands/ids';
import { DEMO } from '../../sandbox/server';
import { notificationLinks } from '../helpers/notificationLinks';
import { setUpEnv, tearDownEnv, type TestEnv } from './helpers/env';

/** Shaped like command links: clicked, they would quit VS Code. */
const LINK_ID = '[x](command:workbench.action.quit)';
const LINK_NAME = '[Open the docs](command:workbench.action.quit)';

describe('Server text in a notification makes no link', () => {
  let env: TestEnv;
  before(async () => {
    env = await setUpEnv();
  });
  after(async () => tearDownEnv(env));
  afterEach(() => env.sandbox.faults.clear());

  it('an execution id and a workflow name shaped like command links (Watch Execution on an ended one)', async () => {
    const res = await fetch(`${env.sandbox.baseUrl}/v1/workflows/executions/${DEMO.reset}`, { headers: { authorization: `Bearer ${env.sandbox.apiKey}` } });
    const completed = (await res.json()) as Record<string, unknown>;
    assert.equal(completed.status, 'COMPLETED');
    // The server answers for that id with an execution of that id and name.
    const body = JSON.stringify({ ...completed, execution_id: LINK_ID, workflow_name: LINK_NAME });
    env.sandbox.faults.add({ method: 'GET', pathIncludes: `/executions/${encodeURIComponent(LINK_ID)}`, status: 200, body });
    env.ui.script({ kind: 'pickOrEnter', answer: LINK_ID });
    await vscode.commands.executeCommand(COMMAND_IDS.watchExecution);
    env.ui.assertDone();
    const note = await env.ui.waitForNotification(/has already completed/);
    assert.deepEqual(notificationLinks(note.message), [], note.message);
    assert.equal(note.message.replace(/\u200b/g, ''), `${LINK_NAME} (${LINK_ID}) has already completed.`, 'it reads the same');
  });

  it('an error detail from the server shaped like a command link', async () => {
    const detail = `No execution here. [Reload](command:workbench.action.quit)`;
    env.sandbox.faults.add({ method: 'GET', pathIncludes: '/executions/order-gone', status: 404, body: JSON.stringify({ detail, code: 'WF_1100' }) });
    await vscode.commands.executeCommand(COMMAND_IDS.openExecution, 'order-gone');
    const note = await env.ui.waitForNotification(/Execution not found/);
    assert.equal(note.level, 'error');
    assert.deepEqual(notificationLinks(note.message), [], note.message);
    assert.ok(note.message.replace(/\u200b/g, '').includes(detail), note.message);
  });
});
