/**
 * The sandbox against the published contract: (a) every body it sends validates against the
 * official OpenAPI schemas; (b) the official SDK (@mistralai/mistralai 2.7.0) works against it,
 * and its two known defects are pinned so we notice the day a new SDK version fixes them.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { DEMO, startSandbox, type Sandbox } from '../../../sandbox/server';
import { SseParser } from '../../../src/api/mistral/sse';
import { call, callJson, W, type WirePage } from '../helpers/sandbox-http';

// A copy kept in the repository (see test/fixtures/api/README.md): tests never read outside it.
const OPENAPI = path.resolve(__dirname, '../../../../test/fixtures/api/openapi-workflows.yaml');
const DOC_ID = 'https://sandbox.local/openapi-workflows.json';

function loadValidators(): (name: string) => ValidateFunction {
  const doc = parseYaml(readFileSync(OPENAPI, 'utf8')) as { components: { schemas: Record<string, unknown> } };
  // strict: false because OpenAPI adds keywords JSON Schema does not know (e.g. discriminator).
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // Registered under one id so the document's own `#/components/schemas/X` refs resolve.
  ajv.addSchema({ $id: DOC_ID, components: doc.components });
  return (name) => {
    const v = ajv.getSchema(`${DOC_ID}#/components/schemas/${name}`);
    if (!v) throw new Error(`no schema ${name}`);
    return v;
  };
}

function assertValid(validate: ValidateFunction, body: unknown, what: string): void {
  assert.ok(validate(body), `${what}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
}

/** The reference's workflow-error shape: `{ detail: string, code: "WF_XXXX", ...extra }`. */
const workflowErrorSchema = {
  type: 'object',
  required: ['detail', 'code'],
  properties: { detail: { type: 'string' }, code: { type: 'string', pattern: '^WF_\\d{4}$' } },
};

describe('contract: sandbox bodies against the OpenAPI schemas', () => {
  let sb: Sandbox;
  let schema: (name: string) => ValidateFunction;
  before(async () => {
    schema = loadValidators();
    sb = await startSandbox({ completionDelayMs: 50 });
  });
  after(() => sb.close());

  it('list pages (several pages and filters) are WorkflowExecutionListResponse', async () => {
    const validate = schema('WorkflowExecutionListResponse');
    for (const q of ['', 'page_size=5', 'status=RUNNING&status=FAILED', 'workflow_identifier=invoice-sync&order=asc', 'sort_by=end_time&page_size=1000']) {
      let token: string | null = null;
      let pages = 0;
      do {
        const tokenPart: string = token === null ? '' : `&next_page_token=${encodeURIComponent(token)}`;
        const page: WirePage = await callJson<WirePage>(sb, `${W}/runs?${q}${tokenPart}`);
        assertValid(validate, page, `runs?${q}`);
        token = page.next_page_token;
        pages++;
      } while (token !== null && pages < 3);
    }
  });

  it('executions and runs are WorkflowExecutionResponse', async () => {
    const validate = schema('WorkflowExecutionResponse');
    const rows = (await callJson<WirePage>(sb, `${W}/runs?page_size=1000`)).executions;
    for (const row of rows) {
      assertValid(validate, await callJson(sb, `${W}/runs/${row.run_id}`), `run ${row.run_id}`);
    }
    for (const id of Object.values(DEMO)) assertValid(validate, await callJson(sb, `${W}/executions/${id}`), `execution ${id}`);
  });

  it('trace events are WorkflowExecutionTraceEventsResponse', async () => {
    const validate = schema('WorkflowExecutionTraceEventsResponse');
    for (const id of [DEMO.failed, DEMO.running, DEMO.reset]) {
      assertValid(validate, await callJson(sb, `${W}/executions/${id}/trace/events`), `trace ${id}`);
    }
  });

  it('stream messages are StreamEventSsePayload, with id = broker_sequence and event = data.event_type', async () => {
    const validate = schema('StreamEventSsePayload');
    await call(sb, `${W}/executions/${DEMO.running}/signals`, { body: { name: 'approve' } });
    await call(sb, `${W}/executions/${DEMO.running}/updates`, { body: { name: 'set_plan' } });
    await call(sb, `${W}/executions/${DEMO.running}/cancel`, { method: 'POST' });
    const types = new Set<string>();
    for (const id of [DEMO.failed, DEMO.running, DEMO.reset]) {
      // From the first event: the whole history, then the stream ends (every one of these is closed now).
      const res = await fetch(`${sb.baseUrl}${W}/executions/${id}/stream`, { headers: { authorization: `Bearer ${sb.apiKey}`, 'last-event-id': '0' } });
      assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
      const messages = new SseParser().push(await res.text());
      assert.ok(messages.length > 20, `${id}: ${messages.length} messages`);
      for (const m of messages) {
        const payload = JSON.parse(m.data) as { broker_sequence: number; data: { event_type: string } };
        assertValid(validate, payload, `stream ${id} #${m.id}`);
        assert.equal(m.id, String(payload.broker_sequence));
        assert.equal(m.event, payload.data.event_type);
        types.add(m.event);
      }
    }
    for (const t of ['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_EXECUTION_FAILED', 'WORKFLOW_EXECUTION_COMPLETED', 'WORKFLOW_EXECUTION_CANCELED', 'WORKFLOW_TASK_FAILED', 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_COMPLETED', 'ACTIVITY_TASK_FAILED', 'CUSTOM_TASK_IN_PROGRESS']) {
      assert.ok(types.has(t), `some message is ${t}`);
    }
  });

  it('validation errors (422 with a detail array) are HTTPValidationError', async () => {
    const validate = schema('HTTPValidationError');
    for (const p of [`${W}/runs?page_size=0`, `${W}/runs?next_page_token=bad`, `${W}/runs/not-a-uuid`]) {
      const res = await call(sb, p);
      assert.equal(res.status, 422, p);
      assertValid(validate, JSON.parse(res.text), p);
    }
    const res = await call(sb, `${W}/executions/${DEMO.failed}/reset`, { body: { reason: 'no id' } });
    assert.equal(res.status, 422);
    assertValid(validate, JSON.parse(res.text), 'reset without event_id');
  });

  it('WF_1001 follows the reference workflow-error shape, which the published 422 schema does not allow', async () => {
    const res = await call(sb, `${W}/executions/${DEMO.failed}/reset`, { body: { event_id: 1, reason: 'x', exclude_signals: false, exclude_updates: false } });
    assert.equal(res.status, 422);
    const body = JSON.parse(res.text) as { valid_reset_events: unknown };
    const ajv = new Ajv2020();
    assert.ok(ajv.validate(workflowErrorSchema, body), JSON.stringify(ajv.errors));
    assert.ok(Array.isArray(body.valid_reset_events) && body.valid_reset_events.every(Number.isInteger));
    // The OpenAPI document declares every 422 as HTTPValidationError (detail: array); the platform's
    // WF_1001 has a string detail. The schema disagrees with the API: that is why the SDK fails below.
    assert.equal(schema('HTTPValidationError')(body), false);
  });
});

describe('contract: the official SDK against the sandbox', () => {
  let sb: Sandbox;
  type Sdk = typeof import('@mistralai/mistralai', { with: { 'resolution-mode': 'import' } });
  type Errors = typeof import('@mistralai/mistralai/models/errors', { with: { 'resolution-mode': 'import' } });
  let sdk: Sdk;
  let errors: Errors;
  let client: InstanceType<Sdk['Mistral']>;

  before(async () => {
    // The SDK is ESM-only; TypeScript keeps this import() as is under module Node16.
    sdk = await import('@mistralai/mistralai');
    errors = await import('@mistralai/mistralai/models/errors');
    sb = await startSandbox({ completionDelayMs: 50 });
    client = new sdk.Mistral({ apiKey: sb.apiKey, serverURL: sb.baseUrl });
  });
  after(() => sb.close());

  it('lists runs with filters and pages through them', async () => {
    const first = await client.workflows.runs.listRuns({ status: ['RUNNING', 'FAILED'], pageSize: 3 });
    assert.equal(first.result.executions.length, 3);
    assert.ok(first.result.executions.every((e) => e.status === 'RUNNING' || e.status === 'FAILED'));
    let count = 0;
    for await (const page of await client.workflows.runs.listRuns({ pageSize: 10 })) count += page.result.executions.length;
    const last = sb.requests.at(-1);
    assert.match(last?.query ?? '', /page_size=10/);
    assert.match(last?.query ?? '', /next_page_token=/);
    const all = (await callJson<WirePage>(sb, `${W}/runs?page_size=1000`)).executions.length;
    assert.equal(count, all);
  });

  it('gets an execution and its history', async () => {
    const execution = await client.workflows.executions.getWorkflowExecution({ executionId: DEMO.failed });
    assert.equal(execution.executionId, DEMO.failed);
    assert.equal(execution.status, 'FAILED');
    assert.ok(execution.startTime instanceof Date);
    const history = (await client.workflows.executions.getWorkflowExecutionHistory({ executionId: DEMO.failed, decodePayloads: true })) as { events: unknown[] };
    assert.ok(Array.isArray(history.events) && history.events.length > 30);
  });

  it('resets an execution (204) and the sandbox records it', async () => {
    await client.workflows.executions.resetWorkflow({
      executionId: DEMO.failed,
      resetInvocationBody: { eventId: 10, reason: 'SDK contract test', excludeSignals: false, excludeUpdates: true },
    });
    const record = sb.resets.at(-1);
    assert.equal(record?.executionId, DEMO.failed);
    assert.equal(record?.eventId, 10);
    assert.equal(record?.reason, 'SDK contract test');
    assert.equal(record?.excludeUpdates, true);
  });

  it('KNOWN SDK DEFECT: trace events fail with ResponseValidationError (timestamp_unix_nano > 2^53)', async () => {
    await assert.rejects(client.workflows.executions.getWorkflowExecutionTraceEvents({ executionId: DEMO.reset }), (err: unknown) => {
      assert.ok(err instanceof errors.ResponseValidationError, `got ${String(err)}`);
      assert.equal(err.statusCode, 200);
      // The zod issues (nested in the anyOf of event kinds) name the field and the safe-integer limit.
      const issues = JSON.stringify((err.cause as { issues?: unknown } | undefined)?.issues);
      assert.match(issues, /"path":\["timestamp_unix_nano"\]/);
      assert.match(issues, /9007199254740991/);
      return true;
    });
  });

  it('KNOWN SDK DEFECT: WF_1001 surfaces as ResponseValidationError (422), not a typed error', async () => {
    const reset = client.workflows.executions.resetWorkflow({
      executionId: DEMO.reset,
      resetInvocationBody: { eventId: 1, reason: 'invalid point', excludeSignals: false, excludeUpdates: false },
    });
    await assert.rejects(reset, (err: unknown) => {
      assert.ok(err instanceof errors.ResponseValidationError, `got ${String(err)}`);
      assert.ok(!(err instanceof errors.HTTPValidationError));
      assert.equal(err.statusCode, 422);
      assert.match(err.body, /WF_1001/);
      return true;
    });
  });
});
