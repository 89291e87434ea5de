import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { setUpEnv, tearDownEnv, TestEnv, WORKSPACE } from './helpers/env';

/** Key resolution: SecretStorage, then the folder's .env (trusted folders only), then the environment. */
describe('API key resolution (trusted folder)', () => {
  let env: TestEnv;
  let dotenv: string;
  const savedEnv = process.env.MISTRAL_API_KEY;

  before(async () => {
    env = await setUpEnv();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests run in a folder');
    dotenv = path.join(folder.uri.fsPath, '.env');
  });
  after(async () => {
    await fs.rm(dotenv, { force: true });
    if (savedEnv === undefined) delete process.env.MISTRAL_API_KEY;
    else process.env.MISTRAL_API_KEY = savedEnv;
    await tearDownEnv(env);
  });

  it('prefers SecretStorage, then .env, then the environment variable', async () => {
    assert.ok(vscode.workspace.isTrusted, 'this suite runs in a trusted folder');
    process.env.MISTRAL_API_KEY = 'from-environment';
    await fs.writeFile(dotenv, 'OTHER=1\nMISTRAL_API_KEY="from-dotenv"\n');
    assert.deepEqual(await env.services.keys.resolve(WORKSPACE), { key: env.sandbox.apiKey, source: 'secret storage' });
    await env.services.keys.clear(WORKSPACE);
    const fromFile = await env.services.keys.resolve(WORKSPACE);
    assert.equal(fromFile?.key, 'from-dotenv');
    assert.equal(fromFile?.source, '.env file');
    await fs.rm(dotenv);
    assert.deepEqual(await env.services.keys.resolve(WORKSPACE), { key: 'from-environment', source: 'environment variable' });
    delete process.env.MISTRAL_API_KEY;
    assert.equal(await env.services.keys.resolve(WORKSPACE), undefined);
  });

  it('Set API Key… stores the key in SecretStorage (never in settings) and the tree loads', async () => {
    await env.services.keys.clear(WORKSPACE);
    env.ui.script({ kind: 'input', titleMatch: /API key/, rejected: ['', 'has space'], answer: env.sandbox.apiKey });
    await vscode.commands.executeCommand('mistralWorkflows.setApiKey');
    env.ui.assertDone();
    assert.equal((await env.services.keys.resolve(WORKSPACE))?.source, 'secret storage');
    const settingsText = JSON.stringify(vscode.workspace.getConfiguration('mistralWorkflows'));
    assert.ok(!settingsText.includes(env.sandbox.apiKey), 'the key is not in settings');
    const state = await env.services.connection.current();
    assert.equal(state.kind, 'ready');
    const rows = await env.services.tree.getChildren();
    assert.ok(rows.length > 0);
  });

  it('Clear API Key removes the stored key and falls back to the next source', async () => {
    process.env.MISTRAL_API_KEY = env.sandbox.apiKey;
    await vscode.commands.executeCommand('mistralWorkflows.clearApiKey');
    assert.equal(await env.services.keys.hasStored(WORKSPACE), false);
    const note = await env.ui.waitForNotification(/Removed the stored key/);
    assert.match(note.message, /environment variable/);
    delete process.env.MISTRAL_API_KEY;
  });

  it('switches workspaces with Select Workspace…', async () => {
    const config = vscode.workspace.getConfiguration('mistralWorkflows');
    await config.update('workspaces', [
      { name: WORKSPACE, baseUrl: env.sandbox.baseUrl },
      { name: 'prod', baseUrl: 'https://api.mistral.ai', production: true },
    ], vscode.ConfigurationTarget.Global);
    env.ui.script({ kind: 'pickOne', titleMatch: /workspace/, choose: (items) => items.find((i) => i.description?.endsWith('https://api.mistral.ai') === true) });
    await vscode.commands.executeCommand('mistralWorkflows.selectWorkspace');
    env.ui.assertDone();
    assert.equal(env.services.connection.currentWorkspace().name, 'prod');
    assert.equal(env.services.connection.currentWorkspace().production, true);
    await config.update('activeWorkspace', WORKSPACE, vscode.ConfigurationTarget.Global);
  });
});
