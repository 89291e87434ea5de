import * as vscode from 'vscode';
import type { WorkflowBackend } from '../api';
import type { Execution } from '../api/types';
import type { Connection } from '../config/connection';
import type { Settings } from '../config/settings';
import { capabilitiesOf } from '../config/capabilities';
import type { CheckedRun, CheckedRuns } from '../replay';
import { ExecutionNode } from './executionNode';
import { ExecutionFilter, isFiltered, listedStatuses, NO_FILTER, shownOnlyIfStuck } from './filter';
import { actionFor, errorNode, LoadMoreNode, MessageNode, TreeNode } from './node';
import { Grouping, HistoryMode, TreeServices } from './services';
import type { GroupOptions, ProblemsView } from '../incidentsUi/problemsView';
import type { StuckListener, StuckRows } from '../incidentsUi/stuckRows';
import { COMMAND_IDS } from '../commands/ids';

/**
 * The Executions view: executions newest first, one node per execution id (the list may return one row
 * per run), a page at a time. Failures and empty states are rows, never pop-ups. Running rows are
 * marked stuck once their histories are read (StuckRows, or Group by Problem's own reading), after the
 * list has been shown; the Stuck filter keeps the running rows found stuck.
 */
export class ExecutionsProvider implements vscode.TreeDataProvider<TreeNode>, TreeServices, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly stuckChanged = new vscode.EventEmitter<void>();
  /** Some listed row's stuck mark may have changed (or the rows were dropped): the status bar counts them again. */
  readonly onDidChangeStuck = this.stuckChanged.event;

  private roots: ExecutionNode[] = [];
  private readonly byId = new Map<string, ExecutionNode>();
  private nextPageToken: string | undefined;
  private firstPageLoaded = false;
  private pageError: unknown;
  private pending: Promise<void> | undefined;
  /** Bumped by every full refresh, so that a page that arrives after it is dropped, not appended. */
  private generation = 0;
  private currentFilter: ExecutionFilter = NO_FILTER;
  private mode: HistoryMode = 'events';
  private grouping: Grouping = 'executions';

  constructor(
    private readonly connection: Pick<Connection, 'client' | 'current'>,
    private readonly settings: Pick<Settings, 'activeWorkspace' | 'eventsPageSize' | 'executionsPageSize'>,
    readonly describeError: (error: unknown) => string,
    private readonly checks: CheckedRuns,
    /** Group by Problem's roots, over the executions listed here. */
    private readonly problems: ProblemsView,
    /** Stuck marks on the plain view's running rows. */
    private readonly stuckRows: StuckRows,
  ) {}

  get filter(): ExecutionFilter {
    return this.currentFilter;
  }

  setFilter(filter: ExecutionFilter): void {
    this.currentFilter = filter;
    this.refreshAll();
  }

  /** Switches every run's children between events and steps; loaded histories are kept (no request). */
  setHistoryMode(mode: HistoryMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.changed.fire(undefined);
  }

  /** The roots: the listed executions, or problem groups over them (built when first shown). */
  setGrouping(grouping: Grouping): void {
    if (grouping === this.grouping) return;
    this.grouping = grouping;
    // Marks are set again by the view shown now (the plain view's from the reader's cache: no read).
    this.stuckRows.reset();
    this.problems.leave(this.roots);
    this.changed.fire(undefined);
    this.stuckChanged.fire();
  }

  /** `mistralWorkflows.problems.detectStuck` changed: the plain view's marks are dropped, and read again if on. */
  detectStuckChanged(): void {
    if (this.grouping !== 'executions') return;
    this.stuckRows.reset();
    for (const node of this.roots) node.stuck = undefined;
    this.changed.fire(undefined);
    this.stuckChanged.fire();
  }

  // --- TreeServices -------------------------------------------------------------------------------

  historyMode(): HistoryMode {
    return this.mode;
  }

  client(): Promise<WorkflowBackend> {
    return this.connection.client();
  }

  eventsPageSize(): number {
    return this.settings.eventsPageSize();
  }

  extraResetTargets(): readonly string[] {
    return capabilitiesOf(this.settings.activeWorkspace().kind).extraResetTargets;
  }

  checkOf(executionId: string, runId: string | undefined): CheckedRun | undefined {
    return this.checks.get(executionId, runId);
  }

  refresh(node?: TreeNode): void {
    this.changed.fire(node);
  }

  // --- TreeDataProvider ---------------------------------------------------------------------------

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return (this.grouping === 'problems' ? this.problems.parentOf(node) : undefined) ?? node.parent;
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    item.tooltip ??= node.resolveTooltip();
    return item;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    return node ? node.getChildren() : this.rootChildren();
  }

  // --- Executions ---------------------------------------------------------------------------------

  /** Drops everything and lists from the first page again. */
  refreshAll(): void {
    this.generation++;
    this.roots = [];
    this.byId.clear();
    this.nextPageToken = undefined;
    this.firstPageLoaded = false;
    this.pageError = undefined;
    this.pending = undefined;
    this.problems.invalidate(true);
    this.stuckRows.reset();
    this.changed.fire(undefined);
    this.stuckChanged.fire();
  }

  async loadMoreExecutions(): Promise<void> {
    this.pageError = undefined;
    try {
      await this.loadPage(this.nextPageToken);
    } catch (error) {
      this.pageError = error;
    }
    this.changed.fire(undefined);
  }

  /**
   * Every remaining page, up to `cap` executions, until cancelled: the only path that reads more than
   * one page, and only on the user's request.
   */
  async loadAllExecutions(cap: number, cancel: { isCancellationRequested: boolean }, onPage: (count: number) => void): Promise<number> {
    if (!this.firstPageLoaded) await this.loadPage(undefined);
    while (this.nextPageToken && this.roots.length < cap && !cancel.isCancellationRequested) {
      await this.loadPage(this.nextPageToken);
      onPage(this.roots.length);
      this.changed.fire(undefined);
    }
    this.changed.fire(undefined);
    return this.roots.length;
  }

  get hasMoreExecutions(): boolean {
    return this.nextPageToken !== undefined;
  }

  get executions(): readonly ExecutionNode[] {
    return this.roots;
  }

  findExecution(executionId: string): ExecutionNode | undefined {
    return this.byId.get(executionId);
  }

  /** The node of an execution, read from the server and put at the top when it is not listed yet. */
  async openExecution(executionId: string): Promise<ExecutionNode> {
    const known = this.byId.get(executionId);
    if (known) return known;
    const execution = await (await this.client()).getExecution(executionId);
    const node = this.byId.get(execution.executionId) ?? this.add(execution, 'top');
    this.problems.invalidate();
    this.changed.fire(undefined);
    return node;
  }

  /** Reads the execution again (after a reset: its new run) and refreshes only its subtree. */
  async reloadExecution(node: ExecutionNode): Promise<void> {
    const latest = await (await this.client()).getExecution(node.executionId);
    const before = node.execution;
    node.replaceLatest(latest);
    if (latest.status === before.status && latest.runId === before.runId) {
      this.changed.fire(node);
      return;
    }
    // A run that ended, or was reset, is stuck no more (or not yet), and may belong to another group now (or to none).
    node.stuck = undefined;
    this.stuckRows.forget(node);
    this.stuckChanged.fire();
    if (this.grouping === 'problems') this.problems.invalidate();
    // The Stuck filter may hide it now; the plain view judges it again as it shows its rows.
    this.changed.fire(this.grouping === 'problems' || this.currentFilter.stuck === true ? undefined : node);
    if (this.grouping === 'executions') this.detectStuck([node]);
  }

  dispose(): void {
    this.changed.dispose();
    this.stuckChanged.dispose();
  }

  private async rootChildren(): Promise<TreeNode[]> {
    const state = await this.connection.current();
    if (state.kind === 'missingKey') return []; // The view's welcome content asks for a key.
    if (state.kind === 'badBaseUrl') {
      return [
        errorNode('root/baseUrl', undefined, `Workspace “${state.workspace.name}”: ${state.problem}`, {
          command: 'workbench.action.openSettings',
          title: 'Open Settings',
          arguments: ['mistralWorkflows.workspaces'],
        }),
      ];
    }
    if (state.kind === 'originChanged') {
      return [
        errorNode('root/origin', undefined, state.from === undefined
          ? `“${state.workspace.name}” points at ${state.to}: click to allow the key from the ${state.source} there`
          : `“${state.workspace.name}” now points at ${state.to}: click to allow its stored key there`, {
          command: COMMAND_IDS.allowKeyOrigin,
          title: 'Allow',
        }),
      ];
    }
    if (!this.firstPageLoaded) {
      try {
        await this.loadPage(undefined);
      } catch (error) {
        return [
          errorNode(
            'root/error',
            undefined,
            `Could not list executions: ${this.describeError(error)}`,
            actionFor(error, { command: COMMAND_IDS.refresh, title: 'Retry' }),
          ),
        ];
      }
    }
    const rows: TreeNode[] = this.grouping === 'problems' && this.roots.length > 0 ? await this.groupRows(state.workspace.name) : this.plainRows(state.workspace.name);
    if (rows.length === 0) {
      rows.push(
        isFiltered(this.currentFilter)
          ? new MessageNode('root/empty', undefined, 'No executions match the filter. Click to clear it.', {
              icon: new vscode.ThemeIcon('filter'),
              command: { command: COMMAND_IDS.clearFilter, title: 'Clear Filter' },
            })
          : new MessageNode('root/empty', undefined, `No executions in workspace “${state.workspace.name}” yet.`, {
              icon: new vscode.ThemeIcon('info'),
            }),
      );
    }
    if (this.pageError !== undefined) {
      rows.push(
        errorNode('root/pageError', undefined, `Could not load more: ${this.describeError(this.pageError)}`, {
          command: COMMAND_IDS.loadMore,
          title: 'Retry',
          arguments: [this.loadMoreNode()],
        }),
      );
    } else if (this.nextPageToken) {
      rows.push(this.loadMoreNode());
    }
    return rows;
  }

  /** Group by Problem's roots; under the Stuck filter, only the problems of the stuck runs (and of the statuses checked beside it). */
  private async groupRows(scope: string): Promise<TreeNode[]> {
    const filter = this.currentFilter;
    const options: GroupOptions = filter.stuck !== true ? {} : {
      keep: (node, problem) => problem.stuck !== undefined || !shownOnlyIfStuck(filter, node.execution.status),
      noneText: filter.statuses.length === 0 ? this.noneStuckText() : undefined,
    };
    const rows = await this.problems.rows(this.roots, scope, options);
    this.stuckChanged.fire(); // the reading marked its stuck rows
    return rows;
  }

  /**
   * The listed rows, shown at once; their running ones are judged stuck in the background. Under the
   * Stuck filter a running row listed for it alone shows once found stuck; until any does, a row says
   * the search is under way, then that none is stuck.
   */
  private plainRows(scope: string): TreeNode[] {
    this.detectStuck(this.roots, scope);
    const filter = this.currentFilter;
    if (filter.stuck !== true) return [...this.roots];
    const rows = this.roots.filter((n) => n.stuck !== undefined || !shownOnlyIfStuck(filter, n.execution.status));
    if (rows.length > 0 || this.roots.length === 0) return rows;
    const searching = this.roots.some((n) => this.stuckRows.isJudging(n));
    return [
      searching
        ? new MessageNode('root/stuckSearching', undefined, `Looking for stuck executions among ${this.runningText()}…`, { icon: new vscode.ThemeIcon('loading~spin') })
        : new MessageNode('root/noneStuck', undefined, this.noneStuckText(), { icon: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')) }),
    ];
  }

  private noneStuckText(): string {
    return `No stuck executions among ${this.runningText()}.`;
  }

  /** `the 3 running ones listed`: the rows listed for the Stuck filter alone (the running ones it asked for). */
  private runningText(): string {
    const running = this.roots.filter((n) => shownOnlyIfStuck(this.currentFilter, n.execution.status)).length;
    return running === 1 ? 'the 1 running one listed' : `the ${running} running ones listed`;
  }

  /** Reads the plain view's running rows not judged yet, when the setting or the Stuck filter asks. */
  private detectStuck(rows: readonly ExecutionNode[], scope = this.settings.activeWorkspace().name): void {
    const generation = this.generation;
    const listener: StuckListener = {
      changed: (row) => {
        if (generation !== this.generation) return;
        this.stuckChanged.fire();
        // Under the Stuck filter a row found stuck appears: the roots are listed again (no request).
        this.changed.fire(this.currentFilter.stuck === true ? undefined : row);
      },
      settled: () => {
        if (generation === this.generation && this.currentFilter.stuck === true) this.changed.fire(undefined);
      },
    };
    this.stuckRows.detect(rows, scope, this.currentFilter.stuck === true, listener);
  }

  private loadMoreNode(): LoadMoreNode {
    return new LoadMoreNode('root/more', undefined, 'Load more executions…', () => this.loadMoreExecutions());
  }

  /** One page; concurrent calls share it, and a page from before a refresh is dropped. */
  private loadPage(token: string | undefined): Promise<void> {
    if (this.pending) return this.pending;
    const generation = this.generation;
    const filter = this.currentFilter;
    const run = async (): Promise<void> => {
      const client = await this.client();
      const page = await client.listExecutions({
        status: listedStatuses(filter),
        workflow: filter.workflow,
        search: filter.search,
        rawQuery: client.capabilities.rawListQuery ? filter.query : undefined,
        pageSize: this.settings.executionsPageSize(),
        pageToken: token,
      });
      if (generation !== this.generation) return;
      for (const execution of page.executions) this.add(execution, 'bottom');
      this.problems.invalidate();
      this.nextPageToken = page.nextPageToken;
      this.firstPageLoaded = true;
    };
    const pending = run().finally(() => {
      if (this.pending === pending) this.pending = undefined;
    });
    this.pending = pending;
    return pending;
  }

  private add(execution: Execution, where: 'top' | 'bottom'): ExecutionNode {
    const existing = this.byId.get(execution.executionId);
    if (existing) {
      existing.addRun(execution);
      return existing;
    }
    const node = new ExecutionNode(execution, this);
    this.byId.set(execution.executionId, node);
    if (where === 'top') this.roots.unshift(node);
    else this.roots.push(node);
    return node;
  }
}
