/**
 * The Executions view on a Temporal workspace whose run's history is three server pages (issue #14):
 * the real tree modules against the bench's fake `vscode` and a fake Temporal HTTP API on 127.0.0.1
 * (helpers/fakeTemporal.ts). Requests are counted, never time.
 */
import * as assert from 'node:assert/strict';
import { isWorkflowsApiError } from '../../../src/api';
import { RunHistory } from '../../../src/tree/runHistory';
import type { Execution } from '../../../src/api';
import type { TreeNode } from '../../../src/tree/node';
import { treeServices, useFakeTree, type TreeModules } from '../helpers/fakeTree';
import { rejection } from '../api/testServer';
import { fakeTemporal, RAW_EVENTS, type FakeTemporal } from '../helpers/fakeTemporal';

/** The tree's page: five events; the fake server sends at most four a page. */
const PAGE = 5;
const ALL_IDS = RAW_EVENTS.map((e) => e.eventId);

/** A run's RunHistory over the fake server; `reads` gets each getHistory call the tree makes. */
function historyOf(fake: FakeTemporal, reads: Promise<unknown>[] = []): RunHistory {
  return new RunHistory((stream) => {
    const read = fake.backend.getHistory('wf', { stream });
    reads.push(read.catch((e: unknown) => e));
    return read;
  }, () => PAGE);
}

describe('a Temporal run’s history in the tree, a server page at a time', () => {
  let fake: FakeTemporal;
  afterEach(() => fake.close());

  it('the first page after one request; showMore() one more request; load() the rest', async () => {
    fake = await fakeTemporal();
    const history = historyOf(fake);
    const first = await history.arrived();
    assert.deepEqual(first.events.map((e) => e.idText), ALL_IDS.slice(0, 4));
    assert.equal(first.paused, true);
    assert.deepEqual(fake.tokens(), [null]);
    await history.arrived();
    assert.deepEqual(fake.tokens(), [null], 'a redraw sends nothing');
    history.showMore();
    const second = await history.arrived();
    assert.deepEqual(second.events.map((e) => e.idText), ALL_IDS.slice(0, 8));
    assert.equal(history.shown, 8);
    assert.deepEqual(fake.tokens(), [null, 'p2']);
    const whole = await history.load();
    assert.deepEqual(whole.events.map((e) => e.idText), ALL_IDS);
    assert.deepEqual(fake.tokens(), [null, 'p2', 'p3']);
  });

  it('forget() mid-way drops the old reader: it asks for no more pages, the new one starts again', async () => {
    fake = await fakeTemporal({ hold: 'p2' });
    const reads: Promise<unknown>[] = [];
    const history = historyOf(fake, reads);
    await history.arrived();
    history.showMore();
    const shown = history.arrived();
    await fake.held();
    history.forget(); // e.g. the run got new events: read it again
    fake.release();
    assert.equal((await shown).events.length, 4, 'the arrived() under way gets the new read’s first page');
    const whole = await history.load();
    assert.deepEqual(whole.events.map((e) => e.idText), ALL_IDS);
    assert.deepEqual(fake.tokens().filter((t) => t === 'p3'), ['p3'], 'page 3 read once, by the new reader only');
    assert.deepEqual(fake.tokens().filter((t) => t === null), [null, null]);
    const old = await reads[0];
    assert.ok(isWorkflowsApiError(old) && old.kind === 'aborted', `the old reader stopped, not left waiting: ${String(old)}`);
  });

  it('an error on page 2 is the error of the rows and of load()', async () => {
    fake = await fakeTemporal({ fail: 'p2' });
    const history = historyOf(fake);
    await history.arrived();
    history.showMore();
    const error = await rejection(history.arrived());
    assert.ok(isWorkflowsApiError(error) && error.problem === 'invalidArgument', String(error));
    const again = await rejection(history.load());
    assert.ok(isWorkflowsApiError(again) && again.problem === 'invalidArgument', String(again));
  });

  describe('the rows', () => {
    const modules = useFakeTree();
    let tree: TreeModules;
    before(() => (tree = modules()));

    it('say the rest is on the server; Load more reads one page; the last page gives the total', async () => {
      fake = await fakeTemporal();
      const refreshed: (TreeNode | undefined)[] = [];
      const services = treeServices(fake.backend, PAGE, refreshed);
      const execution: Execution = { executionId: 'wf', workflowName: 'timers', status: 'COMPLETED' };
      const node = new tree.ExecutionNode(execution, services);
      const label = (rows: TreeNode[]): string => String(rows.find((r) => r instanceof tree.LoadMoreNode)?.getTreeItem().label);
      const first = await node.getChildren();
      assert.equal(first.filter((r) => r instanceof tree.EventNode).length, 4);
      assert.equal(label(first), 'Load more (4 events shown, more on the server)');
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(fake.tokens(), [null], 'the rows watch the read without asking for more');

      const more = first.find((r) => r instanceof tree.LoadMoreNode);
      assert.ok(more);
      await more.loadMore();
      const second = await node.getChildren();
      assert.equal(second.filter((r) => r instanceof tree.EventNode).length, 8);
      assert.equal(second[0], first[0], 'rows keep their nodes');
      assert.equal(label(second), 'Load more (8 events shown, more on the server)');
      assert.deepEqual(fake.tokens(), [null, 'p2']);

      const more2 = second.find((r) => r instanceof tree.LoadMoreNode);
      assert.ok(more2);
      await more2.loadMore();
      const third = await node.getChildren();
      assert.equal(third.filter((r) => r instanceof tree.EventNode).length, 10);
      assert.equal(third.find((r) => r instanceof tree.LoadMoreNode), undefined, 'all shown: no Load more');
      assert.deepEqual(fake.tokens(), [null, 'p2', 'p3']);
      assert.equal(node.rows.history.value?.events.length, 10, 'the last page completes the history');
    });

    it('an error on page 2 stays on the rows, with Retry, instead of reading page 1 again', async () => {
      fake = await fakeTemporal({ fail: 'p2' });
      const refreshed: (TreeNode | undefined)[] = [];
      const services = treeServices(fake.backend, PAGE, refreshed);
      const node = new tree.ExecutionNode({ executionId: 'wf', workflowName: 'timers', status: 'COMPLETED' }, services);
      const more = (await node.getChildren()).find((r) => r instanceof tree.LoadMoreNode);
      assert.ok(more);
      await more.loadMore();
      const failed = await node.getChildren();
      const error = (rows: TreeNode[]): string => rows.map((r) => String(r.getTreeItem().label)).join(' | ');
      assert.match(error(failed), /Could not load the history/);
      await new Promise((resolve) => setImmediate(resolve));
      assert.ok(refreshed.includes(node), 'Load more refreshed the rows');
      assert.match(error(await node.getChildren()), /Could not load the history/, 'a redraw shows the error again');
      assert.deepEqual(fake.tokens(), [null, 'p2'], 'page 1 not read again behind the error');
      node.rows.forget(); // what Retry does
      assert.equal((await node.getChildren()).filter((r) => r instanceof tree.EventNode).length, 4);
      assert.deepEqual(fake.tokens(), [null, 'p2', null]);
    });
  });
});
