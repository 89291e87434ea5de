/**
 * TemporalClient against the real engine: every assertion reads what Temporal itself reports
 * (describe, list, history), never what the client remembers.
 */
import * as assert from 'node:assert/strict';
import { WorkflowsApiError } from '../../src/api';
import { TemporalClient, type TemporalExecution } from '../../src/api/temporal';
import { eventually } from '../helpers/eventually';
import { engine, PARCEL, TASK_QUEUE, uniqueId, ENGINE_POLLING, ENGINE_TIMEOUT_MS } from './engine';

type RawEvent = { eventId: string; eventType: string } & Record<string, unknown>;

async function rejection(p: Promise<unknown>): Promise<WorkflowsApiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof WorkflowsApiError, `not a WorkflowsApiError: ${String(e)}`);
    return e;
  }
  throw new Error('expected the call to fail');
}

async function statusOf(workflowId: string, runId?: string): Promise<string> {
  return (await engine().client.describe(workflowId, runId)).execution.status;
}

function untilRunStatus(workflowId: string, status: string, runId?: string): Promise<true> {
  return eventually(`${workflowId} ${status}`, async () => ((await statusOf(workflowId, runId)) === status ? true : undefined), ENGINE_TIMEOUT_MS, ENGINE_POLLING);
}

async function events(workflowId: string, runId?: string): Promise<RawEvent[]> {
  return (await engine().client.historyAll(workflowId, runId)) as RawEvent[];
}

describe('TemporalClient on the real engine', () => {
  it('starts a workflow: describe reports it running on its task queue', async () => {
    const id = uniqueId('start');
    const runId = await engine().startParcel(id);
    const d = await engine().client.describe(id);
    assert.equal(d.execution.workflowId, id);
    assert.equal(d.execution.runId, runId);
    assert.equal(d.execution.firstRunId, runId);
    assert.equal(d.execution.workflowType, PARCEL);
    assert.equal(d.execution.status, 'RUNNING');
    assert.equal(d.execution.taskQueue, TASK_QUEUE);
    assert.ok(d.execution.startTime instanceof Date && d.execution.closeTime === undefined);
    await engine().client.terminate(id, { reason: 'engine-test: done' });
  });

  it('a second start of a running workflow id is alreadyExists (gRPC 6)', async () => {
    const id = uniqueId('twice');
    await engine().startParcel(id);
    const e = await rejection(engine().startParcel(id));
    assert.equal(e.problem, 'alreadyExists');
    assert.equal(e.grpcCode, 6);
    assert.equal(e.status, 409);
    assert.match(e.message, /already running/);
    assert.equal(e.outcomeUnknown, false);
    await engine().client.terminate(id);
  });

  it('update, query and signal reach the workflow code; it completes with what they set', async () => {
    const { client } = engine();
    const id = uniqueId('usq');
    const runId = await engine().startParcel(id, { approvals_needed: 1, steps: 2 });
    const first = await client.update(id, 'set_label', { args: [{ label: 'fragile' }], updateId: 'label-1' });
    assert.deepEqual(first, { updateId: 'label-1', stage: 'COMPLETED', outcome: { success: [''] } }); // the previous label
    const second = await client.update(id, 'set_label', { args: [{ label: 'this side up' }] });
    assert.deepEqual(second.outcome, { success: ['fragile'] });
    assert.deepEqual(await client.query(id, 'status', { args: [{}] }), [{ approvals: [], label: 'this side up' }]);
    await client.signal(id, 'approve', { input: [{ by: 'alice' }], requestId: 'sig-alice' });
    await untilRunStatus(id, 'COMPLETED');
    const history = await events(id, runId);
    const types = history.map((e) => e.eventType.replace('EVENT_TYPE_', ''));
    assert.equal(types.filter((t) => t === 'WORKFLOW_EXECUTION_UPDATE_COMPLETED').length, 2);
    assert.equal(types.filter((t) => t === 'ACTIVITY_TASK_COMPLETED').length, 2);
    const signaled = history.find((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED');
    assert.deepEqual(signaled?.workflowExecutionSignaledEventAttributes, {
      signalName: 'approve', input: [{ by: 'alice' }], identity: 'mistral-workflows-vscode', requestId: 'sig-alice',
    });
    assert.equal(types.at(-1), 'WORKFLOW_EXECUTION_COMPLETED');
  });

  it('an update of a workflow that has no such handler fails in the outcome, not as an HTTP error', async () => {
    const id = uniqueId('upd-unknown');
    await engine().startParcel(id);
    const outcome = await engine().client.update(id, 'no_such_update', { args: [{}] });
    assert.equal(outcome.stage, 'COMPLETED');
    assert.ok(outcome.outcome && 'failure' in outcome.outcome, JSON.stringify(outcome));
    assert.match(outcome.outcome.failure.message, /no_such_update/);
    await engine().client.terminate(id);
  });

  it('lists with a visibility query, one page per pageSize, following the page tokens', async () => {
    const { client } = engine();
    const prefix = uniqueId('list');
    const ids = [`${prefix}-a`, `${prefix}-b`];
    for (const id of ids) await engine().startParcel(id);
    const query = `WorkflowType='${PARCEL}' AND ExecutionStatus='Running' AND WorkflowId STARTS_WITH '${prefix}-'`;
    const all = await eventually('both in visibility', async () => {
      const page = await client.listWorkflows({ query, pageSize: 10 });
      return page.executions.length === 2 ? page : undefined;
    }, ENGINE_TIMEOUT_MS, ENGINE_POLLING);
    assert.deepEqual(all.executions.map((e) => e.workflowId).sort(), ids);
    assert.ok(all.executions.every((e) => e.status === 'RUNNING' && e.workflowType === PARCEL && e.taskQueue === TASK_QUEUE));
    const first = await client.listWorkflows({ query, pageSize: 1 });
    assert.equal(first.executions.length, 1);
    assert.ok(first.nextPageToken, 'a first page of one says there is more');
    const rows: TemporalExecution[] = [...first.executions];
    let token: string | undefined = first.nextPageToken;
    for (let pages = 1; token !== undefined; pages++) {
      assert.ok(pages < 5, 'paging ends');
      const page = await client.listWorkflows({ query, pageSize: 1, nextPageToken: token });
      assert.ok(page.executions.length <= 1);
      rows.push(...page.executions);
      token = page.nextPageToken;
    }
    assert.deepEqual(rows.map((e) => e.workflowId).sort(), ids);
    const closed = await client.listWorkflows({ query: `WorkflowId STARTS_WITH '${prefix}-' AND ExecutionStatus='Completed'` });
    assert.deepEqual(closed.executions, []);
    for (const id of ids) await client.terminate(id);
  });

  it('a malformed visibility query is invalidArgument with the server message', async () => {
    const e = await rejection(engine().client.listWorkflows({ query: 'WorkflowType = = nonsense' }));
    assert.equal(e.problem, 'invalidArgument');
    assert.equal(e.grpcCode, 3);
    assert.equal(e.status, 400);
    assert.match(e.message, /^invalid query/);
  });

  it('describe reports a pending activity; terminate closes the run with our reason', async () => {
    const { client } = engine();
    const id = uniqueId('pending');
    const runId = await engine().startParcel(id, { approvals_needed: 0, hold_seconds: 15 });
    const activity = await eventually('a started activity', async () => {
      const d = await client.describe(id);
      return d.pendingActivities.find((a) => a.state === 'STARTED');
    }, ENGINE_TIMEOUT_MS, ENGINE_POLLING);
    assert.equal(activity.activityType, 'pack_parcel');
    assert.equal(activity.attempt, 1);
    await client.terminate(id, { reason: 'engine-test: stop holding' });
    const d = await client.describe(id, runId);
    assert.equal(d.execution.status, 'TERMINATED');
    assert.ok(d.execution.closeTime instanceof Date);
    const last = (await events(id, runId)).at(-1);
    assert.equal(last?.eventType, 'EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED');
    assert.deepEqual(last?.workflowExecutionTerminatedEventAttributes, { reason: 'engine-test: stop holding', identity: 'mistral-workflows-vscode' });
    // A closed run cannot be terminated again: the engine says NOT_FOUND ("already completed").
    const again = await rejection(client.terminate(id));
    assert.equal(again.problem, 'notFound');
    assert.match(again.message, /already completed/);
  });

  it('cancel asks the workflow to stop: CANCEL_REQUESTED, and the SDK ends the run', async () => {
    const { client } = engine();
    const id = uniqueId('cancel');
    const runId = await engine().startParcel(id, { approvals_needed: 1 });
    await eventually('the first workflow task', async () => ((await events(id)).length >= 4 ? true : undefined), ENGINE_TIMEOUT_MS, ENGINE_POLLING);
    await client.cancel(id, { reason: 'engine-test: not needed' });
    const status = await eventually('the run closed', async () => {
      const s = await statusOf(id, runId);
      return s === 'RUNNING' ? undefined : s;
    }, ENGINE_TIMEOUT_MS, ENGINE_POLLING);
    const history = await events(id, runId);
    const requested = history.find((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED');
    assert.ok(requested, 'CANCEL_REQUESTED in the history');
    assert.equal((requested.workflowExecutionCancelRequestedEventAttributes as { cause?: string }).cause, 'engine-test: not needed');
    assert.equal(status, 'CANCELED');
    assert.equal(history.at(-1)?.eventType, 'EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED');
  });

  it('history pages of a few events, concatenated, are exactly the one-page history', async () => {
    const { client } = engine();
    const id = uniqueId('pages');
    const runId = await engine().startParcel(id, { approvals_needed: 0, steps: 6 });
    await untilRunStatus(id, 'COMPLETED');
    const whole = await client.history(id, { runId, maximumPageSize: 1000 });
    assert.equal(whole.nextPageToken, undefined);
    const pages: unknown[][] = [];
    let token: string | undefined;
    do {
      const page = await client.history(id, { runId, maximumPageSize: 3, nextPageToken: token });
      pages.push(page.events);
      token = page.nextPageToken;
    } while (token !== undefined && pages.length < 100);
    assert.ok(pages.length >= 4, `several pages (${pages.length})`);
    assert.deepEqual(pages.flat(), whole.events);
    assert.deepEqual(await client.historyAll(id, runId, { maximumPageSize: 3 }), whole.events);
    assert.deepEqual(await client.historyAll(id), whole.events, 'no run id: the current run');
    const ids = (whole.events as RawEvent[]).map((e) => Number(e.eventId));
    assert.deepEqual(ids, ids.map((_, i) => i + 1));
    assert.equal((await client.describe(id)).execution.historyLength, ids.length);
  });

  it('unknown workflows and runs: notFound and invalidArgument', async () => {
    const { client } = engine();
    const missing = await rejection(client.describe(uniqueId('missing')));
    assert.equal(missing.problem, 'notFound');
    assert.equal(missing.grpcCode, 5);
    assert.equal(missing.status, 404);
    assert.match(missing.message, /workflow not found for ID: missing-/);
    assert.equal(missing.retryable, false);
    const badRun = await rejection(client.history('whatever', { runId: 'not-a-uuid' }));
    assert.equal(badRun.problem, 'invalidArgument');
    const badToken = await rejection(client.history('whatever', { nextPageToken: '%%%' }));
    assert.equal(badToken.problem, 'invalidArgument');
    const signalMissing = await rejection(client.signal(uniqueId('missing'), 'approve', { input: [{ by: 'x' }] }));
    assert.equal(signalMissing.problem, 'notFound');
    assert.equal(signalMissing.outcomeUnknown, false);
  });

  it('workflow ids with spaces and query characters round-trip through the paths', async () => {
    const { client } = engine();
    const id = `${uniqueId('odd')} a b?c#d&e%41`;
    const runId = await engine().startParcel(id);
    assert.equal((await client.describe(id)).execution.workflowId, id);
    await client.signal(id, 'approve', { input: [{ by: 'z' }] });
    await untilRunStatus(id, 'COMPLETED', runId);
    assert.equal((await events(id, runId))[0].workflowExecutionStartedEventAttributes !== undefined, true);
  });

  it('a workflow id with "/" cannot be addressed over HTTP: notFound, saying why', async () => {
    // The gateway decodes %2F before routing (checked: 404 {"code":5,"message":"Not Found"}, no details).
    const e = await rejection(engine().startParcel(`${uniqueId('slash')}/x`));
    assert.equal(e.problem, 'notFound');
    assert.match(e.message, /cannot address a workflow id that contains "\/"/);
  });

  it('a client with a namespace the engine does not have gets notFound', async () => {
    const { server } = engine();
    const other = new TemporalClient({ baseUrl: server.httpBaseUrl, namespace: 'no-such-namespace', maxRetries: 0 });
    try {
      const e = await rejection(other.listWorkflows());
      assert.equal(e.problem, 'notFound');
      assert.match(e.message, /no-such-namespace/);
    } finally {
      await other.close();
    }
  });
});
