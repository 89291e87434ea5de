/**
 * Reset to Here on the real engine: a running order is terminated and replaced, and the signals and
 * updates received after the point are re-applied, or not, exactly as chosen — as the new run's real
 * history shows. Then the engine refuses a stale point, and the extension offers exactly the real
 * history's valid points, keeping the reason.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { attrText, type WorkflowEvent } from '../../src/api';
import { resetPointIds } from '../../src/api/temporal';
import { COMMAND_IDS } from '../../src/commands/ids';
import { eventually } from '../helpers/eventually';
import { eventsOf, latestRun, waitingOrder, resetMarkers, resetSteps, run, useEngineEnv, type EngineEnv } from './helpers';

/** A signal and an update after the point, through the engine. */
async function signalAndUpdate(env: EngineEnv, id: string): Promise<void> {
  await env.temporal.signal(id, 'add_note', { input: [{ note: 'leave at the door' }] });
  await env.temporal.update(id, 'set_delivery_window', { args: [{ window: 'evening' }] });
}

const typesAfter = (events: WorkflowEvent[], point: number): string[] => events.filter((e) => (e.eventId ?? 0) > point).map((e) => e.type);

describe('On the real engine: Reset to Here, exclusions, and an invalid point', function () {
  this.timeout(180_000);
  const world = useEngineEnv();
  let env: EngineEnv;
  beforeEach(() => {
    env = world();
  });

  for (const exclude of [{ signals: true }, { updates: true }]) {
    const what = exclude.signals ? 'signals' : 'updates';
    it(`Reset to Here excluding ${what}: the old run is TERMINATED, the new run re-applies only the other kind`, async () => {
      const { id, point } = await waitingOrder(env, 'opts');
      await signalAndUpdate(env, id);
      const before = await latestRun(env, id);
      assert.ok(typesAfter(before.events, point).includes('WORKFLOW_EXECUTION_SIGNALED'));
      assert.ok(typesAfter(before.events, point).includes('WORKFLOW_EXECUTION_UPDATE_ACCEPTED'));
      const { events } = await eventsOf(env, id);
      const node = events.find((e) => e.event.eventId === point);
      assert.ok(node?.resettable, `event ${point} is offered as a reset point`);
      env.ui.script(...resetSteps(`exclude ${what}`, exclude));
      await run(COMMAND_IDS.resetToHere, node);
      env.ui.assertDone();

      const now = await eventually('the new run', async () => {
        const latest = await latestRun(env, id);
        return latest.runId !== before.runId && resetMarkers(latest.events).length === 1 ? latest : undefined;
      }, 60_000);
      assert.equal((await env.temporal.describe(id, before.runId)).execution.status, 'TERMINATED', 'the engine terminated the old run');
      assert.equal(now.status, 'RUNNING', 'the new run waits for its approval again');
      // Re-applied events follow the reset marker (which takes the point's id).
      const reapplied = typesAfter(now.events, point);
      const signaled = reapplied.includes('WORKFLOW_EXECUTION_SIGNALED');
      const updated = reapplied.some((t) => t.startsWith('WORKFLOW_EXECUTION_UPDATE_'));
      assert.deepEqual({ signaled, updated }, { signaled: !exclude.signals, updated: !exclude.updates }, reapplied.join(', '));
      await env.temporal.terminate(id, { reason: 'test done' });
    });
  }

  it('a stale point gets WF_1001: the extension offers exactly the real history’s valid points and keeps the reason', async () => {
    const { id } = await waitingOrder(env, 'opts');
    const { events } = await eventsOf(env, id); // the tree now holds the first run
    const first = await latestRun(env, id);
    // Someone else resets the execution meanwhile, to its first workflow task.
    const firstPoint = resetPointIds(first.raw)[0];
    await env.temporal.reset(id, { runId: first.runId, workflowTaskFinishEventId: firstPoint, reason: 'someone else', requestId: randomUUID(), excludeSignals: false, excludeUpdates: false });
    const second = await eventually('the other reset’s run to wait again', async () => {
      const latest = await latestRun(env, id);
      return latest.runId !== first.runId && latest.events.filter((e) => e.type === 'ACTIVITY_TASK_COMPLETED').length === 2 ? latest : undefined;
    }, 60_000);
    const valid = resetPointIds(second.raw);
    const stale = events.find((e) => e.resettable && e.event.eventId !== undefined && !valid.includes(e.event.eventId));
    assert.ok(stale, `a point of the first run that the new run does not have (valid now: ${valid.join(', ')})`);

    const REASON = 'Reset after the fix, whatever the point';
    let offered: number[] = [];
    env.ui.script(
      ...resetSteps(REASON),
      {
        kind: 'pickOne',
        titleMatch: /not a valid reset point/,
        choose: (items) => {
          offered = items.map((i) => Number((i as { event?: WorkflowEvent }).event?.eventId));
          return items[items.length - 1];
        },
      },
      { kind: 'pickMany', titleMatch: /options/, choose: () => [] },
      { kind: 'confirm', answer: true },
    );
    await run(COMMAND_IDS.resetToHere, stale);
    env.ui.assertDone();
    const third = await eventually('the reset to the chosen point', async () => {
      const latest = await latestRun(env, id);
      return latest.runId !== second.runId ? latest : undefined;
    }, 60_000);
    // The run may have gone on (another workflow task) between our look and the extension's: what it was
    // offered is the engine's own points of that run as they stood then, its final history's first ones.
    const ended = resetPointIds(await env.temporal.historyAll(id, second.runId));
    assert.deepEqual(offered, ended.slice(0, offered.length), `the points offered are the engine’s (the run's: ${ended.join(', ')})`);
    assert.ok(valid.every((p) => offered.includes(p)), `every point the run had when looked at is offered (${valid.join(', ')})`);
    const markers = resetMarkers(third.events);
    assert.equal(attrText(markers[markers.length - 1], 'failure.message'), REASON, 'the typed reason was kept');
    assert.equal(markers[markers.length - 1].eventId, offered[offered.length - 1], 'the point the user chose');
    await env.temporal.terminate(id, { reason: 'test done' });
  });
});
