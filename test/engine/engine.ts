/**
 * The engine suite's shared world, started once for the whole run by the root hooks below (loaded with
 * `require` in .mocharc.engine.json): a real Temporal dev server, the sandbox over it (EngineStore:
 * the Workflows API and the routes the worker SDK calls), and one real worker serving
 * test/fixtures/engine-workflows. Tests reach it through `engine()`.
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { startTemporalDevServer, startWorker, PROJECT_ROOT, type DevServer, type Worker } from '../../sandbox/engine';
import { EngineStore } from '../../sandbox/engine/store';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { TemporalClient } from '../../src/api/temporal';
import type { EventuallyOptions } from '../helpers/eventually';

export const FIXTURE_WORKFLOWS = path.join(PROJECT_ROOT, 'test', 'fixtures', 'engine-workflows');
export const PARCEL = 'engine_test_parcel';
export const TASK_QUEUE = 'engine-suite';
export const WORKER_KEY = 'engine-suite-key-0123456789';

interface ParcelInput {
  parcel_id: string;
  items: number;
  approvals_needed: number;
  steps: number;
  hold_seconds: number;
}

interface Engine {
  server: DevServer;
  /** The Workflows API over the engine; the worker's SDK talks to it too. */
  api: Sandbox;
  worker: Worker;
  client: TemporalClient;
  /** Starts a parcel workflow on the suite's worker; returns its run id. */
  startParcel(workflowId: string, input?: Partial<ParcelInput>, taskQueue?: string): Promise<string>;
}

let current: Engine | undefined;

export function engine(): Engine {
  if (current === undefined) throw new Error('the engine is not running (is .mocharc.engine.json requiring out/test/engine/engine.js?)');
  return current;
}

/** A workflow id no other test uses. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** How long the engine suite waits for the server by default. */
export const ENGINE_TIMEOUT_MS = 20_000;
/** The engine answers NotFound until a new run is visible: a check that throws is tried again. */
export const ENGINE_POLLING: EventuallyOptions = { retryErrors: true, intervalMs: 150 };

/** Mocha root hooks: one engine for the whole suite. */
// an entry point: mocha loads it (.mocharc.engine.json "require")
// ts-unused-exports:disable-next-line
export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(120_000);
    const t0 = Date.now();
    const server = await startTemporalDevServer();
    const api = await startSandbox({
      port: 0,
      apiKey: WORKER_KEY,
      engine: { grpcAddress: server.grpcAddress, namespace: server.namespace },
      store: ({ workers }) => new EngineStore({ client: new TemporalClient({ baseUrl: server.httpBaseUrl, namespace: server.namespace }), workers }),
    });
    let worker: Worker;
    try {
      worker = await startWorker({ dirs: [FIXTURE_WORKFLOWS], serverUrl: api.baseUrl, apiKey: WORKER_KEY, deploymentName: TASK_QUEUE });
    } catch (e) {
      await api.close();
      await server.stop();
      throw e;
    }
    const client = new TemporalClient({ baseUrl: server.httpBaseUrl, namespace: server.namespace, timeoutMs: 30_000 });
    current = {
      server, api, worker, client,
      async startParcel(workflowId, input = {}, taskQueue = TASK_QUEUE) {
        const body: ParcelInput = { parcel_id: workflowId, items: 1, approvals_needed: 1, steps: 1, hold_seconds: 0, ...input };
        return (await client.start(workflowId, { workflowType: PARCEL, taskQueue, input: [body] })).runId;
      },
    };
    console.log(`      engine up in ${Date.now() - t0} ms (Temporal ${server.httpBaseUrl}, worker pid ${worker.pid})`);
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    const e = current;
    current = undefined;
    if (e === undefined) return;
    await e.client.close();
    await e.worker.stop();
    await e.api.close();
    await e.server.stop();
  },
};
