import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FaultRule } from '../../sandbox/faults';
import { DEMO } from '../../sandbox/seed';
import type { EventNode } from '../../src/tree/eventNode';
import { setUpEnv, tearDownEnv, TestEnv } from './helpers/env';
import type { Step } from './helpers/scriptedUi';

/** Faults on the reset POST itself. `lost`: the server acts but the answer never arrives. */
const RESET_FAULTS: { name: string; rule?: FaultRule; weight: number }[] = [
  { name: 'none', weight: 4 },
  { name: 'dropped before acting', rule: { drop: 'before' }, weight: 2 },
  { name: 'dropped after acting (answer lost)', rule: { drop: 'after' }, weight: 3 },
  { name: 'late answer past the timeout (answer lost)', rule: { latencyMs: 1300 }, weight: 1 },
  { name: '500', rule: { status: 500 }, weight: 1 },
  { name: '502', rule: { status: 502 }, weight: 1 },
  { name: '503', rule: { status: 503 }, weight: 1 },
  { name: '504', rule: { status: 504 }, weight: 1 },
  { name: '429', rule: { status: 429, retryAfterSeconds: 1 }, weight: 1 },
  { name: 'WF_1102', rule: { status: 409, body: JSON.stringify({ detail: 'Workflow execution is not running', code: 'WF_1102', status: 'COMPLETED' }) }, weight: 1 },
];
const CANCEL_AT = ['never', 'never', 'never', 'never', 'reason', 'options', 'confirmation'] as const;
const RUNS = 200;
/** A fixed seed: a failure names the run, and the run can be replayed exactly. */
const SEED = 20261124;

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T extends { weight: number }>(items: readonly T[], r: number): T {
  let left = r * items.reduce((sum, i) => sum + i.weight, 0);
  for (const item of items) {
    left -= item.weight;
    if (left < 0) return item;
  }
  return items[items.length - 1];
}

describe('Reset under randomised faults', function () {
  this.timeout(20 * 60_000);
  let env: TestEnv;
  before(async () => {
    env = await setUpEnv({ completionDelayMs: 600_000 });
    await vscode.workspace.getConfiguration('mistralWorkflows').update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('mistralWorkflows').update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await tearDownEnv(env);
  });

  it(`sends no duplicate and no unconfirmed reset across ${RUNS} runs`, async () => {
    const rand = random(SEED);
    const tally = new Map<string, number>();
    let confirmed = 0;
    let applied = 0;
    for (let run = 0; run < RUNS; run++) {
      env.sandbox.faults.clear();
      const node = await env.services.tree.openExecution(DEMO.failed);
      await env.services.tree.reloadExecution(node);
      const history = await node.rows.history.load();
      const points = history.events.filter((e) => e.type === 'WORKFLOW_TASK_COMPLETED' && e.eventId !== undefined);
      const point = points[Math.floor(rand() * points.length)];
      const row = (await node.rows.nodeFor(point.eventId ?? -1)) as EventNode;
      const fault = pick(RESET_FAULTS, rand());
      const cancelAt = CANCEL_AT[Math.floor(rand() * CANCEL_AT.length)];
      const clicksRetry = rand() < 0.5;
      const reason = `randomised run ${run}: ${fault.name}`;
      const steps: Step[] = [{ kind: 'input', answer: cancelAt === 'reason' ? undefined : reason }];
      if (cancelAt !== 'reason') steps.push({ kind: 'pickMany', choose: (items) => (cancelAt === 'options' ? undefined : items.filter(() => rand() < 0.5)) });
      if (cancelAt === 'never' || cancelAt === 'confirmation') steps.push({ kind: 'confirm', answer: cancelAt === 'never' });
      env.ui.script(...steps);
      env.ui.notificationAnswers.length = 0;
      if (clicksRetry) env.ui.notificationAnswers.push({ match: /./, action: 'Retry' });
      if (fault.rule) env.sandbox.faults.add({ ...fault.rule, method: 'POST', pathIncludes: '/reset', times: 1 });
      const resetsBefore = env.sandbox.resets.length;
      const postsBefore = env.sandbox.requests.filter((r) => r.method === 'POST').length;

      await vscode.commands.executeCommand('mistralWorkflows.resetToHere', row);
      // A slow server may still act after the flow gave up on its answer: let it, then count.
      await new Promise((resolve) => setTimeout(resolve, fault.rule?.latencyMs ? 1500 : 0));
      env.ui.assertDone();

      const added = env.sandbox.resets.slice(resetsBefore);
      const posts = env.sandbox.requests.filter((r) => r.method === 'POST').length - postsBefore;
      const where = `run ${run} (${fault.name}, cancel at ${cancelAt}, retry ${clicksRetry})`;
      assert.ok(added.length <= 1, `${where}: ${added.length} resets applied — a duplicate`);
      if (cancelAt !== 'never') {
        assert.equal(posts, 0, `${where}: a request was sent although the user cancelled`);
        assert.equal(added.length, 0, `${where}: a reset the user did not confirm`);
      } else {
        confirmed++;
      }
      for (const reset of added) assert.equal(reset.reason, reason, `${where}: the reset carries this run's reason`);
      applied += added.length;
      const outcome = `${fault.name} / ${cancelAt === 'never' ? (added.length ? 'applied' : 'not applied') : 'cancelled'}`;
      tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
    }
    console.log(`[reliability] ${RUNS} randomised reset runs (seed ${SEED}): ${confirmed} confirmed, ${applied} applied, 0 duplicates, 0 unconfirmed`);
    for (const [outcome, count] of [...tally].sort()) console.log(`[reliability]   ${outcome}: ${count}`);
  });
});
