import * as vscode from 'vscode';
import type { Execution } from '../api';
import type { Log } from '../common/log';
import type { NotifyLevel, UserInput } from '../common/ui';
import type { Connection } from '../config/connection';
import type { Settings } from '../config/settings';
import type { ResetRegistry } from '../reset/registry';
import { inertLinks } from '../common/notificationText';
import { SECTION } from '../config/settings';
import type { ExecutionNode } from '../tree/executionNode';
import type { ExecutionsProvider } from '../tree/executionsProvider';
import type { TreeNode } from '../tree/node';
import { StuckWatch } from '../incidentsUi/stuckWatch';
import { Follower } from './follower';
import { endedVerb, isOpen } from './status';
import { CONTEXT_KEYS } from '../commands/ids';

/** Streams for executions shown in the tree (watched ones always get theirs on top). */
export const MAX_TREE_STREAMS = 10;
/** A burst of events becomes one refresh. */
const REFRESH_DEBOUNCE_MS = 300;
/** While a reset of the execution is in flight, its refresh waits: the reset flow refreshes it itself. */
const BUSY_RETRY_MS = 1_000;
/** The tree loads pages without telling anyone: look at what it shows now and then, as well as on changes. */
const RECONCILE_EVERY_MS = 5_000;
const RECONCILE_DEBOUNCE_MS = 200;

/** What live updates use; `ui` is read when needed, so a test's replacement of it is seen. */
interface LiveServices {
  readonly tree: ExecutionsProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  readonly connection: Connection;
  readonly settings: Settings;
  readonly log: Log;
  readonly resets: ResetRegistry;
  readonly ui: UserInput;
}

/**
 * Live runs: keeps running executions fresh while they are shown (the view is visible) or watched,
 * following each one's event stream and polling where streams do not work. Watched executions notify
 * once when they end, and once when they get stuck (StuckWatch). Built by createServices with the
 * services it uses; it starts at once.
 */
export class LiveUpdates implements vscode.Disposable {
  private services: LiveServices | undefined;
  private readonly followers = new Map<string, Follower>();
  private readonly watched = new Set<string>();
  private readonly pendingRefresh = new Map<string, NodeJS.Timeout>();
  private readonly refreshing = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private reconcileTimer: NodeJS.Timeout | undefined;
  private tick: NodeJS.Timeout | undefined;
  /** Set when the server has no stream endpoint: later followers poll at once (until the connection changes). */
  private streamUnsupported = false;
  /** The workspace watches belong to: a switch to another one ends them. */
  private workspaceKey = '';
  private readonly stuck: StuckWatch;

  constructor(services: LiveServices) {
    this.services = services;
    this.stuck = new StuckWatch({
      client: () => services.connection.client(),
      retryingAttempts: () => services.settings.problemsRetryingAttempts(),
      notify: (execution, text) => this.tell('warning', `${name(execution)} is stuck: ${text}`, execution.executionId),
      log: services.log,
    });
    this.workspaceKey = workspaceKey(services);
    this.subscriptions.push(
      services.tree.onDidChangeTreeData(() => this.scheduleReconcile()),
      services.treeView.onDidChangeVisibility(() => this.scheduleReconcile()),
      services.connection.onDidChange(() => this.connectionChanged(services)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.liveUpdates`)) this.stopFollowers(); // reconcile restarts them with the new settings
        this.scheduleReconcile();
      }),
    );
    this.tick = setInterval(() => this.reconcile(), RECONCILE_EVERY_MS);
    this.scheduleReconcile();
  }

  isWatched(executionId: string): boolean {
    return this.watched.has(executionId);
  }

  get watchedIds(): readonly string[] {
    return [...this.watched];
  }

  /** Ids currently followed, and how (for tests and the log). */
  get following(): ReadonlyMap<string, 'stream' | 'poll'> {
    return new Map([...this.followers].map(([id, f]) => [id, f.polling ? 'poll' : 'stream']));
  }

  /** Watches an execution; one that has already ended is reported at once and not watched. */
  async watch(executionId: string): Promise<void> {
    const s = this.required();
    const node = await s.tree.openExecution(executionId);
    await s.tree.reloadExecution(node);
    if (!isOpen(node.execution.status)) {
      void s.ui.notify('info', inertLinks(`${name(node.execution)} has already ${endedVerb(node.execution.status)}.`));
      return;
    }
    this.watched.add(executionId);
    this.mark(node, true);
    s.log.info('live', `Watching ${executionId}.`);
    void this.stuck.check(node.execution, true); // one already stuck is told at once
    this.reconcile();
  }

  unwatch(executionId: string): void {
    if (!this.watched.delete(executionId)) return;
    this.stuck.forget(executionId);
    const node = this.services?.tree.findExecution(executionId);
    if (node) this.mark(node, false);
    this.services?.log.info('live', `Stopped watching ${executionId}.`);
    this.reconcile();
  }

  dispose(): void {
    this.forgetAll('disposed');
    this.stuck.dispose();
    if (this.tick) clearInterval(this.tick);
    if (this.reconcileTimer) clearTimeout(this.reconcileTimer);
    for (const d of this.subscriptions.splice(0)) d.dispose();
    this.services = undefined;
  }

  private required(): LiveServices {
    if (!this.services) throw new Error('Live updates are disposed.');
    return this.services;
  }

  /** Which executions to follow: watched ones, then running ones in the tree while it is visible. */
  private wanted(s: LiveServices): string[] {
    const ids = [...this.watched];
    if (!s.settings.liveUpdatesEnabled() || !s.treeView.visible) return ids;
    const shown = s.tree.executions.filter((n) => isOpen(n.execution.status) && !this.watched.has(n.executionId));
    return [...ids, ...shown.slice(0, MAX_TREE_STREAMS).map((n) => n.executionId)];
  }

  private scheduleReconcile(): void {
    if (this.reconcileTimer || !this.services) return;
    this.reconcileTimer = setTimeout(() => {
      this.reconcileTimer = undefined;
      this.reconcile();
    }, RECONCILE_DEBOUNCE_MS);
  }

  private reconcile(): void {
    const s = this.services;
    if (!s) return;
    const pollOnly = !s.settings.liveUpdatesEnabled() || this.streamUnsupported;
    const wanted = new Set(this.wanted(s));
    for (const [id, follower] of this.followers) {
      if (wanted.has(id) && (follower.pollOnly || !pollOnly)) continue;
      follower.stop();
      this.followers.delete(id);
    }
    for (const id of wanted) {
      if (!this.followers.has(id)) this.followers.set(id, new Follower(id, this.followerDeps(s, id), pollOnly));
    }
    // Nodes are rebuilt by a full refresh: keep the eye on watched ones.
    for (const id of this.watched) {
      const node = s.tree.findExecution(id);
      if (node && !node.watched) this.mark(node, true);
    }
  }

  private followerDeps(s: LiveServices, executionId: string): ConstructorParameters<typeof Follower>[1] {
    return {
      client: () => s.connection.client(),
      onActivity: () => this.refreshSoon(executionId, REFRESH_DEBOUNCE_MS),
      pollIntervalMs: () => s.settings.livePollIntervalMs(),
      onStreamUnsupported: () => {
        this.streamUnsupported = true;
      },
      log: s.log,
    };
  }

  private refreshSoon(executionId: string, delayMs: number): void {
    if (this.pendingRefresh.has(executionId)) return; // the refresh already scheduled covers this event too
    this.pendingRefresh.set(executionId, setTimeout(() => {
      this.pendingRefresh.delete(executionId);
      void this.refresh(executionId);
    }, delayMs));
  }

  private async refresh(executionId: string): Promise<void> {
    const s = this.services;
    if (!s || !this.followers.has(executionId)) return;
    if (s.resets.isBusy(executionId) || this.refreshing.has(executionId)) {
      this.refreshSoon(executionId, BUSY_RETRY_MS);
      return;
    }
    this.refreshing.add(executionId);
    try {
      const node = s.tree.findExecution(executionId);
      let latest: Execution;
      if (node) {
        await s.tree.reloadExecution(node);
        latest = node.execution;
      } else {
        latest = await (await s.connection.client()).getExecution(executionId); // watched, no longer listed
      }
      if (this.services !== s) return;
      if (!isOpen(latest.status)) this.ended(latest, node);
      else if (this.watched.has(executionId)) void this.stuck.check(latest);
    } catch (error) {
      s.log.warn('live', `Could not refresh ${executionId}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.refreshing.delete(executionId);
    }
    this.scheduleReconcile();
  }

  /** The execution ended: a watched one says so, once, and its watch ends. */
  private ended(latest: Execution, node: ExecutionNode | undefined): void {
    const id = latest.executionId;
    this.followers.get(id)?.stop();
    this.followers.delete(id);
    if (!this.watched.delete(id)) return;
    this.stuck.forget(id);
    if (node) this.mark(node, false);
    this.tell(latest.status === 'COMPLETED' ? 'info' : 'warning', `${name(latest)} ${endedVerb(latest.status)}.`, id);
  }

  /** A watched execution's news, with Show (reveals it in the view). */
  private tell(level: Extract<NotifyLevel, 'info' | 'warning'>, message: string, executionId: string): void {
    const s = this.services;
    if (!s) return;
    void s.ui.notify(level, inertLinks(message), 'Show').then(async (choice) => {
      if (choice !== 'Show') return;
      const shown = await s.tree.openExecution(executionId);
      await s.treeView.reveal(shown, { select: true, focus: true });
    }).catch((error: unknown) => s.log.warn('live', `Could not show ${executionId}: ${String(error)}`));
  }

  private mark(node: ExecutionNode, watched: boolean): void {
    node.watched = watched;
    this.services?.tree.refresh(node);
    this.updateContext();
  }

  /** `mistralWorkflows.watching` shows “Stop Watching Execution” in the palette only when it can act. */
  private updateContext(): void {
    vscode.commands.executeCommand('setContext', CONTEXT_KEYS.watching, this.watched.size > 0).then(undefined, () => undefined);
  }

  private stopFollowers(): void {
    for (const follower of this.followers.values()) follower.stop();
    this.followers.clear();
    for (const timer of this.pendingRefresh.values()) clearTimeout(timer);
    this.pendingRefresh.clear();
  }

  /** Streams use the old client: restart them. Watches survive a new key, not another workspace. */
  private connectionChanged(s: LiveServices): void {
    const key = workspaceKey(s);
    if (key !== this.workspaceKey) this.forgetAll('another workspace is active');
    else this.stopFollowers();
    this.workspaceKey = key;
    this.streamUnsupported = false;
    this.scheduleReconcile();
  }

  /** Another workspace: nothing carries over (the executions are another server's). */
  private forgetAll(why: string): void {
    if (this.followers.size > 0 || this.watched.size > 0) this.services?.log.info('live', `Stopped following executions: ${why}.`);
    this.stopFollowers();
    for (const id of this.watched) {
      this.stuck.forget(id);
      const node = this.services?.tree.findExecution(id);
      if (node) node.watched = false;
    }
    this.watched.clear();
    this.updateContext();
    this.streamUnsupported = false;
  }
}

function workspaceKey(s: LiveServices): string {
  const w = s.connection.currentWorkspace();
  return `${w.name}\n${w.baseUrl}`;
}

function name(execution: Execution): string {
  return `${execution.workflowName || 'Execution'} (${execution.executionId})`;
}
