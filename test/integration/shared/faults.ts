/**
 * Every way the network, a gateway and the service fail, for every kind of backend
 * (helpers/world.ts): each ends in one error row that says what happened, and the view recovers.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FaultRule } from '../../../sandbox/faults';
import { COMMAND_IDS } from '../../../src/commands/ids';
import type { TreeNode } from '../../../src/tree/node';
import { children, isEvent, isExecution, isMessage, label, roots } from '../helpers/env';
import { closeWorld, type FaultCase, type World, type WorldFactory } from '../helpers/world';

/** What the network and gateways in front of any service do, and the words the user must see. */
const NETWORK_FAULTS: readonly FaultCase[] = [
  { name: 'latency past the timeout', rule: { latencyMs: 1600 }, says: /did not answer within 1 s|timed out/i },
  { name: '500', rule: { status: 500 }, says: /internal error \(500/i },
  { name: '502', rule: { status: 502 }, says: /\b502\b/ },
  { name: '503', rule: { status: 503 }, says: /\b503\b/ },
  { name: '504', rule: { status: 504 }, says: /\b504\b/ },
  { name: '429 with Retry-After', rule: { status: 429, retryAfterSeconds: 1 }, says: /\b429\b|too many/i },
  { name: 'a dropped connection', rule: { drop: 'before' }, says: /connection|network/i },
  { name: 'truncated JSON', rule: { truncate: true }, says: /not valid JSON/i },
  { name: 'malformed JSON', rule: { body: '{"executions": [{"execution_id": ', contentType: 'application/json' }, says: /not valid JSON/i },
  { name: 'an empty body', rule: { body: '' }, says: /empty response/i },
  { name: 'an HTML error page', rule: { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' }, says: /502/ },
  { name: '401', rule: { status: 401 }, says: /API key was rejected \(401\)/ },
  { name: '403', rule: { status: 403 }, says: /\b403\b/ },
];

const keyRefused = (rule: FaultRule): boolean => rule.status === 401 || rule.status === 403;

const errorRow = (rows: TreeNode[]): TreeNode | undefined => rows.find((n) => isMessage(n) && /\+error/.test(n.getTreeItem().contextValue ?? ''));

export function faultsSuite(factory: WorldFactory): void {
  describe(`Faults: every failure ends in a clear error row, and the view recovers (${factory.title})`, function () {
    this.timeout(120_000);
    let world: World;
    let failed: string;
    before(async () => {
      world = await factory.make();
      failed = await world.failed();
      await vscode.workspace.getConfiguration('mistralWorkflows').update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
    });
    after(async () => {
      await vscode.workspace.getConfiguration('mistralWorkflows').update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
      await closeWorld(world);
    });
    afterEach(() => world.sandbox.faults.clear());

    for (const fault of [...NETWORK_FAULTS, ...factory.serviceFaults]) {
      it(`listing: ${fault.name}`, async () => {
        world.sandbox.faults.add({ ...fault.rule, method: 'GET', pathIncludes: world.paths.list });
        world.services.tree.refreshAll();
        const rows = await roots(world);
        assert.equal(rows.length, 1, 'one row: the error');
        const row = errorRow(rows);
        assert.ok(row, `an error row (got ${rows.map(label).join(' | ')})`);
        assert.match(label(row), fault.says);
        assert.ok(!label(row).includes(world.sandbox.apiKey));
        world.sandbox.faults.clear();
        const command = row.getTreeItem().command;
        assert.equal(command?.title, keyRefused(fault.rule) ? 'Set API Key' : 'Retry');
        if (keyRefused(fault.rule)) await vscode.commands.executeCommand(COMMAND_IDS.refresh);
        else await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
        assert.ok((await roots(world)).some(isExecution), 'the next attempt lists the executions');
      });

      it(`history: ${fault.name}`, async () => {
        const node = await world.services.tree.openExecution(failed);
        node.rows.forget();
        world.sandbox.faults.add({ ...fault.rule, method: 'GET', pathIncludes: world.paths.history });
        const rows = await children(world, node);
        const row = errorRow(rows);
        assert.ok(row, `an error row (got ${rows.map(label).join(' | ')})`);
        assert.match(label(row), /Could not load the history/);
        assert.match(label(row), fault.says);
        world.sandbox.faults.clear();
        const command = row.getTreeItem().command;
        assert.equal(command?.title, keyRefused(fault.rule) ? 'Set API Key' : 'Retry');
        await vscode.commands.executeCommand(COMMAND_IDS.retryNode, node);
        assert.ok((await children(world, node)).some(isEvent), 'the next attempt loads the events');
      });
    }

    it('a refresh while a page loads does not duplicate nodes', async () => {
      world.sandbox.faults.add({ method: 'GET', pathIncludes: world.paths.list, latencyMs: 300, times: 3 });
      world.services.tree.refreshAll();
      const first = roots(world);
      world.services.tree.refreshAll();
      const second = roots(world);
      const [a, b] = await Promise.all([first, second]);
      const ids = (await roots(world)).filter(isExecution).map((n) => n.executionId);
      assert.equal(new Set(ids).size, ids.length, 'no duplicate executions');
      assert.ok(ids.length > 0 && a.length > 0 && b.length > 0);
    });
  });
}
