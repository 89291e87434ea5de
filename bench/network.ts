/**
 * The figures over a link: the sandbox in a process of its own, on loopback and behind the netem
 * profiles (netns.ts), read side by side by our client, the raw floor and the official SDK. Per
 * profile: the first 500 event rows of the 51,200-event execution, the whole history, bytes on the
 * wire, one page of 50 executions and a reset round trip.
 */
import { request } from 'undici';
import { BIG_EVENT_COUNT, DEMO } from '../sandbox/server';
import { WorkflowsClient } from '../src/api/mistral';
import type { TreeNode } from '../src/tree/node';
import type { TreeServices } from '../src/tree/services';
import { createClients, eventsOf, expectCount, type Clients } from './contenders';
import { median, MB, Report, timeOnce } from './measure';
import { openLink, PROFILES, type LinkProfile } from './netns';
import { startServerProcess } from './serverProcess';

interface NetSettings {
  reps: number;
  warmups: number;
}

interface Timed {
  name: string;
  /** Untimed set-up before each timed run (e.g. finding a valid reset point). */
  prepare?: () => Promise<void>;
  run: () => Promise<void>;
  /** Untimed, after each timed run. */
  after?: () => Promise<void>;
}

const BIG = encodeURIComponent(DEMO.big);
const HISTORY_PATH = `/v1/workflows/executions/${BIG}/history?decode_payloads=true`;
const FIRST_ROWS = 500;

/** Rounds of every contender, the starting one rotating (as measure.ts `interleave`, with a set-up step). */
async function rounds(contenders: readonly Timed[], s: NetSettings): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < s.warmups + s.reps; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(round + k) % contenders.length];
      await c.prepare?.();
      const ms = await timeOnce(c.run);
      await c.after?.();
      if (round >= s.warmups) samples.get(c.name)?.push(ms);
    }
  }
  return samples;
}

async function bytesSent(baseUrl: string, apiKey: string): Promise<number> {
  const res = await request(`${baseUrl}/_sandbox/bytes-sent`, { headers: { authorization: `Bearer ${apiKey}` } });
  return ((await res.body.json()) as { bytes: number }).bytes;
}

/** What one call put on the wire (headers and body), from the server's socket counters. */
async function wireBytes(baseUrl: string, apiKey: string, call: () => Promise<void>): Promise<number> {
  const before = await bytesSent(baseUrl, apiKey);
  const overhead = (await bytesSent(baseUrl, apiKey)) - before; // one counter read itself
  const start = await bytesSent(baseUrl, apiKey);
  await call();
  return (await bytesSent(baseUrl, apiKey)) - start - overhead;
}

/** Until the history's status line and headers arrive; the body is then read and dropped. */
async function firstByte(baseUrl: string, apiKey: string): Promise<number> {
  const start = performance.now();
  const res = await request(`${baseUrl}${HISTORY_PATH}`, { headers: { authorization: `Bearer ${apiKey}`, 'accept-encoding': 'br' } });
  const ms = performance.now() - start;
  await res.body.dump({ limit: Number.MAX_SAFE_INTEGER });
  return ms;
}

/** A WORKFLOW_TASK_COMPLETED event of the latest run of DEMO.failed, from the API's own 422 list. */
async function validResetEvent(baseUrl: string, apiKey: string): Promise<number> {
  const res = await request(`${baseUrl}/v1/workflows/executions/${DEMO.failed}/reset`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ event_id: 0 }),
  });
  const body = (await res.body.json()) as { valid_reset_events?: number[] };
  const valid = body.valid_reset_events ?? [];
  if (valid.length === 0) throw new Error('no valid reset event on the demo execution');
  return valid[valid.length - 1];
}

async function treeFirstPage(client: WorkflowsClient): Promise<{ run: () => Promise<void>; settle: () => Promise<void> }> {
  const { ExecutionNode } = await import('../src/tree/executionNode.js');
  const { EventNode } = await import('../src/tree/eventNode.js');
  const services: TreeServices = {
    client: () => Promise.resolve(client),
    eventsPageSize: () => FIRST_ROWS,
    refresh: () => undefined,
    describeError: (error) => String(error),
    checkOf: () => undefined,
    historyMode: () => 'events' as const,
    extraResetTargets: () => [],
  };
  const execution = await client.getExecution(DEMO.big);
  let last: InstanceType<typeof ExecutionNode> | undefined;
  return {
    run: async () => {
      const node = new ExecutionNode(execution, services);
      last = node;
      const rows: TreeNode[] = await node.getChildren();
      for (const r of rows) r.getTreeItem();
      expectCount('ours first rows', rows.filter((r) => r instanceof EventNode).length, FIRST_ROWS);
    },
    // Untimed, after each expansion: the rest of its body must not share the next contender's link.
    settle: async () => {
      await last?.rows.history.load();
      last = undefined;
    },
  };
}

async function profileFigures(tag: string, baseUrl: string, apiKey: string, s: NetSettings, report: Report): Promise<void> {
  const clients: Clients = await createClients(baseUrl, apiKey);
  // Today's client: no Accept-Encoding, the whole body parsed at the end.
  const before = new WorkflowsClient({ baseUrl, apiKey, maxRetries: 0, timeoutMs: 120_000, compression: 'off' });
  try {
    const firstPage = await treeFirstPage(clients.ours);
    const history = await rounds([
      { name: 'ours first', run: firstPage.run, after: firstPage.settle },
      { name: 'ours', run: async () => expectCount('ours', (await clients.ours.getHistory(DEMO.big)).length, BIG_EVENT_COUNT) },
      { name: 'before', run: async () => expectCount('before', (await before.getHistory(DEMO.big)).length, BIG_EVENT_COUNT) },
      { name: 'raw', run: async () => expectCount('raw', eventsOf(await clients.raw.getJson(HISTORY_PATH)).length, BIG_EVENT_COUNT) },
      {
        name: 'sdk',
        run: async () => {
          const body = await clients.sdk.workflows.executions.getWorkflowExecutionHistory({ executionId: DEMO.big, decodePayloads: true });
          expectCount('sdk', eventsOf(body).length, BIG_EVENT_COUNT);
        },
      },
    ], s);
    // The same for every contender: the sandbox serialises the 51,200 events before it sends a byte.
    const ttfb: number[] = [];
    for (let i = 0; i < s.reps; i++) ttfb.push(await firstByte(baseUrl, apiKey));
    report.timing(`${tag} history time to first byte (server serialising + one round trip)`, ttfb);
    const firstOurs = report.timing(`${tag} first ${FIRST_ROWS} rows ours (tree expand, streamed)`, history.get('ours first') ?? []);
    // The floor and the SDK can show a row only once the whole body is parsed: their first rows are their whole history.
    const raw = report.timing(`${tag} whole history raw floor (undici+JSON.parse, no compression) = its first ${FIRST_ROWS} rows`, history.get('raw') ?? []);
    const sdk = report.timing(`${tag} whole history sdk = its first ${FIRST_ROWS} rows`, history.get('sdk') ?? []);
    const ours = report.timing(`${tag} whole history ours`, history.get('ours') ?? []);
    const old = report.timing(`${tag} whole history ours before #13 (no compression)`, history.get('before') ?? []);
    report.ratio(`${tag} first rows ours/best`, firstOurs, Math.min(raw, sdk));
    report.ratio(`${tag} whole history ours/best`, ours, Math.min(raw, sdk));
    report.ratio(`${tag} whole history ours/sdk`, ours, sdk);
    report.ratio(`${tag} whole history before/ours`, old, ours);

    const bytes = {
      ours: await wireBytes(baseUrl, apiKey, async () => void (await clients.ours.getHistory(DEMO.big))),
      raw: await wireBytes(baseUrl, apiKey, async () => void (await clients.raw.getJson(HISTORY_PATH))),
      sdk: await wireBytes(baseUrl, apiKey, async () => void (await clients.sdk.workflows.executions.getWorkflowExecutionHistory({ executionId: DEMO.big, decodePayloads: true }))),
    };
    for (const [name, b] of Object.entries(bytes)) report.figure(`${tag} history bytes on the wire ${name}`, Math.round((b / MB) * 100) / 100, 'MB');
    report.ratio(`${tag} history bytes ours/best`, bytes.ours, Math.min(bytes.raw, bytes.sdk));

    const list = await rounds([
      { name: 'ours', run: async () => expectCount('ours list', (await clients.ours.listExecutions({ pageSize: 50 })).executions.length, 50) },
      {
        name: 'raw',
        run: async () => {
          const body = (await clients.raw.getJson('/v1/workflows/runs?page_size=50')) as { executions?: unknown[] };
          expectCount('raw list', body.executions?.length ?? 0, 50);
        },
      },
      { name: 'sdk', run: async () => expectCount('sdk list', (await clients.sdk.workflows.runs.listRuns({ pageSize: 50 })).result.executions.length, 50) },
    ], s);
    const lo = report.timing(`${tag} one page of 50 executions ours`, list.get('ours') ?? []);
    const lr = report.timing(`${tag} one page of 50 executions raw floor`, list.get('raw') ?? []);
    const ls = report.timing(`${tag} one page of 50 executions sdk`, list.get('sdk') ?? []);
    report.ratio(`${tag} list page ours/best`, lo, Math.min(lr, ls));

    let eventId = 0;
    const prepare = async (): Promise<void> => {
      eventId = await validResetEvent(baseUrl, apiKey);
    };
    const reason = 'bench reset round trip';
    const reset = await rounds([
      { name: 'ours', prepare, run: () => clients.ours.reset({ executionId: DEMO.failed, eventId, reason, excludeSignals: false, excludeUpdates: false }) },
      {
        name: 'raw',
        prepare,
        run: async () => {
          const res = await request(`${baseUrl}/v1/workflows/executions/${DEMO.failed}/reset`, {
            dispatcher: clients.raw.dispatcher,
            method: 'POST',
            headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({ event_id: eventId, reason, exclude_signals: false, exclude_updates: false }),
          });
          await res.body.dump();
          if (res.statusCode !== 204) throw new Error(`raw reset: HTTP ${res.statusCode}`);
        },
      },
      {
        name: 'sdk',
        prepare,
        run: () => clients.sdk.workflows.executions.resetWorkflow({
          executionId: DEMO.failed,
          resetInvocationBody: { eventId, reason, excludeSignals: false, excludeUpdates: false },
        }),
      },
    ], s);
    const ro = report.timing(`${tag} reset round trip ours`, reset.get('ours') ?? []);
    const rr = report.timing(`${tag} reset round trip raw floor`, reset.get('raw') ?? []);
    const rs = report.timing(`${tag} reset round trip sdk`, reset.get('sdk') ?? []);
    report.ratio(`${tag} reset ours/best`, ro, Math.min(rr, rs));
    if (Number.isNaN(median(history.get('ours') ?? []))) throw new Error(`${tag}: nothing recorded`);
  } finally {
    await before.close();
    await clients.close();
  }
}

/** Loopback, then each netem profile when namespaces are available. Needs the fake `vscode` installed. */
export async function networkScenario(s: NetSettings, report: Report): Promise<void> {
  const loop = await startServerProcess('127.0.0.1');
  try {
    report.note('link loopback: the sandbox in its own process on 127.0.0.1');
    await profileFigures('[loopback]', loop.baseUrl, loop.apiKey, s, report);
  } finally {
    await loop.stop();
  }
  const link = openLink();
  if (typeof link === 'string') {
    report.note(`network profiles skipped: ${link}; loopback only`);
    return;
  }
  try {
    for (const profile of PROFILES) {
      const relayMs = link.apply(profile);
      report.note(`link ${describe(profile)}: ${link.how}`);
      // A server per profile: a relay's delay is fixed when it starts.
      const server = await startServerProcess(link.serverAddress, link.namespace, relayMs);
      try {
        await profileFigures(`[${profile.name}]`, server.baseUrl, server.apiKey, s, report);
      } finally {
        await server.stop();
      }
    }
  } finally {
    link.close();
  }
}

function describe(p: LinkProfile): string {
  return `${p.rateMbit} Mbit/s each way, ${p.rttMs} ms round trip (${p.rttMs / 2} ms per direction)`;
}
