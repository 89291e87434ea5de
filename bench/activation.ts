/**
 * Activation and size of the shipped extension: a production bundle built with esbuild's API into a
 * temp directory (so dist/, which others use with source maps, is left as it is), loaded with the fake
 * `vscode`, activated with no network; plus the VSIX size when one has been packaged.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { createFakeContext, createFakeVscode, FakeVscodeStats, installFakeVscode } from './fakeVscode';
import { collectGarbage, KB, median, Report, round2 } from './measure';

const ROOT = resolve(__dirname, '..', '..');

interface ExtensionModule {
  activate(context: unknown): unknown;
}

interface Bundle {
  file: string;
  bytes: number;
  dispose(): Promise<void>;
}

/** The same options as esbuild.mjs --production (keep them in step), written to a temp file. */
export async function productionBundle(): Promise<Bundle> {
  const dir = await mkdtemp(join(tmpdir(), 'mistral-wf-bench-'));
  const file = join(dir, 'extension.js');
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/extension.ts'],
    bundle: true,
    outfile: file,
    external: ['vscode'],
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: true,
    sourcemap: false,
    sourcesContent: false,
    logLevel: 'warning',
  });
  return { file, bytes: (await stat(file)).size, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Loads a fresh copy of the bundle and activates it: [require + activate, activate only] in ms. */
function loadAndActivate(file: string): [number, number] {
  const load = createRequire(__filename);
  delete load.cache[file]; // a fresh module each time, as a new extension host would load it
  const context = createFakeContext();
  const start = performance.now();
  const mod = load(file) as ExtensionModule;
  const loaded = performance.now();
  mod.activate(context);
  const end = performance.now();
  for (const d of context.subscriptions) d.dispose();
  delete load.cache[file];
  return [end - start, end - loaded];
}

/**
 * In-process: N fresh loads (require.cache cleared each time). The first load in a process pays for
 * compiling the bundle; V8 may reuse compiled code afterwards, so a cold figure from new processes
 * (activateProbe.js) is reported beside it: that is what one VS Code start costs.
 */
export async function activationScenario(bundle: Bundle, reps: number, warmups: number, report: Report): Promise<void> {
  const stats: FakeVscodeStats = { commands: 0, treeViews: 0 };
  const uninstall = installFakeVscode(createFakeVscode(stats));
  const both: number[] = [];
  const only: number[] = [];
  try {
    for (let i = 0; i < warmups + reps; i++) {
      collectGarbage();
      const [total, activateOnly] = loadAndActivate(bundle.file);
      if (i < warmups) continue;
      both.push(total);
      only.push(activateOnly);
    }
  } finally {
    uninstall();
  }
  report.timing('activation require + activate (production bundle, warm process, fresh module)', both);
  report.timing('activation activate only (warm process)', only);
  report.figure('activation registered commands', stats.commands / (warmups + reps), 'count');

  const cold: number[] = [];
  const coldOnly: number[] = [];
  for (let i = 0; i < reps; i++) {
    const [total, activateOnly] = await coldActivation(bundle.file);
    cold.push(total);
    coldOnly.push(activateOnly);
  }
  report.timing('activation require + activate (cold: first load in a new Node process)', cold);
  report.timing('activation activate only (cold)', coldOnly);
  if (median(cold) > 30) report.note(`activation target (<= 30 ms) missed when cold: ${round2(median(cold))} ms`);
}

function coldActivation(file: string): Promise<[number, number]> {
  const probe = join(__dirname, 'activateProbe.js');
  return new Promise((resolvePromise, reject) => {
    execFile(process.execPath, [probe, file], { timeout: 60_000 }, (error, stdout) => {
      if (error) return reject(error);
      const parsed = JSON.parse(stdout) as { total: number; activate: number };
      resolvePromise([parsed.total, parsed.activate]);
    });
  });
}

export async function sizeScenario(bundle: Bundle, report: Report): Promise<void> {
  report.figure('bundle size (production, minified, no source map)', round2(bundle.bytes / KB), 'KB');
  const vsix = (await readdir(ROOT)).filter((f) => f.endsWith('.vsix')).sort();
  if (vsix.length === 0) {
    report.figure('vsix size', 'n/a (run npm run package)');
    return;
  }
  // Newest name last when versions are in the name; several files: report each.
  for (const name of vsix) report.figure(`vsix size (${name})`, round2((await stat(join(ROOT, name))).size / KB), 'KB');
}
