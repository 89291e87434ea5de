import * as assert from 'node:assert/strict';
import { MockAgent } from 'undici';
import { isWorkflowsApiError } from '../../../../src/api';
import { WorkflowsClient } from '../../../../src/api/mistral';
import { clientFor, json, raw, startServer, TEST_KEY, withServer } from '../testServer';

const row = (id: string, start: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  workflow_name: 'order', execution_id: id, root_execution_id: id, run_id: `run-${start}`, status: 'RUNNING',
  start_time: start, end_time: null, ...extra,
});
const RESET = { executionId: 'a/b c', eventId: 4, reason: 'fix deployed', excludeSignals: true, excludeUpdates: false };

describe('api/mistral/client: requests', () => {
  it('lists executions with repeated status, renamed keys and the auth headers', async () => {
    await withServer((_q, res) => json(res, 200, { executions: [row('e1', '2026-01-01T00:00:00Z')], next_page_token: 'tok2' }), async (c, s) => {
      const page = await c.listExecutions({ status: ['RUNNING', 'FAILED'], workflow: 'order flow', search: 'x&y', pageSize: 25, pageToken: 'tok1' });
      const req = s.requests[0];
      assert.equal(req.method, 'GET');
      assert.ok(req.url.startsWith('/v1/workflows/runs?status=RUNNING&status=FAILED&'), req.url);
      const q = new URL(req.url, 'http://h').searchParams;
      assert.deepEqual(q.getAll('status'), ['RUNNING', 'FAILED']);
      assert.equal(q.get('workflow_identifier'), 'order flow');
      assert.equal(q.get('search'), 'x&y');
      assert.equal(q.get('page_size'), '25');
      assert.equal(q.get('next_page_token'), 'tok1');
      assert.equal(req.headers.authorization, `Bearer ${TEST_KEY}`);
      assert.equal(req.headers.accept, 'application/json');
      assert.equal(req.headers['user-agent'], 'mistral-workflows-vscode');
      assert.equal(page.nextPageToken, 'tok2');
      assert.equal(page.executions[0].executionId, 'e1');
      assert.equal(page.executions[0].startTime?.toISOString(), '2026-01-01T00:00:00.000Z');
      assert.equal(page.executions[0].endTime, undefined);
    });
  });

  it('treats a null, blank or missing page token as the last page', async () => {
    const tokens: unknown[] = [null, '', '   ', undefined];
    await withServer((_q, res, _b, n) => json(res, 200, { executions: [], next_page_token: tokens[n - 1] }), async (c) => {
      for (let i = 0; i < tokens.length; i++) assert.equal((await c.listExecutions({})).nextPageToken, undefined);
    });
  });

  it('parses rows tolerantly: unknown and null statuses kept, rows without an id skipped', async () => {
    const rows = [row('e1', '2026-01-01T00:00:00Z', { status: 'PAUSED_FOR_LUNCH', total_duration_ms: 12 }), { workflow_name: 'no id' },
      row('e2', 'garbage', { status: null }), null];
    await withServer((_q, res) => json(res, 200, { executions: rows }), async (c) => {
      const { executions } = await c.listExecutions({});
      assert.deepEqual(executions.map((e) => [e.executionId, e.status]), [['e1', 'PAUSED_FOR_LUNCH'], ['e2', null]]);
      assert.equal(executions[0].totalDurationMs, 12);
      assert.equal(executions[1].startTime, undefined);
    });
  });

  it('percent-encodes path ids and handles a base URL with a prefix and trailing slash', async () => {
    const s = await startServer((_q, res) => json(res, 200, { ...row('a/b c', '2026-01-01T00:00:00Z'), result: { ok: 1 } }));
    const c = clientFor(`${s.baseUrl}/proxy/`);
    try {
      const e = await c.getExecution('a/b c');
      await c.getRun('r/1 2');
      assert.equal(s.requests[0].url, '/proxy/v1/workflows/executions/a%2Fb%20c');
      assert.equal(s.requests[1].url, '/proxy/v1/workflows/runs/r%2F1%202');
      assert.deepEqual(e.result, { ok: 1 });
    } finally {
      await s.close();
      await c.close();
    }
  });

  it('reads history of the latest run or of one run, decoded', async () => {
    const events = [{ event_id: 1, event_type: 'WORKFLOW_EXECUTION_STARTED' }, { event_id: 2, event_type: 'WORKFLOW_TASK_SCHEDULED' }];
    await withServer((_q, res) => json(res, 200, { events }), async (c, s) => {
      assert.equal((await c.getHistory('e 1')).length, 2);
      await c.getHistory('e 1', { runId: 'r/2' });
      assert.equal(s.requests[0].url, '/v1/workflows/executions/e%201/history?decode_payloads=true');
      assert.equal(s.requests[1].url, '/v1/workflows/runs/r%2F2/history?decode_payloads=true');
    });
  });

  it('reads trace events with their execution (nanos beyond 2^53)', async () => {
    const body = `{"execution_id":"e1","workflow_name":"order","status":"COMPLETED","events":[` +
      `{"type":"EVENT","name":"WORKFLOW_TASK_COMPLETED","id":"4","timestamp_unix_nano":1795000000123456789,"attributes":{}}]}`;
    await withServer((_q, res) => raw(res, 200, body), async (c, s) => {
      const { execution, events } = await c.getTraceEvents('e1');
      assert.equal(s.requests[0].url, '/v1/workflows/executions/e1/trace/events?include_internal_events=true&merge_same_id_events=false');
      assert.equal(execution.status, 'COMPLETED');
      assert.equal(events[0].eventId, 4);
      assert.equal(events[0].time?.getTime(), 1795000000123);
    });
  });

  it('lists every run of an execution across pages, exact id only, newest first, bounded', async () => {
    const pages = [
      { executions: [row('e1', '2026-01-01T00:00:00Z'), row('e10', '2026-01-05T00:00:00Z')], next_page_token: 'p2' },
      { executions: [row('e1', '2026-01-03T00:00:00Z'), row('e1', '2026-01-02T00:00:00Z')], next_page_token: null },
    ];
    await withServer((_q, res, _b, n) => json(res, 200, pages[n - 1]), async (c, s) => {
      const runs = await c.listRuns('e1');
      assert.deepEqual(runs.map((r) => r.startTime?.getUTCDate()), [3, 2, 1]);
      assert.equal(new URL(s.requests[1].url, 'http://h').searchParams.get('next_page_token'), 'p2');
      assert.equal(new URL(s.requests[0].url, 'http://h').searchParams.get('search'), 'e1');
    });
    await withServer((_q, res, _b, n) => json(res, 200, { executions: [], next_page_token: `t${n}` }), async (c, s) => {
      await c.listRuns('e1');
      assert.equal(s.requests.length, 20);
    });
  });

  it('POSTs a reset with all four fields, and the other actions', async () => {
    await withServer((_q, res) => { res.statusCode = 204; res.end(); }, async (c, s) => {
      await c.reset(RESET);
      await c.terminate('e/1');
      await c.cancel('e/1');
      await c.signal('e/1', 'approve', { by: 'me' });
      await c.signal('e/1', 'ping');
      const [reset, terminate, cancel, sig, ping] = s.requests;
      assert.equal(reset.method, 'POST');
      assert.equal(reset.url, '/v1/workflows/executions/a%2Fb%20c/reset');
      assert.equal(reset.headers['content-type'], 'application/json');
      assert.equal(reset.headers.authorization, `Bearer ${TEST_KEY}`);
      assert.deepEqual(JSON.parse(reset.body), { event_id: 4, reason: 'fix deployed', exclude_signals: true, exclude_updates: false });
      assert.equal(terminate.url, '/v1/workflows/executions/e%2F1/terminate');
      assert.equal(cancel.url, '/v1/workflows/executions/e%2F1/cancel');
      assert.equal(sig.url, '/v1/workflows/executions/e%2F1/signals');
      assert.deepEqual(JSON.parse(sig.body), { name: 'approve', input: { by: 'me' } });
      assert.deepEqual(JSON.parse(ping.body), { name: 'ping' });
    });
  });

  it('POSTs a query once and returns its result; a body without one is a parse error', async () => {
    const bodies: unknown[] = [{ query_name: '__stack_trace', result: 'File "w.py", line 3' }, { query_name: 'x' }, { query_name: 'status', result: null }];
    await withServer((_q, res, _b, n) => json(res, 200, bodies[n - 1]), async (c, s) => {
      assert.equal(await c.query('e/1', '__stack_trace'), 'File "w.py", line 3');
      await assert.rejects(c.query('e/1', 'x', { a: 1 }), (e: unknown) => isWorkflowsApiError(e) && e.kind === 'parse');
      assert.equal(await c.query('e/1', 'status'), null, 'a null result is a result');
      const [stack, x] = s.requests;
      assert.equal(stack.method, 'POST');
      assert.equal(stack.url, '/v1/workflows/executions/e%2F1/queries');
      assert.deepEqual(JSON.parse(stack.body), { name: '__stack_trace' });
      assert.deepEqual(JSON.parse(x.body), { name: 'x', input: { a: 1 } });
      assert.equal(s.requests.length, 3, 'never retried');
    });
  });

  it('reads a 51,200-event history', async () => {
    const events = Array.from({ length: 51_200 }, (_, i) => ({
      event_id: i + 1, event_type: 'ACTIVITY_TASK_SCHEDULED', event_time: '2026-01-01T00:00:00Z',
      attributes: { activity_type: { name: 'step' }, input: 'x'.repeat(300) },
    }));
    const text = JSON.stringify({ events });
    await withServer((_q, res) => raw(res, 200, text), async (c) => {
      const history = await c.getHistory('big');
      assert.equal(history.length, 51_200);
      assert.equal(history[51_199].eventId, 51_200);
    });
  });

  it('once closed sends nothing more and cancels its reads in flight, but lets a write finish', async () => {
    let releaseWrite: () => void = () => undefined;
    let readArrived: () => void = () => undefined;
    const readIn = new Promise<void>((resolve) => (readArrived = resolve));
    await withServer((req, res) => {
      if (req.method === 'POST') {
        releaseWrite = () => { res.statusCode = 204; res.end(); };
        readArrived(); // the write is in flight too
        return;
      }
      if (req.url?.includes('/history')) return; // never answers: cancelled by close()
      json(res, 200, row('e1', '2026-01-01T00:00:00Z'));
    }, async (c, s) => {
      const read = c.getHistory('slow');
      const write = c.reset(RESET);
      await readIn;
      while (s.requests.length < 2) await new Promise((r) => setImmediate(r));
      const closing = c.close();
      await assert.rejects(read, (e: unknown) => isWorkflowsApiError(e) && e.kind === 'aborted' && /connection was closed/.test(e.message));
      const before = s.requests.length;
      await assert.rejects(c.getExecution('e1'), (e: unknown) => isWorkflowsApiError(e) && e.kind === 'aborted' && !e.outcomeUnknown);
      await assert.rejects(c.terminate('e1'), (e: unknown) => isWorkflowsApiError(e) && e.kind === 'aborted' && !e.outcomeUnknown);
      assert.equal(s.requests.length, before, 'nothing was sent after close()');
      releaseWrite();
      await write; // the reset in flight still gets its answer
      await closing;
    });
  });

  it('uses an injected dispatcher (and leaves closing it to its owner)', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get('https://api.example.test').intercept({ path: '/v1/workflows/executions/e1', method: 'GET' })
      .reply(200, row('e1', '2026-01-01T00:00:00Z'));
    const c = new WorkflowsClient({ baseUrl: 'https://api.example.test', apiKey: TEST_KEY, dispatcher: agent });
    try {
      assert.equal((await c.getExecution('e1')).executionId, 'e1');
      await c.close();
      agent.assertNoPendingInterceptors();
    } finally {
      await agent.close();
    }
  });
});
