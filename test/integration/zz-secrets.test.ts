import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extensionApi, TEST_API_KEY } from './helpers/env';
import { ScriptedUi } from './helpers/scriptedUi';

/** Files under `dir`, recursively, skipping the stores where VS Code keeps secrets on purpose. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => !/state\.vscdb|\.vscdb-journal|secrets/i.test(file));
}

// Named zz- so that it runs last: it reads everything the other suites made the extension write.
describe('Secrets', () => {
  it('the API key appears in no log, setting, output or message written during the whole run', async () => {
    const { services } = await extensionApi();
    services.log.info('secrets-check', 'flush');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // log files are written asynchronously
    const logsRoot = path.resolve(services.context.logUri.fsPath, '..', '..', '..');
    const userDir = path.resolve(services.context.globalStorageUri.fsPath, '..', '..');
    const files = [...(await filesUnder(logsRoot)), ...(await filesUnder(userDir))];
    const ourLog = files.find((f) => /Mistral Workflows\.log$/.test(f));
    assert.ok(ourLog, `the extension's log file is among the ${files.length} files checked`);
    assert.match(await fs.readFile(ourLog, 'utf8'), /using the API key from the secret storage/, 'the log says where the key came from');
    const leaks: string[] = [];
    for (const file of files) {
      const content = await fs.readFile(file).catch(() => Buffer.alloc(0));
      if (content.includes(TEST_API_KEY)) leaks.push(file);
    }
    assert.deepEqual(leaks, [], 'files that contain the key');
    assert.ok(ScriptedUi.shown.length > 10, 'messages were shown during the run');
    assert.deepEqual(ScriptedUi.shown.filter((m) => m.includes(TEST_API_KEY)), [], 'messages that contain the key');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('mistralWorkflows'));
    assert.ok(!settings.includes(TEST_API_KEY));
  });
});
