/**
 * Child process of activation.ts: loads the bundle once in a fresh Node process (nothing compiled or
 * cached yet, as when VS Code starts the extension host) and prints `{ total, activate }` in ms.
 * Usage: node out/bench/activateProbe.js <bundle.js>
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { createFakeContext, createFakeVscode, installFakeVscode } from './fakeVscode';

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: activateProbe.js <bundle.js>');
  installFakeVscode(createFakeVscode({ commands: 0, treeViews: 0 }));
  const context = createFakeContext();
  const start = performance.now();
  const mod = createRequire(__filename)(file) as { activate(context: unknown): unknown };
  const loaded = performance.now();
  mod.activate(context);
  const end = performance.now();
  for (const d of context.subscriptions) d.dispose();
  process.stdout.write(JSON.stringify({ total: end - start, activate: end - loaded }));
}

main();
