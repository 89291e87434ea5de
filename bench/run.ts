/**
 * `npm run bench`: every performance figure of bench/README.md in one run, against an in-process sandbox on
 * 127.0.0.1 (random port), then a real large history on the real engine (bench/engine.ts). Prints `name: value unit` and `ratio name: x.xx` lines and writes them,
 * with the machine, to bench/results.json (from which `npm run bench:readme` writes bench/README.md).
 * Run with --expose-gc (the npm script does).
 *
 * Environment: BENCH_REPS (default 7) and BENCH_WARMUPS (default 2) per comparison; BENCH_NET_REPS
 * (default 5) and BENCH_NET_WARMUPS (default 1) on the links, where one uncompressed history takes 10 s.
 * BENCH_REPLAY_REPS (default 3) for the replay check on the real engine (bench/replay.ts), ~10 s a run.
 * `--only network`, `--only parsers`, `--only replay`, `--only problems` (Group by Problem on the sandbox) or
 * `--only problems-engine` (on the real engine) runs just that part (results.json is then left alone).
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEMO, startSandbox } from '../sandbox/server';
import { productionBundle, activationScenario, sizeScenario } from './activation';
import { createClients } from './contenders';
import { engineScenario } from './engine';
import { createFakeVscode, installFakeVscode } from './fakeVscode';
import { heapScenario } from './heap';
import { hasGc, machineInfo, Report } from './measure';
import { historyScenario, listScenario, RunSettings, traceScenario } from './scenarios';
import { stepsScenario } from './steps';
import { treeScenario } from './tree';
import { networkScenario } from './network';
import { parserScenario } from './parsers';
import { replayScenario } from './replay';
import { problemsScenario } from './problems';
import { engineProblemsScenario } from './problemsEngine';

function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer in ${min}..${max}`);
  return n;
}

async function main(): Promise<void> {
  if (!hasGc()) throw new Error('run with node --expose-gc (npm run bench does)');
  const settings: RunSettings = { reps: intFromEnv('BENCH_REPS', 7, 1, 50), warmups: intFromEnv('BENCH_WARMUPS', 2, 0, 10) };
  const net: RunSettings = { reps: intFromEnv('BENCH_NET_REPS', 5, 1, 50), warmups: intFromEnv('BENCH_NET_WARMUPS', 1, 0, 10) };
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
  const replayReps = intFromEnv('BENCH_REPLAY_REPS', 3, 1, 20);
  if (only !== undefined && !isPart(only)) throw new Error(`--only takes ${PARTS.join(', ')}`);
  const report = new Report();
  const machine = machineInfo();
  console.log(`machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.totalMemoryGiB} GiB, ${machine.os}, node ${machine.node}`);
  console.log(`repetitions: ${settings.reps} (+${settings.warmups} warm-up), contenders interleaved, medians`);

  // Seed shape: the default, and the one the platform's /history is documented to send.
  if (only !== undefined) {
    await onlyPart(only, settings, net, replayReps, report);
    return;
  }
  // 994 ordinary executions + the 6 special ones: a listing of 1,000 executions (1,003 rows: some reset).
  const sandbox = await startSandbox({ port: 0, historyShape: 'seed', executions: 994 });
  const clients = await createClients(sandbox.baseUrl, sandbox.apiKey);
  // The tree modules import `vscode`: the fake must be in place before they load (tree.ts imports them lazily).
  const uninstallVscode = installFakeVscode(createFakeVscode({ commands: 0, treeViews: 0 }));
  const bundle = await productionBundle();
  try {
    await historyScenario(clients, settings, report);
    await traceScenario(clients, settings, report);
    await listScenario(clients, settings, report, 50);
    await listScenario(clients, settings, report, 1000);
    await treeScenario(sandbox, clients.ours, settings, report);
    await stepsScenario(clients.ours, settings, report);
    await problemsScenario(settings, report);
    await heapScenario(sandbox, 3, report);
    await parserScenario(await bigBody(sandbox.baseUrl, sandbox.apiKey), settings.reps, report);
    await networkScenario(net, report);
    uninstallVscode(); // activation installs its own, counting one
    await activationScenario(bundle, settings.reps, settings.warmups, report);
    await sizeScenario(bundle, report);
    await engineScenario(settings, report);
    await engineProblemsScenario(settings, report);
    await replayScenario(replayReps, report);
  } finally {
    uninstallVscode();
    await bundle.dispose();
    await clients.close();
    await sandbox.close();
  }

  const out = join(resolve(__dirname, '..', '..'), 'bench', 'results.json');
  await writeFile(out, `${JSON.stringify({ machine, settings, figures: report.figures, ratios: report.ratios, targets: report.targets, notes: report.notes }, null, 2)}\n`);
  console.log(`written: ${out}`);
}

/** The 51,200-event history's body as the server sends it. */
async function bigBody(baseUrl: string, apiKey: string): Promise<string> {
  const { request } = await import('undici');
  const res = await request(`${baseUrl}/v1/workflows/executions/${encodeURIComponent(DEMO.big)}/history?decode_payloads=true`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  return res.body.text();
}

const PARTS = ['network', 'parsers', 'replay', 'problems', 'problems-engine'] as const;
type Part = (typeof PARTS)[number];

function isPart(name: string): name is Part {
  return (PARTS as readonly string[]).includes(name);
}

async function onlyPart(only: Part, settings: RunSettings, net: RunSettings, replayReps: number, report: Report): Promise<void> {
  if (only === 'problems') {
    await problemsScenario(settings, report);
    return;
  }
  if (only === 'problems-engine') {
    await engineProblemsScenario(settings, report);
    return;
  }
  if (only === 'replay') {
    await replayScenario(replayReps, report);
    return;
  }
  if (only === 'parsers') {
    const sandbox = await startSandbox({ port: 0, historyShape: 'seed', executions: 995 });
    try {
      await parserScenario(await bigBody(sandbox.baseUrl, sandbox.apiKey), net.reps, report);
    } finally {
      await sandbox.close();
    }
    return;
  }
  const uninstall = installFakeVscode(createFakeVscode({ commands: 0, treeViews: 0 }));
  try {
    await networkScenario(net, report);
  } finally {
    uninstall();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
