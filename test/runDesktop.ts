/**
 * The same integration suite (out/test/integration/index.js) in desktop VS Code 1.100.3 through
 * @vscode/test-electron, for machines that can download VS Code from update.code.visualstudio.com.
 * On machines that reach only the npm registry (like the CI here) the download fails at once: use
 * test/runIntegration.ts (code-server) there. Not part of `npm test`.
 *
 * Usage: `npm run test:desktop`. Honours MISTRAL_WF_TEST_SETTINGS, MISTRAL_WF_TEST_WORKSPACE_SETTINGS,
 * MISTRAL_WF_TEST_GREP, MISTRAL_WF_TEST_WORKSPACE, MISTRAL_WF_TEST_SUITE and MISTRAL_WF_TEST_KEEP like
 * the code-server runner; every environment variable reaches the extension host. Workspace trust ON is
 * not possible here: @vscode/test-electron always passes --disable-workspace-trust.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { PROJECT_ROOT } from '../sandbox/engine/paths';
import { QUIET_SETTINGS, optionsFromEnvAndArgs } from './runIntegration';

const VSCODE_VERSION = '1.100.3';

async function main(): Promise<number> {
  const options = optionsFromEnvAndArgs(process.env, process.argv.slice(2));
  if (options.workspaceTrust) {
    console.error('[desktop] workspace trust ON is not supported: @vscode/test-electron always disables it. Use runIntegration.');
    return 1;
  }
  const extensionTestsPath = options.extensionTestsPath ?? path.join(PROJECT_ROOT, 'out', 'test', 'integration', 'index');
  const fixture = options.workspaceFixture ?? path.join(PROJECT_ROOT, 'test', 'fixtures', 'workspace');

  // Our own user-data-dir (test-electron adds one only when none is given) so the extra settings apply,
  // and a copy of the fixture so tests may write into the folder.
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwf-vscode-desktop-')));
  const userData = path.join(tmp, 'user-data');
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2));
  fs.cpSync(fixture, workspace, { recursive: true });
  if (options.workspaceSettings !== undefined) {
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(options.workspaceSettings, null, 2));
  }

  const extensionTestsEnv: Record<string, string> = { MISTRAL_WF_TEST_TRUST: 'off', MISTRAL_WF_TEST_RUNNER: 'desktop' };
  if (options.grep !== undefined) extensionTestsEnv.MISTRAL_WF_TEST_GREP = options.grep;
  try {
    return await runTests({
      version: VSCODE_VERSION,
      extensionDevelopmentPath: PROJECT_ROOT,
      extensionTestsPath,
      extensionTestsEnv,
      // --disable-extensions: only the extension under development, no other installed ones.
      launchArgs: [workspace, '--disable-extensions', `--user-data-dir=${userData}`],
      // Downloads go to the same git-ignored cache folder as code-server.
      cachePath: path.join(PROJECT_ROOT, '.vscode-test'),
    });
  } catch (err) {
    console.error(`[desktop] ${err instanceof Error ? err.message : String(err)}`);
    console.error('[desktop] desktop VS Code could not be downloaded or failed to start; on machines without that access use: npm run test:integration');
    return 1;
  } finally {
    if (options.keepTemp) console.log(`[desktop] kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  }
}

void main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
