import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../src/commands/ids';
import { DEMO } from '../../sandbox/seed';
import { eventually } from '../helpers/eventually';
import { children, isEvent, roots, setUpEnv, tearDownEnv, TEST_API_KEY, WORKSPACE, type TestEnv } from './helpers/env';
import { ScriptedUi } from './helpers/scriptedUi';

/** Files under `dir`, recursively, skipping the stores where VS Code keeps secrets on purpose. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => !/state\.vscdb|\.vscdb-journal|secrets/i.test(file));
}

/**
 * Self-contained: it makes the extension do what could leak a key (use it, set it, fail with a server
 * that echoes it, reset, copy a reset as code), then reads every file the extension host wrote, every
 * message shown and the settings. Wherever it runs, it also covers what ran before it.
 */
describe('Secrets', function () {
  this.timeout(60_000);
  let env: TestEnv;
  before(async () => {
    env = await setUpEnv({ completionDelayMs: 200 });
  });
  after(async () => tearDownEnv(env));

  it('the API key appears in no log, setting, output, message or copied text', async () => {
    const shownBefore = ScriptedUi.shown.length;
    // Set API Key… with the key typed in.
    await env.services.keys.clear(WORKSPACE);
    env.ui.script({ kind: 'input', titleMatch: /API key/, answer: TEST_API_KEY });
    await vscode.commands.executeCommand(COMMAND_IDS.setApiKey);
    assert.ok((await roots(env)).length > 0);
    // A server that echoes the key back in an error body, for a listing and for a history.
    const echo = JSON.stringify({ detail: `invalid token Bearer ${TEST_API_KEY}`, code: 'WF_1200' });
    env.sandbox.faults.add({ method: 'GET', pathIncludes: '/history', status: 500, body: echo, contentType: 'application/json' });
    const node = await env.services.tree.openExecution(DEMO.failed);
    const labels = JSON.stringify((await children(env, node)).map((r) => r.getTreeItem().label));
    assert.match(labels, /Could not load the history/);
    assert.ok(!labels.includes(TEST_API_KEY), `the error row does not show the key: ${labels}`);
    // A command that fails on such an answer: logged in full by the command wrapper, and shown.
    env.sandbox.faults.add({ method: 'GET', pathIncludes: '/executions/no-such-execution', status: 500, body: echo, contentType: 'application/json' });
    await vscode.commands.executeCommand(COMMAND_IDS.openExecution, 'no-such-execution');
    await env.ui.waitForNotification(/invalid token/);
    env.sandbox.faults.clear();
    // A reset (its notifications), then Copy Reset as curl (the clipboard).
    env.services.tree.refreshAll();
    const fresh = await env.services.tree.openExecution(DEMO.failed);
    const point = (await children(env, fresh)).filter(isEvent).find((e) => e.resettable);
    assert.ok(point, 'a reset point');
    env.ui.script(
      { kind: 'input', titleMatch: /reason/, answer: 'secrets check' },
      { kind: 'pickMany', titleMatch: /options/, choose: () => [] },
      { kind: 'confirm', answer: true },
    );
    await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, point);
    await eventually('the reset', async () => (env.sandbox.resets.length === 1 ? true : undefined));
    await vscode.commands.executeCommand(COMMAND_IDS.copyResetAsCurl, point);
    const clipboard = await vscode.env.clipboard.readText();
    assert.match(clipboard, /curl/, 'the reset was copied as curl');
    assert.ok(!clipboard.includes(TEST_API_KEY), 'the copied command reads the key from the environment');

    // Every message shown during this test, and everything written so far.
    const shown = ScriptedUi.shown.slice(shownBefore);
    assert.ok(shown.length >= 2, `messages were shown: ${JSON.stringify(shown)}`);
    assert.deepEqual(ScriptedUi.shown.filter((m) => m.includes(TEST_API_KEY)), [], 'messages that contain the key');
    const marker = `secrets-check ${Date.now()}`;
    env.services.log.info('secrets-check', marker);
    const logsRoot = path.resolve(env.services.context.logUri.fsPath, '..', '..', '..');
    const userDir = path.resolve(env.services.context.globalStorageUri.fsPath, '..', '..');
    // Log files are written asynchronously: wait until ours has the marker written after everything else.
    const ourLog = await eventually('the extension log to be flushed', async () => {
      const files = await filesUnder(logsRoot);
      const log = files.find((f) => /Mistral Workflows\.log$/.test(f));
      return log !== undefined && (await fs.readFile(log, 'utf8')).includes(marker) ? log : undefined;
    });
    const logText = await fs.readFile(ourLog, 'utf8');
    assert.match(logText, /using the API key from the secret storage/, 'the log says where the key came from');
    assert.match(logText, /invalid token Bearer \[redacted\]/, 'the echoed key was logged redacted');
    const files = [...(await filesUnder(logsRoot)), ...(await filesUnder(userDir))];
    const leaks: string[] = [];
    for (const file of files) {
      const content = await fs.readFile(file).catch(() => Buffer.alloc(0));
      if (content.includes(TEST_API_KEY)) leaks.push(file);
    }
    assert.deepEqual(leaks, [], `files that contain the key (of ${files.length} checked)`);
    const settings = JSON.stringify(vscode.workspace.getConfiguration('mistralWorkflows'));
    assert.ok(!settings.includes(TEST_API_KEY), 'settings do not contain the key');
  });
});
