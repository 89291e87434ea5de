/**
 * "Will the fix replay?" on the real engine: a refund fails in an activity because of a bug; its
 * history, as the engine's HTTP API returns it, is replayed by src/replay/replay_check.py (temporalio's
 * Replayer, set up as mistralai-workflows' worker is) with changed copies of the workflow file, and
 * a reset at the last safe point runs on a real worker serving that changed code.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { attrText, isResetMarker, normalizeHistory, resetPointBefore, type WorkflowEvent } from '../../src/api';
import { decodePayloads } from '../../src/api/temporal';
import { runInGroup } from '../../src/common/processGroup';
import { checkReplay, lastSafePoint, safetyOfResetPoints, type ReplayResult } from '../../src/replay';
import { PROJECT_ROOT, startWorker, venvDir, type Worker } from '../../sandbox/engine';
import { eventually } from '../helpers/eventually';
import { engine, uniqueId, WORKER_KEY, ENGINE_POLLING, ENGINE_TIMEOUT_MS } from './engine';

const FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'replay-workflows', 'refund.py');
const SCRIPT = path.join(PROJECT_ROOT, 'src', 'replay', 'replay_check.py');
const QUEUE = 'engine-suite-replay';
const WORKFLOW = 'engine_test_refund';

const BUG = `paid = payment["amount_paid"]  # BUG: the payment carries it as "paid"`;
const FIX = `paid = payment["paid"]`;
const REFUND_CALL = `        receipt = await refund_payment(payment, amount)\n`;
const LOOKUP_CALL = `        payment = await look_up_payment(refund_id, amount)\n`;

interface Failed {
  id: string;
  runId: string;
  raw: unknown[];
  events: WorkflowEvent[];
}

describe('will the fix replay? replay_check.py over real histories', () => {
  let dir: string;
  let file: string;
  let worker: Worker | undefined;
  let source: string;
  /** Two refunds that failed on the bug: one per kind of change. */
  const failed: Failed[] = [];

  const python = path.join(venvDir(), 'bin', 'python');
  const check = (history: unknown[], dirs = [dir], workflowName = WORKFLOW): Promise<ReplayResult> =>
    checkReplay({ python, script: SCRIPT, historyJson: JSON.stringify({ history: { events: history } }), workflowName, dirs, timeoutMs: 60_000 });
  const writeCode = (code: string): void => fs.writeFileSync(file, code);

  before(async function () {
    this.timeout(120_000);
    source = fs.readFileSync(FIXTURE, 'utf8');
    for (const s of [BUG, REFUND_CALL, LOOKUP_CALL]) assert.ok(source.includes(s), `the fixture has ${JSON.stringify(s)}`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-replay-'));
    file = path.join(dir, 'refund.py');
    writeCode(source);
    worker = await startWorker({ dirs: [dir], serverUrl: engine().api.baseUrl, apiKey: WORKER_KEY, deploymentName: QUEUE });
    const { client } = engine();
    const started = await Promise.all([0, 1].map(async () => {
      const id = uniqueId('refund');
      const { runId } = await client.start(id, { workflowType: WORKFLOW, taskQueue: QUEUE, input: [{ refund_id: id, amount: 30 }] });
      return { id, runId };
    }));
    for (const { id, runId } of started) {
      await eventually(`${id} failed`, async () => ((await client.describe(id, runId)).execution.status === 'FAILED' ? true : undefined), ENGINE_TIMEOUT_MS, ENGINE_POLLING);
      const raw = await client.historyAll(id, runId);
      failed.push({ id, runId, raw, events: normalizeHistory({ history: { events: raw } }) });
    }
  });

  after(async () => {
    await worker?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the bug fails the refund in its activity', () => {
    const { events } = failed[0];
    const i = events.findIndex((e) => e.type === 'ACTIVITY_TASK_FAILED');
    assert.ok(i > 0);
    assert.match(String((events[i].attributes.failure as { message?: string }).message), /amount_paid/);
    assert.equal(events.at(-1)?.type, 'WORKFLOW_EXECUTION_FAILED');
  });

  it('a fix inside the activity replays cleanly: every point safe; a reset at the last safe point completes', async function () {
    this.timeout(90_000);
    const { id, runId, raw, events } = failed[0];
    writeCode(source.replace(BUG, FIX));
    const t0 = Date.now();
    const result = await check(raw);
    console.log(`      check: ${Date.now() - t0} ms`);
    assert.deepEqual(result, { outcome: 'clean', replayedEvents: events.length });

    const safety = safetyOfResetPoints(events, result);
    assert.ok(safety.length >= 3);
    assert.ok(safety.every((p) => p.safety === 'safe'));
    const safe = lastSafePoint(events, result);
    const beforeFailure = resetPointBefore(events, events.findIndex((e) => e.type === 'ACTIVITY_TASK_FAILED'));
    assert.equal(safe?.point.eventId, beforeFailure?.point.eventId, 'the latest point that puts the failed step back');
    assert.ok((safe?.point.eventId ?? 0) < (safety.at(-1)?.point.eventId ?? 0), 'not the latest point: that one keeps the failure');

    await worker?.restart();
    const completed = await resetAndComplete(id, runId, safe?.point.eventId ?? 0);
    const done = completed.at(-1);
    assert.deepEqual(decodePayloads(done?.attributes.result), [{ result: { refund_id: id, receipt: `refund-${id}-30`, notice: `told ${id} about refund-${id}-30` } }]);
  });

  it('an activity call added before the failure diverges at its event, with the replayer\'s message; a reset just before completes', async function () {
    this.timeout(90_000);
    const { id, runId, raw, events } = failed[1];
    writeCode(source.replace(BUG, FIX).replace(REFUND_CALL, `        await check_fraud(refund_id)\n${REFUND_CALL}`));
    const refund = scheduled(events, 'refund_payment');
    const result = await check(raw);
    assert.deepEqual(result, {
      outcome: 'diverges',
      eventId: refund.eventId,
      cause: 'nondeterminism',
      message: "[TMPRL1100] Nondeterminism error: Activity type of scheduled event 'refund_payment' does not match activity type of activity command 'check_fraud'",
      replayedEvents: events.length,
    });

    const safety = safetyOfResetPoints(events, result);
    for (const p of safety) assert.equal(p.safety, (p.point.eventId ?? 0) < (refund.eventId ?? 0) ? 'safe' : 'failsAgain', `point ${p.point.eventId}`);
    assert.ok(safety.some((p) => p.safety === 'failsAgain'));
    const safe = lastSafePoint(events, result);
    const before = events.slice(0, events.indexOf(refund)).filter((e) => e.type === 'WORKFLOW_TASK_COMPLETED').at(-1);
    assert.equal(safe?.point.eventId, before?.eventId, 'the WORKFLOW_TASK_COMPLETED before the divergence');
    assert.equal(attrText(refund, 'workflow_task_completed_event_id'), String(before?.eventId), 'the task that scheduled the refund');

    await worker?.restart();
    const completed = await resetAndComplete(id, runId, safe?.point.eventId ?? 0);
    const names = completed.filter((e) => e.type === 'ACTIVITY_TASK_SCHEDULED').map((e) => attrText(e, 'activity_type.name'));
    assert.deepEqual(names, ['look_up_payment', 'check_fraud', 'refund_payment', 'notify_customer'], 'the look-up kept, then the changed code');
    assert.ok(completed.indexOf(scheduled(completed, 'look_up_payment')) < completed.findIndex(isResetMarker), 'the look-up is from the failed run');
  });

  it('an activity call removed before the failure diverges at that call\'s event', async () => {
    const { raw, events } = failed[0];
    writeCode(source.replace(BUG, FIX).replace(LOOKUP_CALL, '        payment = {"refund_id": refund_id, "paid": amount}\n'));
    const lookUp = scheduled(events, 'look_up_payment');
    const result = await check(raw);
    assert.deepEqual(result, {
      outcome: 'diverges',
      eventId: lookUp.eventId,
      cause: 'nondeterminism',
      message: "[TMPRL1100] Nondeterminism error: Activity type of scheduled event 'look_up_payment' does not match activity type of activity command 'refund_payment'",
      replayedEvents: events.length,
    });
    const safe = lastSafePoint(events, result);
    assert.equal(String(safe?.point.eventId), attrText(lookUp, 'workflow_task_completed_event_id'));
  });

  it('a failure of the check itself is never a verdict: import error, class not found, bad history', async () => {
    const { raw } = failed[0];
    writeCode(source.replace(BUG, FIX).replace('ONE_ATTEMPT = {', 'ONE_ATTEMPT = undefined_name or {'));
    const line = source.split('\n').findIndex((l) => l.startsWith('ONE_ATTEMPT = {')) + 1;
    assert.deepEqual(pick(await check(raw), 'outcome', 'kind', 'message', 'file', 'line'), {
      outcome: 'failed', kind: 'importError', message: "NameError: name 'undefined_name' is not defined", file, line,
    });
    writeCode(source.replace(BUG, FIX));

    const parcelDir = path.join(PROJECT_ROOT, 'test', 'fixtures', 'engine-workflows');
    const notHere = await check(raw, [parcelDir]);
    assert.equal(notHere.outcome === 'failed' && notHere.kind, 'classNotFound');
    assert.match(notHere.outcome === 'failed' ? notHere.message : '', /No workflow class named 'engine_test_refund' in .*engine-workflows \(found: engine_test_parcel\)/);

    const other = await check(raw, [dir], 'engine_test_parcel');
    assert.equal(other.outcome === 'failed' && other.kind, 'badHistory');
    const truncated = await checkReplay({ python, script: SCRIPT, historyJson: '{"events": [', workflowName: WORKFLOW, dirs: [dir], timeoutMs: 60_000 });
    assert.equal(truncated.outcome === 'failed' && truncated.kind, 'badHistory');
  });
});

describe('replay_check.py finds the divergent event without replaying prefix after prefix', () => {
  const python = path.join(venvDir(), 'bin', 'python');
  const source = fs.readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'replay-workflows', 'batches.py'), 'utf8');
  const RANGE = 'range(BATCH)';
  const TALLY = 'total += await tally(batch)';
  const GATHER = '            await asyncio.gather(';
  const BATCHES = 8;
  let dir: string;
  let worker: Worker | undefined;
  let historyFile: string;
  let events: WorkflowEvent[];

  before(async function () {
    this.timeout(120_000);
    for (const s of [RANGE, TALLY, GATHER]) assert.ok(source.includes(s), `batches.py has ${JSON.stringify(s)}`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-replay-batches-'));
    fs.writeFileSync(path.join(dir, 'batches.py'), source);
    worker = await startWorker({ dirs: [dir], serverUrl: engine().api.baseUrl, apiKey: WORKER_KEY, deploymentName: `${QUEUE}-batches` });
    const { client } = engine();
    const id = uniqueId('batches');
    const { runId } = await client.start(id, { workflowType: 'engine_test_batches', taskQueue: `${QUEUE}-batches`, input: [{ batches: BATCHES }] });
    await eventually(`${id} completed`, async () => ((await client.describe(id, runId)).execution.status === 'COMPLETED' ? true : undefined), 60_000, ENGINE_POLLING);
    const raw = await client.historyAll(id, runId);
    events = normalizeHistory({ history: { events: raw } });
    historyFile = path.join(dir, 'history.json');
    fs.writeFileSync(historyFile, JSON.stringify({ history: { events: raw } }));
  });

  after(async () => {
    await worker?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The script's own JSON line for `code`, found as the check finds it, or by bisection over every end alone. */
  const run = async (code: string, locate: 'auto' | 'search'): Promise<Record<string, unknown>> => {
    const codeDir = fs.mkdtempSync(path.join(dir, `code-${locate}-`));
    fs.writeFileSync(path.join(codeDir, 'batches.py'), code);
    const argv = [python, SCRIPT, '--history', historyFile, '--workflow', 'engine_test_batches', ...(locate === 'search' ? ['--locate', 'search'] : []), codeDir];
    const out = await runInGroup(argv, { cwd: codeDir, env: { ...process.env, OTEL_ENABLED: 'false', PYTHONDONTWRITEBYTECODE: '1' }, timeoutMs: 120_000 });
    assert.equal(out.code, 0, `replay_check.py --locate ${locate}: ${out.stdout} ${out.stderrTail.slice(-800)}`);
    return JSON.parse(out.stdout) as Record<string, unknown>;
  };

  const CHANGES: [name: string, code: string, eventNamed: boolean][] = [
    ['one timer more in every batch', source.replace(RANGE, 'range(BATCH + 1)'), true],
    ['one timer fewer from batch 4 on', source.replace(RANGE, 'range(BATCH if batch < 4 else BATCH - 1)'), true],
    ['one timer more from batch 4 on', source.replace(RANGE, 'range(BATCH if batch < 4 else BATCH + 1)'), true],
    ['an activity of another type in batch 0', source.replace(TALLY, 'total += await (count if batch == 0 else tally)(batch)'), false],
    ['an activity of another type from batch 5 on', source.replace(TALLY, 'total += await (tally if batch < 5 else count)(batch)'), false],
    ['no activity in batch 3', source.replace(TALLY, 'total += batch if batch == 3 else await tally(batch)'), true],
    // The SDK fails the workflow on the code's error: its FailWorkflowExecution meets the batch's timers.
    ['code that raises in batch 6', source.replace(GATHER, `            if batch == 6:\n                raise RuntimeError("boom in batch 6")\n${GATHER}`), true],
  ];

  for (const [name, code, eventNamed] of CHANGES) {
    it(`${name}: the same event as a bisection over every prefix, in fewer replays`, async function () {
      this.timeout(180_000);
      const [found, searched] = await Promise.all([run(code, 'auto'), run(code, 'search')]);
      const { replays, ...verdict } = found;
      const { replays: searchReplays, ...searchVerdict } = searched;
      assert.equal(verdict.verdict, 'diverges');
      assert.deepEqual(verdict, searchVerdict, 'the same verdict, event and message');
      const message = String(verdict.message);
      assert.equal(/HistoryEvent\(id: \d+/.test(message), eventNamed, `the replayer's message: ${message}`);
      assert.ok(Number(verdict.eventId) > 0 && Number(verdict.eventId) <= events.length);
      if (eventNamed) assert.equal(replays, 1, 'the replayer named the event: one replay');
      else assert.ok(Number(replays) <= 6, `${String(replays)} replays: the whole, then within the workflow task it failed in`);
      assert.ok(Number(searchReplays) > Number(replays), `bisection over every prefix: ${String(searchReplays)} replays`);
    });
  }

  it('the code as it ran replays cleanly in one replay', async () => {
    assert.deepEqual(await run(source, 'auto'), { verdict: 'clean', replayedEvents: events.length, replays: 1 });
  });
});

describe('replay_check.py with a plain temporalio workflow', () => {
  const plain = path.join(PROJECT_ROOT, 'test', 'fixtures', 'replay-plain');
  const python = path.join(venvDir(), 'bin', 'python');
  const historyJson = fs.readFileSync(path.join(plain, 'history.json'), 'utf8');
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-replay-plain-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const check = (code: string): Promise<ReplayResult> => {
    fs.writeFileSync(path.join(dir, 'hello.py'), code);
    return checkReplay({ python, script: SCRIPT, historyJson, workflowName: 'plain_hello', dirs: [dir], timeoutMs: 60_000 });
  };
  const source = fs.readFileSync(path.join(plain, 'hello.py'), 'utf8');
  const RETURN = '        return f"hello {name}"';

  it('the same code replays cleanly', async () => {
    assert.deepEqual(await check(source), { outcome: 'clean', replayedEvents: 5 });
  });

  it('a timer added before the end diverges at the completion event, in the last workflow task', async () => {
    const changed = source.replace('from temporalio import workflow', 'from datetime import timedelta\n\nfrom temporalio import workflow')
      .replace(RETURN, `        await workflow.sleep(timedelta(seconds=1))\n${RETURN}`);
    assert.deepEqual(await check(changed), {
      outcome: 'diverges', eventId: 5, cause: 'nondeterminism', replayedEvents: 5,
      message: '[TMPRL1100] Nondeterminism error: Timer machine does not handle this event: HistoryEvent(id: 5, WorkflowExecutionCompleted)',
    });
  });

  it('code that raises while it replays fails that workflow task: diverges there, with its error', async () => {
    assert.deepEqual(await check(source.replace(RETURN, '        raise RuntimeError("boom in the new code")')), {
      outcome: 'diverges', eventId: 4, cause: 'workflowTaskFailed', message: 'boom in the new code', replayedEvents: 5,
    });
  });

  it('the folder’s modules run with only the allowed environment: no key, token, secret or password', async () => {
    fs.writeFileSync(path.join(dir, 'hello.py'), source);
    fs.copyFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'replay-environ', 'dump_environ.py'), path.join(dir, 'dump_environ.py'));
    const allowed = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.homedir(), LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TMPDIR: os.tmpdir(), VIRTUAL_ENV: venvDir(), PYTHONIOENCODING: 'utf-8' };
    const secrets = {
      MISTRAL_API_KEY: 'planted-mistral-key', PYTHON_API_KEY: 'planted-python-key', GITHUB_TOKEN: 'planted-token',
      PYTHON_SECRET_THING: 'planted-secret', PGPASSWORD: 'planted-password', TEMPORAL_API_KEY: 'planted-temporal-key',
    };
    const other = { SOME_SETTING: 'planted-other', SSH_AUTH_SOCK: '/tmp/planted-agent' };
    let text: string;
    try {
      const result = await checkReplay({ python, script: SCRIPT, historyJson, workflowName: 'plain_hello', dirs: [dir], timeoutMs: 60_000, env: { ...allowed, ...secrets, ...other } });
      assert.deepEqual(result, { outcome: 'clean', replayedEvents: 5 }, 'the check runs with the narrowed environment');
      text = fs.readFileSync(path.join(dir, 'environ.json'), 'utf8');
    } finally {
      for (const f of ['dump_environ.py', 'environ.json']) fs.rmSync(path.join(dir, f), { force: true });
    }
    const seen = JSON.parse(text) as Record<string, string>;
    for (const [name, value] of Object.entries({ ...secrets, ...other })) {
      assert.equal(seen[name], undefined, `${name} is not passed`);
      assert.ok(!text.includes(value), `the value of ${name} is nowhere`);
    }
    for (const [name, value] of Object.entries(allowed)) assert.equal(seen[name], value, `${name} is passed`);
  });

  it('a workflow named like an option (--history, -h) reaches the script as its name', async () => {
    for (const name of ['--history', '-h']) {
      const renamed = JSON.stringify(JSON.parse(historyJson), (key, value: unknown) => (key === 'workflowType' ? { name } : value));
      fs.writeFileSync(path.join(dir, 'hello.py'), source.replace('name="plain_hello"', `name=${JSON.stringify(name)}`));
      const result = await checkReplay({ python, script: SCRIPT, historyJson: renamed, workflowName: name, dirs: [dir], timeoutMs: 60_000 });
      assert.deepEqual(result, { outcome: 'clean', replayedEvents: 5 }, name);
    }
  });
});

function scheduled(events: WorkflowEvent[], activity: string): WorkflowEvent {
  const e = events.find((x) => x.type === 'ACTIVITY_TASK_SCHEDULED' && attrText(x, 'activity_type.name') === activity);
  assert.ok(e, `${activity} was scheduled`);
  return e;
}

/** Resets the failed run at `eventId` and waits for the new run to complete; returns its events. */
async function resetAndComplete(id: string, runId: string, eventId: number): Promise<WorkflowEvent[]> {
  const { client } = engine();
  assert.ok(eventId > 0, 'a safe point');
  const reset = await client.reset(id, {
    runId, workflowTaskFinishEventId: eventId, reason: 'engine-test: reset to the last safe point', requestId: randomUUID(), excludeSignals: false, excludeUpdates: false,
  });
  await eventually('the new run completed', async () => {
    const status = (await client.describe(id, reset.runId)).execution.status;
    if (status === 'FAILED') throw new Error('the new run failed');
    return status === 'COMPLETED' ? true : undefined;
  }, ENGINE_TIMEOUT_MS, ENGINE_POLLING);
  return normalizeHistory({ history: { events: await client.historyAll(id, reset.runId) } });
}

function pick(result: ReplayResult, ...keys: string[]): Record<string, unknown> {
  const r = result as unknown as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => r[k] !== undefined).map((k) => [k, r[k]]));
}
