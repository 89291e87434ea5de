/**
 * The Workflows API over the real engine (sandbox/engine/store.ts), read with the extension's own
 * client: every answer checked against what the engine itself reports through its HTTP API.
 */
import * as assert from 'node:assert/strict';
import { isWorkflowsApiError, type StreamMessage } from '../../src/api';
import { WorkflowsClient } from '../../src/api/mistral';
import { resetPointIds } from '../../src/api/temporal';
import { eventually } from '../helpers/eventually';
import { engine, PARCEL, uniqueId, WORKER_KEY, ENGINE_POLLING, ENGINE_TIMEOUT_MS } from './engine';

describe('the Workflows API over the real engine', () => {
  let api: WorkflowsClient;
  before(() => {
    api = new WorkflowsClient({ baseUrl: engine().api.baseUrl, apiKey: WORKER_KEY });
  });
  after(async () => api.close());

  /** A parcel waiting for its approval, its first workflow task done. */
  async function waiting(prefix: string): Promise<{ id: string; runId: string }> {
    const id = uniqueId(prefix);
    const runId = await engine().startParcel(id);
    await eventually(`${id} to wait`, async () => ((await engine().client.historyAll(id)).length >= 4 ? true : undefined), ENGINE_TIMEOUT_MS, ENGINE_POLLING);
    return { id, runId };
  }

  it('lists one row per run with the engine’s ids, type, queue and status; filters and pages', async () => {
    const a = await waiting('api-list-a');
    const b = await waiting('api-list-b');
    const { client } = engine();
    await client.terminate(b.id, { reason: 'listed as terminated' });
    const rows = (await api.listExecutions({ workflow: PARCEL, pageSize: 1000 })).executions;
    for (const { id, runId } of [a, b]) {
      const row = rows.find((r) => r.executionId === id);
      const described = (await client.describe(id)).execution;
      assert.ok(row, `${id} is listed`);
      assert.deepEqual(
        { runId: row.runId, workflowName: row.workflowName, deploymentName: row.deploymentName, status: row.status },
        { runId, workflowName: described.workflowType, deploymentName: described.taskQueue, status: described.status },
      );
    }
    const running = (await api.listExecutions({ workflow: PARCEL, status: ['RUNNING'], pageSize: 1000 })).executions;
    assert.ok(running.some((r) => r.executionId === a.id) && !running.some((r) => r.executionId === b.id), 'the status filter');
    const found = (await api.listExecutions({ search: a.id, pageSize: 10 })).executions;
    assert.deepEqual(found.map((r) => r.executionId), [a.id], 'search by execution id');
    // Pages of one, following the tokens, give the same rows as one page.
    const paged: string[] = [];
    let token: string | undefined;
    do {
      const page = await api.listExecutions({ workflow: PARCEL, pageSize: 1, pageToken: token });
      paged.push(...page.executions.map((r) => r.runId ?? ''));
      token = page.nextPageToken;
    } while (token !== undefined && paged.length < 1000);
    assert.deepEqual(paged, rows.map((r) => r.runId));
  });

  it('reads the execution and the engine’s own events as /history', async () => {
    const { id, runId } = await waiting('api-history');
    const execution = await api.getExecution(id);
    assert.equal(execution.runId, runId);
    assert.equal(execution.status, 'RUNNING');
    const raw = (await engine().client.historyAll(id, runId)) as { eventId: string }[];
    const events = await api.getHistory(id);
    assert.deepEqual(events.map((e) => e.eventId), raw.map((e) => Number(e.eventId)));
    assert.deepEqual(events.map((e) => e.raw), raw, 'the events are the engine’s JSON, unchanged');
  });

  it('refuses a reset point that is not a WORKFLOW_TASK_COMPLETED of the latest run, with the engine’s valid ones', async () => {
    const { id, runId } = await waiting('api-wf1001');
    const raw = await engine().client.historyAll(id, runId);
    const error = await api.reset({ executionId: id, eventId: 2, reason: 'not a completed task', excludeSignals: false, excludeUpdates: false }).then(() => undefined, (e: unknown) => e);
    assert.ok(isWorkflowsApiError(error) && error.code === 'WF_1001', String(error));
    assert.deepEqual(error.validResetEvents, resetPointIds(raw));
    assert.equal((await engine().client.describe(id)).execution.runId, runId, 'nothing was reset');
  });

  it('answers 404 WF_1100 for an unknown execution, 409 WF_1102 to act on a closed one', async () => {
    const unknown = await api.getExecution('no-such-workflow').then(() => undefined, (e: unknown) => e);
    assert.ok(isWorkflowsApiError(unknown) && unknown.status === 404 && unknown.code === 'WF_1100', String(unknown));
    const { id } = await waiting('api-closed');
    await engine().client.terminate(id, { reason: 'closed for the test' });
    const closed = await api.signal(id, 'approve', { by: 'late' }).then(() => undefined, (e: unknown) => e);
    assert.ok(isWorkflowsApiError(closed) && closed.status === 409 && closed.code === 'WF_1102', String(closed));
  });

  it('signals reach the workflow, updates and queries return its answers, the stream follows it to its end', async () => {
    const { id } = await waiting('api-interact');
    const controller = new AbortController();
    const seen: StreamMessage[] = [];
    const streaming = (async () => {
      for await (const message of api.streamExecution(id, { signal: controller.signal })) seen.push(message);
    })().catch(() => undefined);
    // The extension sends no updates or queries itself: the API's own routes, with its key.
    const post = async (what: string, body: unknown): Promise<unknown> => {
      const res = await fetch(`${engine().api.baseUrl}/v1/workflows/executions/${id}/${what}`, {
        method: 'POST', headers: { authorization: `Bearer ${WORKER_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      assert.equal(res.status, 200, `${what}: ${res.status}`);
      return res.json();
    };
    assert.deepEqual(await post('updates', { name: 'set_label', input: { label: 'fragile' } }), { update_name: 'set_label', result: '' });
    assert.deepEqual(await post('queries', { name: 'status', input: {} }), { query_name: 'status', result: { approvals: [], label: 'fragile' } });
    await api.signal(id, 'approve', { by: 'ops' });
    await eventually(`${id} to complete`, async () => ((await engine().client.describe(id)).execution.status === 'COMPLETED' ? true : undefined), ENGINE_TIMEOUT_MS, ENGINE_POLLING);
    await eventually('the stream to end with the run', async () => (seen.some((m) => /COMPLETED/.test(JSON.stringify(m.payload))) ? true : undefined), ENGINE_TIMEOUT_MS, ENGINE_POLLING);
    controller.abort();
    await streaming;
    const result = (await api.getExecution(id)).result as { result?: { approvals?: string[]; label?: string } };
    assert.deepEqual({ approvals: result.result?.approvals, label: result.result?.label }, { approvals: ['ops'], label: 'fragile' });
  });
});
