/**
 * The Executions view on a history whose body arrives slowly: the real tree modules against the bench's
 * fake `vscode` and a sandbox on 127.0.0.1 that holds the rest of the body back.
 */
import * as assert from 'node:assert/strict';
import { WorkflowsClient } from '../../../src/api/mistral';
import { DEMO, startSandbox, type Sandbox } from '../../../sandbox/server';
import type { TreeNode } from '../../../src/tree/node';
import { treeServices, useFakeTree, type TreeModules } from '../helpers/fakeTree';

const PAGE = 5;
const HOLD_MS = 800;

describe('the tree shows the first page before the rest of the history arrives', () => {
  let sandbox: Sandbox;
  const modules = useFakeTree();
  let tree: TreeModules;
  before(() => (tree = modules()));
  beforeEach(async () => {
    sandbox = await startSandbox({ completionDelayMs: 60_000 });
  });
  afterEach(() => sandbox.close());

  for (const compression of ['on', 'off'] as const) {
    it(`compression ${compression}: first page, Load more during and after the stream, reset points`, async () => {
      const client = new WorkflowsClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, maxRetries: 0, timeoutMs: 10_000, compression });
      const refreshed: (TreeNode | undefined)[] = [];
      const services = treeServices(client, PAGE, refreshed);
      try {
        const execution = await client.getExecution(DEMO.failed);
        const total = (await client.getHistory(DEMO.failed)).length;
        assert.ok(total > 3 * PAGE, `the history has ${total} events`);
        // ~12 seed events in the first 3,000 bytes: two pages arrive, the rest is held back.
        sandbox.faults.add({ pathIncludes: '/history', trickleAfterBytes: 3_000, trickleMs: HOLD_MS, times: 1 });
        const node = new tree.ExecutionNode(execution, services);
        const started = Date.now();
        const first = await node.getChildren();
        const firstMs = Date.now() - started;
        const rows = first.filter((r) => r instanceof tree.EventNode);
        assert.equal(rows.length, PAGE);
        assert.ok(firstMs < HOLD_MS / 2, `first page after ${firstMs} ms, the rest is held ${HOLD_MS} ms`);
        assert.equal(node.rows.history.value, undefined, 'the complete history has not arrived');
        const more = first.find((r) => r instanceof tree.LoadMoreNode);
        assert.ok(more, 'a Load more row while the rest streams in');
        assert.match(String(more.getTreeItem().label), /more arriving/);
        // The reset-point mark of a row needs only its own event.
        const completed = rows.find((r) => r.event.type === 'WORKFLOW_TASK_COMPLETED');
        assert.ok(completed, 'a workflow task completed in the first page');
        assert.match(completed.contextValue, /\+resettable\b/);

        // Load more during the stream: the second page has arrived already.
        await more.loadMore();
        const second = await node.getChildren();
        assert.equal(second.filter((r) => r instanceof tree.EventNode).length, 2 * PAGE);
        assert.ok(Date.now() - started < HOLD_MS, 'no wait for the rest');
        assert.equal(second[0], first[0], 'rows keep their nodes');

        // The third page is in the held-back part: Load more waits for it, then the total is known.
        const more2 = second.find((r) => r instanceof tree.LoadMoreNode);
        assert.ok(more2);
        await more2.loadMore();
        const third = await node.getChildren();
        assert.ok(Date.now() - started >= HOLD_MS - 50, 'waited for the rest of the body');
        assert.equal(third.filter((r) => r instanceof tree.EventNode).length, 3 * PAGE);
        assert.equal(third[0], first[0], 'still the same nodes');
        const full = await node.rows.history.load();
        assert.equal(full.events.length, total);
        assert.equal(full.events[0], (first[0] as InstanceType<TreeModules['EventNode']>).event, 'the early events are the complete history\'s');
        const after = await node.getChildren(); // what the refresh makes VS Code do
        assert.equal(after[0], first[0]);
        const label = String(after.find((r) => r instanceof tree.LoadMoreNode)?.getTreeItem().label);
        assert.match(label, new RegExp(`of ${total} events`));
        await new Promise((resolve) => setImmediate(resolve));
        // Two by the Load more clicks, one when the whole history was in (not one per getChildren meanwhile).
        assert.equal(refreshed.filter((n) => n === node).length, 3, 'refreshed once when the whole history was in');
        assert.equal(sandbox.requests.filter((r) => r.path.endsWith('/history')).length, 2, 'one request for the expansion');
      } finally {
        await client.close();
      }
    });
  }

  it('Reset to Here waits for the whole history (it checks the whole run)', async () => {
    const client = new WorkflowsClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, maxRetries: 0, timeoutMs: 10_000 });
    const services = treeServices(client, PAGE);
    try {
      const execution = await client.getExecution(DEMO.failed);
      sandbox.faults.add({ pathIncludes: '/history', trickleAfterBytes: 3_000, trickleMs: HOLD_MS, times: 1 });
      const node = new tree.ExecutionNode(execution, services);
      const started = Date.now();
      await node.getChildren();
      const whole = await node.rows.history.load(); // what the reset commands call
      assert.ok(Date.now() - started >= HOLD_MS - 50);
      const found = await node.rows.nodeFor(whole.events[whole.events.length - 1].eventId ?? -1);
      assert.equal(found?.index, whole.events.length - 1, 'go to an event beyond the arrived pages');
    } finally {
      await client.close();
    }
  });
});
