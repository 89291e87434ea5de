/**
 * The shared suites' Temporal world: the REAL Temporal dev server that test/runEngineIntegration.ts
 * started, with a real plain-temporalio worker running workers/temporal-workflows in the `shipping`
 * namespace. The extension's workspace is a Temporal one pointed at a sandbox in this process that
 * passes `/api/v1/` through to the engine's HTTP API (sandbox/temporalPassthrough.ts): the request
 * log, the fault switch and a key check, as a gateway in front of a cluster would have. Executions
 * are started on the engine for each test that changes them; what was reset is what the engine's
 * own histories say (the reset markers of its runs).
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { attrText, isResetMarker, normalizeHistory, type WorkflowEvent } from '../../src/api';
import { TEMPORAL_CAPABILITIES, TemporalClient } from '../../src/api/temporal';
import { SHIPPING, untilStatus } from '../../sandbox/engine/sandbox';
import { startSandbox, type RecordedRequest } from '../../sandbox/server';
import { eventually } from '../helpers/eventually';
import { pointAtWorkspace, setKeyHeard, TEST_API_KEY, WORKSPACE } from '../integration/helpers/env';
import type { AppliedReset, SentReset, World, WorldFactory, WorldOptions } from '../integration/helpers/world';
import { ENGINE } from './helpers';

const BASE = `/api/v1/namespaces/${SHIPPING.namespace}`;
const LIST = `${BASE}/workflows`;
const RESET = new RegExp(`^${BASE}/workflows/([^/]+)/reset$`);
/** The reasons of withEarlierRuns' two resets, oldest first. */
const EARLIER_REASONS = ['Deployed fix for the carrier lookup (#7)', 'Deployed fix for the carrier lookup, take two (#9)'] as const;

export const temporalWorld: WorldFactory = {
  kind: 'temporal',
  title: 'Temporal, real dev server',
  serviceFaults: [
    { name: '404 NOT_FOUND', rule: { status: 404, body: JSON.stringify({ code: 5, message: 'workflow execution not found', details: [] }) }, says: /workflow execution not found \(404 NOT_FOUND\)/ },
    {
      name: '400 INVALID_ARGUMENT',
      rule: { status: 400, body: JSON.stringify({ code: 3, message: "invalid query: unknown search attribute 'Colour'", details: [] }) },
      says: /invalid query: unknown search attribute 'Colour' \(400 INVALID_ARGUMENT\)/,
    },
  ],
  make: makeTemporalWorld,
};

/** The engine's own client on the shipping namespace (what the engine reports); shared, as the engine is. */
let engineClient: TemporalClient | undefined;
export const shippingEngine = (): TemporalClient => (engineClient ??= new TemporalClient({ baseUrl: ENGINE.temporal, namespace: SHIPPING.namespace }));
const engine = shippingEngine;
/** A long history does not change once made: one per suite run. */
let long: Promise<{ id: string; events: number }> | undefined;
/** Each run's own reset (the last marker of its history), by run id: a closed run never changes. */
const markers = new Map<string, AppliedReset | null>();

async function makeTemporalWorld(options: WorldOptions = {}): Promise<World> {
  const sandbox = await startSandbox({ apiKey: TEST_API_KEY, executions: 0, temporal: { httpBaseUrl: ENGINE.temporal } });
  const entry = (baseUrl: string): { baseUrl: string; kind: 'temporal'; namespace: string } => ({ baseUrl, kind: 'temporal', namespace: SHIPPING.namespace });
  // More executions than a page of the list, whatever ran before.
  await atLeast((options.pageSize ?? 10) + 2);
  // The engine suite's folder defines these workflows: no automatic replay check before each reset here
  // (the replay check on them has tests of its own), so the shared suites see the same prompts as on Mistral.
  await vscode.workspace.getConfiguration('mistralWorkflows').update('replayCheck.beforeReset', false, vscode.ConfigurationTarget.Global);
  const { services, ui } = await pointAtWorkspace(entry(sandbox.baseUrl), sandbox.apiKey, options);
  return {
    kind: 'temporal',
    title: temporalWorld.title,
    sandbox,
    services,
    ui,
    paths: { list: LIST, history: '/history', reset: '/reset' },
    resetTargets: ['WORKFLOW_TASK_COMPLETED', ...TEMPORAL_CAPABILITIES.extraResetTargets],
    historyPaging: 'serverPages',
    // The fixtures' orders have no address at all: the new run books the carrier and fails again.
    newRunEnds: 'FAILED',
    listOrder: 'openThenRecentlyClosed',
    refusedReset: { status: 400, body: JSON.stringify({ code: 9, message: 'workflow is not in a state that can be reset', details: [] }) },
    entry,
    isList: (r, status) => r.method === 'GET' && r.path === LIST && (status === undefined || (new URLSearchParams(r.query).get('query') ?? '') === `(ExecutionStatus = '${capitalised(status)}')`),
    isFollow: (r) => r.path.endsWith('/history') && new URLSearchParams(r.query).get('waitNewEvent') === 'true',
    sentResets: () => sandbox.requests.flatMap(sentReset),
    appliedResets,
    executionCount: () => listedIds().then((ids) => ids.size),
    finishRun: async (id) => {
      // A new run whose approval was not re-applied (signals excluded) waits for it: approve it.
      if ((await engine().describe(id)).execution.status === 'RUNNING') await engine().signal(id, 'approve', { input: ['warehouse'] });
    },
    failed: failedShipment,
    withEarlierRuns,
    longHistory: () => (long ??= longHistory()),
    hostileHistory,
    otherServer: (apiKey) => startSandbox({ apiKey, executions: 0, temporal: { httpBaseUrl: ENGINE.temporal } }),
    close: async () => {
      await setKeyHeard(services, WORKSPACE, undefined);
      await sandbox.close();
      await vscode.workspace.getConfiguration('mistralWorkflows').update('replayCheck.beforeReset', undefined, vscode.ConfigurationTarget.Global);
    },
  };
}

const capitalised = (status: string): string => (status === 'FAILED' ? 'Failed' : status.charAt(0) + status.slice(1).toLowerCase());

function sentReset(r: RecordedRequest): SentReset[] {
  const executionId = r.method === 'POST' ? RESET.exec(r.path)?.[1] : undefined;
  if (executionId === undefined || typeof r.body !== 'object' || r.body === null) return [];
  const b = r.body as { workflowTaskFinishEventId?: string; reason?: string; resetReapplyExcludeTypes?: string[] };
  const exclude = b.resetReapplyExcludeTypes ?? [];
  return [{
    executionId: decodeURIComponent(executionId),
    eventId: Number(b.workflowTaskFinishEventId),
    reason: b.reason ?? '',
    excludeSignals: exclude.includes('RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL'),
    excludeUpdates: exclude.includes('RESET_REAPPLY_EXCLUDE_TYPE_UPDATE'),
    body: r.body,
  }];
}

/** Every run of the execution the engine lists, oldest first, each with the reset that made it. */
async function appliedResets(executionId: string): Promise<AppliedReset[]> {
  const runs = await engine().listWorkflows({ query: `WorkflowId = '${executionId}'`, pageSize: 1000 });
  const ordered = [...runs.executions].sort((a, b) => (a.startTime?.getTime() ?? 0) - (b.startTime?.getTime() ?? 0));
  const applied: AppliedReset[] = [];
  for (const run of ordered) {
    let own = markers.get(run.runId);
    if (own === undefined) {
      const events = normalizeHistory(await engine().historyAll(executionId, run.runId));
      // A reset run keeps the events before its point, earlier runs' markers included: its own is the last.
      const marker = events.filter(isResetMarker).at(-1);
      own = marker?.eventId === undefined ? null : { eventId: marker.eventId, reason: attrText(marker, 'failure.message') ?? '', newRunId: run.runId };
      if (run.status !== 'RUNNING') markers.set(run.runId, own);
    }
    if (own !== null) applied.push(own);
  }
  return applied;
}

async function listedIds(): Promise<Set<string>> {
  const ids = new Set<string>();
  let nextPageToken: string | undefined;
  do {
    const page = await engine().listWorkflows({ pageSize: 1000, nextPageToken });
    for (const e of page.executions) ids.add(e.workflowId);
    nextPageToken = page.nextPageToken;
  } while (nextPageToken !== undefined);
  return ids;
}

/** Starts executions that complete at once until the namespace lists `count`. */
async function atLeast(count: number): Promise<void> {
  const missing = count - (await listedIds()).size;
  for (let i = 0; i < missing; i++) {
    await engine().start(`quick-${randomUUID().slice(0, 8)}`, { workflowType: 'long-history', taskQueue: SHIPPING.taskQueue, input: [0] });
  }
  await eventually(`${count} executions to be listed`, async () => ((await listedIds()).size >= count ? true : undefined), 30_000);
}

async function latestEvents(id: string): Promise<WorkflowEvent[]> {
  return normalizeHistory(await engine().historyAll(id));
}

/**
 * A shipment without any address: it waits for its approval, gets a note, a delivery window (an
 * update) and the approval, then fails booking the carrier (KeyError), whatever the fix.
 */
async function failedShipment(): Promise<string> {
  const id = `shipment-${randomUUID().slice(0, 8)}`;
  await engine().start(id, { workflowType: 'shipment', taskQueue: SHIPPING.taskQueue, input: [{ order_id: id, items: ['lamp'] }] });
  // Waiting for its approval: the stock reserved, its last event a completed workflow task.
  await eventually(`${id} to wait for its approval`, async () => {
    const events = await latestEvents(id);
    return events.at(-1)?.type === 'WORKFLOW_TASK_COMPLETED' && events.some((e) => e.type === 'ACTIVITY_TASK_COMPLETED') ? true : undefined;
  }, 30_000);
  await engine().signal(id, 'add_note', { input: ['fragile'] });
  await engine().update(id, 'set_window', { args: ['morning'] });
  await engine().signal(id, 'approve', { input: ['warehouse'] });
  await untilStatus(engine(), id, 'FAILED', 30_000);
  return id;
}

/** A failed shipment reset twice on the engine (to its first workflow task), each new run run to its end. */
async function withEarlierRuns(): Promise<{ id: string; reasons: readonly string[] }> {
  const id = await failedShipment();
  for (const reason of EARLIER_REASONS) {
    const before = (await engine().describe(id)).execution.runId;
    const first = (await latestEvents(id)).find((e) => e.type === 'WORKFLOW_TASK_COMPLETED');
    assert.ok(first?.eventId !== undefined);
    await engine().reset(id, { workflowTaskFinishEventId: first.eventId, reason, requestId: randomUUID(), excludeSignals: false, excludeUpdates: false });
    await eventually(`${id}'s new run to fail again`, async () => {
      const { execution } = await engine().describe(id);
      return execution.runId !== before && execution.status === 'FAILED' ? true : undefined;
    }, 30_000);
  }
  return { id, reasons: EARLIER_REASONS };
}

/**
 * 250 activities one after another: some 1,500 events in about 750 batches. The server pages a history
 * by batches (500 asked for: pages of about 510 events), so this is three server pages and three of the tree.
 */
async function longHistory(): Promise<{ id: string; events: number }> {
  const id = `long-${randomUUID().slice(0, 8)}`;
  await engine().start(id, { workflowType: 'long-history', taskQueue: SHIPPING.taskQueue, input: [250] });
  await untilStatus(engine(), id, 'COMPLETED', 60_000);
  return { id, events: (await engine().historyAll(id)).length };
}

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** The same five events as the Mistral world's, as Temporal's HTTP API writes a history. */
function hostileHistory(name: string, bigText: string, nested: unknown): string {
  const at = (s: number): string => `2026-11-24T10:00:0${s}Z`;
  return JSON.stringify({
    history: {
      events: [
        {
          eventId: '1', eventTime: at(0), eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
          workflowExecutionStartedEventAttributes: { workflowType: { name }, input: { payloads: [{ metadata: { encoding: base64('json/plain') }, data: base64(JSON.stringify(bigText)) }] } },
        },
        { eventId: '2', eventTime: at(1), eventType: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED', workflowTaskCompletedEventAttributes: { identity: name, deep: nested } },
        { eventId: '3', eventTime: at(2), eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED', activityTaskScheduledEventAttributes: { activityType: { name } } },
        { eventId: '4', eventTime: at(3), eventType: 'EVENT_TYPE_ACTIVITY_TASK_FAILED', activityTaskFailedEventAttributes: { scheduledEventId: '3', failure: { message: `${name}\nTraceback…` } } },
        { eventId: '5', eventTime: at(4), eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED', workflowExecutionSignaledEventAttributes: { signalName: name } },
      ],
    },
  });
}

