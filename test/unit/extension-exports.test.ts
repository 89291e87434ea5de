/**
 * What activate() hands to other extensions: `vscode.extensions.getExtension(id).exports` is readable by
 * every installed extension, so outside ExtensionMode.Test it must be nothing at all (the services hold
 * the key store). Runs the real compiled activate() against the bench's fake `vscode` module.
 */
import { strict as assert } from 'node:assert';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { createFakeContext, createFakeVscode, installFakeVscode } from '../../bench/fakeVscode';

const EXTENSION = path.resolve(__dirname, '../../src/extension.js');

function activateIn(mode: 1 | 2 | 3): unknown {
  const uninstall = installFakeVscode(createFakeVscode({ commands: 0, treeViews: 0 }));
  const context = createFakeContext(mode);
  try {
    const mod = createRequire(__filename)(EXTENSION) as { activate(context: unknown): unknown };
    return mod.activate(context);
  } finally {
    for (const d of context.subscriptions) d.dispose();
    uninstall();
  }
}

describe('extension exports', () => {
  it('exports nothing to other extensions in production (an installed VSIX)', () => {
    assert.equal(activateIn(1), undefined);
  });

  it('exports nothing in development mode either', () => {
    assert.equal(activateIn(2), undefined);
  });

  it("exports the services only to the extension's own tests", () => {
    const api = activateIn(3) as { services?: { keys?: unknown } } | undefined;
    assert.ok(api?.services?.keys, 'the integration tests reach the services in ExtensionMode.Test');
  });
});
