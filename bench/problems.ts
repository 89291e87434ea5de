/**
 * Group by Problem (issue #22's Cost): the extension's ProblemReader and groupProblems over every
 * failed execution of a listing, through a real backend over HTTP, side by side with the raw floor: the
 * same history URLs, the same concurrency (4, the setting's default), plain undici, bodies read and
 * dropped (no parsing, no grouping). The server runs in a process of its own (problemServer.ts), as
 * the real one runs on another machine: its work is not on the measured event loop. Requests are
 * counted where they arrive (the sandbox's request log; on the engine the sandbox stands in front of
 * it), never assumed; history bytes are what the server wrote for them (headers included), from its
 * socket counters. Both are read over its admin routes between timed runs, never during one.
 *
 * The sandbox part: 1,000 failed executions of five signatures (problemData.ts).
 * The engine part is problemsEngine.ts, over the same `measureGrouping`.
 */
import { Pool, request } from 'undici';
import type { Execution, WorkflowBackend } from '../src/api';
import { WorkflowsClient } from '../src/api/mistral';
import { groupProblems, type ProblemGroup } from '../src/incidents';
import { ProblemReader, type CancellableProgress } from '../src/incidentsUi/problemReader';
import type { RecordedRequest } from '../sandbox/server';
import { interleave, KB, median, Report, round2, timeOnce } from './measure';
import { PROBLEM_SIGNATURES } from './problemData';
import type { RunSettings } from './scenarios';
import { startBenchServer } from './serverProcess';

/** `mistralWorkflows.problems.concurrency`'s default. */
const CONCURRENCY = 4;
/** The view's default page (mistralWorkflows.pageSize). */
const LIST_PAGE_SIZE = 50;
const SANDBOX_FAILED = 1000;
/** Issue #22's targets. */
const MAX_READS_PER_FAILED_RUN = 1;
const MAX_RATIO_TO_RAW = 1.2;

/** What a grouping is measured against: a backend, where its reads go, and how to count them. */
interface GroupingSubject {
  /** Names the figures, e.g. `sandbox` or `real engine, Temporal workspace`. */
  label: string;
  backend: WorkflowBackend;
  /** The URL the backend reads an execution's history (or, on Temporal, its end) from; the raw floor reads the same. */
  historyUrl(execution: Execution): string;
  /** What the raw floor sends with each read (the key; no Accept-Encoding: ours asks none on loopback). */
  rawHeaders: Record<string, string>;
  /** The server in front: its request log and byte counter. */
  traffic: Traffic;
  expected: { failed: number; groups: number };
}

interface Counted {
  lists: number;
  histories: number;
  other: number;
  bytes: number;
}

/** A sandbox's request log and byte counter, read over its admin routes (it may run in another process). */
export class Traffic {
  private readonly headers: Record<string, string>;
  private readonly pool: Pool;

  constructor(private readonly baseUrl: string, apiKey: string) {
    this.headers = { authorization: `Bearer ${apiKey}` };
    this.pool = new Pool(baseUrl, { connections: 1 });
  }

  /** Where the log and the counter stand now. */
  async mark(): Promise<{ requests: number; bytes: number }> {
    // The log first: its answer (large) is then written before the counter is read, so it is not counted.
    const requests = (await this.admin<RecordedRequest[]>('requests')).length;
    return { requests, bytes: (await this.admin<{ bytes: number }>('bytes-sent')).bytes };
  }

  /** Requests by kind and the bytes written since `from` (a mark). */
  async since(from: { requests: number; bytes: number }): Promise<Counted> {
    // The counter first, for the same reason (the small answer of the mark's counter read is counted).
    const bytes = (await this.admin<{ bytes: number }>('bytes-sent')).bytes - from.bytes;
    const c: Counted = { lists: 0, histories: 0, other: 0, bytes };
    for (const r of (await this.admin<RecordedRequest[]>('requests')).slice(from.requests)) {
      // On Temporal a failed run's end is read in reverse (TemporalBackend.closingEvents): a history read too.
      if (r.path.endsWith('/history') || r.path.endsWith('/history-reverse')) c.histories++;
      else if (r.path.endsWith('/runs') || r.path.endsWith('/workflows')) c.lists++;
      else c.other++;
    }
    return c;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async admin<T>(route: string): Promise<T> {
    const res = await request(`${this.baseUrl}/_sandbox/${route}`, { dispatcher: this.pool, headers: this.headers });
    if (res.statusCode !== 200) throw new Error(`the sandbox's /_sandbox/${route}: HTTP ${res.statusCode}`);
    return (await res.body.json()) as T;
  }
}

/** Requests by kind and the bytes written while `run` ran (untimed: the counting reads the server). */
async function counted(traffic: Traffic, run: () => Promise<void>): Promise<Counted> {
  const from = await traffic.mark();
  await run();
  return traffic.since(from);
}

/** As the view would: every page of the failed executions. */
async function listFailed(backend: WorkflowBackend): Promise<Execution[]> {
  const executions: Execution[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const result = await backend.listExecutions({ status: ['FAILED'], pageSize: LIST_PAGE_SIZE, pageToken });
    executions.push(...result.executions);
    pageToken = result.nextPageToken;
    if (pageToken === undefined) return executions;
  }
  throw new Error('the failed executions did not end after 10,000 pages');
}

/** No VS Code: the task runs at once, never cancelled. */
const noProgress: CancellableProgress = (_title, task) => task(() => undefined, new AbortController().signal);

function newReader(backend: WorkflowBackend, log: string[]): ProblemReader {
  return new ProblemReader({
    client: () => Promise.resolve(backend),
    concurrency: () => CONCURRENCY,
    retryingAttempts: () => 5, // the setting's default
    progress: noProgress,
    describeError: (error) => (error instanceof Error ? error.message : String(error)),
    log: { info: (_area, message) => void log.push(message), warn: (_area, message) => void log.push(`warn: ${message}`) },
  });
}

/** What the extension does when the user groups: read the problems, then group them. */
async function group(reader: ProblemReader, executions: readonly Execution[]): Promise<ProblemGroup[]> {
  const { problems, notRead } = await reader.read(executions, 'bench');
  if (notRead !== 0) throw new Error(`${notRead} histories not read`);
  return groupProblems([...problems.values()]);
}

function checkGroups(label: string, groups: readonly ProblemGroup[], expected: GroupingSubject['expected'], log: readonly string[]): void {
  const total = groups.reduce((n, g) => n + g.count, 0);
  const unreadable = groups.filter((g) => g.unreadable !== undefined);
  if (groups.length !== expected.groups || total !== expected.failed || unreadable.length > 0) {
    const shown = groups.map((g) => `${g.count}× ${g.unreadable ?? g.key}`).join('; ');
    throw new Error(`${label}: ${groups.length} groups of ${total} executions, expected ${expected.groups} of ${expected.failed}: ${shown}${log.length > 0 ? ` (log: ${log.slice(0, 3).join(' | ')})` : ''}`);
  }
}

/**
 * The raw floor: every URL read at `CONCURRENCY` at once, each body read to its end and dropped; with
 * `parse`, each body is also JSON.parse'd (the least a reader that looks inside a history must do).
 */
async function rawReads(pool: Pool, urls: readonly string[], headers: Record<string, string>, parse = false): Promise<number> {
  let next = 0;
  let bodyBytes = 0;
  const worker = async (): Promise<void> => {
    while (next < urls.length) {
      const url = urls[next++];
      const res = await request(url, { dispatcher: pool, headers });
      if (parse) {
        const text = await res.body.text();
        bodyBytes += Buffer.byteLength(text);
        JSON.parse(text);
      } else {
        for await (const chunk of res.body) bodyBytes += (chunk as Buffer).length;
      }
      if (res.statusCode !== 200) throw new Error(`raw floor: HTTP ${res.statusCode} for ${url}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, urls.length) }, worker));
  return bodyBytes;
}

/**
 * Lists the failed executions, groups them once (checked: the expected groups, one history read per
 * failed run), again with the same reader (closed runs: from its cache, no read), then times fresh
 * readers against the raw floor, interleaved.
 */
export async function measureGrouping(subject: GroupingSubject, s: RunSettings, report: Report): Promise<void> {
  const { label, backend, traffic, expected } = subject;
  const name = (what: string): string => `group by problem (${label}): ${what}`;
  let executions: Execution[] = [];
  const listing = await counted(traffic, async () => {
    const ms = await timeOnce(async () => {
      executions = await listFailed(backend);
    });
    report.figure(name(`list the failed executions (${LIST_PAGE_SIZE} a page)`), round2(ms), 'ms');
  });
  if (executions.length !== expected.failed) throw new Error(`${label}: listed ${executions.length} failed executions, expected ${expected.failed}`);
  report.figure(name('failed executions listed'), executions.length, 'count');
  report.figure(name('list pages'), listing.lists, 'requests');

  const log: string[] = [];
  const reader = newReader(backend, log);
  let groups: ProblemGroup[] = [];
  const first = await counted(traffic, async () => {
    groups = await group(reader, executions);
  });
  checkGroups(label, groups, expected, log);
  report.figure(name('groups'), groups.map((g) => g.count).join(' + '), `= ${executions.length} executions`);
  report.figure(name('history reads, first grouping'), first.histories, 'requests');
  report.figure(name('other requests, first grouping'), first.lists + first.other, 'requests');
  report.figure(name('history bytes read, first grouping'), Math.round(first.bytes / KB), 'KiB');
  const second = await counted(traffic, async () => {
    checkGroups(label, await group(reader, executions), expected, log);
  });
  report.figure(name('history reads, second grouping (all closed: cache)'), second.histories, 'requests');
  report.target(name('history reads per failed run'), round2(first.histories / executions.length), MAX_READS_PER_FAILED_RUN);
  report.target(name('history reads on the second grouping'), second.histories + second.lists + second.other, 0);

  const urls = executions.map((e) => subject.historyUrl(e));
  const pool = new Pool(new URL(urls[0]).origin, { connections: 8, keepAliveTimeout: 30_000 });
  const reads = { ours: [] as number[], raw: [] as number[], parsed: [] as number[] };
  const bytes = { ours: 0, raw: 0, parsed: 0, rawBody: 0 };
  // Counted after each timed run (Contender.after is not timed), from where the previous one left off.
  let mark = await traffic.mark();
  const tally = async (into: 'ours' | 'raw' | 'parsed'): Promise<void> => {
    const c = await traffic.since(mark);
    reads[into].push(c.histories + c.lists + c.other);
    bytes[into] = c.bytes;
    mark = await traffic.mark();
  };
  try {
    const samples = await interleave(
      [
        {
          name: 'ours',
          run: async () => {
            checkGroups(label, await group(newReader(backend, log), executions), expected, log);
          },
          after: () => tally('ours'),
        },
        {
          name: 'raw',
          run: async () => {
            bytes.rawBody = await rawReads(pool, urls, subject.rawHeaders);
          },
          after: () => tally('raw'),
        },
        {
          name: 'parsed',
          run: async () => {
            await rawReads(pool, urls, subject.rawHeaders, true);
          },
          after: () => tally('parsed'),
        },
      ],
      s.reps,
      s.warmups,
    );
    const ours = report.timing(name(`read + group, fresh reader, concurrency ${CONCURRENCY}`), samples.get('ours') ?? []);
    const raw = report.timing(name(`raw floor (same ${urls.length} history URLs, concurrency ${CONCURRENCY}, undici, bodies dropped)`), samples.get('raw') ?? []);
    const parsed = report.timing(name('raw floor, each body also JSON.parse\'d'), samples.get('parsed') ?? []);
    report.figure(name('requests per timed run, ours / raw floor / parsed floor'), `${spread(reads.ours)} / ${spread(reads.raw)} / ${spread(reads.parsed)}`, 'requests');
    report.figure(name('history bytes per timed run, ours / raw floor (wire)'), `${Math.round(bytes.ours / KB)} / ${Math.round(bytes.raw / KB)}`, 'KiB');
    report.figure(name('history body bytes, raw floor'), Math.round(bytes.rawBody / KB), 'KiB');
    report.ratio(name('ours/raw'), ours, raw);
    // Not a target: why the target is missed when it is (parsing alone may be most of the distance).
    report.ratio(name('parsed floor/raw'), parsed, raw);
    report.ratio(name('ours/parsed floor'), ours, parsed);
    report.target(name('time, ours / raw floor'), round2(ours / raw), MAX_RATIO_TO_RAW);
    if (Number.isNaN(median(samples.get('ours') ?? []))) throw new Error(`${label}: nothing timed`);
  } finally {
    await pool.close();
  }
}

/** Where WorkflowsClient reads the listed run's history (ProblemReader asks for the listed run). */
export function mistralHistoryUrl(baseUrl: string, e: Execution): string {
  const path = e.runId !== undefined ? `runs/${encodeURIComponent(e.runId)}` : `executions/${encodeURIComponent(e.executionId)}`;
  return `${baseUrl}/v1/workflows/${path}/history?decode_payloads=true`;
}

/** `1000` when every run made the same number, else `min–max`. */
function spread(values: readonly number[]): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

/** 1,000 failed executions of five signatures, on a sandbox of their own (in its own process), through WorkflowsClient. */
export async function problemsScenario(s: RunSettings, report: Report): Promise<void> {
  const server = await startBenchServer('problemServer.js', ['failed', String(SANDBOX_FAILED), String(Math.floor(Date.now() / 60_000) * 60_000)]);
  const traffic = new Traffic(server.baseUrl, server.apiKey);
  // Retries off: a retried failure would only look like a slow success.
  const client = new WorkflowsClient({ baseUrl: server.baseUrl, apiKey: server.apiKey, maxRetries: 0, timeoutMs: 60_000 });
  try {
    await measureGrouping(
      {
        label: 'sandbox',
        backend: client,
        historyUrl: (e) => mistralHistoryUrl(server.baseUrl, e),
        rawHeaders: { authorization: `Bearer ${server.apiKey}`, accept: 'application/json' },
        traffic,
        expected: { failed: SANDBOX_FAILED, groups: PROBLEM_SIGNATURES },
      },
      s,
      report,
    );
  } finally {
    await client.close();
    await traffic.close();
    await server.stop();
  }
}
