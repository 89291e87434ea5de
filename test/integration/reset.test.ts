import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEMO } from '../../sandbox/seed';
import type { EventNode } from '../../src/tree/eventNode';
import type { ExecutionNode } from '../../src/tree/executionNode';
import { children, eventually, isEarlierRuns, isEvent, setUpEnv, tearDownEnv, TestEnv } from './helpers/env';
import type { Step } from './helpers/scriptedUi';

const REASON = 'Deployed fix for KeyError in ship_order (#512)';

async function eventsOf(env: TestEnv, executionId: string): Promise<{ node: ExecutionNode; events: EventNode[] }> {
  const node = await env.services.tree.openExecution(executionId);
  const events = (await children(env, node)).filter(isEvent);
  return { node, events };
}

/** A reset point of DEMO.failed that has signals and updates after it. */
async function middlePoint(env: TestEnv): Promise<EventNode> {
  const { events } = await eventsOf(env, DEMO.failed);
  const points = events.filter((e) => e.resettable);
  const withSignalsAfter = points.filter((p) => events.some((e) => e.index > p.index && e.event.type === 'WORKFLOW_EXECUTION_SIGNALED'));
  assert.ok(withSignalsAfter.length > 0, 'a reset point with signals after it');
  return withSignalsAfter[0];
}

const reasonStep = (answer: string | undefined, rejected?: string[]): Step => ({ kind: 'input', titleMatch: /reason/, answer, rejected });
const excludeSignals: Step = { kind: 'pickMany', titleMatch: /options/, choose: (items) => items.filter((i) => /signals/.test(i.label)) };
const noExclusions: Step = { kind: 'pickMany', titleMatch: /options/, choose: () => [] };

describe('Reset to here (in the extension host, against the sandbox)', function () {
  let env: TestEnv;
  afterEach(async () => tearDownEnv(env));

  describe('in a development workspace', () => {
    beforeEach(async () => {
      env = await setUpEnv({ completionDelayMs: 1500 });
    });

    it('asks reason → options → confirmation, sends one reset, and shows the new run', async () => {
      const point = await middlePoint(env);
      const signalsAfter = (await eventsOf(env, DEMO.failed)).events.filter((e) => e.index > point.index && e.event.type === 'WORKFLOW_EXECUTION_SIGNALED').length;
      let detail = '';
      env.ui.script(reasonStep(`  ${REASON}  `, ['', '   ', 'x'.repeat(1025)]), {
        kind: 'pickMany',
        titleMatch: /options/,
        choose: (items) => {
          assert.ok(items.some((i) => i.label === `Exclude signals received after this point (${signalsAfter})`), JSON.stringify(items.map((i) => i.label)));
          return items.filter((i) => /signals/.test(i.label));
        },
      }, { kind: 'confirm', answer: true });
      const oldRunId = point.run.runId;
      await vscode.commands.executeCommand('mistralWorkflows.resetToHere', point);
      env.ui.assertDone();
      assert.equal(env.ui.validationMessages.length, 3, 'empty, blank and too-long reasons refused inline');
      assert.match(env.ui.validationMessages[0], /reason is required/i);
      assert.match(env.ui.validationMessages[2], /limit is 1024/);
      detail = env.ui.asked.find((a) => a.kind === 'confirm')?.detail ?? '';
      assert.match(detail, new RegExp(`Discarded: \\d+ events after event ${point.event.idText}`));
      assert.match(detail, /Activities that will run again: /);
      assert.match(detail, /Signals after this point: \d+ .*EXCLUDED/);
      assert.match(detail, /Updates after this point: \d+ .*re-applied/);
      assert.ok(detail.includes(REASON));
      assert.equal(env.sandbox.resets.length, 1);
      const sent = env.sandbox.resets[0];
      assert.deepEqual(
        { executionId: sent.executionId, eventId: sent.eventId, reason: sent.reason, excludeSignals: sent.excludeSignals, excludeUpdates: sent.excludeUpdates },
        { executionId: DEMO.failed, eventId: point.event.eventId, reason: REASON, excludeSignals: true, excludeUpdates: false },
      );
      const note = await env.ui.waitForNotification(/New run/);
      assert.ok(note.message.includes(sent.newRunId) && note.actions.includes('Show'));
      const node = env.services.tree.findExecution(DEMO.failed);
      assert.ok(node);
      assert.equal(node.execution.runId, sent.newRunId);
      assert.notEqual(node.execution.runId, oldRunId);
      const rows = await children(env, node);
      assert.ok(isEarlierRuns(rows[0]), 'the old run is now an earlier run');
      const marker = rows.find((n) => isEvent(n) && n.event.type === 'WORKFLOW_TASK_FAILED');
      assert.ok(marker, 'the new run shows the reset marker');
      assert.equal(env.services.treeView.selection[0], marker, 'the new run’s events are revealed');
      await eventually(async () => {
        await vscode.commands.executeCommand('mistralWorkflows.refresh', node);
        return node.execution.status === 'COMPLETED' ? true : undefined;
      }, 'the new run to complete');
    });

    for (const cancelAt of ['reason', 'options', 'confirmation'] as const) {
      it(`sends nothing when cancelled at the ${cancelAt} step`, async () => {
        const point = await middlePoint(env);
        const steps: Step[] = [reasonStep(cancelAt === 'reason' ? undefined : REASON)];
        if (cancelAt !== 'reason') steps.push(cancelAt === 'options' ? { kind: 'pickMany', choose: () => undefined } : noExclusions);
        if (cancelAt === 'confirmation') steps.push({ kind: 'confirm', answer: false });
        env.ui.script(...steps);
        await vscode.commands.executeCommand('mistralWorkflows.resetToHere', point);
        env.ui.assertDone();
        assert.equal(env.sandbox.requests.filter((r) => r.method === 'POST').length, 0);
        assert.equal(env.ui.notifications.filter((n) => n.level === 'error').length, 0, 'a cancel is silent');
      });
    }

    it('offers Retry after a failure, and Retry re-sends the same reason and options once', async () => {
      const point = await middlePoint(env);
      env.sandbox.faults.add({ method: 'POST', pathIncludes: '/reset', status: 503, times: 1 });
      env.ui.notificationAnswers.push({ match: /not applied|error|unavailable|503/i, action: 'Retry' });
      env.ui.script(reasonStep(REASON), excludeSignals, { kind: 'confirm', answer: true });
      await vscode.commands.executeCommand('mistralWorkflows.resetToHere', point);
      env.ui.assertDone();
      const posts = env.sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/reset'));
      assert.equal(posts.length, 2, 'one failed POST, one retried by the user');
      assert.deepEqual(posts[1].body, posts[0].body, 'the retry sends the same body');
      assert.equal(env.sandbox.resets.length, 1);
      assert.equal(env.sandbox.resets[0].reason, REASON);
    });

    it('reads the execution back when the answer is lost, and does not send again', async () => {
      const point = await middlePoint(env);
      env.sandbox.faults.add({ method: 'POST', pathIncludes: '/reset', drop: 'after', times: 1 });
      env.ui.script(reasonStep(REASON), noExclusions, { kind: 'confirm', answer: true });
      await vscode.commands.executeCommand('mistralWorkflows.resetToHere', point);
      env.ui.assertDone();
      assert.equal(env.sandbox.requests.filter((r) => r.method === 'POST').length, 1);
      assert.equal(env.sandbox.resets.length, 1);
      await env.ui.waitForNotification(/New run/);
    });

    it('refuses a second reset of the same execution while one is in flight', async () => {
      const point = await middlePoint(env);
      env.sandbox.faults.add({ method: 'POST', pathIncludes: '/reset', latencyMs: 1500, times: 1 });
      env.ui.script(reasonStep(REASON), noExclusions, { kind: 'confirm', answer: true });
      const first = vscode.commands.executeCommand('mistralWorkflows.resetToHere', point);
      await eventually(async () => (env.services.resets.isBusy(DEMO.failed) ? true : undefined), 'the first reset to be in flight');
      await vscode.commands.executeCommand('mistralWorkflows.resetToHere', point);
      await first;
      env.ui.assertDone();
      assert.ok(env.ui.notifications.some((n) => n.level === 'error' && /already in progress/.test(n.message)));
      assert.equal(env.sandbox.requests.filter((r) => r.method === 'POST').length, 1);
    });

    it('Reset Execution… from the palette: execution id, then First/Last workflow task', async () => {
      const { events } = await eventsOf(env, DEMO.failed);
      const last = events.filter((e) => e.resettable).pop();
      env.ui.script(
        { kind: 'pickOrEnter', answer: DEMO.failed },
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
      await vscode.commands.executeCommand('mistralWorkflows.resetExecution');
      env.ui.assertDone();
      assert.equal(env.sandbox.resets.length, 1);
      assert.equal(env.sandbox.resets[0].eventId, last?.event.eventId);
    });
  });

  describe('when the tree is stale', () => {
    beforeEach(async () => {
      // A long completion delay: the other run must not grow new reset points during the test.
      env = await setUpEnv({ completionDelayMs: 600_000 });
    });

    it('recovers from WF_1001 with the server’s valid points, keeping the reason', async () => {
      const { events } = await eventsOf(env, DEMO.failed);
      const points = events.filter((e) => e.resettable);
      const stale = points[points.length - 1];
      // Someone else resets the execution to its first point: the tree's latest run is now stale.
      const client = await env.services.connection.client();
      await client.reset({ executionId: DEMO.failed, eventId: points[0].event.eventId ?? 0, reason: 'someone else', excludeSignals: false, excludeUpdates: false });
      env.ui.script(reasonStep(REASON), noExclusions, { kind: 'confirm', answer: true }, {
        kind: 'pickOne',
        titleMatch: /not a valid reset point/,
        choose: (items) => items[0],
      }, noExclusions, { kind: 'confirm', answer: true });
      await vscode.commands.executeCommand('mistralWorkflows.resetToHere', stale);
      env.ui.assertDone();
      assert.equal(env.ui.asked.filter((a) => a.kind === 'input').length, 1, 'the reason was asked once');
      assert.equal(env.sandbox.resets.length, 2);
      assert.equal(env.sandbox.resets[1].reason, REASON);
      await env.ui.waitForNotification(/New run/);
    });

  });

  describe('in a production workspace', () => {
    beforeEach(async () => {
      env = await setUpEnv({ production: true });
    });

    it('demands the execution id typed before sending', async () => {
      const point = await middlePoint(env);
      env.ui.script(reasonStep(REASON), noExclusions, { kind: 'confirm', answer: true }, {
        kind: 'input',
        titleMatch: /Production/,
        rejected: ['yes', DEMO.failed.slice(0, 8)],
        answer: DEMO.failed,
      });
      await vscode.commands.executeCommand('mistralWorkflows.resetToHere', point);
      env.ui.assertDone();
      assert.equal(env.sandbox.resets.length, 1);
    });

    it('sends nothing when the typed confirmation is cancelled', async () => {
      const point = await middlePoint(env);
      env.ui.script(reasonStep(REASON), noExclusions, { kind: 'confirm', answer: true }, { kind: 'input', titleMatch: /Production/, answer: undefined });
      await vscode.commands.executeCommand('mistralWorkflows.resetToHere', point);
      env.ui.assertDone();
      assert.equal(env.sandbox.requests.filter((r) => r.method === 'POST').length, 0);
    });
  });
});

describe('Batch reset in a production workspace', () => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await setUpEnv({ production: true, completionDelayMs: 60_000 });
  });
  afterEach(async () => tearDownEnv(env));

  it('demands the count typed before sending anything', async () => {
    const nodes = await Promise.all([DEMO.failed, DEMO.reset].map((id) => env.services.tree.openExecution(id)));
    const start: Step[] = [
      { kind: 'pickOne', choose: (items) => items[0] },
      reasonStep(REASON),
      { kind: 'pickMany', choose: () => [] },
      { kind: 'confirm', answer: true },
    ];
    env.ui.script(...start, { kind: 'input', titleMatch: /Production/, answer: undefined });
    await vscode.commands.executeCommand('mistralWorkflows.resetSelected', nodes[0], nodes);
    assert.equal(env.sandbox.requests.filter((r) => r.method === 'POST').length, 0, 'Escape at the typed confirmation sends nothing');
    env.ui.script(...start, { kind: 'input', titleMatch: /Production/, rejected: ['2', 'yes'], answer: 'reset 2' });
    await vscode.commands.executeCommand('mistralWorkflows.resetSelected', nodes[0], nodes);
    env.ui.assertDone();
    assert.equal(env.sandbox.resets.length, 2);
  });
});
