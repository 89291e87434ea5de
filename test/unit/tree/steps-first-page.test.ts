/**
 * The steps view's first page before the whole history has arrived (issue #20): the steps of a prefix
 * of a history are the whole history's first ones, those finished in the prefix exactly as they end
 * up, the open ones shown as such until the rest arrives; then every row is exactly what a read of the
 * whole history at once shows. Over every real history of test/fixtures/real-histories split at many
 * points, the real tree modules against the bench's fake `vscode`, and over the sandbox's streamed
 * body (one request, counted, never timed).
 */
import * as assert from 'node:assert/strict';
import { groupSteps, isOpenStatus, isStep, resetPointLabel, stepLabel } from '../../../src/api';
import { WorkflowsClient } from '../../../src/api/mistral';
import type { HistoryStep, StepListEntry, WorkflowEvent } from '../../../src/api';
import { RunHistory } from '../../../src/tree/runHistory';
import type { TreeNode } from '../../../src/tree/node';
import type { TreeServices } from '../../../src/tree/services';
import { ARRIVING } from '../../../src/tree/stepText';
import { DEMO, startSandbox, type Sandbox } from '../../../sandbox/server';
import { treeServices, useFakeTree, type TreeModules } from '../helpers/fakeTree';
import { REAL_FILES } from '../../helpers/realHistoryReader';
import { loadReal } from '../helpers/realHistories';

/** Where a history is split: every point of a short one, about 40 spread over a long one. */
function splits(n: number): number[] {
  const step = Math.max(1, Math.floor(n / 40));
  const points = new Set<number>();
  for (let k = 1; k < n; k += step) points.add(k);
  for (const k of [1, 2, 3, n - 2, n - 1]) if (k > 0 && k < n) points.add(k);
  return [...points].sort((a, b) => a - b);
}

function stepFields(s: HistoryStep): Record<string, unknown> {
  return {
    kind: s.kind, name: s.name, status: s.status, eventIndexes: s.eventIndexes, firstEventId: s.firstEventId, lastEventId: s.lastEventId,
    attempts: s.attempts, failure: s.failure, reason: s.reason, startTime: s.startTime, endTime: s.endTime, durationMs: s.durationMs,
  };
}

function entryKey(e: StepListEntry): string {
  return isStep(e) ? `step ${e.eventIndexes[0]}` : `reset point ${e.index}`;
}

describe('the steps of a prefix of a history are the first steps of the whole', () => {
  for (const file of REAL_FILES) {
    it(file, () => {
      const { events } = loadReal(file);
      const whole = groupSteps(events).entries;
      for (const k of splits(events.length)) {
        const part = groupSteps(events.slice(0, k)).entries;
        assert.ok(part.length <= whole.length, `${k}: no more entries than the whole history`);
        part.forEach((entry, i) => {
          const final = whole[i];
          const at = `split at ${k}, entry ${i}`;
          assert.equal(entryKey(entry), entryKey(final), `${at}: the same entry in the same place`);
          if (!isStep(entry) || !isStep(final)) {
            assert.ok(!isStep(entry) && !isStep(final));
            assert.equal(resetPointLabel(entry), resetPointLabel(final), `${at}: its label`);
            return;
          }
          if (isOpenStatus(entry.status)) {
            assert.deepEqual(final.eventIndexes.slice(0, entry.eventIndexes.length), entry.eventIndexes, `${at}: an open step's events so far are its first`);
            assert.equal(stepLabel(entry), stepLabel(final), `${at}: its name`);
          } else {
            assert.deepEqual(stepFields(entry), stepFields(final), `${at}: a step finished in the prefix is as it ends up`);
          }
        });
      }
    });
  }
});

/** What VS Code shows of a row. */
function shown(node: TreeNode): Record<string, unknown> {
  const item = node.getTreeItem();
  const icon = item.iconPath as { id?: string; color?: { id?: string } } | undefined;
  return { id: item.id ?? node.id, label: item.label, description: item.description, contextValue: item.contextValue, icon: icon?.id, color: icon?.color?.id };
}

/** A fetch that offers the first `k` events at once (as a server's first page), and the rest when released. */
function splitFetch(events: WorkflowEvent[], k: number): { fetch: ConstructorParameters<typeof RunHistory>[0]; release: () => void } {
  let release: () => void = () => undefined;
  const rest = new Promise<void>((resolve) => (release = resolve));
  return {
    fetch: async (stream) => {
      stream?.offer(events.slice(0, k));
      await rest;
      return events;
    },
    release: () => release(),
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the steps view shows its first page from the events that have arrived, then the whole', () => {
  const modules = useFakeTree();
  let tree: TreeModules;
  before(() => (tree = modules()));

  const stepServices = (pageSize: number, refreshed: (TreeNode | undefined)[]): TreeServices => ({
    ...treeServices(new WorkflowsClient({ baseUrl: 'http://127.0.0.1:1', apiKey: 'unused' }), pageSize, refreshed),
    historyMode: () => 'steps',
  });
  const rowsOf = (fetch: ConstructorParameters<typeof RunHistory>[0], pageSize: number, refreshed: (TreeNode | undefined)[] = []) => {
    const services = stepServices(pageSize, refreshed);
    const owner = new tree.ExecutionNode({ executionId: 'split', workflowName: 'split', status: 'COMPLETED', runId: 'r1' }, services);
    return { owner, rows: new tree.HistoryRows(owner, new RunHistory(fetch, () => pageSize), owner.rows.run, services) };
  };

  /** Open steps seen on first pages, over all the histories. */
  let openSteps = 0;
  for (const file of REAL_FILES) {
    it(file, async () => {
      const { events } = loadReal(file);
      let early = 0;
      let open = 0;
      for (const pageSize of [2, 3, 5]) {
        const expected = await rowsOf(async () => events, pageSize).rows.children();
        const expectedShown = expected.map(shown);
        for (const k of splits(events.length)) {
          const at = `page ${pageSize}, split at ${k}`;
          const f = splitFetch(events, k);
          const refreshed: (TreeNode | undefined)[] = [];
          const { owner, rows } = rowsOf(f.fetch, pageSize, refreshed);
          const got: { rows?: TreeNode[] } = {};
          const asked = rows.children().then((r) => (got.rows = r));
          await tick();
          await tick();
          const first = got.rows;
          if (first !== undefined) {
            early++;
            assert.equal(rows.history.value, undefined, `${at}: shown before the whole history arrived`);
            const steps = first.filter((r) => r instanceof tree.StepNode);
            for (const row of first.slice(0, -1)) {
              const final = expected.find((e) => e.id === row.id);
              assert.ok(final, `${at}: ${row.id} is a row of the whole history's first page`);
              const now = shown(row);
              const arriving = row instanceof tree.StepNode && isOpenStatus(row.step.status);
              if (!arriving) assert.deepEqual(now, shown(final), `${at}: ${row.id} as it ends up`);
              else {
                open++;
                assert.equal(now.label, shown(final).label, `${at}: ${row.id} keeps its name`);
                assert.ok(String(now.description).endsWith(ARRIVING), `${at}: ${row.id}, open, says the rest is arriving`);
                assert.equal(now.icon, 'loading~spin');
              }
            }
            assert.match(String(first.at(-1)?.getTreeItem().label), /more of the history arriving/, `${at}: the last row says more is coming`);
            f.release();
            await rows.history.load();
            await tick();
            assert.ok(refreshed.includes(owner), `${at}: refreshed once the rest was in`);
            const after = await rows.children();
            assert.deepEqual(after.map(shown), expectedShown, `${at}: then exactly what the whole history shows`);
            for (const step of steps) assert.ok(after.includes(step), `${at}: ${step.id} keeps its node`);
            for (const [i, row] of after.entries()) {
              if (row instanceof tree.StepNode) assert.deepEqual(row.getChildren().map(shown), (expected[i] as InstanceType<TreeModules['StepNode']>).getChildren().map(shown), `${at}: ${row.id}'s events`);
            }
          } else {
            f.release(); // too few events for a page: the rows wait for the whole history
            assert.deepEqual((await asked).map(shown), expectedShown, `${at}: the whole history's rows`);
          }
        }
      }
      assert.ok(early > 0, 'some splits show a first page before the rest of the history');
      openSteps += open;
    });
  }
  it('(and over them all, some first pages hold steps still open, shown as such)', () => {
    assert.ok(openSteps > 0, `${openSteps} open steps seen`);
  });
});

describe('the steps view over a streamed body: the first page before the rest, one request', () => {
  const modules = useFakeTree();
  let tree: TreeModules;
  let sandbox: Sandbox;
  before(() => (tree = modules()));
  beforeEach(async () => {
    sandbox = await startSandbox({ completionDelayMs: 60_000 });
  });
  afterEach(() => sandbox.close());

  it('shows the first steps while the body is held back, then the whole history\'s', async () => {
    const client = new WorkflowsClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, maxRetries: 0, timeoutMs: 10_000 });
    const refreshed: (TreeNode | undefined)[] = [];
    const services: TreeServices = { ...treeServices(client, 4, refreshed), historyMode: () => 'steps' };
    try {
      const execution = await client.getExecution(DEMO.failed);
      const whole = await client.getHistory(DEMO.failed);
      const wholeEntries = groupSteps(whole).entries.length;
      assert.ok(wholeEntries > 8, `the history has ${wholeEntries} steps and reset points`);
      const read = new tree.ExecutionNode(execution, services);
      await read.rows.history.load();
      const reference = await read.getChildren();
      const requestsBefore = sandbox.requests.length;
      // The first 4,000 bytes at once, the rest held back for a while.
      sandbox.faults.add({ pathIncludes: '/history', trickleAfterBytes: 4_000, trickleMs: 3_000, times: 1 });
      const node = new tree.ExecutionNode(execution, services);
      const first = await node.getChildren();
      assert.equal(node.rows.history.value, undefined, 'the complete history has not arrived');
      assert.ok(first.filter((r) => r instanceof tree.StepNode).length > 0, 'steps on the first page');
      assert.match(String(first.at(-1)?.getTreeItem().label), /more of the history arriving/);
      await node.rows.history.load();
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(refreshed.filter((n) => n === node).length, 1, 'refreshed once when the whole history was in');
      assert.deepEqual((await node.getChildren()).map(shown), reference.map(shown));
      assert.equal(sandbox.requests.slice(requestsBefore).filter((r) => r.path.endsWith('/history')).length, 1, 'one request for the expansion');
    } finally {
      await client.close();
    }
  });
});
