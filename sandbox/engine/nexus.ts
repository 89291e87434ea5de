/**
 * Nexus on the real engine: an endpoint on the dev server, and the worker of
 * test/fixtures/nexus-workflows/nexus_tour.py (caller workflows and the Nexus service they call).
 * scripts/make-nexus-histories.ts and test/engine/nexus.test.ts use both.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT, venvBinary } from './paths';
import type { DevServer } from './temporal';
import { inheritedEnv, startPythonWorker, type Worker } from './worker';

const NEXUS_TOUR_SCRIPT = path.join(PROJECT_ROOT, 'test', 'fixtures', 'nexus-workflows', 'nexus_tour.py');
/** The endpoint nexus_tour.py's workflows call (its ENDPOINT). */
export const NEXUS_TOUR_ENDPOINT = 'nexus-tour-carriers';
/** nexus_tour.py prints this once both its workers poll. */
const READY_LINE = 'nexus tour: polling';

const run = promisify(execFile);

/** `temporal operator nexus endpoint create`: `name` routes to `taskQueue` in the server's namespace. */
export async function createNexusEndpoint(server: Pick<DevServer, 'grpcAddress' | 'namespace'>, name: string, taskQueue: string): Promise<void> {
  await run(venvBinary('temporal'), [
    'operator', 'nexus', 'endpoint', 'create', '--address', server.grpcAddress,
    '--name', name, '--target-namespace', server.namespace, '--target-task-queue', taskQueue,
  ], { env: inheritedEnv(), timeout: 30_000 });
}

interface NexusTourWorkerOptions {
  /** The engine's gRPC frontend, `host:port`. */
  address: string;
  namespace: string;
  /** Where the caller workflows (nexus_tour, nexus_order, nexus_hold) run. */
  taskQueue: string;
  /** Where the Nexus service and its workflow run: the endpoint's target. */
  handlerTaskQueue: string;
  /** Default 60000. */
  readyTimeoutMs?: number;
}

export function startNexusTourWorker(options: NexusTourWorkerOptions): Promise<Worker> {
  const env = {
    ...inheritedEnv(),
    TEMPORAL_ADDRESS: options.address,
    TEMPORAL_NAMESPACE: options.namespace,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    NEXUS_HANDLER_TASK_QUEUE: options.handlerTaskQueue,
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
  };
  return startPythonWorker(NEXUS_TOUR_SCRIPT, [], env, READY_LINE, options.readyTimeoutMs);
}
