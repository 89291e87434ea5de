/**
 * The sandbox's own semantics: auth, listing, reads, history shapes, reset, faults and the CLI.
 * Each describe block starts its own sandbox on a free port, so blocks never see each other's resets.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCli } from '../../../sandbox/cli';
import { workflowNamesIn } from '../../../sandbox/engine/definitions';
import { PROJECT_ROOT } from '../../../sandbox/engine/paths';
import { DEMO_WORKFLOW, DEMO_WORKFLOWS, SHIPPING_WORKFLOW, TEMPORAL_WORKFLOWS } from '../../../sandbox/engine/sandbox';
import { BIG_EVENT_COUNT, DEMO, DEMO_RESET_REASONS, startSandbox, type Sandbox } from '../../../sandbox/server';
import { allRows, call, callJson, seedHistory, waitFor, W, type SeedEvent, type WirePage, type WireRow } from '../helpers/sandbox-http';

/** Every status the seed has; not Mistral's deprecated RETRYING_AFTER_ERROR, which the service no longer shows. */
const STATUSES = ['RUNNING', 'COMPLETED', 'FAILED', 'CANCELED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT'];

function useSandbox(options: Parameters<typeof startSandbox>[0] = {}): () => Sandbox {
  let sandbox: Sandbox | undefined;
  before(async () => {
    sandbox = await startSandbox({ completionDelayMs: 50, ...options });
  });
  after(async () => {
    await sandbox?.close();
  });
  return () => {
    if (!sandbox) throw new Error('sandbox not started');
    return sandbox;
  };
}

describe('sandbox: auth and routing', () => {
  const sb = useSandbox();

  it('answers 401 without a key and with a wrong key, and records both as unauthorized', async () => {
    for (const key of [null, 'wrong-key']) {
      const res = await call(sb(), `${W}/runs`, { key });
      assert.equal(res.status, 401);
      assert.match(String(res.headers['content-type']), /application\/json/);
      assert.deepEqual(JSON.parse(res.text), { detail: 'Unauthorized' });
    }
    const recorded = sb().requests.slice(-2);
    assert.deepEqual(recorded.map((r) => r.authorized), [false, false]);
  });

  it('answers 404 Not Found for unknown paths and records requests with their query', async () => {
    const res = await call(sb(), `${W}/nope?x=1`);
    assert.equal(res.status, 404);
    assert.deepEqual(JSON.parse(res.text), { detail: 'Not Found' });
    const last = sb().requests.at(-1);
    assert.equal(last?.path, `${W}/nope`);
    assert.equal(last?.query, 'x=1');
    assert.equal(last?.authorized, true);
  });

  it('does not record admin requests', async () => {
    const before = sb().requests.length;
    const res = await call(sb(), '/_sandbox/requests');
    assert.equal(res.status, 200);
    assert.equal((JSON.parse(res.text) as unknown[]).length, before);
    assert.equal(sb().requests.length, before);
  });
});

describe('sandbox: listing', () => {
  const sb = useSandbox();
  let all: WireRow[] = [];

  before(async () => {
    all = (await callJson<WirePage>(sb(), `${W}/runs?page_size=1000`)).executions;
  });

  it('seeds at least 30 executions with every status but the deprecated one, one row per run', () => {
    assert.ok(new Set(all.map((r) => r.execution_id)).size >= 30);
    for (const s of STATUSES) assert.ok(all.some((r) => r.status === s), `no ${s} row`);
    assert.deepEqual(all.filter((r) => r.status === 'RETRYING_AFTER_ERROR'), []);
    const resetRows = all.filter((r) => r.execution_id === DEMO.reset);
    assert.equal(resetRows.length, 3);
    assert.equal(resetRows.filter((r) => r.status === 'TERMINATED').length, 2);
  });

  it('is deterministic: the same seed and anchor time give the same data, another seed differs', async () => {
    const now = Date.UTC(2026, 0, 20, 12, 0);
    const bodies: string[] = [];
    for (const seed of [5, 5, 6]) {
      const other = await startSandbox({ seed, now });
      try {
        bodies.push((await call(other, `${W}/runs?page_size=1000`)).text);
      } finally {
        await other.close();
      }
    }
    assert.equal(bodies[0], bodies[1]);
    assert.notEqual(bodies[0], bodies[2]);
    assert.ok(bodies[0].includes(DEMO.failed) && bodies[2].includes(DEMO.failed), 'demo ids do not depend on the seed');
  });

  it('sorts by start_time desc by default, ties broken by execution id', () => {
    for (let i = 1; i < all.length; i++) {
      const a = Date.parse(all[i - 1].start_time);
      const b = Date.parse(all[i].start_time);
      assert.ok(a > b || (a === b && all[i - 1].execution_id <= all[i].execution_id));
    }
  });

  it('sorts ascending and by end_time', async () => {
    const asc = (await callJson<WirePage>(sb(), `${W}/runs?page_size=1000&order=asc`)).executions;
    assert.deepEqual(asc.map((r) => r.run_id), [...all].reverse().map((r) => r.run_id).filter((id) => asc.some((r) => r.run_id === id)));
    const byEnd = (await callJson<WirePage>(sb(), `${W}/runs?page_size=1000&sort_by=end_time&order=asc`)).executions;
    const ends = byEnd.filter((r) => r.end_time !== null).map((r) => Date.parse(r.end_time as string));
    assert.deepEqual(ends, [...ends].sort((x, y) => x - y));
    assert.equal(byEnd.at(-1)?.end_time, null, 'open runs sort last in ascending end_time order');
  });

  it('filters by repeated status, workflow and search', async () => {
    const two = (await callJson<WirePage>(sb(), `${W}/runs?page_size=1000&status=RUNNING&status=FAILED`)).executions;
    assert.ok(two.length > 0);
    assert.ok(two.every((r) => r.status === 'RUNNING' || r.status === 'FAILED'));
    assert.equal(two.length, all.filter((r) => r.status === 'RUNNING' || r.status === 'FAILED').length);

    const wf = (await callJson<WirePage>(sb(), `${W}/runs?page_size=1000&workflow_identifier=invoice-sync`)).executions;
    assert.ok(wf.length > 0 && wf.every((r) => r.workflow_name === 'invoice-sync'));

    const search = (await callJson<WirePage>(sb(), `${W}/runs?page_size=1000&search=ORDER-FUL`)).executions;
    assert.ok(search.length > 0 && search.every((r) => r.workflow_name === 'order-fulfillment'));

    const byId = (await callJson<WirePage>(sb(), `${W}/runs?search=${DEMO.failed}`)).executions;
    assert.deepEqual(byId.map((r) => r.execution_id), [DEMO.failed]);
    const runId = all.find((r) => r.execution_id === DEMO.reset && r.status === 'TERMINATED')?.run_id as string;
    const byRun = (await callJson<WirePage>(sb(), `${W}/runs?search=${runId}`)).executions;
    assert.deepEqual(byRun.map((r) => r.run_id), [runId]);
  });

  it('pages with next_page_token over every row exactly once', async () => {
    const { rows, pages } = await allRows(sb(), '', 7);
    assert.equal(pages, Math.ceil(all.length / 7));
    assert.deepEqual(rows.map((r) => r.run_id), all.map((r) => r.run_id));
    const filtered = await allRows(sb(), '&status=COMPLETED&order=asc&sort_by=end_time', 4);
    assert.equal(new Set(filtered.rows.map((r) => r.run_id)).size, filtered.rows.length);
    assert.equal(filtered.rows.length, all.filter((r) => r.status === 'COMPLETED').length);
  });

  it('answers 422 FastAPI validation errors for bad page_size and tokens', async () => {
    for (const [query, type] of [
      ['page_size=0', 'greater_than_equal'],
      ['page_size=1001', 'less_than_equal'],
      ['page_size=abc', 'int_parsing'],
      ['next_page_token=not-a-token', 'value_error'],
      ['status=DONE', 'enum'],
    ]) {
      const res = await call(sb(), `${W}/runs?${query}`);
      assert.equal(res.status, 422, query);
      const body = JSON.parse(res.text) as { detail: { loc: unknown[]; msg: string; type: string }[] };
      assert.equal(body.detail[0].type, type, query);
      assert.equal(body.detail[0].loc[0], 'query');
      assert.equal(typeof body.detail[0].msg, 'string');
    }
  });
});

describe('sandbox: executions, runs and histories', () => {
  const sb = useSandbox();

  it('gets an execution (latest run + result) and one run', async () => {
    const latest = await callJson<WireRow>(sb(), `${W}/executions/${DEMO.reset}`);
    assert.equal(latest.status, 'COMPLETED');
    assert.notEqual(latest.result, null);
    const rows = (await callJson<WirePage>(sb(), `${W}/runs?search=${DEMO.reset}`)).executions;
    const old = rows.find((r) => r.status === 'TERMINATED') as WireRow;
    const run = await callJson<WireRow>(sb(), `${W}/runs/${old.run_id}`);
    assert.equal(run.run_id, old.run_id);
    assert.equal(run.status, 'TERMINATED');
    assert.equal(run.result, null);
  });

  it('answers the __stack_trace query with text for a running execution, empty for a closed one; other queries with the status', async () => {
    const stack = await callJson<{ query_name: string; result: unknown }>(sb(), `${W}/executions/${DEMO.pending}/queries`, 200, { body: { name: '__stack_trace' } });
    assert.equal(stack.query_name, '__stack_trace');
    assert.match(String(stack.result), /^Stack for the sandbox's stand-in of refund-processor .*\n {2}File "\/app\/workflows\/refund_processor\/workflow\.py"/s);
    assert.match(String(stack.result), /waiting since event 18 ACTIVITY_TASK_STARTED/);
    const closed = await callJson<{ result: unknown }>(sb(), `${W}/executions/${DEMO.failed}/queries`, 200, { body: { name: '__stack_trace' } });
    assert.equal(closed.result, '');
    const status = await callJson<{ result: unknown }>(sb(), `${W}/executions/${DEMO.pending}/queries`, 200, { body: { name: 'status' } });
    assert.deepEqual(status.result, { status: 'RUNNING' });
  });

  it('answers 404 WF_1100 for unknown executions and runs, 422 for a run id that is not a UUID', async () => {
    for (const p of ['/executions/no-such-execution', '/executions/no-such/history', '/runs/00000000-0000-4000-8000-000000000000']) {
      const res = await call(sb(), `${W}${p}`);
      assert.equal(res.status, 404, p);
      assert.deepEqual(JSON.parse(res.text), { detail: 'Workflow execution not found', code: 'WF_1100' });
    }
    assert.equal((await call(sb(), `${W}/runs/not-a-uuid`)).status, 422);
  });

  it('writes the same events in the three history shapes', async () => {
    const seed = await seedHistory(sb(), `${W}/executions/${DEMO.failed}/history?decode_payloads=true`);
    sb().setHistoryShape('temporal');
    const temporal = (await callJson<{ events: Record<string, unknown>[] }>(sb(), `${W}/executions/${DEMO.failed}/history`)).events;
    sb().setHistoryShape('trace');
    const trace = (await callJson<{ events: { id: string; name: string; attributes: Record<string, unknown> }[] }>(sb(), `${W}/executions/${DEMO.failed}/history`)).events;
    sb().setHistoryShape('seed');
    assert.ok(seed.length > 30);
    assert.deepEqual(temporal.map((e) => e.eventId), seed.map((e) => String(e.event_id)));
    assert.deepEqual(temporal.map((e) => e.eventType), seed.map((e) => `EVENT_TYPE_${e.event_type}`));
    assert.deepEqual(trace.map((e) => e.id), seed.map((e) => String(e.event_id)));
    assert.deepEqual(trace.map((e) => e.name), seed.map((e) => e.event_type));
    assert.ok('workflowTaskCompletedEventAttributes' in temporal[3]);
    const failed = trace.find((e) => e.name === 'ACTIVITY_TASK_FAILED');
    assert.equal(failed?.attributes['failure.application_failure_info.type'], 'KeyError');
    assert.match(String(failed?.attributes['failure.stack_trace']), /KeyError: 'shipping_address'/);
  });

  it('seeds coherent histories: every activity closes, the failed demo has signals and an update after its middle reset points', async () => {
    const h = await seedHistory(sb(), `${W}/executions/${DEMO.failed}/history`);
    assert.deepEqual(h.map((e) => e.event_id), h.map((_e, i) => i + 1));
    const after16 = h.filter((e) => e.event_id > 16);
    assert.equal(after16.filter((e) => e.event_type === 'WORKFLOW_EXECUTION_SIGNALED').length, 2);
    assert.equal(after16.filter((e) => e.event_type === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED').length, 1);
    assert.equal(h.at(-1)?.event_type, 'WORKFLOW_EXECUTION_FAILED');
    const running = await seedHistory(sb(), `${W}/executions/${DEMO.running}/history`);
    assert.equal(running.at(-1)?.event_type, 'TIMER_STARTED');
  });

  it('keeps the past resets of the reset demo in its runs', async () => {
    const rows = (await callJson<WirePage>(sb(), `${W}/runs?search=${DEMO.reset}&order=asc`)).executions;
    assert.deepEqual(rows.map((r) => r.status), ['TERMINATED', 'TERMINATED', 'COMPLETED']);
    for (const [i, row] of rows.entries()) {
      const h = await seedHistory(sb(), `${W}/runs/${row.run_id}/history`);
      if (i < 2) {
        assert.equal(h.at(-1)?.event_type, 'WORKFLOW_EXECUTION_TERMINATED');
        assert.equal(h.at(-1)?.attributes.reason, DEMO_RESET_REASONS[i]);
      }
      if (i > 0) {
        // A run copies its parent's events up to the point, so the third run holds both markers: take the last.
        const marker = [...h].reverse().find((e) => e.event_type === 'WORKFLOW_TASK_FAILED' && e.attributes.cause === 'RESET_WORKFLOW');
        assert.ok(marker, `run ${i + 1} has no reset marker`);
        assert.equal(marker.attributes.new_run_id, row.run_id);
        assert.equal(marker.attributes.base_run_id, rows[i - 1].run_id);
      }
    }
  });

  it('writes trace timestamps as exact nanosecond integers above 2^53', async () => {
    const res = await call(sb(), `${W}/executions/${DEMO.failed}/trace/events?include_internal_events=true&merge_same_id_events=false`);
    assert.equal(res.status, 200);
    const nanos = [...res.text.matchAll(/"timestamp_unix_nano":(\d+)[,}]/g)].map((m) => m[1]);
    assert.ok(nanos.length > 30);
    for (const text of nanos) {
      const n = BigInt(text);
      assert.ok(n > 2n ** 53n);
      assert.notEqual(n % 1000n, 0n, `${text} has no sub-microsecond digits`);
    }
    // At least some of them cannot survive a round trip through a double: the text is exact.
    assert.ok(nanos.some((t) => BigInt(Number(t)) !== BigInt(t)));
  });

  it('serves the big execution with exactly 51,200 events', async () => {
    const h = await seedHistory(sb(), `${W}/executions/${DEMO.big}/history`);
    assert.equal(h.length, BIG_EVENT_COUNT);
    assert.equal(h.length, 51_200);
    assert.equal(h[0].event_type, 'WORKFLOW_EXECUTION_STARTED');
    assert.equal(h.at(-1)?.event_id, 51_200);
    assert.equal(h.at(-1)?.event_type, 'WORKFLOW_EXECUTION_COMPLETED');
    const row = await callJson<WireRow>(sb(), `${W}/executions/${DEMO.big}`);
    assert.equal(Date.parse(row.end_time as string), Date.parse(h.at(-1)?.event_time as string));
  });
});

/** Event types after the RESET_WORKFLOW marker. */
function afterMarker(h: SeedEvent[]): string[] {
  const i = h.findIndex((e) => e.event_type === 'WORKFLOW_TASK_FAILED');
  return h.slice(i + 1).map((e) => e.event_type);
}

describe('sandbox: reset', () => {
  const sb = useSandbox();

  it('rejects a point that is not a WORKFLOW_TASK_COMPLETED with WF_1001 and the valid ids', async () => {
    const h = await seedHistory(sb(), `${W}/executions/${DEMO.failed}/history`);
    const valid = h.filter((e) => e.event_type === 'WORKFLOW_TASK_COMPLETED').map((e) => e.event_id);
    const res = await call(sb(), `${W}/executions/${DEMO.failed}/reset`, { body: { event_id: 5, reason: 'x', exclude_signals: false, exclude_updates: false } });
    assert.equal(res.status, 422);
    const body = JSON.parse(res.text) as { detail: string; code: string; valid_reset_events: number[] };
    assert.equal(body.code, 'WF_1001');
    assert.match(body.detail, /^Invalid event id for reset/);
    assert.deepEqual(body.valid_reset_events, valid);
    assert.equal(sb().resets.length, 0);
  });

  it('validates the body (422 detail array) and answers 404 WF_1100 for unknown executions', async () => {
    for (const body of [{ reason: 'x' }, { event_id: 'ten' }, { event_id: 1.5 }]) {
      const res = await call(sb(), `${W}/executions/${DEMO.failed}/reset`, { body });
      assert.equal(res.status, 422);
      const detail = (JSON.parse(res.text) as { detail: { loc: string[] }[] }).detail;
      assert.deepEqual(detail[0].loc, ['body', 'event_id']);
    }
    const notJson = await call(sb(), `${W}/executions/${DEMO.failed}/reset`, { rawBody: '{nope' });
    assert.equal(notJson.status, 422);
    const unknown = await call(sb(), `${W}/executions/nope/reset`, { body: { event_id: 4 } });
    assert.equal(unknown.status, 404);
    assert.equal((JSON.parse(unknown.text) as { code: string }).code, 'WF_1100');
  });

  it('resets: old run TERMINATED with the reason, new run RUNNING with the copied events, marker and re-applied signals', async () => {
    const old = await seedHistory(sb(), `${W}/executions/${DEMO.failed}/history`);
    const oldRun = (await callJson<WireRow>(sb(), `${W}/executions/${DEMO.failed}`)).run_id;
    const reason = 'Deployed fix for KeyError (#77)';
    const res = await call(sb(), `${W}/executions/${DEMO.failed}/reset`, { body: { event_id: 10, reason, exclude_signals: false, exclude_updates: false } });
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    const record = sb().resets.at(-1);
    assert.equal(record?.eventId, 10);
    assert.equal(record?.oldRunId, oldRun);
    assert.equal(record?.reason, reason);

    const rows = (await callJson<WirePage>(sb(), `${W}/runs?search=${DEMO.failed}`)).executions;
    assert.equal(rows.length, 2);
    const newRow = rows.find((r) => r.run_id === record?.newRunId) as WireRow;
    const oldRow = rows.find((r) => r.run_id === oldRun) as WireRow;
    assert.equal(oldRow.status, 'TERMINATED');
    assert.notEqual(oldRow.end_time, null);
    assert.equal(newRow.status, 'RUNNING');

    const oldHistory = await seedHistory(sb(), `${W}/runs/${oldRun}/history`);
    assert.equal(oldHistory.at(-1)?.event_type, 'WORKFLOW_EXECUTION_TERMINATED');
    assert.equal(oldHistory.at(-1)?.attributes.reason, reason);

    const fresh = await seedHistory(sb(), `${W}/executions/${DEMO.failed}/history`);
    assert.deepEqual(fresh.slice(0, 10), old.slice(0, 10));
    const marker = fresh[10];
    assert.equal(marker.event_type, 'WORKFLOW_TASK_FAILED');
    assert.equal(marker.attributes.cause, 'RESET_WORKFLOW');
    assert.deepEqual(marker.attributes.failure, { message: reason });
    assert.equal(marker.attributes.base_run_id, oldRun);
    assert.equal(marker.attributes.new_run_id, record?.newRunId);
    assert.deepEqual(afterMarker(fresh).slice(0, 4), [
      'WORKFLOW_TASK_SCHEDULED',
      'WORKFLOW_EXECUTION_SIGNALED',
      'WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
      'WORKFLOW_EXECUTION_SIGNALED',
    ]);
  });

  it('completes the new run after completionDelayMs with the remaining activities succeeding', async () => {
    await waitFor(async () => (await callJson<WireRow>(sb(), `${W}/executions/${DEMO.failed}`)).status === 'COMPLETED');
    const h = await seedHistory(sb(), `${W}/executions/${DEMO.failed}/history`);
    assert.equal(h.at(-1)?.event_type, 'WORKFLOW_EXECUTION_COMPLETED');
    const done = h.filter((e) => e.event_type === 'ACTIVITY_TASK_COMPLETED').length;
    assert.equal(done, 5, 'all five order-fulfillment activities completed');
    assert.ok(!h.some((e) => e.event_type === 'ACTIVITY_TASK_FAILED'));
  });

  it('skips signals and updates when excluded, and allows resetting a RUNNING execution', async () => {
    const before = await seedHistory(sb(), `${W}/executions/${DEMO.running}/history`);
    assert.ok(before.some((e) => e.event_id > 4 && e.event_type === 'WORKFLOW_EXECUTION_SIGNALED'));
    const res = await call(sb(), `${W}/executions/${DEMO.running}/reset`, { body: { event_id: 4, reason: 'r', exclude_signals: true, exclude_updates: true } });
    assert.equal(res.status, 204);
    const h = await seedHistory(sb(), `${W}/executions/${DEMO.running}/history`);
    const tail = afterMarker(h);
    assert.ok(!tail.includes('WORKFLOW_EXECUTION_SIGNALED'));
    assert.ok(!tail.includes('WORKFLOW_EXECUTION_UPDATE_ACCEPTED'));
  });
});

describe('sandbox: terminate, cancel, signals', () => {
  const sb = useSandbox();

  it('answers 409 WF_1102 with the status when the execution is not running', async () => {
    for (const action of ['terminate', 'cancel']) {
      const res = await call(sb(), `${W}/executions/${DEMO.failed}/${action}`, { method: 'POST' });
      assert.equal(res.status, 409);
      assert.deepEqual(JSON.parse(res.text), { detail: 'Workflow execution is not running', code: 'WF_1102', status: 'FAILED' });
    }
  });

  it('signals a running execution (202) and appends the event', async () => {
    const res = await call(sb(), `${W}/executions/${DEMO.running}/signals`, { body: { name: 'nudge', input: { n: 1 } } });
    assert.equal(res.status, 202);
    assert.deepEqual(JSON.parse(res.text), { message: 'Signal accepted' });
    const h = await seedHistory(sb(), `${W}/executions/${DEMO.running}/history`);
    const sig = h.filter((e) => e.event_type === 'WORKFLOW_EXECUTION_SIGNALED').at(-1);
    assert.equal(sig?.attributes.signal_name, 'nudge');
  });

  it('terminates a running execution (204), then answers 409 with status TERMINATED', async () => {
    assert.equal((await call(sb(), `${W}/executions/${DEMO.running}/terminate`, { method: 'POST' })).status, 204);
    const again = await call(sb(), `${W}/executions/${DEMO.running}/terminate`, { method: 'POST' });
    assert.equal(again.status, 409);
    assert.equal((JSON.parse(again.text) as { status: string }).status, 'TERMINATED');
    const signal = await call(sb(), `${W}/executions/${DEMO.running}/signals`, { body: { name: 'late' } });
    assert.equal(signal.status, 409);
  });
});

describe('sandbox: fault switch', () => {
  const sb = useSandbox();
  afterEach(() => sb().faults.clear());

  it('delays answers by latencyMs', async () => {
    sb().faults.add({ pathIncludes: '/executions/', latencyMs: 300, times: 1 });
    const t0 = Date.now();
    assert.equal((await call(sb(), `${W}/executions/${DEMO.failed}`)).status, 200);
    assert.ok(Date.now() - t0 >= 250);
  });

  it('answers 5xx with the platform body, only `times` times', async () => {
    sb().faults.add({ method: 'GET', pathIncludes: '/runs', status: 503, times: 1 });
    const res = await call(sb(), `${W}/runs`);
    assert.equal(res.status, 503);
    assert.deepEqual(JSON.parse(res.text), { detail: 'An error occurred' });
    assert.equal((await call(sb(), `${W}/runs`)).status, 200);
    assert.equal(sb().faults.rules.length, 0, 'a used-up rule is removed');
  });

  it('answers 429 with Retry-After', async () => {
    sb().faults.add({ status: 429, retryAfterSeconds: 7 });
    const res = await call(sb(), `${W}/runs`);
    assert.equal(res.status, 429);
    assert.equal(res.headers['retry-after'], '7');
  });

  it('sends a raw body (HTML error page) with its content type', async () => {
    sb().faults.add({ status: 502, body: '<html><body>Bad Gateway</body></html>', contentType: 'text/html' });
    const res = await call(sb(), `${W}/runs`);
    assert.equal(res.status, 502);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.text, /Bad Gateway/);
  });

  it('truncates a JSON body', async () => {
    const full = await call(sb(), `${W}/executions/${DEMO.failed}`);
    sb().faults.add({ truncate: true, times: 1 });
    const res = await call(sb(), `${W}/executions/${DEMO.failed}`);
    assert.equal(res.status, 200);
    assert.equal(res.text, full.text.slice(0, Math.floor(full.text.length / 2)));
    assert.throws(() => JSON.parse(res.text));
  });

  it('drops the connection before acting: no reset happens', async () => {
    sb().faults.add({ method: 'POST', pathIncludes: '/reset', drop: 'before', times: 1 });
    await assert.rejects(call(sb(), `${W}/executions/${DEMO.failed}/reset`, { body: { event_id: 4, reason: 'x' } }));
    assert.equal(sb().resets.length, 0);
  });

  it('drops the connection after acting: the reset is recorded but never answered', async () => {
    sb().faults.add({ method: 'POST', pathIncludes: '/reset', drop: 'after', times: 1 });
    await assert.rejects(call(sb(), `${W}/executions/${DEMO.failed}/reset`, { body: { event_id: 4, reason: 'x' } }));
    assert.equal(sb().resets.length, 1);
    assert.equal((await callJson<WireRow>(sb(), `${W}/executions/${DEMO.failed}`)).status, 'RUNNING');
  });

  it('acts, then answers 500 or 503: the reset is recorded although the answer says it failed', async () => {
    for (const status of [500, 503]) {
      const before = sb().resets.length;
      sb().faults.add({ method: 'POST', pathIncludes: '/reset', statusAfter: status, times: 1 });
      const res = await call(sb(), `${W}/executions/${DEMO.failed}/reset`, { body: { event_id: 4, reason: `applied, then ${status}` } });
      assert.equal(res.status, status);
      assert.deepEqual(JSON.parse(res.text), { detail: 'An error occurred' });
      assert.deepEqual(sb().resets.slice(before).map((r) => r.reason), [`applied, then ${status}`]);
    }
  });

  it('is driven over HTTP by the admin endpoints', async () => {
    const add = await call(sb(), '/_sandbox/faults', { body: { status: 500, pathIncludes: '/runs' } });
    assert.equal(add.status, 201);
    assert.equal((await call(sb(), `${W}/runs`)).status, 500);
    assert.equal((await call(sb(), '/_sandbox/faults', { method: 'DELETE' })).status, 204);
    assert.equal((await call(sb(), `${W}/runs`)).status, 200);
    assert.equal((await call(sb(), '/_sandbox/faults', { body: { drop: 'sideways' } })).status, 400);
    assert.equal((await call(sb(), '/_sandbox/history-shape', { body: { shape: 'temporal' } })).status, 204);
    const h = await callJson<{ events: { eventId: string }[] }>(sb(), `${W}/executions/${DEMO.failed}/history`);
    assert.equal(typeof h.events[0].eventId, 'string');
    const resets = await callJson<unknown[]>(sb(), '/_sandbox/resets', 200);
    assert.equal(resets.length, sb().resets.length);
  });

  it('answers the admin endpoints only with the key, and only to a loopback Host', async () => {
    const before = sb().faults.rules.length;
    for (const key of [null, 'not-the-key']) {
      const res = await call(sb(), '/_sandbox/faults', { key, body: { status: 500 } });
      assert.deepEqual([res.status, res.headers['www-authenticate'], JSON.parse(res.text)], [401, 'Bearer', { detail: "The sandbox's admin routes need its key: Authorization: Bearer <key>." }]);
      assert.equal((await call(sb(), '/_sandbox/info', { key })).status, 401, 'nor its key to read');
    }
    // A web page whose name was rebound to 127.0.0.1 sends its own name, key or not.
    for (const host of ['evil.example', 'evil.example:80', 'localhost.evil.example', '127.0.0.1.nip.io', '10.0.0.1']) {
      const res = await call(sb(), '/_sandbox/faults', { host, body: { status: 500 } });
      assert.equal(res.status, 403, host);
      assert.match(JSON.parse(res.text).detail as string, /only requests to localhost, 127\.0\.0\.1 or \[::1\]/);
    }
    assert.equal(sb().faults.rules.length, before, 'no refused request added a fault');
    for (const host of ['localhost', 'LOCALHOST:1', '127.0.0.1', `127.0.0.1:${sb().port}`, '[::1]', '[::1]:8787']) {
      assert.equal((await call(sb(), '/_sandbox/faults', { host })).status, 200, host);
    }
  });

  it('answers the admin endpoints to a Host it was told of (the bench’s veth address)', async () => {
    const other = await startSandbox({ adminHosts: ['10.213.7.2'] });
    try {
      assert.equal((await call(other, '/_sandbox/faults', { host: '10.213.7.2:40123' })).status, 200);
      assert.equal((await call(other, '/_sandbox/faults', { host: '10.213.7.3:40123' })).status, 403);
    } finally {
      await other.close();
    }
  });
});

describe('sandbox: CLI', () => {
  const cli = path.resolve(__dirname, '../../../sandbox/cli.js');

  it('prints its URL and key, serves, and stops when killed', async () => {
    const child = spawn(process.execPath, [cli, '--port', '0', '--api-key', 'cli-key', '--seed', '7'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      await waitFor(async () => /API key: /.test(out), 15_000);
      const url = /Sandbox listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      assert.ok(url, out);
      assert.match(out, /API key: cli-key/);
      const res = await fetch(`${url}${W}/runs?page_size=1`, { headers: { authorization: 'Bearer cli-key' } });
      assert.equal(res.status, 200);
      await res.text();
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    }
  });

  it('exits 2 with a clear message on an invalid flag', async () => {
    for (const args of [['--bogus'], ['--port', 'eighty'], ['--history-shape', 'xml']]) {
      const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 2, args.join(' '));
      assert.match(err, /sandbox: .+\nUsage:/);
    }
  });
});

describe('sandbox: --executions', () => {
  it('seeds that many ordinary executions besides the special ones', async () => {
    assert.equal(parseCli(['--executions', '995']).executions, 995);
    assert.throws(() => parseCli(['--executions', 'many']), /--executions must be an integer/);
    const sandbox = await startSandbox({ port: 0, executions: 94 });
    try {
      const ids = new Set<string>();
      let token: string | undefined;
      do {
        const q = new URLSearchParams({ page_size: '1000' });
        if (token) q.set('next_page_token', token);
        const res = await fetch(`${sandbox.baseUrl}/v1/workflows/runs?${q}`, { headers: { authorization: `Bearer ${sandbox.apiKey}` } });
        const body = (await res.json()) as { executions: { execution_id: string }[]; next_page_token: string | null };
        for (const e of body.executions) ids.add(e.execution_id);
        token = body.next_page_token ?? undefined;
      } while (token);
      assert.equal(ids.size, 104, '94 ordinary + 10 special executions (the DEMO ones, the continued-as-new report)');
    } finally {
      await sandbox.close();
    }
  });
});

describe('sandbox: --engine', () => {
  it('takes memory (the default) or temporal, and refuses what does not go with the choice', () => {
    assert.equal(parseCli([]).mode, 'memory');
    const engine = parseCli(['--engine', 'temporal', '--workflows', 'wf', '--port', '9000']);
    assert.equal(engine.mode, 'temporal');
    assert.equal(engine.workflowsDir, 'wf');
    assert.equal(engine.port, 9000);
    assert.throws(() => parseCli(['--engine', 'cadence']), /--engine must be memory or temporal, got "cadence"/);
    assert.throws(() => parseCli(['--engine', 'temporal', '--seed', '3']), /--seed is for the in-memory sandbox/);
    assert.throws(() => parseCli(['--workflows', 'wf']), /--workflows goes with --engine temporal/);
  });

  it('--no-seed: no demo executions on the engine; not an option of the in-memory sandbox', () => {
    assert.equal(parseCli(['--engine', 'temporal']).seedDemo, true);
    assert.equal(parseCli(['--engine', 'temporal', '--no-seed']).seedDemo, false);
    assert.throws(() => parseCli(['--no-seed']), /--no-seed goes with --engine temporal/);
  });

  it('seeds the demo only where the folder defines its workflow, read as the extension reads definitions', () => {
    assert.ok(workflowNamesIn(DEMO_WORKFLOWS).has(DEMO_WORKFLOW));
    assert.ok(workflowNamesIn(TEMPORAL_WORKFLOWS).has(SHIPPING_WORKFLOW));
    assert.deepEqual([...workflowNamesIn(path.join(PROJECT_ROOT, 'test', 'fixtures', 'own-workflows'))], ['engine_test_greeting']);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'own-workflows-'));
    try {
      // Named in a comment, a string and a subfolder (the worker imports none of them): not defined.
      fs.writeFileSync(path.join(dir, 'mine.py'), '# like @workflows.workflow.define(name="order-fulfillment")\nNOTE = \'@workflow.defn(name="shipment")\'\n');
      fs.mkdirSync(path.join(dir, 'old'));
      fs.copyFileSync(path.join(DEMO_WORKFLOWS, 'orders.py'), path.join(dir, 'old', 'orders.py'));
      assert.deepEqual([...workflowNamesIn(dir)], []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
