/**
 * `npm run sandbox -- --engine temporal --workflows DIR` on a folder of one's own (not the demo's):
 * run as a user runs it (the CLI in a process of its own), on a workflow this suite has never seen
 * (test/fixtures/own-workflows). It starts without seeding the demo, the worker runs the folder's
 * workflow once an execution of it is started with the command the CLI prints, and the API lists it.
 * It runs its set-up step first (test/unit/sandbox/setup.test.ts): here, on the suite's venv, a check.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../sandbox/engine';
import { spawnGroup, waitUntilReady, type GroupProcess } from '../../sandbox/engine/process';
import { WorkflowsClient } from '../../src/api/mistral';
import { eventually } from '../helpers/eventually';
import { uniqueId, ENGINE_POLLING } from './engine';

const OWN_WORKFLOWS = path.join(PROJECT_ROOT, 'test', 'fixtures', 'own-workflows');
const CLI = path.join(PROJECT_ROOT, 'out', 'sandbox', 'cli.js');
const KEY = 'own-workflows-key-0123456789';

/** The first capture of `pattern` in the CLI's output so far. */
function printed(cli: GroupProcess, pattern: RegExp): string {
  const m = pattern.exec(cli.tail(200));
  assert.ok(m, `the sandbox printed ${pattern}; it printed:\n${cli.tail(200)}`);
  return m[1];
}

describe('the engine sandbox on a folder of one’s own workflows (npm run sandbox -- --engine temporal --workflows DIR)', function () {
  // The CLI starts a dev server, a Mistral worker and a temporalio worker of its own, besides the suite's.
  this.timeout(240_000);
  let cli: GroupProcess | undefined;
  let api: WorkflowsClient | undefined;

  before(async () => {
    const started = spawnGroup([process.execPath, CLI, '--engine', 'temporal', '--workflows', OWN_WORKFLOWS, '--port', '0', '--api-key', KEY], { cwd: PROJECT_ROOT, env: process.env });
    cli = started;
    await waitUntilReady(started, () => started.sawLine('Start an execution'), 180_000, (why) => new Error(`the sandbox did not start: ${why}:\n${started.tail(60)}`));
    api = new WorkflowsClient({ baseUrl: printed(started, /Sandbox listening on (http:\/\/127\.0\.0\.1:\d+)/), apiKey: KEY, timeoutMs: 30_000 });
  });
  after(async () => {
    await api?.close();
    // SIGTERM: the CLI stops its engine and workers itself, then exits.
    const wasRunning = cli?.running() === true;
    const status = await cli?.stop(30_000);
    if (wasRunning) assert.deepEqual(status, { code: 0, signal: null }, `the sandbox stopped cleanly:\n${cli?.tail(30)}`);
  });

  it('starts without the demo’s executions, runs the folder’s workflow when one is started, and lists it', async () => {
    assert.ok(cli && api);
    const output = cli.tail(200);
    assert.match(output, /\[setup-python\] up to date/, 'it ran the set-up step first: a quick check once set up');
    assert.doesNotMatch(output, /Demo executions:/);
    assert.match(output, /No demo executions: .*own-workflows defines no order-fulfillment workflow/);
    assert.deepEqual((await api.listExecutions({ pageSize: 100 })).executions, [], 'nothing seeded');

    // The command the CLI printed, with this workflow's name and input filled in (as the README says).
    const temporal = printed(cli, /Start an execution: (\S+) workflow start/);
    const address = printed(cli, /workflow start --address (\S+)/);
    const taskQueue = printed(cli, /--task-queue (\S+)/);
    const id = uniqueId('own-greeting');
    await promisify(execFile)(temporal, ['workflow', 'start', '--address', address, '--task-queue', taskQueue, '--type', 'engine_test_greeting', '--workflow-id', id, '--input', '{"name": "Ada"}'], { timeout: 30_000 });

    const row = await eventually(`${id} to complete`, async () => {
      const rows = (await api?.listExecutions({ workflow: 'engine_test_greeting', pageSize: 10 }))?.executions ?? [];
      return rows.find((r) => r.executionId === id && r.status === 'COMPLETED');
    }, 60_000, ENGINE_POLLING);
    assert.equal(row.deploymentName, taskQueue);
    // The SDK wraps what a workflow returns in `result`.
    assert.deepEqual((await api.getExecution(id)).result, { result: { greeting: 'Hello, Ada!' } }, 'the folder’s code ran');
    const types = (await api.getHistory(id)).map((e) => e.type);
    assert.ok(types.includes('ACTIVITY_TASK_COMPLETED'), `its activity ran: ${types.join(', ')}`);
  });
});
