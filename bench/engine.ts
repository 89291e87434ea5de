/**
 * A real large history on the real engine, read side by side: our Temporal client (src/api/temporal,
 * every page, then normalizeHistory), the extension's client through the engine sandbox's Workflows API
 * (what the extension reads), the raw floor (undici + JSON.parse of the engine's own pages) and the
 * real `temporal workflow show --output json` CLI.
 *
 * The execution (bench/engine-workflows/big_history.py: timers in batches, just under Temporal's
 * 51,200-event limit) is built once into a SQLite file under bench/engine-data/ (git-ignored) and
 * reused while that file lives; the time it took is kept beside it.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Pool, request } from 'undici';
import { normalizeHistory } from '../src/api';
import { WorkflowsClient } from '../src/api/mistral';
import { TemporalClient } from '../src/api/temporal';
import { EngineStore } from '../sandbox/engine/store';
import { PROJECT_ROOT, venvBinary } from '../sandbox/engine/paths';
import { untilStatus } from '../sandbox/engine/sandbox';
import { startTemporalDevServer, type DevServer } from '../sandbox/engine/temporal';
import { startWorker } from '../sandbox/engine/worker';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { interleave, MB, Report } from './measure';
import type { RunSettings } from './scenarios';

const DATA_DIR = path.join(PROJECT_ROOT, 'bench', 'engine-data');
const DB_FILE = path.join(DATA_DIR, 'temporal.db');
const MARKER = path.join(DATA_DIR, 'big-history.json');
/** The big history's workflow code (bench/replay.ts replays changed copies of it). */
export const WORKFLOWS = path.join(PROJECT_ROOT, 'bench', 'engine-workflows');
const WORKFLOW_ID = 'bench-big-history';
const TARGET_EVENTS = 51_000;
const MIN_EVENTS = 50_000;

interface Built {
  workflowId: string;
  runId: string;
  events: number;
  createSeconds: number;
}

const run = promisify(execFile);

/** venvBinary() throws when the file is missing (the fresh clone's case): that means "skip", not a failed bench. */
export function engineInstalled(): boolean {
  try {
    return fs.existsSync(venvBinary('temporal'));
  } catch {
    return false;
  }
}

export interface BigHistory {
  engine: DevServer;
  sandbox: Sandbox;
  temporal: TemporalClient;
  built: Built;
}

export async function engineScenario(s: RunSettings, report: Report): Promise<void> {
  await withBigHistory(report, ({ engine, sandbox, temporal, built }) => compare(engine, sandbox, temporal, built, s, report));
}

/**
 * The dev server over bench/engine-data/ with the big history in it (built on first use), for `use`;
 * false (with a note) when the engine is not installed.
 */
export async function withBigHistory(report: Report, use: (history: BigHistory) => Promise<void>): Promise<boolean> {
  if (!engineInstalled()) {
    report.note('real engine: skipped (.venv-engine/ is missing: bash scripts/setup-python.sh)');
    return false;
  }
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const engine = await startTemporalDevServer({ dbFile: DB_FILE });
  let sandbox: Sandbox | undefined;
  const temporal = new TemporalClient({ baseUrl: engine.httpBaseUrl, namespace: engine.namespace, timeoutMs: 120_000 });
  try {
    sandbox = await startSandbox({
      port: 0,
      engine: { grpcAddress: engine.grpcAddress, namespace: engine.namespace },
      store: ({ workers }) => new EngineStore({ client: new TemporalClient({ baseUrl: engine.httpBaseUrl, namespace: engine.namespace, timeoutMs: 120_000 }), workers }),
    });
    const built = (await reusable(temporal)) ?? (await build(sandbox, temporal));
    if (!report.figures.some((f) => f.name === EVENTS_FIGURE)) {
      report.figure(EVENTS_FIGURE, built.events, 'events');
      report.figure('real engine: time to create it (once, then reused from bench/engine-data/)', built.createSeconds, 's');
    }
    await use({ engine, sandbox, temporal, built });
    return true;
  } finally {
    await sandbox?.close();
    await temporal.close();
    await engine.stop();
  }
}

const EVENTS_FIGURE = 'real engine: events in the big history';

/** The execution built by an earlier run, when the data file still holds it. */
async function reusable(temporal: TemporalClient): Promise<Built | undefined> {
  if (!fs.existsSync(MARKER)) return undefined;
  const built = JSON.parse(fs.readFileSync(MARKER, 'utf8')) as Built;
  try {
    const { execution } = await temporal.describe(built.workflowId, built.runId);
    return execution.status === 'COMPLETED' && (execution.historyLength ?? 0) === built.events ? built : undefined;
  } catch {
    return undefined;
  }
}

async function build(sandbox: Sandbox, temporal: TemporalClient): Promise<Built> {
  console.log(`# building the big history on the real engine (target ${TARGET_EVENTS.toLocaleString('en')} events, once)`);
  const started = Date.now();
  const worker = await startWorker({ dirs: [WORKFLOWS], serverUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, deploymentName: 'bench' });
  try {
    const workflowId = `${WORKFLOW_ID}-${Date.now()}`;
    const { runId } = await temporal.start(workflowId, { workflowType: 'big-history', taskQueue: 'bench', input: [{ target: TARGET_EVENTS }] });
    await untilStatus(temporal, workflowId, 'COMPLETED', 30 * 60_000);
    const { execution } = await temporal.describe(workflowId, runId);
    const events = execution.historyLength ?? 0;
    if (events < MIN_EVENTS) throw new Error(`the big history has ${events} events, fewer than ${MIN_EVENTS}`);
    const built: Built = { workflowId, runId, events, createSeconds: Math.round((Date.now() - started) / 100) / 10 };
    fs.writeFileSync(MARKER, `${JSON.stringify(built, null, 2)}\n`);
    return built;
  } finally {
    await worker.stop();
  }
}

async function compare(engine: DevServer, sandbox: Sandbox, temporal: TemporalClient, built: Built, s: RunSettings, report: Report): Promise<void> {
  const ours = new WorkflowsClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, timeoutMs: 120_000 });
  const pool = new Pool(new URL(engine.httpBaseUrl).origin, { connections: 8, keepAliveTimeout: 30_000 });
  let rawBytes = 0;
  const expect = (what: string, n: number): void => {
    if (n !== built.events) throw new Error(`${what}: ${n} events, expected ${built.events}`);
  };
  const historyPath = `/api/v1/namespaces/${engine.namespace}/workflows/${encodeURIComponent(built.workflowId)}/history`;
  try {
    const samples = await interleave(
      [
        { name: 'temporal', run: async () => expect('our Temporal client', normalizeHistory(await temporal.historyAll(built.workflowId, built.runId)).length) },
        { name: 'extension', run: async () => expect('the extension via the Workflows API', (await ours.getHistory(built.workflowId)).length) },
        {
          name: 'raw',
          run: async () => {
            let token: string | undefined;
            let count = 0;
            rawBytes = 0;
            do {
              const query = new URLSearchParams({ 'execution.runId': built.runId });
              if (token) query.set('nextPageToken', token);
              const res = await request(`${engine.httpBaseUrl}${historyPath}?${query}`, { dispatcher: pool });
              const text = await res.body.text();
              rawBytes += Buffer.byteLength(text);
              const page = JSON.parse(text) as { history?: { events?: unknown[] }; nextPageToken?: string };
              count += page.history?.events?.length ?? 0;
              token = page.nextPageToken || undefined;
            } while (token);
            expect('raw floor', count);
          },
        },
        {
          name: 'cli',
          run: async () => {
            const { stdout } = await run(venvBinary('temporal'), [
              'workflow', 'show', '--workflow-id', built.workflowId, '--run-id', built.runId,
              '--output', 'json', '--address', engine.grpcAddress, '--namespace', engine.namespace,
            ], { maxBuffer: 512 * MB });
            const parsed = JSON.parse(stdout) as { events?: unknown[] };
            expect('temporal workflow show', parsed.events?.length ?? 0);
          },
        },
      ],
      s.reps,
      s.warmups,
    );
    report.figure('real engine: history JSON over its HTTP API (all pages)', Math.round((rawBytes / MB) * 100) / 100, 'MB');
    const m = {
      temporal: report.timing('real engine history: our Temporal client (all pages + normalise)', samples.get('temporal') ?? []),
      extension: report.timing('real engine history: the extension via the engine sandbox (Workflows API)', samples.get('extension') ?? []),
      raw: report.timing('real engine history: raw floor (undici + JSON.parse per page)', samples.get('raw') ?? []),
      cli: report.timing('real engine history: temporal workflow show --output json', samples.get('cli') ?? []),
    };
    report.ratio('real engine history ours(Temporal client)/raw', m.temporal, m.raw);
    report.ratio('real engine history ours(Temporal client)/CLI', m.temporal, m.cli);
    report.ratio('real engine history extension via API/CLI', m.extension, m.cli);
  } finally {
    await ours.close();
    await pool.close();
  }
}
