import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { DEMO } from '../../sandbox/seed';
import { children, description, isEvent, isExecution, label, roots, setUpEnv, showAndSettle, tearDownEnv, TestEnv, WORKSPACE } from './helpers/env';

const HOSTILE_NAME = 'ship\u202Eorder\n[click me](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> **bold**';

function hostileHistory(): string {
  let nested: unknown = { leaf: true };
  for (let depth = 0; depth < 1000; depth++) nested = { nested };
  const big = 'x'.repeat(4 * 1024 * 1024);
  return JSON.stringify({
    events: [
      { event_id: 1, event_type: 'WORKFLOW_EXECUTION_STARTED', event_time: '2026-11-24T10:00:00Z', attributes: { workflow_type: { name: HOSTILE_NAME }, input: big } },
      { event_id: 2, event_type: 'WORKFLOW_TASK_COMPLETED', event_time: '2026-11-24T10:00:01Z', attributes: { identity: HOSTILE_NAME, deep: nested } },
      { event_id: 3, event_type: 'ACTIVITY_TASK_SCHEDULED', event_time: '2026-11-24T10:00:02Z', attributes: { activity_type: { name: HOSTILE_NAME } } },
      { event_id: 4, event_type: 'ACTIVITY_TASK_FAILED', event_time: '2026-11-24T10:00:03Z', attributes: { scheduled_event_id: 3, failure: { message: `${HOSTILE_NAME}\nTraceback…` } } },
      { event_id: 5, event_type: 'WORKFLOW_EXECUTION_SIGNALED', event_time: '2026-11-24T10:00:04Z', attributes: { signal_name: HOSTILE_NAME } },
    ],
  });
}

describe('Security: hostile data, key routing and origins', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let other: Sandbox | undefined;
  beforeEach(async () => {
    env = await setUpEnv();
  });
  afterEach(async () => {
    await env.services.keys.clear('other');
    await other?.close();
    other = undefined;
    await tearDownEnv(env);
  });

  it('renders names with RTL marks, newlines, Markdown and HTML as text, and handles MB-sized and deeply nested payloads', async () => {
    env.sandbox.faults.add({ method: 'GET', pathIncludes: `/executions/${DEMO.failed}/history`, body: hostileHistory(), contentType: 'application/json' });
    const node = await env.services.tree.openExecution(DEMO.failed);
    const events = (await children(env, node)).filter(isEvent);
    assert.equal(events.length, 5);
    for (const event of events) {
      assert.ok(!/[\r\n]/.test(description(event)), `${label(event)}: one-line description`);
      const tooltip = event.resolveTooltip();
      assert.equal(tooltip.isTrusted, false);
      assert.equal(tooltip.supportHtml, false);
      assert.ok(!/(?<!\\)\]\(command:/.test(tooltip.value), `${label(event)}: no live command link in ${tooltip.value}`);
      assert.ok(!tooltip.value.includes('<img'), `${label(event)}: no raw HTML`);
    }
    assert.match(description(events[3]), /ship/);
    await vscode.commands.executeCommand('mistralWorkflows.showEventDetails', events[0]);
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.ok(text.length > 4 * 1024 * 1024, 'the full MB-sized payload is in the JSON document');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.commands.executeCommand('mistralWorkflows.showEventDetails', events[1]);
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /"leaf": true/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('sends each workspace’s key only to that workspace’s base URL', async () => {
    other = await startSandbox({ apiKey: 'mwf-other-workspace-key' });
    const config = vscode.workspace.getConfiguration('mistralWorkflows');
    await config.update('workspaces', [
      { name: WORKSPACE, baseUrl: env.sandbox.baseUrl },
      { name: 'other', baseUrl: other.baseUrl },
    ], vscode.ConfigurationTarget.Global);
    await env.services.keys.store('other', other.apiKey);
    await env.services.connection.rememberKeyOrigin('other', new URL(other.baseUrl).origin);
    // The tree listed and its running executions streamed from the first server; then the switch.
    await showAndSettle(env);
    const first = env.sandbox;
    let firstCount = -1;
    const switched = env.services.connection.onDidChange(() => {
      if (firstCount < 0) firstCount = first.requests.length;
    });
    try {
      await config.update('activeWorkspace', 'other', vscode.ConfigurationTarget.Global);
      await showAndSettle(env, other);
    } finally {
      switched.dispose();
    }
    assert.ok(firstCount >= 0, 'the extension saw the switch');
    assert.ok(other.requests.length > 0 && other.requests.every((r) => r.authorized), 'the other workspace’s server got its own key');
    assert.equal(first.openStreams(), 0, 'the streams to the first server were closed');
    assert.deepEqual(first.requests.slice(firstCount).map((r) => `${r.method} ${r.path}`), [], 'the first server got nothing after the switch');
    await config.update('activeWorkspace', WORKSPACE, vscode.ConfigurationTarget.Global);
  });

  it('does not reconnect (nor reload from its server) when another workspace’s key or an unrelated setting changes', async () => {
    await showAndSettle(env);
    const before = env.sandbox.requests.length;
    const streams = env.sandbox.openStreams();
    // Wait for the very events the extension reacts to, then look at the tree again.
    const secretSeen = new Promise<void>((resolve) => {
      const sub = env.services.context.secrets.onDidChange((e) => {
        if (!e.key.endsWith('.other')) return;
        sub.dispose();
        resolve();
      });
    });
    await env.services.keys.store('other', 'mwf-other-workspace-key');
    await secretSeen;
    const settingSeen = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('mistralWorkflows.executionsPageSize')) return;
        sub.dispose();
        resolve();
      });
    });
    await vscode.workspace.getConfiguration('mistralWorkflows').update('executionsPageSize', 49, vscode.ConfigurationTarget.Global);
    await settingSeen;
    assert.ok((await roots(env)).some(isExecution));
    assert.deepEqual(env.sandbox.requests.slice(before).map((r) => `${r.method} ${r.path}`), [], 'the tree kept what it had');
    assert.equal(env.sandbox.openStreams(), streams, 'the streams stayed open');
  });

  it('asks before sending a stored key to a base URL on a new origin', async () => {
    other = await startSandbox({ apiKey: env.sandbox.apiKey });
    assert.ok((await roots(env)).some(isExecution));
    await vscode.workspace.getConfiguration('mistralWorkflows').update('workspaces', [{ name: WORKSPACE, baseUrl: other.baseUrl }], vscode.ConfigurationTarget.Global);
    const rows = await roots(env);
    assert.equal(rows.length, 1);
    assert.match(label(rows[0]), /now points at http:\/\/127\.0\.0\.1:\d+: click to allow/);
    assert.equal(other.requests.length, 0, 'nothing was sent to the new origin');
    env.ui.script({ kind: 'confirm', answer: true });
    await vscode.commands.executeCommand('mistralWorkflows.allowKeyOrigin');
    env.ui.assertDone();
    assert.ok((await roots(env)).some(isExecution));
    assert.ok(other.requests.length > 0 && other.requests.every((r) => r.authorized));
  });

  it('never sends a key over plain HTTP off loopback', async () => {
    await vscode.workspace.getConfiguration('mistralWorkflows').update('workspaces', [{ name: WORKSPACE, baseUrl: 'http://api.example.com' }], vscode.ConfigurationTarget.Global);
    const rows = await roots(env);
    assert.equal(rows.length, 1);
    assert.match(label(rows[0]), /plain HTTP/);
  });

  it('does not follow a redirect', async () => {
    env.sandbox.faults.add({ method: 'GET', pathIncludes: '/v1/workflows/runs', status: 307, body: '' });
    env.services.tree.refreshAll();
    const rows = await roots(env);
    assert.match(label(rows[0]), /unexpected redirect.*not followed/);
  });
});
