import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../src/commands/ids';
import { isExecution, label, roots, setUpEnv, tearDownEnv, TestEnv, WORKSPACE } from './helpers/env';

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
    await vscode.commands.executeCommand(COMMAND_IDS.setApiKey);
    env.ui.assertDone();
    assert.equal((await env.services.keys.resolve(WORKSPACE))?.source, 'secret storage');
    const settingsText = JSON.stringify(vscode.workspace.getConfiguration('mistralWorkflows'));
    assert.ok(!settingsText.includes(env.sandbox.apiKey), 'the key is not in settings');
    const state = await env.services.connection.current();
    assert.equal(state.kind, 'ready');
    const rows = await env.services.tree.getChildren();
    assert.ok(rows.length > 0);
  });

  it('a key stored again unchanged does not reconnect; a different one does', async () => {
    const key = env.sandbox.apiKey;
    await env.services.keys.store(WORKSPACE, key);
    env.services.connection.invalidate('test');
    await env.services.tree.getChildren();
    let reconnects = 0;
    const counting = env.services.connection.onDidChange(() => reconnects++);
    try {
      // SecretStorage tells of a store later, even of one that changes nothing (Set API Key, a test's set-up).
      const heard = keyEvents(env, 1);
      await env.services.keys.store(WORKSPACE, key);
      await heard;
      await env.services.connection.keyChecked();
      assert.equal(reconnects, 0, 'the same key: the connection and the tree are kept');
      const another = keyEvents(env, 1);
      await env.services.keys.store(WORKSPACE, `${key}-other`);
      await another;
      await env.services.connection.keyChecked();
      assert.equal(reconnects, 1, 'another key: one reconnect');
    } finally {
      counting.dispose();
      await env.services.keys.store(WORKSPACE, key);
    }
  });

  it('Clear API Key removes the stored key and falls back to the next source', async () => {
    process.env.MISTRAL_API_KEY = env.sandbox.apiKey;
    await vscode.commands.executeCommand(COMMAND_IDS.clearApiKey);
    assert.equal(await env.services.keys.hasStored(WORKSPACE), false);
    const note = await env.ui.waitForNotification(/Removed the stored key/);
    assert.match(note.message, /environment variable/);
    delete process.env.MISTRAL_API_KEY;
  });

  it('a key from the environment or .env goes by itself to this machine, elsewhere only once allowed', async () => {
    // `.invalid` never resolves: even after Allow, nothing can leave this machine.
    const elsewhere = 'https://workflows.invalid';
    const config = vscode.workspace.getConfiguration('mistralWorkflows');
    await env.services.keys.clear(WORKSPACE);
    process.env.MISTRAL_API_KEY = env.sandbox.apiKey;
    try {
      // The sandbox (loopback), as the demo runs it: no question.
      env.services.connection.invalidate('test: the key from the environment');
      const here = await env.services.connection.current();
      assert.equal(here.kind === 'ready' && here.keySource, 'environment variable');
      assert.ok((await roots(env)).some(isExecution), 'the tree lists');

      for (const source of ['environment variable', '.env file'] as const) {
        const name = source === '.env file' ? 'elsewhere-dotenv' : 'elsewhere-env';
        if (source === '.env file') await fs.writeFile(dotenv, `MISTRAL_API_KEY=${env.sandbox.apiKey}\n`);
        await config.update('workspaces', [{ name: WORKSPACE, baseUrl: env.sandbox.baseUrl }, { name, baseUrl: elsewhere }], vscode.ConfigurationTarget.Global);
        await config.update('activeWorkspace', name, vscode.ConfigurationTarget.Global);
        const state = await env.services.connection.current();
        assert.deepEqual(state.kind === 'originChanged' && { from: state.from, to: state.to, source: state.source }, { from: undefined, to: elsewhere, source }, state.kind);
        const rows = await roots(env);
        assert.equal(rows.length, 1);
        assert.equal(label(rows[0]), `“${name}” points at ${elsewhere}: click to allow the key from the ${source} there`);
        await assert.rejects(env.services.connection.client(), /points at https:\/\/workflows\.invalid\. The API key from the .* is not sent there until you allow it/);

        env.ui.script({ kind: 'confirm', answer: false });
        await vscode.commands.executeCommand(COMMAND_IDS.allowKeyOrigin);
        assert.equal((await env.services.connection.current()).kind, 'originChanged', 'Cancel allows nothing');
        env.ui.script({ kind: 'confirm', answer: true });
        await vscode.commands.executeCommand(COMMAND_IDS.allowKeyOrigin);
        env.ui.assertDone();
        assert.match(env.ui.asked.at(-1)?.message ?? '', new RegExp(`^Send the API key from the ${source} to https://workflows\\.invalid\\?$`));
        const allowed = await env.services.connection.current();
        assert.equal(allowed.kind === 'ready' && allowed.keySource, source, 'allowed: the key goes there');
      }
    } finally {
      delete process.env.MISTRAL_API_KEY;
      await fs.rm(dotenv, { force: true });
      await config.update('workspaces', [{ name: WORKSPACE, baseUrl: env.sandbox.baseUrl, production: false }], vscode.ConfigurationTarget.Global);
      await config.update('activeWorkspace', WORKSPACE, vscode.ConfigurationTarget.Global);
      await env.services.keys.store(WORKSPACE, env.sandbox.apiKey);
    }
  });

  it('switches workspaces with Select Workspace…', async () => {
    const config = vscode.workspace.getConfiguration('mistralWorkflows');
    await config.update('workspaces', [
      { name: WORKSPACE, baseUrl: env.sandbox.baseUrl },
      { name: 'prod', baseUrl: 'https://api.mistral.ai', production: true },
    ], vscode.ConfigurationTarget.Global);
    env.ui.script({ kind: 'pickOne', titleMatch: /workspace/, choose: (items) => items.find((i) => i.description?.endsWith('https://api.mistral.ai') === true) });
    await vscode.commands.executeCommand(COMMAND_IDS.selectWorkspace);
    env.ui.assertDone();
    assert.equal(env.services.connection.currentWorkspace().name, 'prod');
    assert.equal(env.services.connection.currentWorkspace().production, true);
    await config.update('activeWorkspace', WORKSPACE, vscode.ConfigurationTarget.Global);
  });
});

describe('Add Workspace… (a Mistral one; the engine suite adds Temporal ones)', () => {
  let env: TestEnv;
  before(async () => {
    env = await setUpEnv();
  });
  after(async () => {
    await env.services.keys.clear('staging');
    await tearDownEnv(env);
  });

  it('asks kind, name, base URL, production and key; the entry goes to settings, the key to secret storage; the tree lists', async () => {
    env.ui.script(
      { kind: 'pickOne', titleMatch: /what kind/, choose: (items) => items.find((i) => /Mistral/.test(i.label)) },
      { kind: 'input', titleMatch: /\(2\/5\): name/, rejected: ['', '  ', WORKSPACE], answer: 'staging' },
      { kind: 'input', titleMatch: /base URL/, rejected: ['http://api.example.com', 'not a url'], answer: `${env.sandbox.baseUrl}/` },
      { kind: 'pickOne', titleMatch: /production/, choose: (items) => items.find((i) => i.label === 'Development') },
      { kind: 'input', titleMatch: /\(5\/5\): API key/, rejected: ['has space'], answer: env.sandbox.apiKey },
    );
    await vscode.commands.executeCommand(COMMAND_IDS.addWorkspace);
    env.ui.assertDone();
    assert.match(env.ui.validationMessages.join(' | '), /A name is required.*exists already.*plain HTTP.*not a valid URL.*no spaces/);
    // A configuration object is a snapshot: read the settings again.
    const entries = vscode.workspace.getConfiguration('mistralWorkflows').get<Record<string, unknown>[]>('workspaces') ?? [];
    assert.deepEqual(entries.at(-1), { name: 'staging', baseUrl: env.sandbox.baseUrl, production: false }, 'the entry, its URL without the trailing slash, no key');
    assert.ok(!JSON.stringify(entries).includes(env.sandbox.apiKey), 'the key is not in settings');
    assert.deepEqual(await env.services.keys.resolve('staging'), { key: env.sandbox.apiKey, source: 'secret storage' });
    assert.equal(env.services.connection.currentWorkspace().name, 'staging', 'the new workspace is the active one');
    const before = env.sandbox.requests.length;
    assert.ok((await env.services.tree.getChildren()).length > 1, 'the tree lists its executions');
    assert.ok(env.sandbox.requests.slice(before).some((r) => r.authorized), 'with its key');
  });

  it('adds nothing when cancelled, at any step', async () => {
    const workspaces = (): string => JSON.stringify(vscode.workspace.getConfiguration('mistralWorkflows').get('workspaces'));
    const before = workspaces();
    env.ui.script(
      { kind: 'pickOne', titleMatch: /what kind/, choose: (items) => items.find((i) => /Temporal cluster/.test(i.label)) },
      { kind: 'input', titleMatch: /\(2\/6\): name/, answer: 'local-temporal' },
      { kind: 'input', titleMatch: /base URL/, answer: 'http://127.0.0.1:7243' },
      { kind: 'input', titleMatch: /namespace/, answer: undefined },
    );
    await vscode.commands.executeCommand(COMMAND_IDS.addWorkspace);
    env.ui.assertDone();
    assert.equal(workspaces(), before);
    assert.equal(await env.services.keys.hasStored('local-temporal'), false);
  });
});

/** Resolves once the extension has heard `count` changes of this workspace's stored key. */
function keyEvents(env: TestEnv, count: number): Promise<void> {
  return new Promise((resolve) => {
    let heard = 0;
    const listening = env.services.keys.onDidChange((e) => {
      if (e.workspace !== WORKSPACE || ++heard < count) return;
      listening.dispose();
      resolve();
    });
  });
}
