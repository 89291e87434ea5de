/**
 * The Temporal backend (src/api/temporal/backend.ts) against the real dev server: the list from the
 * filter's visibility query, paged by the server; a raw query and a bad one; an unknown namespace;
 * runs and histories; a reset with a request id, an invalid point with the engine's valid ones; live
 * events by long poll; a history longer than one server page read page by page on demand. What is
 * asserted is what the engine itself reports.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { attrText, HistoryStream, isResetMarker, isResetPoint, isWorkflowsApiError, normalizeHistory, WorkflowsApiError, type WorkflowEvent } from '../../src/api';
import { venvBinary } from '../../sandbox/engine/paths';
import { resetPointIds, TemporalBackend, TemporalClient, visibilityQuery, type HistoryOptions, type HistoryPage } from '../../src/api/temporal';
import { eventually } from '../helpers/eventually';
import { engine, PARCEL, uniqueId, ENGINE_POLLING, ENGINE_TIMEOUT_MS } from './engine';

describe('the Temporal backend on the real engine', function () {
  this.timeout(60_000);
  let backend: TemporalBackend;
  const tag = uniqueId('tb');
  const ids = [`${tag}-a`, `${tag}-b`, `${tag}-c`];

  before(async () => {
    const { server } = engine();
    backend = new TemporalBackend(new TemporalClient({ baseUrl: server.httpBaseUrl, namespace: server.namespace }));
    for (const id of ids) await engine().startParcel(id, { approvals_needed: 1 });
    // The first one finishes: approved, it packs and completes.
    await engine().client.signal(ids[0], 'approve', { input: [{ by: 'alice' }] });
    await eventually('the approved parcel to complete', async () => ((await backend.getExecution(ids[0])).status === 'COMPLETED' ? true : undefined), 30_000, ENGINE_POLLING);
  });

  after(async () => {
    for (const id of ids.slice(1)) await engine().client.terminate(id, { reason: 'engine-test: done' }).catch(() => undefined);
    await backend.close();
  });

  it('builds the visibility query from the filter, quoting what the user typed', () => {
    assert.equal(
      visibilityQuery({ status: ['RUNNING', 'FAILED'], workflow: 'orders', search: "o'neil" }),
      "(ExecutionStatus = 'Running' OR ExecutionStatus = 'Failed') AND WorkflowType = 'orders' AND (WorkflowId STARTS_WITH 'o\\'neil' OR WorkflowType STARTS_WITH 'o\\'neil')",
    );
    assert.equal(visibilityQuery({ rawQuery: ' TaskQueue = "q" ', status: ['RUNNING'] }), "(ExecutionStatus = 'Running') AND (TaskQueue = \"q\")");
    assert.equal(visibilityQuery({}), undefined);
  });

  it('lists by status and search text, as the engine filters them', async () => {
    const running = await eventually('visibility to show the three parcels', async () => {
      const page = await backend.listExecutions({ search: tag, status: ['RUNNING'], pageSize: 50 });
      return page.executions.length === 2 ? page : undefined;
    }, ENGINE_TIMEOUT_MS, ENGINE_POLLING);
    assert.deepEqual(running.executions.map((e) => e.executionId).sort(), ids.slice(1).sort());
    for (const e of running.executions) {
      assert.equal(e.workflowName, PARCEL);
      assert.equal(e.status, 'RUNNING');
      assert.ok(e.runId && e.startTime instanceof Date);
    }
    const done = await backend.listExecutions({ search: tag, status: ['COMPLETED'] });
    assert.deepEqual(done.executions.map((e) => e.executionId), [ids[0]]);
    assert.equal(done.executions[0].endTime instanceof Date, true);
  });

  it('pages with the server’s tokens', async () => {
    const first = await backend.listExecutions({ search: tag, pageSize: 2 });
    assert.equal(first.executions.length, 2);
    assert.ok(first.nextPageToken, 'the server has another page');
    const second = await backend.listExecutions({ search: tag, pageSize: 2, pageToken: first.nextPageToken });
    const seen = [...first.executions, ...second.executions].map((e) => e.executionId);
    assert.deepEqual([...new Set(seen)].sort(), [...ids].sort(), 'every parcel once across the pages');
  });

  it('a raw visibility query applies; a bad one is the server’s own message', async () => {
    const page = await backend.listExecutions({ rawQuery: `WorkflowId = '${ids[1]}'` });
    assert.deepEqual(page.executions.map((e) => e.executionId), [ids[1]]);
    await assert.rejects(backend.listExecutions({ rawQuery: 'WorkflowType = ' }), (e: unknown) => {
      assert.ok(isWorkflowsApiError(e));
      assert.equal(e.problem, 'invalidArgument');
      assert.match(e.message, /invalid query/i);
      return true;
    });
  });

  it('an unknown namespace is notFound, naming it', async () => {
    const other = new TemporalBackend(new TemporalClient({ baseUrl: engine().server.httpBaseUrl, namespace: 'no-such-namespace' }));
    try {
      await assert.rejects(other.listExecutions({}), (e: unknown) => isWorkflowsApiError(e) && e.problem === 'notFound' && /no-such-namespace/.test(e.message));
    } finally {
      await other.close();
    }
  });

  it('resets with the request id; the engine’s history shows the reset; runs are listed newest first', async () => {
    const id = ids[1];
    const before = await backend.getExecution(id);
    const events = await backend.getHistory(id);
    const point = events.filter(isResetPoint).at(-1);
    assert.ok(point?.eventId !== undefined);
    await backend.reset({ executionId: id, runId: before.runId, eventId: point.eventId, reason: 'temporal backend test', excludeSignals: false, excludeUpdates: false, requestId: randomUUID() });
    const after = await backend.getExecution(id);
    assert.notEqual(after.runId, before.runId, 'a new run');
    const marker = (await backend.getHistory(id)).find((e) => e.type === 'WORKFLOW_TASK_FAILED');
    assert.equal((marker?.attributes.failure as { message?: string } | undefined)?.message, 'temporal backend test');
    const runs = await eventually('visibility to list both runs', async () => {
      const r = await backend.listRuns(id);
      return r.length === 2 ? r : undefined;
    }, ENGINE_TIMEOUT_MS, ENGINE_POLLING);
    assert.deepEqual(runs.map((r) => r.runId), [after.runId, before.runId]);
    assert.equal(runs[1].status, 'TERMINATED');
    const old = await backend.getHistory(id, { runId: before.runId });
    assert.equal(old.at(-1)?.type, 'WORKFLOW_EXECUTION_TERMINATED', 'the earlier run’s own history');
  });

  it('an event the engine refuses is invalidResetPoint with the engine’s valid points', async () => {
    const id = ids[2];
    const events = await backend.getHistory(id);
    const started = events.find((e) => e.type === 'WORKFLOW_EXECUTION_STARTED');
    assert.equal(started?.eventId, 1);
    const error = await backend.reset({ executionId: id, eventId: 1, reason: 'not a task', excludeSignals: false, excludeUpdates: false }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof WorkflowsApiError, String(error));
    assert.equal(error.problem, 'invalidResetPoint');
    assert.deepEqual(error.validResetEvents, resetPointIds(await engine().client.historyAll(id)));
    assert.match(error.message, /^Event 1 is not a valid reset point\. Valid reset points: /);
  });

  it('live events: a long poll answers when the run gets a new event, and the iteration ends when it closes', async () => {
    const id = uniqueId('tb-live');
    await engine().startParcel(id, { approvals_needed: 1 });
    const abort = new AbortController();
    const messages: string[] = [];
    const done = (async () => {
      for await (const m of backend.streamExecution(id, { signal: abort.signal })) messages.push(m.id ?? '');
    })();
    await eventually('the first page', async () => (messages.length >= 1 ? true : undefined), ENGINE_TIMEOUT_MS, ENGINE_POLLING);
    const seen = messages.length;
    await engine().client.signal(id, 'approve', { input: [{ by: 'bob' }] });
    await eventually('a message for the new events', async () => (messages.length > seen ? true : undefined), ENGINE_TIMEOUT_MS, ENGINE_POLLING);
    await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error('the stream did not end when the run closed')), 30_000))]);
    assert.equal((await backend.getExecution(id)).status, 'COMPLETED');
    abort.abort();
  });

  it('a history of several server pages, streamed: the first page after one request, the next only on demand', async () => {
    const id = uniqueId('tb-pages');
    await engine().startParcel(id, { approvals_needed: 1, steps: 6 });
    await engine().client.signal(id, 'approve', { input: [{ by: 'pager' }] });
    await eventually('the parcel to complete', async () => ((await backend.getExecution(id)).status === 'COMPLETED' ? true : undefined), 30_000, ENGINE_POLLING);
    const whole = await backend.getHistory(id);
    const client = new CountingClient({ baseUrl: engine().server.httpBaseUrl, namespace: engine().server.namespace });
    const paged = new TemporalBackend(client);
    try {
      const offered: number[] = [];
      let onPause: () => void = () => undefined;
      const nextPause = (): Promise<void> => new Promise((resolve) => (onPause = resolve));
      // Five events a page asked for: the engine rounds a page up to whole batches of events, so a few more.
      const stream = new HistoryStream(5, (events) => offered.push(events.length), () => onPause());
      const first = nextPause();
      const read = paged.getHistory(id, { stream });
      await first;
      assert.equal(client.pages.length, 1, 'one request for the first page');
      assert.ok(offered[0] > 0 && offered[0] < whole.length, `a first page of ${offered[0]} of ${whole.length} events`);
      stream.want(offered[0]);
      assert.equal(stream.paused, true, 'no more than was offered: no request');
      const second = nextPause();
      stream.want(offered[0] + 1); // Load more
      await second;
      assert.equal(client.pages.length, 2, 'one more request');
      assert.ok(offered[1] > offered[0]);
      stream.wantAll();
      const events = await read;
      // Once everything is wanted, the server's largest page: the rest in one request, as without a stream.
      assert.deepEqual(client.pages.map((o) => o.maximumPageSize), [5, 5, undefined]);
      assert.deepEqual(eventKeys(events), eventKeys(whole), 'the same history as read without a stream');
    } finally {
      await paged.close();
    }
  });

  // Copy Reset as Python / curl, run as a user runs what they copied: the engine reports each reset.
  for (const format of ['python', 'curl'] as const) {
    it(`a copied reset (${format}) run as is resets on the engine, with its reason`, async () => {
      const id = uniqueId(`tb-copy-${format}`);
      const runId = await engine().startParcel(id, { approvals_needed: 1 });
      const point = await eventually('a reset point', async () => resetPointIds(await engine().client.historyAll(id, runId))[0], ENGINE_TIMEOUT_MS, ENGINE_POLLING);
      const reason = `copied as ${format}: it's "$HOME"`;
      const code = backend.resetAsCode({ executionId: id, runId, eventId: point, reason, excludeSignals: true }, format);
      const [program, args] = format === 'python' ? [venvBinary('python'), ['-c', code.text]] : ['bash', ['-c', code.text]];
      const ran = spawnSync(program, args, { encoding: 'utf8', env: { ...process.env, TEMPORAL_ADDRESS: engine().server.grpcAddress }, timeout: 30_000 });
      assert.equal(ran.status, 0, `${format} exited ${ran.status ?? ran.signal}${ran.error ? ` (${ran.error.message})` : ''}: ${ran.stderr}${ran.stdout}`);
      const { execution } = await engine().client.describe(id);
      assert.notEqual(execution.runId, runId, 'a new run');
      const marker = normalizeHistory(await engine().client.historyAll(id, execution.runId)).find(isResetMarker);
      assert.equal(marker && attrText(marker, 'failure.message'), reason);
      await engine().client.terminate(id, { reason: 'engine-test: done' }).catch(() => undefined);
    });
  }

  it('queries the running workflow: __stack_trace is the worker’s own answer for that workflow', async () => {
    const stack = await backend.query(ids[2], '__stack_trace');
    assert.equal(typeof stack, 'string');
    assert.ok(String(stack).includes(`(workflow: ${PARCEL}, id: ${ids[2]}`), String(stack).slice(0, 300));
  });
});

/** Records each history page request (not every HTTP request: a retry is one page). */
class CountingClient extends TemporalClient {
  readonly pages: HistoryOptions[] = [];

  override history(workflowId: string, options: HistoryOptions = {}, signal?: AbortSignal): Promise<HistoryPage> {
    this.pages.push(options);
    return super.history(workflowId, options, signal);
  }
}

function eventKeys(events: readonly WorkflowEvent[]): string[] {
  return events.map((e) => `${e.idText}:${e.type}`);
}
