/**
 * Real Python workers serving the workflow files of some directories, each in a process group of its
 * own, restartable over the same files (how a fix is deployed):
 * - startWorker: a Mistral worker (`workers/worker.py` on the `mistralai-workflows` SDK). The SDK asks
 *   `SERVER_URL` (a Mistral-style API: whoami, register, heartbeat, executions/register, events) where
 *   Temporal is, then polls the task queue `DEPLOYMENT_NAME`. See workers/README.md for what that API
 *   must answer.
 * - startTemporalWorker: a plain temporalio worker (`workers/temporal_worker.py`), straight on the
 *   engine's gRPC frontend, as a Temporal user runs one.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnGroup, waitUntilReady, type GroupProcess } from './process';
import { TEMPORAL_WORKER_SCRIPT, venvBinary, WORKER_SCRIPT } from './paths';

interface WorkerOptions {
  /** Directories whose `*.py` files define the workflows (imported anew on every start). */
  dirs: string[];
  /** The Mistral-style API the SDK calls, e.g. `http://127.0.0.1:8787`. */
  serverUrl: string;
  apiKey: string;
  /** The task queue. */
  deploymentName: string;
  /** Added last: overrides anything, e.g. `{ TEMPORAL_NAMESPACE: 'x', ENABLE_CONFIG_DISCOVERY: 'false' }`. */
  env?: Record<string, string>;
  /** Default 60000 (the very first start after an install once took 21 s). */
  readyTimeoutMs?: number;
}

export interface Worker {
  /** The current process's id (it changes on restart). */
  readonly pid: number;
  /** The last lines of the current process's output. */
  tail(lines?: number): string;
  /** Stops the worker and starts it again over the same files: how a fix to a workflow file is picked up. */
  restart(): Promise<void>;
  /** SIGTERM to its process group (worker.py exits by itself 3 s later), SIGKILL after `graceMs` (default 10000). */
  stop(graceMs?: number): Promise<void>;
}

interface TemporalWorkerOptions {
  /** Directories whose `*.py` files define the workflows and activities (imported anew on every start). */
  dirs: string[];
  /** The engine's gRPC frontend, `host:port`. */
  address: string;
  namespace: string;
  taskQueue: string;
  /** Default 60000. */
  readyTimeoutMs?: number;
}

/** The Mistral SDK logs this right before its Temporal worker starts polling. */
const READY_LINE = 'Starting Temporal worker';
/** workers/temporal_worker.py prints this once its worker runs. */
const TEMPORAL_READY_LINE = 'temporal worker: polling';
/**
 * The only variables taken from our own environment: the SDK reads dozens of settings (TEMPORAL_*,
 * MISTRAL_*, WORKER_*, LOG_*...) and any stray one in a developer's shell could point it elsewhere.
 */
const INHERITED = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SSL_CERT_FILE', 'SSL_CERT_DIR'];

export function startWorker(options: WorkerOptions): Promise<Worker> {
  return startPythonWorker(WORKER_SCRIPT, options.dirs, workerEnv(options), READY_LINE, options.readyTimeoutMs);
}

export function startTemporalWorker(options: TemporalWorkerOptions): Promise<Worker> {
  const env = {
    ...inheritedEnv(),
    TEMPORAL_ADDRESS: options.address,
    TEMPORAL_NAMESPACE: options.namespace,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
  };
  return startPythonWorker(TEMPORAL_WORKER_SCRIPT, options.dirs, env, TEMPORAL_READY_LINE, options.readyTimeoutMs);
}

/** Runs `script DIR...` until it prints `readyLine`; the other starters build on it. */
export async function startPythonWorker(script: string, dirs: readonly string[], env: NodeJS.ProcessEnv, readyLine: string, readyTimeoutMs = 60_000): Promise<Worker> {
  const python = venvBinary('python');
  // A directory of its own: the SDK also reads a `.env` in the current directory.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-worker-'));
  const argv = [python, script, ...dirs.map((d) => path.resolve(d))];
  let proc: GroupProcess | undefined;

  const start = async (): Promise<void> => {
    const p = spawnGroup(argv, { cwd, env });
    proc = p;
    try {
      await waitUntilReady(p, () => p.sawLine(readyLine), readyTimeoutMs, (why) => {
        const tail = p.tail(30);
        return new Error(`The worker for ${dirs.length > 0 ? dirs.join(', ') : path.basename(script)} did not start: ${why}.${tail ? `\nIts last output:\n${tail}` : ''}`);
      });
    } catch (e) {
      await p.stop(2_000);
      throw e;
    }
  };
  const stopCurrent = async (graceMs: number): Promise<void> => {
    await proc?.stop(graceMs);
  };

  try {
    await start();
  } catch (e) {
    fs.rmSync(cwd, { recursive: true, force: true });
    throw e;
  }
  return {
    get pid(): number {
      return proc?.pid ?? 0;
    },
    tail: (lines) => proc?.tail(lines) ?? '',
    async restart(): Promise<void> {
      await stopCurrent(10_000);
      await start();
    },
    async stop(graceMs = 10_000): Promise<void> {
      await stopCurrent(graceMs);
      fs.rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** The few variables of our own environment a Python child gets (INHERITED). */
export function inheritedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of INHERITED) if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}

function workerEnv(options: WorkerOptions): NodeJS.ProcessEnv {
  return {
    ...inheritedEnv(),
    SERVER_URL: options.serverUrl,
    MISTRAL_API_KEY: options.apiKey,
    DEPLOYMENT_NAME: options.deploymentName,
    OTEL_ENABLED: 'false', // else it exports to SERVER_URL/telemetry
    LOG_FORMAT: 'console',
    PYTHONUNBUFFERED: '1', // the ready line must arrive when it is written
    PYTHONDONTWRITEBYTECODE: '1', // no __pycache__ beside the user's files; a restart reads the source
    ...options.env,
  };
}
