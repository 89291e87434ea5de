/**
 * The routes over a store that is not the in-memory store: a small fake that writes only the
 * `temporal` shape, has no trace events and feeds the stream from a timer, as an engine-backed store
 * would. What the routes own (validation, page tokens, error bodies, reset records, the fault switch,
 * SSE framing) must behave the same over it.
 */
import { strict as assert } from 'node:assert';
import type { FeedBatch, Outcome, ResetOutcome, ResetToApply, RunDetail, RunsPage, RunsQuery, StreamPayload } from '../../../sandbox/store';
import { pageOf } from '../../../sandbox/listing';
import { startSandbox, type Sandbox, type SandboxStore } from '../../../sandbox/server';
import { SseParser } from '../../../src/api/mistral/sse';
import { call, callJson, W, type WirePage } from '../helpers/sandbox-http';

const RUN_A = '0b5c3f0e-1d2a-4e5f-8a9b-000000000001';
const RUN_B = '0b5c3f0e-1d2a-4e5f-8a9b-000000000002';

function detail(executionId: string, runId: string, startMs: number, status: RunDetail['status']): RunDetail {
  return {
    workflow_name: 'order',
    workflow_id: null,
    deployment_name: 'probe',
    execution_id: executionId,
    parent_execution_id: null,
    root_execution_id: executionId,
    run_id: runId,
    user_id: null,
    status,
    start_time: new Date(startMs).toISOString(),
    end_time: status === 'RUNNING' ? null : new Date(startMs + 1000).toISOString(),
    total_duration_ms: status === 'RUNNING' ? null : 1000,
    result: null,
  };
}

function payload(executionId: string, seq: number): StreamPayload {
  return {
    stream: `workflow-executions.${executionId}`,
    timestamp: new Date(0).toISOString(),
    data: { event_type: 'CUSTOM_TASK_IN_PROGRESS', n: seq },
    workflow_context: {},
    metadata: {},
    broker_sequence: seq,
  };
}

class FakeStore implements SandboxStore {
  readonly historyShapes = ['temporal'] as const;
  readonly defaultHistoryShape = 'temporal' as const;
  readonly runs = [detail('order-1', RUN_A, 1_000_000, 'COMPLETED'), detail('order-2', RUN_B, 2_000_000, 'RUNNING')];
  readonly resetCalls: ResetToApply[] = [];
  /** The stream's events so far; the feed polls it. */
  readonly streamed: StreamPayload[] = [];
  closed = false;
  fail = false;

  async listRuns(query: RunsQuery): Promise<RunsPage> {
    const key = (r: RunDetail): { sortValueMs: number | null; executionId: string; runId: string } => ({
      sortValueMs: Date.parse(r.start_time),
      executionId: r.execution_id,
      runId: r.run_id,
    });
    const { page, more } = pageOf(this.runs, key, query);
    return { executions: page, more };
  }
  async execution(id: string): Promise<RunDetail | undefined> {
    if (this.fail) throw new Error('the engine is unreachable');
    return this.runs.find((r) => r.execution_id === id);
  }
  async run(runId: string): Promise<RunDetail | undefined> {
    return this.runs.find((r) => r.run_id === runId);
  }
  async history(target: { executionId: string } | { runId: string }, shape: string): Promise<string | undefined> {
    assert.equal(shape, 'temporal');
    const known = 'runId' in target ? await this.run(target.runId) : await this.execution(target.executionId);
    return known && `{"events":[{"eventId":"1","eventType":"EVENT_TYPE_WORKFLOW_EXECUTION_STARTED","of":"${known.run_id}"}]}`;
  }
  async reset(executionId: string, request: ResetToApply): Promise<ResetOutcome> {
    const run = await this.execution(executionId);
    if (!run) return { kind: 'not_found' };
    if (request.eventId !== 4) return { kind: 'invalid_event', validResetEvents: [4] };
    this.resetCalls.push(request);
    return { kind: 'done', value: { oldRunId: run.run_id, newRunId: RUN_A } };
  }
  async terminate(executionId: string): Promise<Outcome> {
    const run = await this.execution(executionId);
    if (!run) return { kind: 'not_found' };
    return run.status === 'RUNNING' ? { kind: 'done', value: undefined } : { kind: 'not_running', status: run.status };
  }
  async cancel(executionId: string): Promise<Outcome> {
    return this.terminate(executionId);
  }
  async signal(executionId: string): Promise<Outcome> {
    return this.terminate(executionId);
  }
  async update(executionId: string, name: string): Promise<Outcome<unknown>> {
    const done = await this.terminate(executionId);
    return done.kind === 'done' ? { kind: 'done', value: { echoed: name } } : done;
  }
  async query(executionId: string, name: string): Promise<Outcome<unknown>> {
    return (await this.execution(executionId)) ? { kind: 'done', value: { asked: name } } : { kind: 'not_found' };
  }
  follow(_executionId: string, after: number | undefined, onBatch: (batch: FeedBatch) => void): () => void {
    let sent = after ?? this.streamed.length;
    const timer = setInterval(() => {
      const events = this.streamed.slice(sent);
      sent = Math.max(sent, this.streamed.length);
      onBatch({ events, closed: this.streamed.length >= 3 });
    }, 10);
    return () => clearInterval(timer);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

describe('sandbox: routes over another store', () => {
  let fake: FakeStore;
  let sb: Sandbox;
  beforeEach(async () => {
    fake = new FakeStore();
    sb = await startSandbox({ store: () => fake });
  });
  afterEach(async () => {
    await sb.close();
    assert.ok(fake.closed, 'closing the sandbox closes its store');
  });

  it('pages with the shared token, reads details and the history in the only shape it writes', async () => {
    const first = await callJson<WirePage>(sb, `${W}/runs?page_size=1`);
    assert.deepEqual(first.executions.map((r) => r.execution_id), ['order-2']);
    assert.ok(first.next_page_token);
    const second = await callJson<WirePage>(sb, `${W}/runs?page_size=1&next_page_token=${encodeURIComponent(first.next_page_token)}`);
    assert.deepEqual([second.executions.map((r) => r.execution_id), second.next_page_token], [['order-1'], null]);
    const foreign = await call(sb, `${W}/runs?next_page_token=${encodeURIComponent(first.next_page_token)}&order=asc`);
    assert.equal(foreign.status, 422, 'a token made for another order is the routes’ 422');

    assert.equal((await callJson<{ run_id: string }>(sb, `${W}/executions/order-1`)).run_id, RUN_A);
    assert.equal((await callJson<{ execution_id: string }>(sb, `${W}/runs/${RUN_B}`)).execution_id, 'order-2');
    const history = await call(sb, `${W}/executions/order-1/history`);
    assert.equal(history.text, `{"events":[{"eventId":"1","eventType":"EVENT_TYPE_WORKFLOW_EXECUTION_STARTED","of":"${RUN_A}"}]}`);
    assert.equal((await call(sb, `${W}/runs/${RUN_B}/history`)).status, 200);
    assert.equal((await call(sb, `${W}/runs/not-a-uuid/history`)).status, 422);
    assert.equal(JSON.parse((await call(sb, `${W}/executions/nope/history`)).text).code, 'WF_1100');
  });

  it('refuses history shapes the store does not write; no trace events without the capability', async () => {
    assert.throws(() => sb.setHistoryShape('seed'), /does not write the "seed" history shape/);
    const admin = await call(sb, '/_sandbox/history-shape', { body: { shape: 'trace' } });
    assert.deepEqual([admin.status, JSON.parse(admin.text)], [400, { detail: 'shape must be one of temporal' }]);
    await assert.rejects(startSandbox({ historyShape: 'seed', store: () => new FakeStore() }), /does not write the "seed"/);

    const trace = await call(sb, `${W}/executions/order-1/trace/events`);
    assert.deepEqual([trace.status, JSON.parse(trace.text)], [404, { detail: 'Not Found' }]);
  });

  it('turns outcomes into the API’s answers and records accepted resets', async () => {
    const invalid = await call(sb, `${W}/executions/order-1/reset`, { body: { event_id: 5, reason: 'r' } });
    assert.equal(invalid.status, 422);
    assert.deepEqual(JSON.parse(invalid.text).valid_reset_events, [4]);
    assert.equal((await call(sb, `${W}/executions/order-1/reset`, { body: { reason: 'no event' } })).status, 422);
    assert.equal((await call(sb, `${W}/executions/nope/reset`, { body: { event_id: 4 } })).status, 404);
    assert.equal(fake.resetCalls.length, 0, 'validation happens before the store is asked');

    assert.equal((await call(sb, `${W}/executions/order-1/reset`, { body: { event_id: '4', reason: 'fixed', exclude_updates: true } })).status, 204);
    assert.deepEqual(fake.resetCalls, [{ eventId: 4, reason: 'fixed', excludeSignals: false, excludeUpdates: true }]);
    assert.deepEqual(
      sb.resets.map(({ time: _t, ...r }) => r),
      [{ executionId: 'order-1', eventId: 4, reason: 'fixed', excludeSignals: false, excludeUpdates: true, oldRunId: RUN_A, newRunId: RUN_A }],
    );

    const closed = await call(sb, `${W}/executions/order-1/terminate`, { method: 'POST' });
    assert.deepEqual([closed.status, JSON.parse(closed.text)], [409, { detail: 'Workflow execution is not running', code: 'WF_1102', status: 'COMPLETED' }]);
    assert.equal((await call(sb, `${W}/executions/order-2/cancel`, { method: 'POST' })).status, 204);
    assert.deepEqual(await callJson(sb, `${W}/executions/order-2/signals`, 202, { body: { name: 'go' } }), { message: 'Signal accepted' });
    assert.deepEqual(await callJson(sb, `${W}/executions/order-2/updates`, 200, { body: { name: 'u' } }), { update_name: 'u', result: { echoed: 'u' } });
    assert.deepEqual(await callJson(sb, `${W}/executions/order-1/queries`, 200, { body: { name: 'q' } }), { query_name: 'q', result: { asked: 'q' } });
    assert.equal((await call(sb, `${W}/executions/nope/signals`, { body: {} })).status, 404);
  });

  it('keeps the fault switch in front of it: drop after acting still resets once', async () => {
    sb.faults.add({ pathIncludes: '/reset', drop: 'after', times: 1 });
    await assert.rejects(call(sb, `${W}/executions/order-2/reset`, { body: { event_id: 4 } }));
    assert.equal(fake.resetCalls.length, 1);
    assert.equal(sb.resets.length, 1);
    sb.faults.add({ pathIncludes: '/runs', status: 429, retryAfterSeconds: 2, times: 1 });
    const limited = await call(sb, `${W}/runs`);
    assert.deepEqual([limited.status, limited.headers['retry-after']], [429, '2']);
  });

  it('streams a polling feed as SSE, resuming after Last-Event-ID, until the feed says closed', async () => {
    fake.streamed.push(payload('order-2', 1));
    const res = await fetch(`${sb.baseUrl}${W}/executions/order-2/stream`, {
      headers: { authorization: `Bearer ${sb.apiKey}`, 'last-event-id': '0' },
    });
    assert.equal(res.status, 200);
    setTimeout(() => fake.streamed.push(payload('order-2', 2), payload('order-2', 3)), 30);
    const parser = new SseParser();
    const ids = parser.push(await res.text()).map((m) => m.id);
    assert.deepEqual(ids, ['1', '2', '3']);
  });

  it('answers 500 with the platform body when the store fails', async () => {
    fake.fail = true;
    const logged: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      const res = await call(sb, `${W}/executions/order-1`);
      assert.deepEqual([res.status, JSON.parse(res.text)], [500, { detail: 'An error occurred' }]);
    } finally {
      console.error = original;
    }
    assert.equal(logged.length, 1, 'and says why on the console');
  });
});
