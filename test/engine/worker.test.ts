/**
 * startWorker on the real SDK: what it sends our API, how a restart picks up a fixed workflow file,
 * and the fix-and-reset story end to end (failed activity → fix → restart → reset before the step).
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { normalizeHistory, resetPointBefore } from '../../src/api';
import { decodePayloads } from '../../src/api/temporal';
import { startWorker, type Worker } from '../../sandbox/engine';
import { eventually } from '../helpers/eventually';
import { engine, FIXTURE_WORKFLOWS, uniqueId, WORKER_KEY, ENGINE_POLLING, ENGINE_TIMEOUT_MS } from './engine';

const FIX_QUEUE = 'engine-suite-fix';
const GOOD = 'if items <= 0:';
const BUG = 'if items <= 0 or items > 3:  # BUG: the limit is far too low';

describe('a real worker', () => {
  it('talked to our API with the key: whoami, register (our workflow), executions/register, events', () => {
    const { api } = engine();
    const paths = new Set(api.requests.map((r) => `${r.method} ${r.path}`));
    for (const p of ['GET /v1/workflows/workers/whoami', 'POST /v1/workflows/register', 'POST /v1/workflows/executions/register', 'POST /v1/workflows/events']) {
      assert.ok(paths.has(p), `${p} in ${[...paths].join(', ')}`);
    }
    assert.ok(api.requests.every((r) => r.authorized), 'every request carried the key');
    const register = api.requests.find((r) => r.path === '/v1/workflows/register')?.body as { definitions: { name: string }[]; deployment_name: string };
    assert.equal(register.deployment_name, 'engine-suite');
    assert.ok(register.definitions.some((d) => d.name === 'engine_test_parcel'));
  });

  describe('restart after a fix', () => {
    let dir: string;
    let worker: Worker | undefined;
    let file: string;

    before(async function () {
      this.timeout(90_000);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-fix-'));
      file = path.join(dir, 'parcel.py');
      const source = fs.readFileSync(path.join(FIXTURE_WORKFLOWS, 'parcel.py'), 'utf8');
      assert.ok(source.includes(GOOD));
      fs.writeFileSync(file, source.replace(GOOD, BUG));
      // A stray setting in our own environment must not reach the worker (it would point it elsewhere).
      process.env.TEMPORAL_SERVER_URL = '127.0.0.1:9';
      try {
        worker = await startWorker({ dirs: [dir], serverUrl: engine().api.baseUrl, apiKey: WORKER_KEY, deploymentName: FIX_QUEUE });
      } finally {
        delete process.env.TEMPORAL_SERVER_URL;
      }
    });

    after(async () => {
      await worker?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('fails on the bug; after the fix and a restart, a reset before the failed step completes', async function () {
      this.timeout(90_000);
      const { client } = engine();
      const id = uniqueId('fix');
      const failedRun = await engine().startParcel(id, { items: 5, approvals_needed: 0 }, FIX_QUEUE);
      await eventually('the run failed', async () => ((await client.describe(id)).execution.status === 'FAILED' ? true : undefined), ENGINE_TIMEOUT_MS, ENGINE_POLLING);
      const failed = normalizeHistory(await client.historyAll(id, failedRun));
      const index = failed.findIndex((e) => e.type === 'ACTIVITY_TASK_FAILED');
      assert.ok(index > 0, 'the activity failed');
      assert.match(String((failed[index].attributes.failure as { message?: string }).message), /cannot pack 5 items/);
      const step = resetPointBefore(failed, index);
      assert.ok(step, 'a reset point before the failed step');

      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(BUG, GOOD)); // the one-line fix
      const before = worker?.pid;
      await worker?.restart();
      assert.notEqual(worker?.pid, before);

      const reason = 'engine-test: fixed the limit in parcel.py';
      const { runId } = await client.reset(id, {
        runId: failedRun, workflowTaskFinishEventId: step.point.eventId ?? 0, reason, requestId: randomUUID(), excludeSignals: false, excludeUpdates: false,
      });
      await eventually('the new run completed', async () => ((await client.describe(id, runId)).execution.status === 'COMPLETED' ? true : undefined), ENGINE_TIMEOUT_MS, ENGINE_POLLING);
      assert.equal((await client.describe(id, failedRun)).execution.status, 'FAILED', 'a closed run stays as it was');
      const fixed = normalizeHistory(await client.historyAll(id, runId));
      const marker = fixed.find((e) => e.type === 'WORKFLOW_TASK_FAILED' && e.attributes.cause === 'WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW');
      assert.deepEqual((marker?.attributes.failure as { message?: string }).message, reason);
      const done = fixed.at(-1);
      assert.equal(done?.type, 'WORKFLOW_EXECUTION_COMPLETED');
      assert.deepEqual(decodePayloads(done?.attributes.result), [{ result: { parcel_id: id, packed: [`${id}/0`], approvals: [], label: '' } }]);
    });

    it('stop() ends the whole process group', async () => {
      const pid = worker?.pid ?? 0;
      await worker?.stop();
      worker = undefined;
      assert.throws(() => process.kill(-pid, 0), /ESRCH/);
    });
  });
});
