/**
 * Smoke tests of the harness itself: they prove the suite runs inside a real VS Code 1.100 extension
 * host with this extension under development loaded, the test workspace open, and the runner's
 * environment passed through. Feature suites live next to this file.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PROJECT_ROOT } from '../../sandbox/engine/paths';

interface PackageJson {
  publisher: string;
  name: string;
}

const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as PackageJson;
const extensionId = `${pkg.publisher}.${pkg.name}`;

describe('integration harness', () => {
  it('runs in the real VS Code 1.100 extension host', () => {
    console.log(
      `    VS Code ${vscode.version}, appName "${vscode.env.appName}", appHost "${vscode.env.appHost}", ` +
        `remoteName ${String(vscode.env.remoteName)}, uiKind ${vscode.UIKind[vscode.env.uiKind]}, Node ${process.version}`,
    );
    assert.match(vscode.version, /^1\.100\./);
    // The real Node extension host, not the browser (web worker) one.
    assert.equal(typeof process.versions.node, 'string');
  });

  it(`loads ${extensionId} from this checkout and activates it`, async () => {
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext, `${extensionId} is not loaded; extensionDevelopmentPath is wrong`);
    assert.equal(fs.realpathSync(ext.extensionUri.fsPath), fs.realpathSync(PROJECT_ROOT));
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('opened the test workspace with the trust mode the runner asked for', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'exactly one workspace folder is open');
    if (process.env.MISTRAL_WF_TEST_WORKSPACE === undefined) {
      // The default fixture (test/fixtures/workspace), not some other folder VS Code fell back to.
      const readme = vscode.Uri.joinPath(folders[0].uri, 'README.md');
      const stat = await vscode.workspace.fs.stat(readme);
      assert.equal(stat.type, vscode.FileType.File, 'the fixture README.md is in the opened folder');
    }

    // The runner sets MISTRAL_WF_TEST_TRUST for code-server; seeing it here also proves that the
    // environment reaches the extension host. Unset (another runner): trust is disabled, all trusted.
    const trustOn = process.env.MISTRAL_WF_TEST_TRUST === 'on';
    console.log(`    folder ${folders[0].uri.fsPath}, trust ${trustOn ? 'on' : 'off'}, isTrusted ${vscode.workspace.isTrusted}`);
    assert.equal(vscode.workspace.isTrusted, !trustOn);
  });
});
