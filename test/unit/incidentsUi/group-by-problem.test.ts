/**
 * Group by Problem in the Executions view: the real provider, problems view and reader over the bench's
 * fake `vscode` and a fake backend listing failed executions of two causes, one whose history cannot be
 * read, a stuck one, and healthy ones. Groups and their counts, a group's rows, the closed runs' cache
 * across refreshes, the concurrency bound, Cancel, and the toggle back.
 */
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { normalizeHistory, type Execution, type PendingAttempts, type WorkflowEvent } from '../../../src/api';
import { DEFAULT_WORKSPACE } from '../../../src/config/workspaceList';
import { ProblemReader, type CancellableProgress } from '../../../src/incidentsUi/problemReader';
import { StuckRows } from '../../../src/incidentsUi/stuckRows';
import { CheckedRuns } from '../../../src/replay';
import type { Services } from '../../../src/services';
import { relativeTime } from '../../../src/tree/labels';
import type { TreeNode } from '../../../src/tree/node';
import { FakeBackend } from '../helpers/fakeBackend';
import { useFakeVscode } from '../helpers/fakeTree';
import { loadReal } from '../helpers/realHistories';

interface Modules {
  ExecutionsProvider: typeof import('../../../src/tree/executionsProvider').ExecutionsProvider;
  ExecutionNode: typeof import('../../../src/tree/executionNode').ExecutionNode;
  ProblemGroupNode: typeof import('../../../src/tree/problemNode').ProblemGroupNode;
  ProblemsView: typeof import('../../../src/incidentsUi/problemsView').ProblemsView;
  grouping: typeof import('../../../src/commands/grouping');
}
type Provider = InstanceType<Modules['ExecutionsProvider']>;

const NEXUS_FILE = 'nexus-op-failed-wf-failed.py.json';
const NEXUS_MESSAGE = 'parcel order-2 weighs 45 kg, over the 30 kg limit';

/** The real Nexus failure with another parcel in its message, as another execution would fail. */
function nexusFailure(message: string): WorkflowEvent[] {
  const { raws } = loadReal(NEXUS_FILE);
  return normalizeHistory({ events: JSON.parse(JSON.stringify(raws).split(NEXUS_MESSAGE).join(message)) as unknown[] });
}

function run(executionId: string, workflowName: string, status: string, endTime?: string): Execution {
  return { executionId, runId: `run-${executionId}`, workflowName, status, startTime: new Date('2026-12-02T09:00:00Z'), ...(endTime === undefined ? {} : { endTime: new Date(endTime) }) };
}

/** Three Nexus failures (one cause), two activity failures (another), an unreadable one, a stuck run, two healthy runs. */
function world(delayMs = 5): FakeBackend {
  const wft = loadReal('wft-failed-timers-activities-146.go.json').events;
  const activity = loadReal('activity-failed-wf-failed.pascal.java.json').events;
  const histories = new Map<string, WorkflowEvent[] | Error>([
    ['n-1', nexusFailure('parcel order-7 weighs 45 kg, over the 30 kg limit')],
    ['n-2', nexusFailure('parcel order-8 weighs 51 kg, over the 30 kg limit')],
    ['n-3', nexusFailure('parcel order-9 weighs 33 kg, over the 30 kg limit')],
    ['a-1', activity],
    ['a-2', activity],
    ['u-1', new Error('HTTP 503')],
    ['s-1', wft.slice(0, 6)],
    ['r-1', wft.slice(0, -1)],
  ]);
  return new FakeBackend([
    run('n-1', 'nexus_order', 'FAILED', '2026-12-02T10:00:00Z'),
    run('a-1', 'activity_order', 'FAILED', '2026-12-02T10:05:00Z'),
    run('n-2', 'nexus_order', 'FAILED', '2026-12-02T10:10:00Z'),
    run('u-1', 'nexus_order', 'TIMED_OUT', '2026-12-02T10:15:00Z'),
    run('c-1', 'nexus_order', 'COMPLETED', '2026-12-02T10:20:00Z'),
    run('s-1', 'Workflow', 'RUNNING'),
    run('r-1', 'Workflow', 'RUNNING'),
    run('a-2', 'activity_order', 'FAILED', '2026-12-02T10:25:00Z'),
    run('n-3', 'nexus_order', 'FAILED', '2026-12-02T10:30:00Z'),
  ], histories, delayMs);
}

/** A progress that records its titles; `cancel` aborts the reads under it, as the notification's Cancel does. */
class FakeProgress {
  readonly titles: string[] = [];
  private abort: AbortController | undefined;
  readonly run: CancellableProgress = async (title, task) => {
    this.titles.push(title);
    this.abort = new AbortController();
    return task(() => undefined, this.abort.signal);
  };

  cancel(): void {
    this.abort?.abort();
  }
}

/** The row's label and description, without the description's `last seen …` (it depends on the clock). */
function label(node: TreeNode): string {
  const item = node.getTreeItem();
  return `${String(item.label)} | ${String(item.description ?? '').replace(/ · last seen [^·]+$/, '')}`;
}

describe('Group by Problem in the Executions view', () => {
  const loaded = useFakeVscode((load): Modules => ({
    ExecutionsProvider: (load('../../../src/tree/executionsProvider') as Modules).ExecutionsProvider,
    ExecutionNode: (load('../../../src/tree/executionNode') as Modules).ExecutionNode,
    ProblemGroupNode: (load('../../../src/tree/problemNode') as Modules).ProblemGroupNode,
    ProblemsView: (load('../../../src/incidentsUi/problemsView') as Modules).ProblemsView,
    grouping: load('../../../src/commands/grouping') as Modules['grouping'],
  }));
  let m: Modules;
  before(() => {
    m = loaded();
  });

  /** Stuck detection on the plain view's rows is off unless asked: these tests count Group by Problem's reads alone. */
  function provider(backend: FakeBackend, progress: FakeProgress, concurrency = 4, retryingAttempts = 5, detectStuck = false): Provider {
    const describeError = (e: unknown): string => (e instanceof Error ? e.message : String(e));
    const log = { info: (): void => undefined, warn: (): void => undefined };
    const reader = new ProblemReader({ client: () => Promise.resolve(backend), concurrency: () => concurrency, retryingAttempts: () => retryingAttempts, progress: progress.run, describeError, log });
    const workspace = { ...DEFAULT_WORKSPACE, name: 'test' };
    return new m.ExecutionsProvider(
      { current: () => Promise.resolve({ kind: 'ready', workspace, client: backend, keySource: undefined }), client: () => Promise.resolve(backend) },
      { activeWorkspace: () => workspace, eventsPageSize: () => 100, executionsPageSize: () => 50 },
      describeError,
      new CheckedRuns(),
      new m.ProblemsView(reader, describeError),
      new StuckRows({ reader, enabled: () => detectStuck, progress: progress.run, describeError, log }),
    );
  }

  it('toggled on, lists one group per problem with its count, the unreadable one saying why', async () => {
    const backend = world();
    const tree = provider(backend, new FakeProgress());
    tree.setGrouping('problems');
    const roots = await tree.getChildren();
    assert.deepEqual(roots.map(label), [
      'nexus_order · nexus-tour-carriers · CarrierService · book_pickup | 3 executions · TooHeavy',
      'activity_order · HeartbeatAndThrowIO | 2 executions · java.io.IOException',
      // Equal counts: the most recent first (the stuck run's failure is from 2024).
      'nexus_order · unreadable | 1 execution · its history could not be read: HTTP 503',
      'Workflow · workflow task | 1 execution · WORKFLOW_WORKER_UNHANDLED_FAILURE · 1 stuck',
    ]);
    assert.ok(roots.every((r) => r instanceof m.ProblemGroupNode));
    const lastSeen = roots.map((r) => String(r.getTreeItem().description).split(' · last seen ')[1]);
    assert.deepEqual(lastSeen, roots.map((r) => relativeTime((r as InstanceType<Modules['ProblemGroupNode']>).group.lastSeen ?? new Date(0))), 'each says when it was last seen');
    assert.equal(backend.listCalls, 1, 'the same page the view reads, read once');
    assert.equal(backend.readsOf('c-1'), 0, 'a completed run is not read');
    assert.deepEqual(backend.readRuns, backend.reads.map((id) => `run-${id}`), "each read asks for the listed run's history, not the latest run's");
    const tooltip = (roots[0].resolveTooltip()?.value ?? '').replace(/\\(.)/g, '$1'); // the text, unescaped
    assert.match(tooltip, /parcel order-&lt;n&gt; weighs &lt;n&gt; kg/, 'the masked message (escaped)');
    assert.match(tooltip, /parcel order-9 weighs 33 kg/, "the latest example's message");
    assert.match(tooltip, /First seen: 2026-12-02 10:00:00Z/);
    assert.match(tooltip, /Last seen: 2026-12-02 10:30:00Z/);
    assert.equal(roots[2].contextValue, 'problem +unreadable');
    assert.equal(roots[0].contextValue, 'problem');
  });

  it("expands a group into its executions' usual rows, a stuck one saying why", async () => {
    const tree = provider(world(), new FakeProgress());
    tree.setGrouping('problems');
    const roots = await tree.getChildren();
    const members = await tree.getChildren(roots[0]);
    assert.deepEqual(members.map((n) => (n instanceof m.ExecutionNode ? n.executionId : n.id)), ['n-1', 'n-2', 'n-3']);
    assert.equal(members[0], tree.findExecution('n-1'), "the view's own node, with all it offers");
    assert.match(members[0].contextValue, /^execution \+failed/);
    assert.equal(tree.getParent(members[0]), roots[0], 'reveal finds it under its group');
    const [stuck] = await tree.getChildren(roots[3]);
    assert.match(String(stuck.getTreeItem().description), / · workflow task failing since 2024-06-24 17:07 UTC: unable to find workflow type/);
    assert.match((stuck.resolveTooltip()?.value ?? '').replace(/\\(.)/g, '$1'), /Stuck: workflow task failing/);
  });

  it("counts a stuck run's attempts where the backend's describe does, and only running runs are described", async () => {
    const backend = world();
    const described = backend.countAttempts(new Map<string, PendingAttempts | Error>([['s-1', { pendingWorkflowTask: { attempt: 37 } }], ['r-1', new Error('HTTP 503')]]));
    const tree = provider(backend, new FakeProgress());
    tree.setGrouping('problems');
    const roots = await tree.getChildren();
    assert.deepEqual([...described].sort(), ['r-1', 's-1'], 'the running runs, not the closed ones');
    const [stuck] = await tree.getChildren(roots[3]);
    assert.match(String(stuck.getTreeItem().description), /workflow task failing since 2024-06-24 17:07 UTC \(attempt 37\): unable to find workflow type/);
    assert.equal(roots.length, 4, 'a describe that failed (r-1) changes nothing: the run is judged on its history');
  });

  async function groupedRoots(backend: FakeBackend): Promise<TreeNode[]> {
    const tree = provider(backend, new FakeProgress());
    tree.setGrouping('problems');
    return tree.getChildren();
  }

  it("where the backend reads a history from its end, a closed run's last events are all that is read", async () => {
    const whole = world();
    const wholeRoots = await groupedRoots(whole);
    const backend = world();
    const asked = backend.readFromEnd(new Set(['a-2']));
    const roots = await groupedRoots(backend);
    assert.deepEqual(roots.map((r) => [r.getTreeItem().label, r.getTreeItem().description]), wholeRoots.map((r) => [r.getTreeItem().label, r.getTreeItem().description]), 'the same groups as from whole histories');
    assert.deepEqual(asked.map((a) => a.executionId).sort(), ['a-1', 'a-2', 'n-1', 'n-2', 'n-3', 'u-1'], 'only the closed runs are read from their end');
    assert.ok(asked.every((a) => a.runId === `run-${a.executionId}` && a.count <= 8), 'the listed run, a few events');
    assert.deepEqual([...backend.reads].sort(), ['a-2', 'r-1', 's-1', 'u-1'], 'whole histories: the running runs, and the closed ones whose end could not be read');
  });

  it("a closed run's end that does not tell its failure (here: an empty page) is read again whole", async () => {
    const backend = world();
    const asked: string[] = [];
    backend.closingEvents = (executionId) => {
      asked.push(executionId);
      return Promise.resolve([]);
    };
    const roots = await groupedRoots(backend);
    assert.equal(asked.length, 6, 'each closed run was first read from its end');
    assert.equal(roots.length, 4, 'the same four groups');
    for (const id of ['n-1', 'n-2', 'n-3', 'a-1', 'a-2']) assert.equal(backend.readsOf(id), 1, `${id}: then read whole, once`);
  });

  it("where describe counts attempts, a running run with nothing past its first attempt is not read", async () => {
    const backend = world();
    const described = backend.countAttempts(new Map<string, PendingAttempts | Error>([
      ['s-1', { pendingWorkflowTask: { attempt: 37 } }],
      ['r-1', { pendingWorkflowTask: { attempt: 1 }, pendingActivities: [{ activityId: '5', activityType: 'Ship', attempt: 2 }] }],
    ]));
    const roots = await groupedRoots(backend);
    assert.deepEqual([...described].sort(), ['r-1', 's-1']);
    assert.equal(backend.readsOf('r-1'), 0, 'healthy by its describe: its history is not read');
    assert.equal(backend.readsOf('s-1'), 1, 'its workflow task at attempt 37: read, and stuck');
    assert.equal(roots.length, 4, 'the same groups');
  });

  it('an activity at the retrying-attempts setting or later is a stuck row; below it, not', async () => {
    const retrying: PendingAttempts = { pendingActivities: [{ activityId: '9', activityType: 'ChargeCard', attempt: 3, lastFailureMessage: 'card declined' }] };
    const stuckRows = async (setting: number): Promise<string[]> => {
      const backend = world();
      backend.countAttempts(new Map([['r-1', retrying]]));
      const tree = provider(backend, new FakeProgress(), 4, setting);
      tree.setGrouping('problems');
      const labels: string[] = [];
      for (const group of await tree.getChildren()) {
        for (const row of await tree.getChildren(group)) if (/retrying/.test(String(row.getTreeItem().description))) labels.push(String(row.getTreeItem().description));
      }
      return labels;
    };
    assert.deepEqual(await stuckRows(5), [], 'attempt 3 is not retrying at the default of 5');
    const [row] = await stuckRows(3);
    assert.match(row, /activity ChargeCard retrying .*\(attempt 3\): card declined/);
  });

  it("reads a closed run's history once across two refreshes, a running one on each", async () => {
    const backend = world();
    const progress = new FakeProgress();
    const tree = provider(backend, progress);
    tree.setGrouping('problems');
    await tree.getChildren();
    tree.refreshAll();
    await tree.getChildren();
    tree.refreshAll();
    const roots = await tree.getChildren();
    assert.equal(roots.length, 4, 'the same groups');
    for (const id of ['n-1', 'n-2', 'n-3', 'a-1', 'a-2']) assert.equal(backend.readsOf(id), 1, `${id} read once`);
    for (const id of ['s-1', 'r-1', 'u-1']) assert.equal(backend.readsOf(id), 3, `${id} (running, or unreadable) read on each refresh`);
    assert.equal(backend.listCalls, 3);
    await tree.getChildren();
    assert.equal(backend.reads.length, 5 + 3 * 3, 'showing the roots again reads nothing');
  });

  for (const concurrency of [1, 3]) {
    it(`reads at most ${concurrency} histor${concurrency === 1 ? 'y' : 'ies'} at once`, async () => {
      const backend = world(15);
      const tree = provider(backend, new FakeProgress(), concurrency);
      tree.setGrouping('problems');
      await tree.getChildren();
      assert.equal(backend.reads.length, 8);
      assert.equal(backend.maxInFlight, concurrency);
    });
  }

  it('stops reading on Cancel: what was not read still shows, and a refresh reads it', async () => {
    const backend = world(15);
    const progress = new FakeProgress();
    backend.onRead = (started) => {
      if (started === 2) progress.cancel();
    };
    const tree = provider(backend, progress, 1);
    tree.setGrouping('problems');
    const roots = await tree.getChildren();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(backend.reads.length, 2, 'no read after Cancel');
    assert.equal(progress.titles.length, 1);
    assert.match(progress.titles[0], /^Reading the histories of 8 executions/);
    const rows = roots.map(label);
    assert.equal(rows[rows.length - 1], 'Cancelled: 7 executions not read. Click to refresh. | ');
    assert.ok(rows.some((r) => /unreadable \| \d executions? · its history was not read/.test(r)), 'a failed run not read is not dropped');
    backend.onRead = () => undefined;
    tree.refreshAll();
    const again = await tree.getChildren();
    assert.equal(again.length, 4);
    assert.equal(backend.readsOf('n-1'), 1, 'read before the Cancel, kept');
  });

  it('toggled off, shows the usual rows again, without stuck notes; the choice is kept for the folder', async () => {
    const tree = provider(world(), new FakeProgress());
    const stored = new Map<string, unknown>();
    const context = { workspaceState: { get: (key: string) => stored.get(key), update: (key: string, value: unknown) => Promise.resolve(void stored.set(key, value)) } };
    const services = { context: context as unknown as vscode.ExtensionContext, tree } as Pick<Services, 'context' | 'tree'>;
    await m.grouping.groupByProblem(services);
    assert.ok((await tree.getChildren()).every((r) => r instanceof m.ProblemGroupNode));
    assert.equal(stored.get('mistralWorkflows.grouping'), 'problems');
    await m.grouping.showAllExecutions(services);
    const roots = await tree.getChildren();
    assert.deepEqual(roots.map((n) => (n instanceof m.ExecutionNode ? n.executionId : n.id)), ['n-1', 'a-1', 'n-2', 'u-1', 'c-1', 's-1', 'r-1', 'a-2', 'n-3']);
    assert.ok(roots.every((n) => n instanceof m.ExecutionNode && n.stuck === undefined));
    assert.equal(tree.getParent(roots[0]), undefined);
    stored.set('mistralWorkflows.grouping', 'problems');
    const restored = provider(world(), new FakeProgress());
    m.grouping.restoreGrouping({ ...services, tree: restored });
    assert.ok((await restored.getChildren()).every((r) => r instanceof m.ProblemGroupNode), 'restored at activation');
  });
});
