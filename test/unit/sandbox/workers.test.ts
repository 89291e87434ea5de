/**
 * The routes the Mistral worker SDK calls, against what a real worker (mistralai-workflows 3.16) sent
 * and needed in workers/samples/worker-requests.jsonl: the same requests, in the same order, get the
 * same answers (ids aside), and the sandbox remembers what was registered.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import { call, callJson, W } from '../helpers/sandbox-http';

interface Recorded {
  method: string;
  path: string;
  body: unknown;
  status: number;
  answer: unknown;
}

const SAMPLES = path.resolve(__dirname, '../../../../workers/samples/worker-requests.jsonl');
const recorded: Recorded[] = readFileSync(SAMPLES, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Recorded);
/** The probe's engine, as its whoami answered. */
const ENGINE = { grpcAddress: '127.0.0.1:46467', namespace: 'default' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every UUID replaced by one placeholder: answers compare equal when only their ids differ. */
function withoutIds(value: unknown): unknown {
  if (typeof value === 'string') return UUID.test(value) ? '<uuid>' : value;
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutIds(v)]));
}

function first(what: string): Recorded {
  const found = recorded.find((r) => `${r.method} ${r.path}` === what);
  if (!found) throw new Error(`no ${what} in ${SAMPLES}`);
  return found;
}

interface RegisterAnswer {
  workflow_registration_ids: string[];
  workflow_registration_refs: { workflow_id: string; workflow_registration_id: string; workflow_version_id: string }[];
}

describe('sandbox: worker SDK routes', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox({ engine: ENGINE });
  });
  afterEach(() => sb.close());

  it('answers the real worker session request by request as the probe did, ids aside', async () => {
    assert.ok(recorded.length > 30, 'the sample holds a whole session');
    for (const r of recorded) {
      const res = await call(sb, r.path, { method: r.method, body: r.body ?? undefined });
      assert.equal(res.status, r.status, `${r.method} ${r.path}: ${res.text}`);
      assert.deepEqual(withoutIds(JSON.parse(res.text)), withoutIds(r.answer), `${r.method} ${r.path}`);
    }
    const executions = recorded.filter((r) => r.path === `${W}/executions/register`).length;
    assert.equal(sb.workers.executions().length, executions);
    assert.equal(sb.workers.eventsReceived, recorded.filter((r) => r.path === `${W}/events`).length);
  });

  it('whoami: the engine the sandbox was started with, v1 events; without one, an untagged 404', async () => {
    assert.deepEqual(await callJson(sb, `${W}/workers/whoami`), first(`GET ${W}/workers/whoami`).answer);
    const plain = await startSandbox();
    try {
      const res = await call(plain, `${W}/workers/whoami`);
      assert.equal(res.status, 404);
      // No "code": the SDK reads any 404 as "old server" and keeps its local TEMPORAL_* settings.
      assert.deepEqual(JSON.parse(res.text), { detail: 'Not Found' });
    } finally {
      await plain.close();
    }
  });

  it('register: one ref per definition in order, the same workflow id on re-registration, remembered', async () => {
    const body = first(`POST ${W}/register`).body as { definitions: { name: string }[] };
    const a = await callJson<RegisterAnswer>(sb, `${W}/register`, 200, { body });
    const b = await callJson<RegisterAnswer>(sb, `${W}/register`, 200, { body });
    assert.equal(a.workflow_registration_refs.length, body.definitions.length);
    assert.deepEqual(a.workflow_registration_ids, a.workflow_registration_refs.map((r) => r.workflow_registration_id));
    assert.deepEqual(b.workflow_registration_refs.map((r) => r.workflow_id), a.workflow_registration_refs.map((r) => r.workflow_id));
    assert.notDeepEqual(b.workflow_registration_ids, a.workflow_registration_ids, 'a registration is new each time');
    for (const ref of a.workflow_registration_refs) assert.ok(UUID.test(ref.workflow_id) && UUID.test(ref.workflow_version_id));

    const known = sb.workers.workflows().map((w) => [w.name, w.taskQueue, w.deploymentName, w.technical, w.workflowId, w.registrationId]);
    assert.deepEqual(known, [
      ['order', 'probe', 'probe', false, a.workflow_registration_refs[0].workflow_id, b.workflow_registration_ids[0]],
      ['__parallel_execution__', 'probe', 'probe', true, a.workflow_registration_refs[1].workflow_id, b.workflow_registration_ids[1]],
    ]);
    const order = sb.workers.workflows()[0];
    assert.deepEqual([order.signals, order.updates, order.queries], [['approve'], ['set_note'], ['status']]);
  });

  it('heartbeat: all active', async () => {
    const registered = await callJson<RegisterAnswer>(sb, `${W}/register`, 200, { body: first(`POST ${W}/register`).body });
    const body = {
      deployment_name: 'probe',
      worker_name: 'vm',
      workflow_registration_refs: registered.workflow_registration_refs.map(({ workflow_id, workflow_registration_id }) => ({ workflow_id, workflow_registration_id })),
    };
    assert.deepEqual(await callJson(sb, `${W}/workers/heartbeat`, 200, { body }), { all_active: true });
  });

  it('executions/register: execution_id = the Temporal workflow id, created once per run', async () => {
    const body = first(`POST ${W}/executions/register`).body as { temporal_workflow_id: string; temporal_run_id: string };
    const once = { execution_id: body.temporal_workflow_id, created: true, metadata_status: 'ok' };
    assert.deepEqual(await callJson(sb, `${W}/executions/register`, 200, { body }), once);
    assert.deepEqual(await callJson(sb, `${W}/executions/register`, 200, { body }), { ...once, created: false });
    assert.deepEqual(sb.workers.executions(), [
      { executionId: body.temporal_workflow_id, runId: body.temporal_run_id, workflowName: 'order', taskQueue: 'probe', parentExecutionId: null, rootExecutionId: null },
    ]);
    // Only POST is the worker route: GET is still "the execution called register".
    const get = await call(sb, `${W}/executions/register`);
    assert.equal(get.status, 404);
    assert.equal((JSON.parse(get.text) as { code: string }).code, 'WF_1100');
  });

  it('events and events/batch: acknowledged and counted', async () => {
    const events = recorded.filter((r) => r.path === `${W}/events`).map((r) => (r.body as { event: unknown }).event);
    assert.deepEqual(await callJson(sb, `${W}/events`, 200, { body: { event: events[0] } }), { status: 'success', message: null });
    assert.deepEqual(await callJson(sb, `${W}/events/batch`, 200, { body: { events } }), { status: 'success', events_received: events.length, message: null });
    assert.equal(sb.workers.eventsReceived, 1 + events.length);
  });

  it('checks the key, the method and the body like the rest of the API', async () => {
    const unauthorized = await call(sb, `${W}/register`, { key: null, body: first(`POST ${W}/register`).body });
    assert.equal(unauthorized.status, 401);
    assert.equal(sb.workers.workflows().length, 0);
    assert.equal((await call(sb, `${W}/workers/whoami`, { key: 'wrong' })).status, 401);
    assert.equal((await call(sb, `${W}/register`)).status, 405);
    assert.equal((await call(sb, `${W}/workers/whoami`, { method: 'POST', body: {} })).status, 405);

    const missing = await call(sb, `${W}/executions/register`, { body: { temporal_workflow_id: 'order-1' } });
    assert.equal(missing.status, 422);
    const issues = (JSON.parse(missing.text) as { detail: { type: string; loc: unknown[] }[] }).detail;
    assert.deepEqual(issues.map((i) => i.loc.join('.')), ['body.temporal_run_id', 'body.workflow_name', 'body.task_queue', 'body.execution_token_hash']);
    assert.ok(issues.every((i) => i.type === 'missing'));

    const badDefinition = await call(sb, `${W}/register`, { body: { definitions: [{ name: 'x' }], deployment_name: 'd', worker_name: 'w' } });
    assert.equal(badDefinition.status, 422);
    assert.deepEqual((JSON.parse(badDefinition.text) as { detail: { loc: unknown[] }[] }).detail.map((i) => i.loc), [
      ['body', 'definitions', 0, 'input_schema'],
      ['body', 'definitions', 0, 'task_queue'],
    ]);
    const notJson = await call(sb, `${W}/events`, { rawBody: '{"event":' });
    assert.equal(notJson.status, 422);
    assert.equal((JSON.parse(notJson.text) as { detail: { type: string }[] }).detail[0].type, 'json_invalid');
  });

  it('goes through the fault switch like every API request', async () => {
    sb.faults.add({ pathIncludes: '/workers/heartbeat', status: 503, times: 1 });
    const body = { deployment_name: 'probe', worker_name: 'vm', workflow_registration_refs: [] };
    assert.equal((await call(sb, `${W}/workers/heartbeat`, { body })).status, 503);
    assert.equal((await call(sb, `${W}/workers/heartbeat`, { body })).status, 200);
    assert.deepEqual(sb.requests.map((r) => r.path), [`${W}/workers/heartbeat`, `${W}/workers/heartbeat`]);
  });
});
