/**
 * Only issue #15's figures (bench/steps.ts), without the rest of `npm run bench`:
 *   npm run compile && node --expose-gc out/bench/stepsOnly.js
 */
import { startSandbox } from '../sandbox/server';
import { createClients } from './contenders';
import { createFakeVscode, installFakeVscode } from './fakeVscode';
import { hasGc, Report } from './measure';
import { stepsScenario } from './steps';

async function main(): Promise<void> {
  if (!hasGc()) throw new Error('run with node --expose-gc');
  const sandbox = await startSandbox({ port: 0, historyShape: 'seed' });
  const clients = await createClients(sandbox.baseUrl, sandbox.apiKey);
  const uninstall = installFakeVscode(createFakeVscode({ commands: 0, treeViews: 0 }));
  try {
    await stepsScenario(clients.ours, { reps: Number(process.env.BENCH_REPS ?? 5), warmups: Number(process.env.BENCH_WARMUPS ?? 1) }, new Report());
  } finally {
    uninstall();
    await clients.close();
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
