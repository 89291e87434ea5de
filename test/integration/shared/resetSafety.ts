/**
 * What keeps a reset from going astray, for every kind of backend (helpers/world.ts): a reset is bound
 * to the workspace it was started in, and an answer that leaves its outcome unknown (500 or 503 after
 * the server applied it, an answer later than the read-back's watch) is read back, never taken for a
 * refusal and never re-sent blindly. What was sent is the request logs'; what was applied, the server's.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FaultRule, Sandbox } from '../../../sandbox/server';
import { COMMAND_IDS } from '../../../src/commands/ids';
import type { AuditOutcome } from '../../../src/reset/auditLog';
import type { EventNode } from '../../../src/tree/eventNode';
import { children, isEvent, WORKSPACE } from '../helpers/env';
import type { Step } from '../helpers/scriptedUi';
import { closeWorld, type World, type WorldFactory } from '../helpers/world';

const REASON = 'Deployed fix for the address check (#733)';
const OTHER = 'other';
const reasonStep: Step = { kind: 'input', titleMatch: /reason/, answer: REASON };
const noExclusions: Step = { kind: 'pickMany', titleMatch: /options/, choose: () => [] };
const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('mistralWorkflows');

/** A reset point of the world's failed execution (a fresh one on the engine). */
async function resetPoint(world: World): Promise<EventNode> {
  const node = await world.services.tree.openExecution(await world.failed());
  const point = (await children(world, node)).filter(isEvent).find((e) => e.resettable && e.event.type === 'WORKFLOW_TASK_COMPLETED');
  assert.ok(point, 'a reset point');
  return point;
}

/** A second workspace of the world's kind on a server of its own, with its own key; the first stays active. */
async function addOtherWorkspace(world: World): Promise<Sandbox> {
  const other = await world.otherServer('mwf-other-workspace-key');
  const entries = settings().get<Record<string, unknown>[]>('workspaces') ?? [];
  await settings().update('workspaces', [...entries, { name: OTHER, ...world.entry(other.baseUrl) }], vscode.ConfigurationTarget.Global);
  await world.services.keys.store(OTHER, other.apiKey);
  await world.services.connection.rememberKeyOrigin(OTHER, new URL(other.baseUrl).origin);
  return other;
}

/** What the user does with a prompt open: Select Workspace… → `name`, and the extension reconnects. */
async function switchTo(world: World, name: string): Promise<void> {
  const reconnected = new Promise<void>((resolve) => {
    const sub = world.services.connection.onDidChange(() => {
      sub.dispose();
      resolve();
    });
  });
  await settings().update('activeWorkspace', name, vscode.ConfigurationTarget.Global);
  await reconnected;
}

const resetPosts = (world: World, server: Sandbox): string[] =>
  server.requests.filter((r) => r.method === 'POST' && r.path.includes(world.paths.reset)).map((r) => `${r.method} ${r.path}`);

/**
 * The requests from `from` on that are a reset's: any write, or a read naming one of `ids` (not the
 * tree's own listing, nor live runs following what it lists).
 */
const resetTraffic = (world: World, server: Sandbox, ids: readonly string[], from = 0): string[] =>
  server.requests
    .slice(from)
    .filter((r) => r.method !== 'GET' || (!world.isFollow(r) && ids.some((id) => decodeURIComponent(r.path).includes(id))))
    .map((r) => `${r.method} ${r.path}`);

async function auditedSince(world: World, count: number): Promise<AuditOutcome[]> {
  return (await world.services.audit.entries()).slice(count).map((e) => e.outcome);
}

export function resetSafetySuite(factory: WorldFactory): void {
  describe(`A reset is bound to the workspace it was started in (${factory.title})`, function () {
    this.timeout(120_000);
    let world: World;
    let other: Sandbox | undefined;
    afterEach(async () => {
      await vscode.workspace.getConfiguration('mistralWorkflows').update('liveUpdates.enabled', undefined, vscode.ConfigurationTarget.Global);
      await world.services.keys.clear(OTHER);
      await other?.close();
      other = undefined;
      await closeWorld(world);
    });

    it('a switch while the confirmation is open sends nothing, to either server, and says so with the reason to copy', async () => {
      world = await factory.make();
      const point = await resetPoint(world);
      const id = point.run.executionId;
      // The execution runs: live updates would read it now and then, and a read they started before
      // the switch can reach the server after it. Off, every request counted below is the reset's.
      await vscode.workspace.getConfiguration('mistralWorkflows').update('liveUpdates.enabled', false, vscode.ConfigurationTarget.Global);
      other = await addOtherWorkspace(world);
      const audited = (await world.services.audit.entries()).length;
      let firstSeen = -1;
      world.ui.script(reasonStep, noExclusions, {
        kind: 'confirm',
        answer: true,
        act: async () => {
          firstSeen = world.sandbox.requests.length;
          await switchTo(world, OTHER);
        },
      });
      await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, point);
      world.ui.assertDone();
      assert.ok(firstSeen >= 0, 'the switch happened at the prompt');
      assert.deepEqual(resetPosts(world, other), [], 'no reset reached the other workspace’s server');
      assert.deepEqual(resetTraffic(world, other, [id]), [], 'nor any read of the execution');
      assert.deepEqual(resetTraffic(world, world.sandbox, [id], firstSeen), [], 'nothing more of it reached the first server');
      const confirmation = world.ui.asked.find((a) => a.kind === 'confirm');
      assert.match(confirmation?.message ?? '', new RegExp(`\\? The current run in the workspace “${WORKSPACE}” will be terminated`), 'the confirmation names the workspace');
      assert.match(confirmation?.detail ?? '', new RegExp(`^Workspace: “${WORKSPACE}”`, 'm'));
      const stop = await world.ui.waitForNotification(/changed from/);
      assert.equal(stop.level, 'error');
      assert.match(stop.message, new RegExp(`^The active workspace changed from “${WORKSPACE}” to “${OTHER}” before the reset of ${id} was sent\\. Nothing was sent`));
      assert.deepEqual(stop.actions, ['Copy Reason'], 'the typed reason is one click away');
      assert.deepEqual(await auditedSince(world, audited), [], 'nothing sent, nothing audited');
    });

    it('a batch reset: a switch at the typed production confirmation sends nothing, to either server', async () => {
      world = await factory.make({ production: true, newRuns: 'never' });
      // As above: a live update's read started before the switch could reach the server after it.
      await vscode.workspace.getConfiguration('mistralWorkflows').update('liveUpdates.enabled', false, vscode.ConfigurationTarget.Global);
      const ids = [await world.failed(), (await world.withEarlierRuns()).id];
      const nodes = await Promise.all(ids.map((id) => world.services.tree.openExecution(id)));
      other = await addOtherWorkspace(world);
      let firstSeen = -1;
      world.ui.script(
        { kind: 'pickOne', choose: (items) => items[0] },
        reasonStep,
        { kind: 'pickMany', choose: () => [] },
        { kind: 'confirm', answer: true },
        {
          kind: 'input',
          titleMatch: new RegExp(`Production workspace “${WORKSPACE}”`),
          answer: 'reset 2',
          act: async () => {
            firstSeen = world.sandbox.requests.length;
            await switchTo(world, OTHER);
          },
        },
      );
      await vscode.commands.executeCommand(COMMAND_IDS.resetSelected, nodes[0], nodes);
      world.ui.assertDone();
      assert.ok(firstSeen >= 0, 'the switch happened at the prompt');
      assert.deepEqual(resetPosts(world, other), [], 'no reset reached the other workspace’s server');
      assert.deepEqual(resetTraffic(world, other, ids), [], 'nor any read of the executions');
      assert.deepEqual(resetTraffic(world, world.sandbox, ids, firstSeen), [], 'nothing more of it reached the first server');
      assert.match(world.ui.asked.find((a) => a.kind === 'confirm')?.detail ?? '', new RegExp(`^Workspace: “${WORKSPACE}” .*PRODUCTION$`, 'm'));
      const stop = await world.ui.waitForNotification(/changed from/);
      assert.match(stop.message, new RegExp(`changed from “${WORKSPACE}” to “${OTHER}” before the batch reset was sent\\. Nothing was sent`));
    });
  });

  describe(`An unknown outcome is read back, never taken for a refusal (${factory.title})`, function () {
    this.timeout(120_000);
    let world: World;
    beforeEach(async () => {
      world = await factory.make();
    });
    afterEach(async () => {
      await settings().update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
      await closeWorld(world);
    });

    /**
     * Reset to Here with one fault on the reset POST, clicking Retry on notifications matching `retryWhen`;
     * then what the server applied and what was audited since.
     */
    const resetUnder = async (fault: Omit<FaultRule, 'method' | 'pathIncludes' | 'times'>, retryWhen: RegExp) => {
      const point = await resetPoint(world);
      const id = point.run.executionId;
      const before = (await world.appliedResets(id)).length;
      const audited = (await world.services.audit.entries()).length;
      world.sandbox.faults.add({ method: 'POST', pathIncludes: world.paths.reset, times: 1, ...fault });
      world.ui.notificationAnswers.push({ match: retryWhen, action: 'Retry' });
      world.ui.script(reasonStep, noExclusions, { kind: 'confirm', answer: true });
      await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, point);
      world.ui.assertDone();
      return {
        appliedReasons: async (): Promise<string[]> => (await world.appliedResets(id)).slice(before).map((a) => a.reason),
        audited: (): Promise<AuditOutcome[]> => auditedSince(world, audited),
      };
    };

    for (const status of [500, 503]) {
      it(`a reset answered ${status} after the server applied it is read back as applied, and not offered again`, async () => {
        // A user who clicks Retry whenever it is offered.
        const outcome = await resetUnder({ statusAfter: status }, /./);
        assert.equal(world.sentResets().length, 1, 'sent once');
        assert.deepEqual(await outcome.appliedReasons(), [REASON], 'applied once');
        await world.ui.waitForNotification(/New run/);
        assert.deepEqual(await outcome.audited(), ['applied']);
      });
    }

    it('a 500 that did nothing is read back as not applied; Retry reads back again and sends once; nothing is audited “failed”', async () => {
      const outcome = await resetUnder({ status: 500 }, /The reset was not applied\.$/);
      const sent = world.sentResets();
      assert.equal(sent.length, 2, 'the first POST, then the one the user asked for');
      assert.deepEqual(sent[1].body, sent[0].body);
      assert.deepEqual(await outcome.appliedReasons(), [REASON]);
      assert.deepEqual(await outcome.audited(), ['not applied', 'applied']);
    });

    it('an answer later than the read-back’s watch: nothing is concluded until the POST ends, and nothing is sent again', async () => {
      await settings().update('requestTimeoutSeconds', 2, vscode.ConfigurationTarget.Global);
      // Past the 2 s timeout and the 2 s watch after it, within the three timeouts a write is let run.
      const outcome = await resetUnder({ latencyMs: 5000 }, /./);
      assert.equal(world.sentResets().length, 1, 'sent once');
      assert.deepEqual(await outcome.appliedReasons(), [REASON], 'applied once');
      await world.ui.waitForNotification(/New run/);
      assert.deepEqual(await outcome.audited(), ['applied']);
    });
  });
}
