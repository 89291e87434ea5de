/**
 * The shared suites' Mistral world: the in-memory sandbox (seeded, deterministic), a fresh one per
 * world, the extension pointed at its Workflows API. What it applied is its own record of the resets
 * it accepted.
 */
import { WorkflowsClient } from '../../../src/api/mistral';
import { BIG_EVENT_COUNT, DEMO, DEMO_RESET_REASONS, startSandbox, type RecordedRequest } from '../../../sandbox/server';
import { pointAtWorkspace, setKeyHeard, TEST_API_KEY, WORKSPACE } from './env';
import type { SentReset, World, WorldFactory, WorldOptions } from './world';

const LIST = '/v1/workflows/runs';
const RESET = /^\/v1\/workflows\/executions\/([^/]+)\/reset$/;

export const mistralWorld: WorldFactory = {
  kind: 'mistral',
  title: 'Mistral API, in-memory sandbox',
  serviceFaults: [
    { name: '404 WF_1100', rule: { status: 404, body: JSON.stringify({ detail: 'Workflow execution not found', code: 'WF_1100' }) }, says: /not found/i },
    {
      name: 'a validation error with a detail array',
      rule: { status: 422, body: JSON.stringify({ detail: [{ loc: ['query', 'page_size'], msg: 'Input should be less than or equal to 1000', type: 'less_than_equal' }] }) },
      says: /page_size: Input should be less than or equal to 1000/,
    },
  ],
  make: makeMistralWorld,
};

async function makeMistralWorld(options: WorldOptions = {}): Promise<World> {
  const sandbox = await startSandbox({ apiKey: TEST_API_KEY, completionDelayMs: options.newRuns === 'never' ? 600_000 : 1500 });
  const { services, ui } = await pointAtWorkspace({ baseUrl: sandbox.baseUrl }, sandbox.apiKey, options);
  return {
    kind: 'mistral',
    title: mistralWorld.title,
    sandbox,
    services,
    ui,
    paths: { list: LIST, history: '/history', reset: '/reset' },
    resetTargets: ['WORKFLOW_TASK_COMPLETED'],
    historyPaging: 'oneBody',
    newRunEnds: 'COMPLETED',
    listOrder: 'newestFirst',
    refusedReset: { status: 409, body: JSON.stringify({ detail: 'Workflow execution is not running', code: 'WF_1102', status: 'COMPLETED' }) },
    entry: (baseUrl) => ({ baseUrl }),
    isList: (r, status) => r.path === LIST && (status === undefined || new URLSearchParams(r.query).getAll('status').join() === status),
    isFollow: (r) => r.path.endsWith('/stream'),
    sentResets: () => sandbox.requests.flatMap(sentReset),
    appliedResets: async (executionId) =>
      sandbox.resets.filter((r) => r.executionId === executionId).map((r) => ({ eventId: r.eventId, reason: r.reason ?? '', newRunId: r.newRunId })),
    executionCount: () => countExecutions(sandbox.baseUrl, sandbox.apiKey),
    finishRun: async () => undefined, // the sandbox completes a new run by itself
    failed: async () => DEMO.failed,
    withEarlierRuns: async () => ({ id: DEMO.reset, reasons: DEMO_RESET_REASONS }),
    longHistory: async () => ({ id: DEMO.big, events: BIG_EVENT_COUNT }),
    hostileHistory,
    otherServer: (apiKey) => startSandbox({ apiKey }),
    close: async () => {
      await setKeyHeard(services, WORKSPACE, undefined);
      await sandbox.close();
    },
  };
}

function sentReset(r: RecordedRequest): SentReset[] {
  const executionId = r.method === 'POST' ? RESET.exec(r.path)?.[1] : undefined;
  if (executionId === undefined || typeof r.body !== 'object' || r.body === null) return [];
  const b = r.body as { event_id?: number; reason?: string; exclude_signals?: boolean; exclude_updates?: boolean };
  return [{
    executionId: decodeURIComponent(executionId),
    eventId: b.event_id ?? -1,
    reason: b.reason ?? '',
    excludeSignals: b.exclude_signals === true,
    excludeUpdates: b.exclude_updates === true,
    body: r.body,
  }];
}

/** Every execution the sandbox lists, read with a client of our own (not the extension's tree). */
async function countExecutions(baseUrl: string, apiKey: string): Promise<number> {
  const client = new WorkflowsClient({ baseUrl, apiKey });
  try {
    const ids = new Set<string>();
    let pageToken: string | undefined;
    do {
      const page = await client.listExecutions({ pageSize: 100, pageToken });
      for (const e of page.executions) ids.add(e.executionId);
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
    return ids.size;
  } finally {
    await client.close();
  }
}

function hostileHistory(name: string, bigText: string, nested: unknown): string {
  return JSON.stringify({
    events: [
      { event_id: 1, event_type: 'WORKFLOW_EXECUTION_STARTED', event_time: '2026-11-24T10:00:00Z', attributes: { workflow_type: { name }, input: bigText } },
      { event_id: 2, event_type: 'WORKFLOW_TASK_COMPLETED', event_time: '2026-11-24T10:00:01Z', attributes: { identity: name, deep: nested } },
      { event_id: 3, event_type: 'ACTIVITY_TASK_SCHEDULED', event_time: '2026-11-24T10:00:02Z', attributes: { activity_type: { name } } },
      { event_id: 4, event_type: 'ACTIVITY_TASK_FAILED', event_time: '2026-11-24T10:00:03Z', attributes: { scheduled_event_id: 3, failure: { message: `${name}\nTraceback…` } } },
      { event_id: 5, event_type: 'WORKFLOW_EXECUTION_SIGNALED', event_time: '2026-11-24T10:00:04Z', attributes: { signal_name: name } },
    ],
  });
}
