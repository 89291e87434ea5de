import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FaultRule } from '../../sandbox/faults';
import { DEMO } from '../../sandbox/seed';
import type { TreeNode } from '../../src/tree/node';
import { children, isEvent, isExecution, isMessage, label, roots, setUpEnv, tearDownEnv, TestEnv } from './helpers/env';

/** Every way the network and the gateway fail, and the words the user must see for each. */
const FAULTS: { name: string; rule: Omit<FaultRule, 'pathIncludes' | 'method'>; says: RegExp }[] = [
  { name: 'latency past the timeout', rule: { latencyMs: 1600 }, says: /did not answer within 1 s|timed out/i },
  { name: '500', rule: { status: 500 }, says: /internal error \(500\)/i },
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
  { name: '404 WF_1100', rule: { status: 404, body: JSON.stringify({ detail: 'Workflow execution not found', code: 'WF_1100' }) }, says: /not found/i },
  {
    name: 'a validation error with a detail array',
    rule: { status: 422, body: JSON.stringify({ detail: [{ loc: ['query', 'page_size'], msg: 'Input should be less than or equal to 1000', type: 'less_than_equal' }] }) },
    says: /page_size: Input should be less than or equal to 1000/,
  },
];

const keyRefused = (rule: FaultRule): boolean => rule.status === 401 || rule.status === 403;

const errorRow = (rows: TreeNode[]): TreeNode | undefined => rows.find((n) => isMessage(n) && /\+error/.test(n.getTreeItem().contextValue ?? ''));

describe('Faults: every failure ends in a clear error row, and the view recovers', function () {
  this.timeout(120_000);
  let env: TestEnv;
  before(async () => {
    env = await setUpEnv();
    await vscode.workspace.getConfiguration('mistralWorkflows').update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('mistralWorkflows').update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await tearDownEnv(env);
  });
  afterEach(() => env.sandbox.faults.clear());

  for (const fault of FAULTS) {
    it(`listing: ${fault.name}`, async () => {
      env.sandbox.faults.add({ ...fault.rule, method: 'GET', pathIncludes: '/v1/workflows/runs' });
      env.services.tree.refreshAll();
      const rows = await roots(env);
      assert.equal(rows.length, 1, 'one row: the error');
      const row = errorRow(rows);
      assert.ok(row, `an error row (got ${rows.map(label).join(' | ')})`);
      assert.match(label(row), fault.says);
      assert.ok(!label(row).includes(env.sandbox.apiKey));
      env.sandbox.faults.clear();
      const command = row.getTreeItem().command;
      assert.equal(command?.title, keyRefused(fault.rule) ? 'Set API Key' : 'Retry');
      if (keyRefused(fault.rule)) await vscode.commands.executeCommand('mistralWorkflows.refresh');
      else await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
      assert.ok((await roots(env)).some(isExecution), 'the next attempt lists the executions');
    });

    it(`history: ${fault.name}`, async () => {
      const node = await env.services.tree.openExecution(DEMO.failed);
      node.rows.forget();
      env.sandbox.faults.add({ ...fault.rule, method: 'GET', pathIncludes: '/history' });
      const rows = await children(env, node);
      const row = errorRow(rows);
      assert.ok(row, `an error row (got ${rows.map(label).join(' | ')})`);
      assert.match(label(row), /Could not load the history/);
      assert.match(label(row), fault.says);
      env.sandbox.faults.clear();
      const command = row.getTreeItem().command;
      assert.equal(command?.title, keyRefused(fault.rule) ? 'Set API Key' : 'Retry');
      await vscode.commands.executeCommand('mistralWorkflows.retryNode', node);
      assert.ok((await children(env, node)).some(isEvent), 'the next attempt loads the events');
    });
  }

  it('a refresh while a page loads does not duplicate nodes', async () => {
    env.sandbox.faults.add({ method: 'GET', pathIncludes: '/v1/workflows/runs', latencyMs: 300, times: 3 });
    env.services.tree.refreshAll();
    const first = roots(env);
    env.services.tree.refreshAll();
    const second = roots(env);
    const [a, b] = await Promise.all([first, second]);
    const rows = await roots(env);
    const ids = rows.filter(isExecution).map((n) => n.executionId);
    assert.equal(new Set(ids).size, ids.length, 'no duplicate executions');
    assert.ok(ids.length > 0 && a.length > 0 && b.length > 0);
  });
});
