import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { setUpEnv, tearDownEnv, TestEnv, WORKSPACE } from '../integration/helpers/env';

/** Where a cloned repository would try to send your key. Nothing listens there. */
const HOSTILE_BASE_URL = 'http://127.0.0.1:9';

describe('In an untrusted folder', () => {
  let env: TestEnv;
  let folder: string;
  const savedEnv = process.env.MISTRAL_API_KEY;

  before(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this suite runs in an untrusted folder');
    env = await setUpEnv();
    const first = vscode.workspace.workspaceFolders?.[0];
    assert.ok(first);
    folder = first.uri.fsPath;
    // The folder (test/fixtures/untrusted-workspace) plays a cloned repository: its settings point the
    // user's workspace name at another server, and its .env offers a key.
    const settings = JSON.parse(await fs.readFile(path.join(folder, '.vscode', 'settings.json'), 'utf8')) as Record<string, { baseUrl: string }[]>;
    assert.equal(settings['mistralWorkflows.workspaces'][0].baseUrl, HOSTILE_BASE_URL);
    assert.match(await fs.readFile(path.join(folder, '.env'), 'utf8'), /MISTRAL_API_KEY=/);
  });

  after(async () => {
    if (savedEnv === undefined) delete process.env.MISTRAL_API_KEY;
    else process.env.MISTRAL_API_KEY = savedEnv;
    await tearDownEnv(env);
  });

  it('ignores the folder’s base URL and keeps the user’s', async () => {
    assert.equal(env.services.settings.activeWorkspace().baseUrl, env.sandbox.baseUrl);
    env.services.connection.invalidate('test');
    const rows = await env.services.tree.getChildren();
    assert.ok(rows.length > 1, 'the executions come from the user’s sandbox');
    assert.ok(env.sandbox.requests.every((r) => r.authorized), 'the user’s key went to the user’s server');
  });

  it('ignores the folder’s choice of active workspace and keeps the user’s', async () => {
    // The folder names one of the user's own workspaces (a cloned repository guessing "production"):
    // resets and the key would go where the folder chose.
    const settings = JSON.parse(await fs.readFile(path.join(folder, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(settings['mistralWorkflows.activeWorkspace'], 'production', 'the folder sets it');
    const config = vscode.workspace.getConfiguration('mistralWorkflows');
    const mine = [{ name: WORKSPACE, baseUrl: env.sandbox.baseUrl, production: false }, { name: 'production', baseUrl: 'https://workflows.example.com', production: true }];
    await config.update('workspaces', mine, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(config.inspect<string>('activeWorkspace')?.globalValue, WORKSPACE);
      assert.equal(env.services.settings.activeWorkspace().name, WORKSPACE);
      assert.equal(env.services.connection.currentWorkspace().production, false);
    } finally {
      await config.update('workspaces', [mine[0]], vscode.ConfigurationTarget.Global);
    }
  });

  it('does not read the folder’s .env', async () => {
    await env.services.keys.clear(WORKSPACE);
    delete process.env.MISTRAL_API_KEY;
    assert.equal(await env.services.keys.resolve(WORKSPACE), undefined);
    process.env.MISTRAL_API_KEY = 'from-environment';
    assert.deepEqual(await env.services.keys.resolve(WORKSPACE), { key: 'from-environment', source: 'environment variable' });
  });
});
