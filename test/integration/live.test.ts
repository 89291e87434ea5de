/**
 * Live runs in the extension host, against the sandbox: running executions refresh by themselves from
 * the event stream, Watch notifies once, polling takes over when the stream endpoint fails, and the
 * setting turns streams off. Every wait is an `eventually` with a generous bound (busy CI boxes).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEMO, STUCK_MESSAGE } from '../../sandbox/seed';
import { WorkflowsClient } from '../../src/api/mistral';
import { COMMAND_IDS } from '../../src/commands/ids';
import type { ExecutionNode } from '../../src/tree/executionNode';
import { eventually } from '../helpers/eventually';
import { escapeRegExp } from '../helpers/regexp';
import { children, description, isEvent, setUpEnv, showView, tearDownEnv, type TestEnv } from './helpers/env';

const LIVE = 'mistralWorkflows.liveUpdates';
const COMPLETED = /^order-fulfillment \(6f1c2a9e-3b7d-4e58-9a41-0c2d8e7f5b13\) completed\.$/;

async function setLive(key: 'enabled' | 'pollIntervalSeconds', value: boolean | number | undefined): Promise<void> {
  await vscode.workspace.getConfiguration(LIVE).update(key, value, vscode.ConfigurationTarget.Global);
}

const streamRequests = (env: TestEnv, id: string): number => env.sandbox.requests.filter((r) => r.path === `/v1/workflows/executions/${id}/stream`).length;

describe('Live runs (in the extension host, against the sandbox)', function () {
  this.timeout(90_000);
  let env: TestEnv;
  let client: WorkflowsClient;

  beforeEach(async () => {
    await setLive('pollIntervalSeconds', 2);
    env = await setUpEnv({ completionDelayMs: 2500 });
    client = new WorkflowsClient({ baseUrl: env.sandbox.baseUrl, apiKey: env.sandbox.apiKey });
  });
  afterEach(async () => {
    await client.close();
    await tearDownEnv(env);
    await setLive('enabled', undefined);
    await setLive('pollIntervalSeconds', undefined);
  });

  /** Resets DEMO.failed through the API (not the extension), so it runs for completionDelayMs, and tells the tree. */
  async function runningAgain(): Promise<ExecutionNode> {
    await client.reset({ executionId: DEMO.failed, eventId: 41, reason: 'live test', excludeSignals: false, excludeUpdates: false });
    const node = await env.services.tree.openExecution(DEMO.failed);
    await env.services.tree.reloadExecution(node);
    assert.equal(node.execution.status, 'RUNNING');
    return node;
  }

  it('refreshes a running execution shown in the tree when events arrive, and when it ends', async () => {
    await showView(env);
    const node = env.services.tree.findExecution(DEMO.running);
    assert.ok(node, 'DEMO.running is listed');
    const before = (await children(env, node)).filter(isEvent).length;
    await eventually('a stream to be opened for the running execution', async () => (streamRequests(env, DEMO.running) > 0 ? true : undefined));
    await eventually('the stream to be followed', async () => (env.services.liveUpdates.following.get(DEMO.running) === 'stream' ? true : undefined));
    // The server is serving it (a stream sends what is appended from then on).
    await eventually('the sandbox to serve the stream', async () => (env.sandbox.openStreams() > 0 ? true : undefined));

    await client.signal(DEMO.running, 'approve');
    await eventually('the signal to appear under the execution without a manual refresh', async () => {
      const now = (await children(env, node)).filter(isEvent).length; // cached until the live refresh forgets them
      return now > before ? now : undefined;
    }, 30_000);

    await client.terminate(DEMO.running);
    await eventually('the execution to show TERMINATED by itself', async () => (node.execution.status === 'TERMINATED' ? true : undefined), 30_000);
    await eventually('following to stop once it ended', async () => (env.services.liveUpdates.following.has(DEMO.running) ? undefined : true));
  });

  it('Watch (from the palette) marks the execution and notifies exactly once when it completes', async () => {
    const node = await runningAgain();
    env.ui.script({ kind: 'pickOrEnter', answer: DEMO.failed });
    await vscode.commands.executeCommand(COMMAND_IDS.watchExecution);
    env.ui.assertDone();
    assert.ok(env.services.liveUpdates.isWatched(DEMO.failed));
    assert.match(description(node), /watching/);
    assert.match(node.getTreeItem().contextValue ?? '', /\+watched\b/);

    const note = await env.ui.waitForNotification(COMPLETED, 30_000);
    assert.equal(note.level, 'info');
    assert.deepEqual(note.actions, ['Show']);
    assert.equal(node.execution.status, 'COMPLETED', 'the tree shows it too');
    // Only a watch notifies, and the watch ends with its one notification: once it and its follower are
    // gone, no later refresh can notify again.
    assert.equal(env.services.liveUpdates.isWatched(DEMO.failed), false, 'the watch ended');
    await eventually('following to stop', async () => (env.services.liveUpdates.following.has(DEMO.failed) ? undefined : true));
    assert.equal(env.ui.notifications.filter((n) => COMPLETED.test(n.message)).length, 1);
    assert.doesNotMatch(description(node), /watching/);
  });

  it('Unwatch from the tree ends the watch without a notification', async () => {
    const node = await runningAgain();
    await vscode.commands.executeCommand(COMMAND_IDS.watchExecution, node);
    assert.ok(env.services.liveUpdates.isWatched(DEMO.failed));
    await vscode.commands.executeCommand(COMMAND_IDS.unwatchExecution, node);
    assert.equal(env.services.liveUpdates.isWatched(DEMO.failed), false);
    await eventually('the run to complete', async () => ((await client.getExecution(DEMO.failed)).status === 'COMPLETED' ? true : undefined));
    // A watch that survived would keep its follower until the end was seen, and notify right then.
    await eventually('no follower for the execution', async () => (env.services.liveUpdates.following.has(DEMO.failed) ? undefined : true));
    assert.equal(env.ui.notifications.filter((n) => COMPLETED.test(n.message)).length, 0);
  });

  it('falls back to polling when the stream endpoint answers 404, and still notifies', async () => {
    env.sandbox.faults.add({ pathIncludes: '/stream', status: 404 });
    const node = await runningAgain();
    await vscode.commands.executeCommand(COMMAND_IDS.watchExecution, node);
    await eventually('polling after the 404', async () => (env.services.liveUpdates.following.get(DEMO.failed) === 'poll' ? true : undefined));
    await env.ui.waitForNotification(COMPLETED, 30_000);
    assert.equal(node.execution.status, 'COMPLETED');
    const reads = env.sandbox.requests.filter((r) => r.path === `/v1/workflows/executions/${DEMO.failed}`);
    assert.ok(reads.length >= 2, `polled (${reads.length} reads)`);
  });

  it('with the setting off, opens no stream (a watch still notifies, by polling)', async () => {
    await setLive('enabled', false);
    await showView(env);
    await eventually('streams opened before the setting changed to close', async () => (env.sandbox.openStreams() === 0 ? true : undefined));
    const baseline = env.sandbox.requests.filter((r) => r.path.endsWith('/stream')).length;
    const node = await runningAgain();
    await vscode.commands.executeCommand(COMMAND_IDS.watchExecution, node);
    assert.equal(env.services.liveUpdates.following.get(DEMO.failed), 'poll');
    await env.ui.waitForNotification(COMPLETED, 30_000);
    // Watching reconciles at once, with the view visible and DEMO.running listed: only what is watched is
    // followed, and by polling.
    const running = env.services.tree.findExecution(DEMO.running);
    assert.ok(running, 'DEMO.running is listed');
    await vscode.commands.executeCommand(COMMAND_IDS.watchExecution, running);
    assert.deepEqual([...env.services.liveUpdates.following], [[DEMO.running, 'poll']]);
    await vscode.commands.executeCommand(COMMAND_IDS.unwatchExecution, running);
    assert.equal(env.sandbox.requests.filter((r) => r.path.endsWith('/stream')).length, baseline, 'no stream requests');
  });

  it('Watch on a stuck run tells it is stuck, once, with the worker’s message; Show reveals it', async () => {
    // Polled, so that refreshes come every 2 s whatever the stream does: the notification must not repeat.
    env.sandbox.faults.add({ pathIncludes: '/stream', status: 404 });
    const stuckAt = new RegExp(`^order-fulfillment \\(${DEMO.stuck}\\) is stuck: workflow task failing since (\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d UTC: ${escapeRegExp(STUCK_MESSAGE.slice(0, 60))}`);
    env.ui.notificationAnswers.push({ match: stuckAt, action: 'Show' });
    const node = await env.services.tree.openExecution(DEMO.stuck);
    await vscode.commands.executeCommand(COMMAND_IDS.watchExecution, node);
    const note = await env.ui.waitForNotification(stuckAt, 30_000);
    assert.equal(note.level, 'warning');
    assert.deepEqual(note.actions, ['Show']);
    assert.equal(node.execution.status, 'RUNNING', 'still running: only its history says it is stuck');
    await eventually('Show to select the execution', async () => (env.services.treeView.selection.some((n) => (n as ExecutionNode).executionId === DEMO.stuck) ? true : undefined));

    const refreshes = (): number => env.sandbox.requests.filter((r) => r.path === `/v1/workflows/executions/${DEMO.stuck}`).length;
    const before = refreshes();
    // Refreshes every 2 s: six of them outlast StuckWatch's 10 s between reads, so the history is read again.
    await eventually('six more refreshes of the watched run', async () => (refreshes() >= before + 6 ? true : undefined), 40_000);
    const historyReads = env.sandbox.requests.filter((r) => r.path.endsWith('/history') && r.path.includes(node.execution.runId ?? DEMO.stuck)).length;
    assert.ok(historyReads >= 2, `the stuck run's history was looked at again (${historyReads} reads)`);
    assert.equal(env.ui.notifications.filter((n) => stuckAt.test(n.message)).length, 1, 'the same streak is told once');
    assert.ok(env.services.liveUpdates.isWatched(DEMO.stuck), 'a stuck run is still watched: it may yet end');
    await vscode.commands.executeCommand(COMMAND_IDS.unwatchExecution, node);
  });
});
