/**
 * Hostile data, where keys may go, and origins, for every kind of backend (helpers/world.ts).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../../src/commands/ids';
import type { Sandbox } from '../../../sandbox/server';
import { eventually } from '../../helpers/eventually';
import { children, description, isEvent, isExecution, label, roots, showAndSettle, WORKSPACE } from '../helpers/env';
import { closeWorld, type World, type WorldFactory } from '../helpers/world';

const HOSTILE_NAME = 'ship\u202Eorder\n[click me](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> **bold**';

function nested(depth: number): unknown {
  let value: unknown = { leaf: true };
  for (let i = 0; i < depth; i++) value = { nested: value };
  return value;
}

export function securitySuite(factory: WorldFactory): void {
  describe(`Security: hostile data, key routing and origins (${factory.title})`, function () {
    this.timeout(60_000);
    let world: World;
    let other: Sandbox | undefined;
    beforeEach(async () => {
      world = await factory.make();
    });
    afterEach(async () => {
      await world.services.keys.clear('other');
      await other?.close();
      other = undefined;
      await closeWorld(world);
    });

    const useWorkspaces = (entries: Record<string, unknown>[]): Thenable<void> =>
      vscode.workspace.getConfiguration('mistralWorkflows').update('workspaces', entries, vscode.ConfigurationTarget.Global);

    it('renders names with RTL marks, newlines, Markdown and HTML as text, and handles MB-sized and deeply nested payloads', async () => {
      const id = await world.failed();
      const body = world.hostileHistory(HOSTILE_NAME, 'x'.repeat(4 * 1024 * 1024), nested(1000));
      world.sandbox.faults.add({ method: 'GET', pathIncludes: `/${encodeURIComponent(id)}/history`, body, contentType: 'application/json' });
      const node = await world.services.tree.openExecution(id);
      node.rows.forget();
      const events = (await children(world, node)).filter(isEvent);
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
      await vscode.commands.executeCommand(COMMAND_IDS.showEventDetails, events[0]);
      const text = vscode.window.activeTextEditor?.document.getText() ?? '';
      assert.ok(text.length > 4 * 1024 * 1024, 'the full MB-sized payload is in the JSON document');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.commands.executeCommand(COMMAND_IDS.showEventDetails, events[1]);
      assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /"leaf": true/);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    it('sends each workspace’s key only to that workspace’s base URL', async () => {
      other = await world.otherServer('mwf-other-workspace-key');
      await useWorkspaces([{ name: WORKSPACE, ...world.entry(world.sandbox.baseUrl) }, { name: 'other', ...world.entry(other.baseUrl) }]);
      await world.services.keys.store('other', other.apiKey);
      await world.services.connection.rememberKeyOrigin('other', new URL(other.baseUrl).origin);
      // The tree listed and its running executions are followed from the first server; then the switch.
      await showAndSettle(world);
      const first = world.sandbox;
      let firstCount = -1;
      const switched = world.services.connection.onDidChange(() => {
        if (firstCount < 0) firstCount = first.requests.length;
      });
      try {
        await vscode.workspace.getConfiguration('mistralWorkflows').update('activeWorkspace', 'other', vscode.ConfigurationTarget.Global);
        await showAndSettle(world, other);
      } finally {
        switched.dispose();
      }
      assert.ok(firstCount >= 0, 'the extension saw the switch');
      assert.ok(other.requests.length > 0 && other.requests.every((r) => r.authorized), 'the other workspace’s server got its own key');
      await eventually('the streams to the first server to be closed', async () => (first.openStreams() === 0 ? true : undefined));
      assert.deepEqual(first.requests.slice(firstCount).map((r) => `${r.method} ${r.path}`), [], 'the first server got nothing after the switch');
      await vscode.workspace.getConfiguration('mistralWorkflows').update('activeWorkspace', WORKSPACE, vscode.ConfigurationTarget.Global);
    });

    it('does not reconnect (nor reload from its server) when another workspace’s key or an unrelated setting changes', async () => {
      await showAndSettle(world);
      // A reconnect lists again from the first page and makes new rows. Live runs' own traffic (their
      // follows, and the describe a follow's first answer schedules) may go on meanwhile: it is not counted.
      const listed = (): string[] => world.sandbox.requests.filter((r) => world.isList(r)).map((r) => `${r.method} ${r.path}`);
      const before = listed().length;
      const rowsBefore = (await roots(world)).filter(isExecution);
      const streams = world.sandbox.openStreams();
      // Wait for the very events the extension reacts to, then look at the tree again.
      const secretSeen = new Promise<void>((resolve) => {
        const sub = world.services.context.secrets.onDidChange((e) => {
          if (!e.key.endsWith('.other')) return;
          sub.dispose();
          resolve();
        });
      });
      await world.services.keys.store('other', 'mwf-other-workspace-key');
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
      const rowsAfter = (await roots(world)).filter(isExecution);
      assert.ok(rowsAfter.length > 0);
      assert.deepEqual(listed().slice(before), [], 'nothing was listed again');
      assert.ok(rowsAfter.length === rowsBefore.length && rowsAfter.every((row, i) => row === rowsBefore[i]), 'the tree kept the rows it had');
      // A long poll that ran out is asked again at once: look for the same count, not the same instant.
      await eventually(`${streams} live follows still open`, async () => (world.sandbox.openStreams() === streams ? true : undefined));
    });

    it('asks before sending a stored key to a base URL on a new origin', async () => {
      other = await world.otherServer(world.sandbox.apiKey);
      assert.ok((await roots(world)).some(isExecution));
      await useWorkspaces([{ name: WORKSPACE, ...world.entry(other.baseUrl) }]);
      const rows = await roots(world);
      assert.equal(rows.length, 1);
      assert.match(label(rows[0]), /now points at http:\/\/127\.0\.0\.1:\d+: click to allow/);
      assert.equal(other.requests.length, 0, 'nothing was sent to the new origin');
      world.ui.script({ kind: 'confirm', answer: true });
      await vscode.commands.executeCommand(COMMAND_IDS.allowKeyOrigin);
      world.ui.assertDone();
      assert.ok((await roots(world)).some(isExecution));
      assert.ok(other.requests.length > 0 && other.requests.every((r) => r.authorized));
    });

    it('never sends a key over plain HTTP off loopback', async () => {
      await useWorkspaces([{ name: WORKSPACE, ...world.entry('http://api.example.com') }]);
      const rows = await roots(world);
      assert.equal(rows.length, 1);
      assert.match(label(rows[0]), /plain HTTP/);
    });

    it('does not follow a redirect', async () => {
      world.sandbox.faults.add({ method: 'GET', pathIncludes: world.paths.list, status: 307, body: '' });
      world.services.tree.refreshAll();
      const rows = await roots(world);
      assert.match(label(rows[0]), /unexpected redirect.*not followed/);
    });
  });
}
