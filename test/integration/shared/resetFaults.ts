/**
 * Resets under randomised faults on the reset POST itself, for every kind of backend
 * (helpers/world.ts): never a duplicate, never one the user did not confirm, whatever the network did.
 * What was applied is what the server reports.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FaultRule } from '../../../sandbox/faults';
import { COMMAND_IDS } from '../../../src/commands/ids';
import type { EventNode } from '../../../src/tree/eventNode';
import type { Step } from '../helpers/scriptedUi';
import { closeWorld, type World, type WorldFactory } from '../helpers/world';

/**
 * Faults on the reset POST. `lost`: the server acts but the answer never arrives. `refused`: the world's
 * own. `refusal`: the server says in so many words that it did nothing; after any other fault the audit
 * never says “failed”.
 */
const RESET_FAULTS: { name: string; rule?: FaultRule | 'refused'; weight: number; refusal?: true }[] = [
  { name: 'none', weight: 4 },
  { name: 'dropped before acting', rule: { drop: 'before' }, weight: 2 },
  { name: 'dropped after acting (answer lost)', rule: { drop: 'after' }, weight: 3 },
  { name: 'late answer past the timeout (answer lost)', rule: { latencyMs: 1300 }, weight: 1 },
  // Past the 1 s timeout and the 2 s watch after it, and the three timeouts a write is let run: cut off.
  { name: 'answer later than the read-back watch', rule: { latencyMs: 4000 }, weight: 1 },
  { name: '500', rule: { status: 500 }, weight: 1 },
  { name: '502', rule: { status: 502 }, weight: 1 },
  { name: '503', rule: { status: 503 }, weight: 1 },
  { name: '504', rule: { status: 504 }, weight: 1 },
  { name: 'applied, then 500', rule: { statusAfter: 500 }, weight: 1 },
  { name: 'applied, then 503', rule: { statusAfter: 503 }, weight: 1 },
  { name: '429', rule: { status: 429, retryAfterSeconds: 1 }, weight: 1, refusal: true },
  { name: 'refused by the service', rule: 'refused', weight: 1, refusal: true },
];
const CANCEL_AT = ['never', 'never', 'never', 'never', 'reason', 'options', 'confirmation'] as const;
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

/** `runs`: how many resets to try (a real engine runs every new run, so fewer there). */
export function resetFaultsSuite(factory: WorldFactory, runs: number): void {
  describe(`Reset under randomised faults (${factory.title})`, function () {
    this.timeout(20 * 60_000);
    let world: World;
    before(async () => {
      world = await factory.make({ newRuns: 'never' });
      await vscode.workspace.getConfiguration('mistralWorkflows').update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
    });
    after(async () => {
      await vscode.workspace.getConfiguration('mistralWorkflows').update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
      await closeWorld(world);
    });

    it(`sends no duplicate and no unconfirmed reset across ${runs} runs`, async () => {
      const rand = random(SEED);
      const tally = new Map<string, number>();
      const id = await world.failed();
      let confirmed = 0;
      let applied = (await world.appliedResets(id)).length;
      for (let run = 0; run < runs; run++) {
        world.sandbox.faults.clear();
        const node = await world.services.tree.openExecution(id);
        await world.services.tree.reloadExecution(node);
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
        world.ui.script(...steps);
        world.ui.notificationAnswers.length = 0;
        if (clicksRetry) world.ui.notificationAnswers.push({ match: /./, action: 'Retry' });
        const rule = fault.rule === 'refused' ? world.refusedReset : fault.rule;
        if (rule) world.sandbox.faults.add({ ...rule, method: 'POST', pathIncludes: world.paths.reset, times: 1 });
        const postsBefore = world.sandbox.requests.filter((r) => r.method === 'POST').length;
        const audited = (await world.services.audit.entries()).length;

        await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, row);
        // A slow server may still act after the flow gave up on its answer: let it, then count.
        await new Promise((resolve) => setTimeout(resolve, rule?.latencyMs ? Math.max(1500, rule.latencyMs) : 0));
        world.ui.assertDone();

        const now = await world.appliedResets(id);
        const added = now.slice(applied);
        applied = now.length;
        const posts = world.sandbox.requests.filter((r) => r.method === 'POST').length - postsBefore;
        const where = `run ${run} (${fault.name}, cancel at ${cancelAt}, retry ${clicksRetry})`;
        assert.ok(added.length <= 1, `${where}: ${added.length} resets applied — a duplicate`);
        if (cancelAt !== 'never') {
          assert.equal(posts, 0, `${where}: a request was sent although the user cancelled`);
          assert.equal(added.length, 0, `${where}: a reset the user did not confirm`);
        } else {
          confirmed++;
        }
        for (const reset of added) assert.equal(reset.reason, reason, `${where}: the reset carries this run's reason`);
        const outcomes = (await world.services.audit.entries()).slice(audited).map((e) => e.outcome);
        if (!fault.refusal) assert.ok(!outcomes.includes('failed'), `${where}: audited ${outcomes.join(', ')}: an unknown outcome is never “failed”`);
        if (added.length === 1) assert.ok(outcomes.includes('applied') || outcomes.includes('unknown'), `${where}: applied, but audited ${outcomes.join(', ')}`);
        const outcome = `${fault.name} / ${cancelAt === 'never' ? (added.length ? 'applied' : 'not applied') : 'cancelled'}`;
        tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
      }
      const total = [...tally].filter(([k]) => k.endsWith('/ applied')).reduce((sum, [, n]) => sum + n, 0);
      console.log(`[reliability] ${factory.title}: ${runs} randomised reset runs (seed ${SEED}): ${confirmed} confirmed, ${total} applied, 0 duplicates, 0 unconfirmed`);
      for (const [outcome, count] of [...tally].sort()) console.log(`[reliability]   ${outcome}: ${count}`);
    });
  });
}
