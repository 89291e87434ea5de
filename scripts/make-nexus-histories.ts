/**
 * Makes the real Nexus histories of test/fixtures/real-histories (see PROVENANCE.md there): a Temporal
 * dev server on free 127.0.0.1 ports, the endpoint `nexus-tour-carriers`, the worker of
 * test/fixtures/nexus-workflows/nexus_tour.py, one run each of `nexus_tour` and `nexus_order`, each
 * history exported by the CLI exactly as `temporal workflow show --output json` prints it.
 *   npx tsc -p . && node out/scripts/make-nexus-histories.js [OUT_DIR]
 * Needs .venv-engine/ (bash scripts/setup-python.sh). Everything it starts is stopped by process group.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT, startTemporalDevServer, type DevServer } from '../sandbox/engine';
import { createNexusEndpoint, NEXUS_TOUR_ENDPOINT, startNexusTourWorker } from '../sandbox/engine/nexus';
import { venvBinary } from '../sandbox/engine/paths';
import { inheritedEnv } from '../sandbox/engine/worker';
import { TemporalClient } from '../src/api/temporal';

const CALLERS = 'nexus-callers';
const HANDLERS = 'nexus-handlers';
/** File name → the run that makes it. */
const RUNS = [
  { file: 'nexus-all-events-wf-completed.py.json', workflowType: 'nexus_tour', workflowId: 'nexus-tour-1', input: 'order-1', status: 'COMPLETED' },
  { file: 'nexus-op-failed-wf-failed.py.json', workflowType: 'nexus_order', workflowId: 'nexus-order-1', input: 'order-2', status: 'FAILED' },
];
const run = promisify(execFile);

async function waitClosed(client: TemporalClient, workflowId: string, runId: string): Promise<string> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { status } = (await client.describe(workflowId, runId)).execution;
    if (status !== 'RUNNING') return status;
    if (Date.now() > deadline) throw new Error(`${workflowId} still running after 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function exportHistory(server: DevServer, workflowId: string, runId: string): Promise<string> {
  const { stdout } = await run(venvBinary('temporal'), [
    'workflow', 'show', '--address', server.grpcAddress, '--namespace', server.namespace,
    '--workflow-id', workflowId, '--run-id', runId, '--output', 'json',
  ], { env: inheritedEnv(), timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? path.join(PROJECT_ROOT, 'test', 'fixtures', 'real-histories'));
  const server = await startTemporalDevServer();
  const client = new TemporalClient({ baseUrl: server.httpBaseUrl, namespace: server.namespace, timeoutMs: 30_000 });
  try {
    await createNexusEndpoint(server, NEXUS_TOUR_ENDPOINT, HANDLERS);
    const worker = await startNexusTourWorker({ address: server.grpcAddress, namespace: server.namespace, taskQueue: CALLERS, handlerTaskQueue: HANDLERS });
    try {
      const started = await Promise.all(RUNS.map(async (r) => ({
        ...r, runId: (await client.start(r.workflowId, { workflowType: r.workflowType, taskQueue: CALLERS, input: [r.input] })).runId,
      })));
      for (const r of started) {
        const status = await waitClosed(client, r.workflowId, r.runId);
        if (status !== r.status) throw new Error(`${r.workflowType} ended ${status}, not ${r.status}:\n${worker.tail(30)}`);
        const file = path.join(outDir, r.file);
        fs.writeFileSync(file, await exportHistory(server, r.workflowId, r.runId));
        console.log(`${r.file}: ${r.workflowType} ${r.workflowId} run ${r.runId}, ${status}`);
      }
    } finally {
      await worker.stop();
    }
  } finally {
    await client.close();
    await server.stop();
  }
  const version = await run(venvBinary('temporal'), ['--version'], { env: inheritedEnv() });
  console.log(version.stdout.trim());
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
