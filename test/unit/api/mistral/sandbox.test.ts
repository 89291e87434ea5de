import * as assert from 'node:assert/strict';
import { analyzeReset, describeEvents, isResetMarker, lastResetPoint, resetPoints, WorkflowEvent, WorkflowsApiError } from '../../../../src/api';
import { WorkflowsClient } from '../../../../src/api/mistral';
import { DEMO, DEMO_RESET_REASONS, Sandbox, startSandbox } from '../../../../sandbox/server';

/** The client against the real sandbox: the wire format end to end, in every history shape. */
describe('api/mistral/client against the sandbox', () => {
  let sandbox: Sandbox;
  let client: WorkflowsClient;

  beforeEach(async () => {
    sandbox = await startSandbox({ port: 0, completionDelayMs: 50 });
    client = new WorkflowsClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, retryBaseDelayMs: 1, maxRetryDelayMs: 20 });
  });

  afterEach(async () => {
    await sandbox.close();
    await client.close();
  });

  it('lists executions page by page and filters by status', async () => {
    const first = await client.listExecutions({ pageSize: 10 });
    assert.equal(first.executions.length, 10);
    assert.ok(first.nextPageToken);
    const second = await client.listExecutions({ pageSize: 10, pageToken: first.nextPageToken });
    const firstIds = new Set(first.executions.map((e) => e.runId ?? e.executionId));
    assert.ok(second.executions.every((e) => !firstIds.has(e.runId ?? e.executionId)));
    const failedOrRunning = await client.listExecutions({ status: ['FAILED', 'RUNNING'], pageSize: 100 });
    assert.ok(failedOrRunning.executions.length > 0);
    assert.ok(failedOrRunning.executions.every((e) => e.status === 'FAILED' || e.status === 'RUNNING'));
  });

  it('reads one execution and every run of a reset execution', async () => {
    const failed = await client.getExecution(DEMO.failed);
    assert.equal(failed.status, 'FAILED');
    assert.ok(failed.startTime instanceof Date);
    const runs = await client.listRuns(DEMO.reset);
    assert.equal(runs.length, 3);
    assert.equal(runs[0].status, 'COMPLETED');
    assert.ok(runs.every((r) => r.executionId === DEMO.reset));
    const run = await client.getRun(runs[1].runId ?? '');
    assert.equal(run.runId, runs[1].runId);
  });

  for (const shape of ['seed', 'temporal', 'trace'] as const) {
    it(`normalises the ${shape} history shape to the same model`, async () => {
      sandbox.setHistoryShape(shape);
      const events = await client.getHistory(DEMO.failed);
      assert.ok(events.length > 16);
      assert.equal(events[0].type, 'WORKFLOW_EXECUTION_STARTED');
      assert.equal(events[0].eventId, 1);
      assert.ok(events[0].time instanceof Date);
      assert.deepEqual(resetPoints(events, { latestRun: true }).slice(0, 3).map((e) => e.eventId), [4, 10, 16]);
      const names = describeEvents(events).filter((d) => d.kind === 'activity').map((d) => d.detail);
      assert.ok(names.length > 0 && names.every((n) => typeof n === 'string' && n.length > 0), JSON.stringify(names));
      const impact = analyzeReset(events, 10);
      assert.equal(impact.signalsAfter.length, 2);
      assert.equal(impact.updatesAfter.length, 1);
    });
  }

  it('reads older runs by run id, with their reset markers', async () => {
    const runs = await client.listRuns(DEMO.reset);
    const latest = await client.getHistory(DEMO.reset, { runId: runs[0].runId });
    const markers = latest.filter(isResetMarker);
    assert.ok(markers.length >= 1);
    const reasons = describeEvents(markers).map((d) => d.detail);
    assert.ok(reasons.some((r) => r?.startsWith('Reset: ') && DEMO_RESET_REASONS.some((x) => r.includes(x))), JSON.stringify(reasons));
  });

  it('reads trace events with their execution', async () => {
    const { execution, events } = await client.getTraceEvents(DEMO.failed);
    assert.equal(execution.executionId, DEMO.failed);
    assert.ok(events.length > 0);
    assert.ok(events.every((e: WorkflowEvent) => e.time === undefined || e.time.getUTCFullYear() >= 2020));
  });

  it('resets to a valid point, and reports WF_1001 with the valid ones', async () => {
    const events = await client.getHistory(DEMO.failed);
    const point = lastResetPoint(events);
    assert.ok(point?.eventId !== undefined);
    const bad = await client.reset({ executionId: DEMO.failed, eventId: 5, reason: 'test', excludeSignals: false, excludeUpdates: false })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(bad instanceof WorkflowsApiError);
    assert.equal(bad.code, 'WF_1001');
    assert.ok(bad.validResetEvents?.includes(point.eventId));
    await client.reset({ executionId: DEMO.failed, eventId: point.eventId, reason: 'fix deployed', excludeSignals: true, excludeUpdates: false });
    assert.equal(sandbox.resets.length, 1);
    const runs = await client.listRuns(DEMO.failed);
    assert.equal(runs.length, 2);
  });

  it('rejects a wrong key with the 401 message, and does not re-send a dropped reset', async () => {
    const wrong = new WorkflowsClient({ baseUrl: sandbox.baseUrl, apiKey: 'wrong-key-123' });
    try {
      const e = await wrong.listExecutions({}).then(() => undefined, (x: unknown) => x);
      assert.ok(e instanceof WorkflowsApiError);
      assert.equal(e.status, 401);
    } finally {
      await wrong.close();
    }
    sandbox.faults.add({ method: 'POST', pathIncludes: '/reset', drop: 'after', times: 1 });
    const events = await client.getHistory(DEMO.failed);
    const point = lastResetPoint(events)?.eventId ?? 0;
    const lost = await client.reset({ executionId: DEMO.failed, eventId: point, reason: 'r', excludeSignals: false, excludeUpdates: false })
      .then(() => undefined, (x: unknown) => x);
    assert.ok(lost instanceof WorkflowsApiError);
    assert.equal(lost.outcomeUnknown, true);
    assert.equal(sandbox.requests.filter((r) => r.method === 'POST').length, 1);
    assert.equal(sandbox.resets.length, 1, 'the reset happened once; reading back shows it');
  });
});
