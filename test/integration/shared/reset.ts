/**
 * The reset flow, the same for every kind of backend (helpers/world.ts): what the user is asked, what
 * is sent (read from the request log) and what the server applied (as the server reports it).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../../src/commands/ids';
import type { EventNode } from '../../../src/tree/eventNode';
import type { ExecutionNode } from '../../../src/tree/executionNode';
import { eventually } from '../../helpers/eventually';
import { children, isEarlierRuns, isEvent } from '../helpers/env';
import type { Step } from '../helpers/scriptedUi';
import { closeWorld, type World, type WorldFactory } from '../helpers/world';

const REASON = 'Deployed fix for KeyError in ship_order (#512)';

async function eventsOf(world: World, executionId: string): Promise<{ node: ExecutionNode; events: EventNode[] }> {
  const node = await world.services.tree.openExecution(executionId);
  const events = (await children(world, node)).filter(isEvent);
  return { node, events };
}

const completedTasks = (events: readonly EventNode[]): EventNode[] => events.filter((e) => e.resettable && e.event.type === 'WORKFLOW_TASK_COMPLETED');

/** A reset point of a fresh failed execution that has signals and updates after it. */
async function middlePoint(world: World): Promise<EventNode> {
  const { events } = await eventsOf(world, await world.failed());
  const withSignalsAfter = completedTasks(events).filter((p) => events.some((e) => e.index > p.index && e.event.type === 'WORKFLOW_EXECUTION_SIGNALED'));
  assert.ok(withSignalsAfter.length > 0, 'a reset point with signals after it');
  return withSignalsAfter[0];
}

const posts = (world: World): number => world.sandbox.requests.filter((r) => r.method === 'POST').length;
const reasonStep = (answer: string | undefined, rejected?: string[]): Step => ({ kind: 'input', titleMatch: /reason/, answer, rejected });
const excludeSignals: Step = { kind: 'pickMany', titleMatch: /options/, choose: (items) => items.filter((i) => /signals/.test(i.label)) };
const noExclusions: Step = { kind: 'pickMany', titleMatch: /options/, choose: () => [] };

export function resetSuite(factory: WorldFactory): void {
  describe(`Reset to here (${factory.title})`, function () {
    this.timeout(120_000);
    let world: World;
    afterEach(async () => closeWorld(world));

    describe('in a development workspace', () => {
      beforeEach(async () => {
        world = await factory.make();
      });

      it('asks reason → options → confirmation, sends one reset, and shows the new run', async () => {
        const point = await middlePoint(world);
        const id = point.run.executionId;
        const signalsAfter = (await eventsOf(world, id)).events.filter((e) => e.index > point.index && e.event.type === 'WORKFLOW_EXECUTION_SIGNALED').length;
        world.ui.script(reasonStep(`  ${REASON}  `, ['', '   ', 'x'.repeat(1025)]), {
          kind: 'pickMany',
          titleMatch: /options/,
          choose: (items) => {
            assert.ok(items.some((i) => i.label === `Exclude signals received after this point (${signalsAfter})`), JSON.stringify(items.map((i) => i.label)));
            return items.filter((i) => /signals/.test(i.label));
          },
        }, { kind: 'confirm', answer: true });
        const oldRunId = point.run.runId;
        await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, point);
        world.ui.assertDone();
        assert.equal(world.ui.validationMessages.length, 3, 'empty, blank and too-long reasons refused inline');
        assert.match(world.ui.validationMessages[0], /reason is required/i);
        assert.match(world.ui.validationMessages[2], /limit is 1024/);
        const detail = world.ui.asked.find((a) => a.kind === 'confirm')?.detail ?? '';
        assert.match(detail, new RegExp(`Discarded: \\d+ events after event ${point.event.idText}`));
        assert.match(detail, /Activities that will run again: /);
        assert.match(detail, /Signals after this point: \d+ .*EXCLUDED/);
        assert.match(detail, /Updates after this point: \d+ .*re-applied/);
        assert.ok(detail.includes(REASON));
        const sent = world.sentResets();
        assert.equal(sent.length, 1);
        assert.deepEqual(
          { executionId: sent[0].executionId, eventId: sent[0].eventId, reason: sent[0].reason, excludeSignals: sent[0].excludeSignals, excludeUpdates: sent[0].excludeUpdates },
          { executionId: id, eventId: point.event.eventId, reason: REASON, excludeSignals: true, excludeUpdates: false },
        );
        const applied = await world.appliedResets(id);
        assert.deepEqual(applied.map((a) => [a.eventId, a.reason]), [[point.event.eventId, REASON]], 'the server applied that one reset');
        const newRunId = applied[0].newRunId;
        const note = await world.ui.waitForNotification(/New run/);
        assert.ok(note.message.includes(newRunId) && note.actions.includes('Show'));
        const node = world.services.tree.findExecution(id);
        assert.ok(node);
        assert.equal(node.execution.runId, newRunId);
        assert.notEqual(node.execution.runId, oldRunId);
        const rows = await children(world, node);
        assert.ok(isEarlierRuns(rows[0]), 'the old run is now an earlier run');
        const marker = rows.find((n) => isEvent(n) && n.event.type === 'WORKFLOW_TASK_FAILED');
        assert.ok(marker, 'the new run shows the reset marker');
        // By id, as VS Code keeps a selection: a live update may rebuild the rows once the reveal is done.
        assert.equal(world.services.treeView.selection[0]?.id, marker.id, 'the new run’s events are revealed');
        await world.finishRun(id);
        await eventually(`the new run to end ${world.newRunEnds}`, async () => {
          await vscode.commands.executeCommand(COMMAND_IDS.refresh, node);
          return node.execution.status === world.newRunEnds ? true : undefined;
        }, 60_000);
      });

      for (const cancelAt of ['reason', 'options', 'confirmation'] as const) {
        it(`sends nothing when cancelled at the ${cancelAt} step`, async () => {
          const point = await middlePoint(world);
          const steps: Step[] = [reasonStep(cancelAt === 'reason' ? undefined : REASON)];
          if (cancelAt !== 'reason') steps.push(cancelAt === 'options' ? { kind: 'pickMany', choose: () => undefined } : noExclusions);
          if (cancelAt === 'confirmation') steps.push({ kind: 'confirm', answer: false });
          world.ui.script(...steps);
          await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, point);
          world.ui.assertDone();
          assert.equal(posts(world), 0);
          assert.equal(world.ui.notifications.filter((n) => n.level === 'error').length, 0, 'a cancel is silent');
        });
      }

      it('offers Retry after a failure, and Retry re-sends the same reason and options once', async () => {
        const point = await middlePoint(world);
        world.sandbox.faults.add({ method: 'POST', pathIncludes: world.paths.reset, status: 503, times: 1 });
        world.ui.notificationAnswers.push({ match: /not applied|error|unavailable|503/i, action: 'Retry' });
        world.ui.script(reasonStep(REASON), excludeSignals, { kind: 'confirm', answer: true });
        await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, point);
        world.ui.assertDone();
        const sent = world.sentResets();
        assert.equal(sent.length, 2, 'one failed POST, one retried by the user');
        assert.deepEqual(sent[1].body, sent[0].body, 'the retry sends the same body');
        const applied = await world.appliedResets(point.run.executionId);
        assert.deepEqual(applied.map((a) => a.reason), [REASON], 'applied once');
      });

      it('reads the execution back when the answer is lost, and does not send again', async () => {
        const point = await middlePoint(world);
        world.sandbox.faults.add({ method: 'POST', pathIncludes: world.paths.reset, drop: 'after', times: 1 });
        world.ui.script(reasonStep(REASON), noExclusions, { kind: 'confirm', answer: true });
        await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, point);
        world.ui.assertDone();
        assert.equal(posts(world), 1);
        assert.equal((await world.appliedResets(point.run.executionId)).length, 1);
        await world.ui.waitForNotification(/New run/);
      });

      it('refuses a second reset of the same execution while one is in flight', async () => {
        const point = await middlePoint(world);
        world.sandbox.faults.add({ method: 'POST', pathIncludes: world.paths.reset, latencyMs: 1500, times: 1 });
        world.ui.script(reasonStep(REASON), noExclusions, { kind: 'confirm', answer: true });
        const first = vscode.commands.executeCommand(COMMAND_IDS.resetToHere, point);
        await eventually('the first reset to be in flight', async () => (world.services.resets.isBusy(point.run.executionId) ? true : undefined));
        await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, point);
        await first;
        world.ui.assertDone();
        assert.ok(world.ui.notifications.some((n) => n.level === 'error' && /already in progress/.test(n.message)));
        assert.equal(posts(world), 1);
      });

      it('Reset Execution… from the palette: execution id, then First/Last workflow task', async () => {
        const id = await world.failed();
        const last = completedTasks((await eventsOf(world, id)).events).pop();
        world.ui.script(
          { kind: 'pickOrEnter', answer: id },
          {
            kind: 'pickOne',
            titleMatch: /choose the reset point/,
            choose: (items) => {
              assert.ok(items.some((i) => /First workflow task/.test(i.label)));
              assert.ok(items.filter((i) => /^\$\(debug-stackframe-dot\) Event/.test(i.label)).every((i) => typeof i.detail === 'string' && i.detail.length > 0));
              return items.find((i) => /Last workflow task/.test(i.label));
            },
          },
          reasonStep(REASON),
          noExclusions,
          { kind: 'confirm', answer: true },
        );
        await vscode.commands.executeCommand(COMMAND_IDS.resetExecution);
        world.ui.assertDone();
        const sent = world.sentResets();
        assert.equal(sent.length, 1);
        assert.equal(sent[0].eventId, last?.event.eventId);
        assert.equal((await world.appliedResets(id)).length, 1);
      });
    });

    describe('when the tree is stale', () => {
      beforeEach(async () => {
        world = await factory.make({ newRuns: 'never' });
      });

      it('recovers from an invalid point with the server’s valid points, keeping the reason', async () => {
        const id = await world.failed();
        const points = completedTasks((await eventsOf(world, id)).events);
        const stale = points[points.length - 1];
        // Someone else resets the execution to its first point: the tree's latest run is now stale.
        const client = await world.services.connection.client();
        await client.reset({ executionId: id, eventId: points[0].event.eventId ?? 0, reason: 'someone else', excludeSignals: false, excludeUpdates: false });
        world.ui.script(reasonStep(REASON), noExclusions, { kind: 'confirm', answer: true }, {
          kind: 'pickOne',
          titleMatch: /not a valid reset point/,
          choose: (items) => items[0],
        }, noExclusions, { kind: 'confirm', answer: true });
        await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, stale);
        world.ui.assertDone();
        assert.equal(world.ui.asked.filter((a) => a.kind === 'input').length, 1, 'the reason was asked once');
        const applied = await world.appliedResets(id);
        assert.deepEqual(applied.map((a) => a.reason), ['someone else', REASON], 'the other reset, then ours on the run it made');
        await world.ui.waitForNotification(/New run/);
      });
    });

    describe('in a production workspace', () => {
      beforeEach(async () => {
        world = await factory.make({ production: true });
      });

      it('demands the execution id typed before sending', async () => {
        const point = await middlePoint(world);
        const id = point.run.executionId;
        world.ui.script(reasonStep(REASON), noExclusions, { kind: 'confirm', answer: true }, {
          kind: 'input',
          titleMatch: /Production/,
          rejected: ['yes', id.slice(0, 8)],
          answer: id,
        });
        await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, point);
        world.ui.assertDone();
        assert.equal((await world.appliedResets(id)).length, 1);
      });

      it('sends nothing when the typed confirmation is cancelled', async () => {
        const point = await middlePoint(world);
        world.ui.script(reasonStep(REASON), noExclusions, { kind: 'confirm', answer: true }, { kind: 'input', titleMatch: /Production/, answer: undefined });
        await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, point);
        world.ui.assertDone();
        assert.equal(posts(world), 0);
      });
    });
  });

  describe(`Batch reset in a production workspace (${factory.title})`, function () {
    this.timeout(120_000);
    let world: World;
    beforeEach(async () => {
      world = await factory.make({ production: true, newRuns: 'never' });
    });
    afterEach(async () => closeWorld(world));

    it('demands the count typed before sending anything, then resets each execution once', async () => {
      const ids = [await world.failed(), (await world.withEarlierRuns()).id];
      const nodes = await Promise.all(ids.map((id) => world.services.tree.openExecution(id)));
      const before = await Promise.all(ids.map(async (id) => (await world.appliedResets(id)).length));
      const start: Step[] = [
        { kind: 'pickOne', choose: (items) => items[0] },
        reasonStep(REASON),
        { kind: 'pickMany', choose: () => [] },
        { kind: 'confirm', answer: true },
      ];
      world.ui.script(...start, { kind: 'input', titleMatch: /Production/, answer: undefined });
      await vscode.commands.executeCommand(COMMAND_IDS.resetSelected, nodes[0], nodes);
      assert.equal(posts(world), 0, 'Escape at the typed confirmation sends nothing');
      world.ui.script(...start, { kind: 'input', titleMatch: /Production/, rejected: ['2', 'yes'], answer: 'reset 2' });
      await vscode.commands.executeCommand(COMMAND_IDS.resetSelected, nodes[0], nodes);
      world.ui.assertDone();
      assert.equal(world.sentResets().length, 2);
      for (const [i, id] of ids.entries()) {
        const applied = await world.appliedResets(id);
        assert.equal(applied.length, before[i] + 1, `${id} was reset once`);
        assert.equal(applied.at(-1)?.reason, REASON);
      }
    });
  });
}
