/**
 * Stuck outside Group by Problem: the plain view's running rows marked once their histories are read
 * (after the list is shown, only running runs, within the concurrency bound, never on a failed read),
 * the setting that turns it off, the Stuck filter (what it asks the backend for, which rows it keeps,
 * its messages, under Group by Problem too), its entry in the filter picker, and the status bar's count.
 * The real provider, reader and views over the bench's fake `vscode` and a fake backend.
 */
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { Execution, WorkflowBackend, WorkflowEvent } from '../../../src/api';
import type { UserInput } from '../../../src/common/ui';
import { DEFAULT_WORKSPACE, type WorkspaceConfig } from '../../../src/config/workspaceList';
import { ProblemReader, type CancellableProgress } from '../../../src/incidentsUi/problemReader';
import { StuckRows } from '../../../src/incidentsUi/stuckRows';
import type { showStuckCount } from '../../../src/incidentsUi/stuckStatusBar';
import { CheckedRuns } from '../../../src/replay';
import type { Services } from '../../../src/services';
import type { TreeNode } from '../../../src/tree/node';
import { until } from '../../helpers/eventually';
import { FakeBackend } from '../helpers/fakeBackend';
import { useFakeVscode } from '../helpers/fakeTree';
import { loadReal } from '../helpers/realHistories';

interface Modules {
  ExecutionsProvider: typeof import('../../../src/tree/executionsProvider').ExecutionsProvider;
  ExecutionNode: typeof import('../../../src/tree/executionNode').ExecutionNode;
  ProblemGroupNode: typeof import('../../../src/tree/problemNode').ProblemGroupNode;
  ProblemsView: typeof import('../../../src/incidentsUi/problemsView').ProblemsView;
  filterExecutions: typeof import('../../../src/commands/filterExecutions').filterExecutions;
  showStuckExecutions: typeof import('../../../src/commands/showStuck').showStuckExecutions;
  showStuckCount: typeof showStuckCount;
}
type Provider = InstanceType<Modules['ExecutionsProvider']>;

function run(executionId: string, workflowName: string, status: string): Execution {
  return { executionId, runId: `run-${executionId}`, workflowName, status, startTime: new Date('2026-12-02T09:00:00Z') };
}

/** A failed run, a completed one, and three running: stuck (its workflow task failing), healthy, unreadable. */
function world(delayMs = 5): FakeBackend {
  const wft = loadReal('wft-failed-timers-activities-146.go.json').events;
  const histories = new Map<string, WorkflowEvent[] | Error>([
    ['f-1', loadReal('activity-failed-wf-failed.pascal.java.json').events],
    ['s-1', wft.slice(0, 6)],
    ['r-1', wft.slice(0, -1)],
    ['u-1', new Error('HTTP 503')],
  ]);
  return new FakeBackend([
    run('f-1', 'activity_order', 'FAILED'),
    run('c-1', 'activity_order', 'COMPLETED'),
    run('s-1', 'Workflow', 'RUNNING'),
    run('r-1', 'Workflow', 'RUNNING'),
    run('u-1', 'Workflow', 'RUNNING'),
  ], histories, delayMs);
}

interface Harness {
  backend: FakeBackend;
  tree: Provider;
  /** The rows each change event named (undefined: the whole view). */
  fired: (TreeNode | undefined)[];
  warnings: string[];
  /** Titles of the progress the plain view's reads showed under. */
  viewProgress: string[];
  /** The workspace the connection is on; `switchTo` changes it as selecting another does. */
  switchTo(name: string): void;
  connection: { currentWorkspace(): WorkspaceConfig; onDidChange: vscode.Event<void> };
}

function ids(rows: readonly TreeNode[]): string[] {
  return rows.map((n) => n.id ?? '');
}

/** Until every started history read is over and no row is still being judged. */
async function settled(h: Harness, reads: number): Promise<void> {
  await until(`${reads} history reads done`, () => h.backend.reads.length >= reads && h.backend.inFlight === 0);
  await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('Stuck on the rows, the Stuck filter and the status bar count', () => {
  const loaded = useFakeVscode((load): Modules => ({
    ExecutionsProvider: (load('../../../src/tree/executionsProvider') as Modules).ExecutionsProvider,
    ExecutionNode: (load('../../../src/tree/executionNode') as Modules).ExecutionNode,
    ProblemGroupNode: (load('../../../src/tree/problemNode') as Modules).ProblemGroupNode,
    ProblemsView: (load('../../../src/incidentsUi/problemsView') as Modules).ProblemsView,
    filterExecutions: (load('../../../src/commands/filterExecutions') as Modules).filterExecutions,
    showStuckExecutions: (load('../../../src/commands/showStuck') as Modules).showStuckExecutions,
    showStuckCount: (load('../../../src/incidentsUi/stuckStatusBar') as Modules).showStuckCount,
  }));
  let m: Modules;
  before(() => {
    m = loaded();
  });

  function harness(options: { detectStuck?: boolean; delayMs?: number; concurrency?: number; histories?: () => Promise<WorkflowBackend> } = {}): Harness {
    const backend = world(options.delayMs);
    const describeError = (e: unknown): string => (e instanceof Error ? e.message : String(e));
    const warnings: string[] = [];
    const viewProgress: string[] = [];
    const log = { info: (): void => undefined, warn: (_area: string, message: string): void => void warnings.push(message) };
    const grouping: CancellableProgress = async (_title, task) => task(() => undefined, new AbortController().signal);
    const reader = new ProblemReader({ client: options.histories ?? (() => Promise.resolve(backend)), concurrency: () => options.concurrency ?? 4, retryingAttempts: () => 5, progress: grouping, describeError, log });
    const plain: CancellableProgress = async (title, task) => {
      viewProgress.push(title);
      return task(() => undefined, new AbortController().signal);
    };
    let workspace: WorkspaceConfig = { ...DEFAULT_WORKSPACE, name: 'test' };
    const listeners = new Set<() => void>();
    const connection = {
      current: () => Promise.resolve({ kind: 'ready' as const, workspace, client: backend, keySource: undefined }),
      client: () => Promise.resolve(backend),
      currentWorkspace: () => workspace,
      onDidChange: (listener: () => void): vscode.Disposable => {
        listeners.add(listener);
        return { dispose: () => listeners.delete(listener) } as vscode.Disposable;
      },
    };
    const tree = new m.ExecutionsProvider(
      connection,
      { activeWorkspace: () => workspace, eventsPageSize: () => 100, executionsPageSize: () => 50 },
      describeError,
      new CheckedRuns(),
      new m.ProblemsView(reader, describeError),
      new StuckRows({ reader, enabled: () => options.detectStuck ?? true, progress: plain, describeError, log }),
    );
    const fired: (TreeNode | undefined)[] = [];
    tree.onDidChangeTreeData((node) => void fired.push(node));
    const switchTo = (name: string): void => {
      workspace = { ...DEFAULT_WORKSPACE, name };
      // As extension.ts wires it: the tree reloads when the connection changes.
      tree.refreshAll();
      for (const listener of listeners) listener();
    };
    return { backend, tree, fired, warnings, viewProgress, switchTo, connection: connection as Harness['connection'] };
  }

  function node(h: Harness, id: string): InstanceType<Modules['ExecutionNode']> {
    const found = h.tree.findExecution(id);
    assert.ok(found, `${id} is listed`);
    return found;
  }

  describe('the plain view', () => {
    it('shows the list at once, then marks exactly the stuck running row, reading no closed run', async () => {
      const h = harness({ delayMs: 20 });
      const roots = await h.tree.getChildren();
      assert.deepEqual(ids(roots), ['exec/f-1', 'exec/c-1', 'exec/s-1', 'exec/r-1', 'exec/u-1'], 'every listed row, unfiltered');
      assert.ok(h.tree.executions.every((n) => n.stuck === undefined), 'the list did not wait for any history');
      await settled(h, 3);
      assert.deepEqual([...h.backend.reads].sort(), ['r-1', 's-1', 'u-1'], 'only the running runs are read');
      const stuck = node(h, 's-1');
      const item = stuck.getTreeItem();
      assert.match(String(item.description), / · workflow task failing since 2024-06-24 17:07 UTC: unable to find workflow type/);
      assert.equal((item.iconPath as vscode.ThemeIcon).id, 'debug-pause', 'a stuck icon, not the running one');
      assert.match((stuck.resolveTooltip().value).replace(/\\(.)/g, '$1'), /Stuck: workflow task failing/);
      for (const id of ['f-1', 'c-1', 'r-1', 'u-1']) {
        assert.equal(node(h, id).stuck, undefined, `${id} is not marked`);
        assert.notEqual((node(h, id).getTreeItem().iconPath as vscode.ThemeIcon).id, 'debug-pause');
      }
      assert.deepEqual(h.fired.filter((n) => n !== undefined), [stuck], 'the stuck row alone was refreshed');
      assert.match(h.viewProgress[0] ?? '', /^Reading the histories of 3 executions to find the stuck ones/);
      await h.tree.getChildren();
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.equal(h.backend.reads.length, 3, 'showing the rows again reads nothing');
    });

    it('reads the running runs again on each refresh, within the concurrency setting', async () => {
      const h = harness({ delayMs: 10, concurrency: 1 });
      await h.tree.getChildren();
      await settled(h, 3);
      h.tree.refreshAll();
      await h.tree.getChildren();
      await settled(h, 6);
      assert.equal(h.backend.maxInFlight, 1);
      for (const id of ['s-1', 'r-1', 'u-1']) assert.equal(h.backend.readsOf(id), 2, `${id} read on each refresh`);
      assert.equal(h.backend.readsOf('f-1'), 0);
      assert.ok(node(h, 's-1').stuck !== undefined, 'the new row is marked too');
    });

    it('a history that cannot be read marks nothing and shows no error: one line in the log', async () => {
      const h = harness();
      const roots = await h.tree.getChildren();
      await settled(h, 3);
      assert.ok(roots.every((r) => r instanceof m.ExecutionNode), 'no error row');
      assert.equal(node(h, 'u-1').stuck, undefined);
      assert.doesNotMatch(String(node(h, 'u-1').getTreeItem().description), /stuck|could not/i);
      assert.deepEqual(h.warnings.filter((w) => w.includes('u-1')), ['Could not read the history of u-1: HTTP 503']);
    });

    it('a backend that cannot be reached for histories marks nothing: logged once', async () => {
      const h = harness({ histories: () => Promise.reject(new Error('connection refused')) });
      await h.tree.getChildren();
      await until('the failure logged', () => h.warnings.length > 0);
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(h.warnings, ['Could not look for stuck executions: connection refused']);
      assert.ok(h.tree.executions.every((n) => n.stuck === undefined));
    });

    it('with mistralWorkflows.problems.detectStuck off, reads no history and marks nothing', async () => {
      const h = harness({ detectStuck: false });
      await h.tree.getChildren();
      await new Promise((resolve) => setTimeout(resolve, 40));
      assert.equal(h.backend.reads.length, 0);
      assert.deepEqual(h.viewProgress, []);
      assert.ok(h.tree.executions.every((n) => n.stuck === undefined));
    });

    it('back from Group by Problem, the stuck mark stays, read from the cache', async () => {
      const h = harness();
      h.tree.setGrouping('problems');
      await h.tree.getChildren();
      const reads = h.backend.reads.length;
      h.tree.setGrouping('executions');
      await h.tree.getChildren();
      await until('s-1 marked again', () => node(h, 's-1').stuck !== undefined);
      await settled(h, reads);
      assert.deepEqual(h.backend.reads.slice(reads), ['u-1'], 'only the history that could not be read is tried again');
    });

    it('a run that ended loses its mark', async () => {
      const h = harness();
      await h.tree.getChildren();
      await settled(h, 3);
      const stuck = node(h, 's-1');
      assert.ok(stuck.stuck !== undefined);
      h.backend.executions = h.backend.executions.map((e) => (e.executionId === 's-1' ? { ...e, status: 'TERMINATED' } : e));
      await h.tree.reloadExecution(stuck);
      assert.equal(stuck.stuck, undefined);
      assert.notEqual((stuck.getTreeItem().iconPath as vscode.ThemeIcon).id, 'debug-pause');
    });
  });

  describe('the Stuck filter', () => {
    it('asks for RUNNING, shows a progress row, then only the stuck rows (even with detection off)', async () => {
      const h = harness({ detectStuck: false, delayMs: 20 });
      h.tree.setFilter({ statuses: [], stuck: true });
      const first = await h.tree.getChildren();
      assert.deepEqual(h.backend.listedStatuses, [['RUNNING']]);
      assert.deepEqual(first.map((r) => String(r.getTreeItem().label)), ['Looking for stuck executions among the 3 running ones listed…']);
      await settled(h, 3);
      assert.deepEqual(ids(await h.tree.getChildren()), ['exec/s-1'], 'the stuck row alone');
      assert.ok(h.fired.filter((n) => n === undefined).length >= 2, 'the view was told to list its rows again');
      assert.equal(h.backend.readsOf('f-1') + h.backend.readsOf('c-1'), 0);
    });

    it('says so when none of the running ones is stuck', async () => {
      const h = harness();
      h.backend.executions = h.backend.executions.filter((e) => e.executionId !== 's-1');
      h.tree.setFilter({ statuses: [], stuck: true });
      await h.tree.getChildren();
      await settled(h, 2);
      const rows = await h.tree.getChildren();
      assert.deepEqual(rows.map((r) => String(r.getTreeItem().label)), ['No stuck executions among the 2 running ones listed.']);
    });

    it('says so of a single running one too', async () => {
      const h = harness();
      h.backend.executions = h.backend.executions.filter((e) => e.executionId === 'r-1');
      h.tree.setFilter({ statuses: [], stuck: true });
      await h.tree.getChildren();
      await settled(h, 1);
      assert.deepEqual((await h.tree.getChildren()).map((r) => String(r.getTreeItem().label)), ['No stuck executions among the 1 running one listed.']);
    });

    it('FAILED + Stuck: asks for both, shows the failed rows at once and the stuck ones as found', async () => {
      const h = harness({ delayMs: 20 });
      h.tree.setFilter({ statuses: ['FAILED'], stuck: true });
      const first = await h.tree.getChildren();
      assert.deepEqual(h.backend.listedStatuses, [['FAILED', 'RUNNING']]);
      assert.deepEqual(ids(first), ['exec/f-1']);
      await settled(h, 3);
      assert.deepEqual(ids(await h.tree.getChildren()), ['exec/f-1', 'exec/s-1']);
      assert.equal(h.backend.readsOf('f-1'), 0, 'a failed row shown as listed: its history is not read');
    });

    it('under Group by Problem: only the stuck group, not the unreadable running run', async () => {
      const h = harness();
      h.tree.setGrouping('problems');
      h.tree.setFilter({ statuses: [], stuck: true });
      const groups = await h.tree.getChildren();
      assert.equal(groups.length, 1);
      assert.ok(groups[0] instanceof m.ProblemGroupNode);
      assert.deepEqual(ids(await h.tree.getChildren(groups[0])), ['exec/s-1']);
      h.tree.setFilter({ statuses: ['FAILED'], stuck: true });
      const both = await h.tree.getChildren();
      assert.deepEqual(both.map((g) => String(g.getTreeItem().label)).sort(), ['Workflow · workflow task', 'activity_order · HeartbeatAndThrowIO']);
    });

    it('under Group by Problem with nothing stuck: a row says so', async () => {
      const h = harness();
      h.backend.executions = h.backend.executions.filter((e) => e.executionId !== 's-1');
      h.tree.setGrouping('problems');
      h.tree.setFilter({ statuses: [], stuck: true });
      const rows = await h.tree.getChildren();
      assert.deepEqual(rows.map((r) => String(r.getTreeItem().label)), ['No stuck executions among the 2 running ones listed.']);
    });

    function filterServices(h: Harness, answers: Partial<UserInput>): Parameters<Modules['filterExecutions']>[0] & { stored: Map<string, unknown> } {
      const stored = new Map<string, unknown>();
      const context = { workspaceState: { get: (key: string) => stored.get(key), update: (key: string, value: unknown) => Promise.resolve(void stored.set(key, value)) } };
      const treeView = { title: undefined, description: undefined } as unknown as vscode.TreeView<TreeNode>;
      return {
        stored,
        context: context as unknown as vscode.ExtensionContext,
        treeView,
        tree: h.tree,
        connection: { client: () => Promise.resolve(h.backend) } as unknown as Services['connection'],
        ui: answers as UserInput,
      };
    }

    it('is an entry of the filter picker beside the statuses, and is kept for the folder', async () => {
      const h = harness({ detectStuck: false });
      let offered: readonly vscode.QuickPickItem[] = [];
      const services = filterServices(h, {
        pickMany: <T extends vscode.QuickPickItem>(items: readonly T[]) => {
          offered = items;
          return Promise.resolve(items.filter((i) => i.label === 'FAILED' || i.label === 'Stuck'));
        },
        input: () => Promise.resolve(''),
      });
      await m.filterExecutions(services);
      const stuck = offered.find((i) => i.label === 'Stuck');
      assert.ok(stuck, 'a Stuck entry');
      assert.match(stuck.detail ?? '', /running, with a workflow task failing or an activity retrying/);
      assert.deepEqual(h.tree.filter, { statuses: ['FAILED'], workflow: undefined, search: undefined, stuck: true });
      assert.deepEqual(services.stored.get('mistralWorkflows.filter'), h.tree.filter);
      assert.equal(services.treeView.description, 'Filter: FAILED, stuck');
      await h.tree.getChildren();
      assert.deepEqual(h.backend.listedStatuses, [['FAILED', 'RUNNING']]);
    });

    it('Show Stuck Executions applies it alone among the statuses, keeping the workflow', async () => {
      const h = harness();
      const services = filterServices(h, {});
      h.tree.setFilter({ statuses: ['COMPLETED'], workflow: 'Workflow' });
      await m.showStuckExecutions(services);
      assert.deepEqual(h.tree.filter, { statuses: [], workflow: 'Workflow', stuck: true });
    });
  });

  describe('the status bar', () => {
    interface FakeItem { text: string; tooltip: string | vscode.MarkdownString | undefined; command: string | vscode.Command | undefined; visible: boolean; show(): void; hide(): void }
    function fakeItem(): FakeItem {
      const item: FakeItem = { text: '', tooltip: undefined, command: undefined, visible: false, show: () => void (item.visible = true), hide: () => void (item.visible = false) };
      return item;
    }
    function bar(h: Harness): { item: FakeItem; dispose(): void } {
      const item = fakeItem();
      const binding = m.showStuckCount(item, { tree: h.tree, connection: h.connection as unknown as Services['connection'] });
      return { item, dispose: () => binding.dispose() };
    }

    it('counts the stuck rows listed, names the workspace, opens the Stuck filter; hidden at none', async () => {
      const h = harness({ delayMs: 10 });
      const { item, dispose } = bar(h);
      assert.equal(item.visible, false, 'nothing listed yet: hidden');
      await h.tree.getChildren();
      await settled(h, 3);
      assert.equal(item.visible, true);
      assert.equal(item.text, '$(debug-pause) 1 stuck');
      assert.match(String(item.tooltip), /Workspace “test”: 1 of the 3 running executions the Executions view has listed is stuck/);
      assert.equal(item.command, 'mistralWorkflows.showStuck');
      h.backend.executions = h.backend.executions.map((e) => (e.executionId === 'r-1' ? { ...e, executionId: 's-2' } : e));
      h.backend.histories.set('s-2', h.backend.histories.get('s-1') as WorkflowEvent[]);
      h.tree.refreshAll();
      assert.equal(item.visible, false, 'a refresh drops the rows, and their count');
      await h.tree.getChildren();
      await settled(h, 6);
      assert.equal(item.text, '$(debug-pause) 2 stuck', 'follows the rows listed now');
      dispose();
    });

    it('resets when the workspace changes, and counts the new one’s rows', async () => {
      const h = harness();
      const { item, dispose } = bar(h);
      await h.tree.getChildren();
      await settled(h, 3);
      assert.equal(item.visible, true);
      h.switchTo('other');
      assert.equal(item.visible, false, 'at once, before the other workspace is listed');
      await h.tree.getChildren();
      await settled(h, 6);
      assert.match(String(item.tooltip), /Workspace “other”/);
      dispose();
    });

    it('counts the stuck runs Group by Problem found', async () => {
      const h = harness({ detectStuck: false });
      const { item, dispose } = bar(h);
      h.tree.setGrouping('problems');
      await h.tree.getChildren();
      assert.equal(item.text, '$(debug-pause) 1 stuck');
      dispose();
    });
  });
});
