/**
 * Group by Problem on the real engine: 200 executions of bench/engine-workflows/failing_orders.py,
 * started through the engine's own API and failed by a real Mistral worker (two signatures), then
 * grouped as problems.ts groups the sandbox's: on a Temporal workspace (TemporalBackend over Temporal's
 * HTTP API) and on a Mistral workspace (WorkflowsClient over the engine sandbox's Workflows API). One
 * sandbox serves both, in a process of its own (problemServer.ts) in front of a dev server of its own
 * (in memory), so every request is counted in its log whichever workspace makes it.
 */
import { WorkflowsClient } from '../src/api/mistral';
import { TemporalBackend, TemporalClient } from '../src/api/temporal';
import { CLOSING_EVENTS } from '../src/incidentsUi/problemReader';
import { startTemporalDevServer } from '../sandbox/engine/temporal';
import { startWorker } from '../sandbox/engine/worker';
import { engineInstalled, WORKFLOWS } from './engine';
import { Report } from './measure';
import { measureGrouping, mistralHistoryUrl, Traffic } from './problems';
import type { RunSettings } from './scenarios';
import { startBenchServer } from './serverProcess';

const FAILED = 200;
const SIGNATURES = 2;
/** Starts in flight at once: the dev server takes them one by one anyway. */
const START_CONCURRENCY = 8;
const TASK_QUEUE = 'bench';
const FAIL_TIMEOUT_MS = 15 * 60_000;

export async function engineProblemsScenario(s: RunSettings, report: Report): Promise<void> {
  if (!engineInstalled()) {
    report.note('group by problem on the real engine: skipped (.venv-engine/ is missing: bash scripts/setup-python.sh)');
    return;
  }
  const engine = await startTemporalDevServer();
  const direct = new TemporalClient({ baseUrl: engine.httpBaseUrl, namespace: engine.namespace, timeoutMs: 120_000 });
  let sandbox: Awaited<ReturnType<typeof startBenchServer>> | undefined;
  let traffic: Traffic | undefined;
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  try {
    sandbox = await startBenchServer('problemServer.js', ['engine', engine.grpcAddress, engine.namespace, engine.httpBaseUrl]);
    traffic = new Traffic(sandbox.baseUrl, sandbox.apiKey);
    worker = await startWorker({ dirs: [WORKFLOWS], serverUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, deploymentName: TASK_QUEUE });
    await startFailing(direct, report);
    await worker.stop();
    worker = undefined;

    const temporal = new TemporalClient({ baseUrl: sandbox.baseUrl, namespace: engine.namespace, apiKey: sandbox.apiKey, maxRetries: 0, timeoutMs: 60_000 });
    const box = sandbox;
    const counter = traffic;
    try {
      await measureGrouping(
        {
          label: 'real engine, Temporal workspace',
          backend: new TemporalBackend(temporal),
          // What TemporalBackend.closingEvents reads: the run's last events, one reverse page.
          historyUrl: (e) => `${box.baseUrl}/api/v1/namespaces/${encodeURIComponent(engine.namespace)}/workflows/${encodeURIComponent(e.executionId)}/history-reverse?${new URLSearchParams({ ...(e.runId === undefined ? {} : { 'execution.runId': e.runId }), maximumPageSize: String(CLOSING_EVENTS) }).toString()}`,
          rawHeaders: { authorization: `Bearer ${box.apiKey}`, accept: 'application/json' },
          traffic: counter,
          expected: { failed: FAILED, groups: SIGNATURES },
        },
        s,
        report,
      );
    } finally {
      await temporal.close();
    }
    const mistral = new WorkflowsClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, maxRetries: 0, timeoutMs: 60_000 });
    try {
      await measureGrouping(
        {
          label: 'real engine, Mistral workspace via the engine sandbox',
          backend: mistral,
          historyUrl: (e) => mistralHistoryUrl(box.baseUrl, e),
          rawHeaders: { authorization: `Bearer ${box.apiKey}`, accept: 'application/json' },
          traffic: counter,
          expected: { failed: FAILED, groups: SIGNATURES },
        },
        s,
        report,
      );
    } finally {
      await mistral.close();
    }
  } finally {
    await worker?.stop();
    await traffic?.close();
    await sandbox?.stop();
    await direct.close();
    await engine.stop();
  }
}

/** Starts FAILED executions through Temporal's own API and waits until the engine lists them all as failed. */
async function startFailing(temporal: TemporalClient, report: Report): Promise<void> {
  const started = Date.now();
  const stamp = Date.now().toString(36);
  let next = 0;
  const starter = async (): Promise<void> => {
    while (next < FAILED) {
      const i = next++;
      await temporal.start(`bench-problem-${stamp}-${i}`, {
        workflowType: 'bench-failing-order',
        taskQueue: TASK_QUEUE,
        input: [{ order_id: `order-${i}`, kind: i % 2 === 0 ? 'shipment' : 'payment', total: 20 + ((i * 37) % 900) }],
      });
    }
  };
  await Promise.all(Array.from({ length: START_CONCURRENCY }, starter));
  const startSeconds = (Date.now() - started) / 1000;
  const deadline = Date.now() + FAIL_TIMEOUT_MS;
  for (;;) {
    const failed = await count(temporal, `ExecutionStatus = 'Failed'`);
    if (failed >= FAILED) break;
    if (Date.now() > deadline) {
      throw new Error(`after ${FAIL_TIMEOUT_MS / 60_000} min ${failed} of ${FAILED} failed (${await count(temporal, `ExecutionStatus = 'Running'`)} still running)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  report.figure(`group by problem (real engine): time to start ${FAILED} executions (API, ${START_CONCURRENCY} at once)`, Math.round(startSeconds * 10) / 10, 's');
  report.figure(`group by problem (real engine): time until all ${FAILED} have failed (from the first start)`, Math.round((Date.now() - started) / 100) / 10, 's');
}

async function count(temporal: TemporalClient, query: string): Promise<number> {
  let n = 0;
  let nextPageToken: string | undefined;
  do {
    const page = await temporal.listWorkflows({ query, pageSize: 1000, nextPageToken });
    n += page.executions.length;
    nextPageToken = page.nextPageToken;
  } while (nextPageToken);
  return n;
}
