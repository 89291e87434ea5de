import * as vscode from 'vscode';
import type { Execution } from '../api/types';
import { isResetMarker } from '../api';
import { checkSummary, type CheckedRun } from '../replay';
import { EarlierRunsNode } from './runNodes';
import { HistoryRows } from './historyChildren';
import { PendingNode } from './pendingNode';
import { isOpen } from '../live/status';
import { executionContextValue, type ContextValue } from './contextValues';
import { BUSY_ICON, statusIcon, STUCK_ICON } from './icons';
import { durationOf, executionDescription, formatDuration, formatTime, statusText } from './labels';
import { tooltip } from './markdown';
import { TreeNode } from './node';
import { RunHistory } from './runHistory';
import { TreeServices } from './services';

/** One execution (its latest run). Its children: “Earlier runs (N)” when there are earlier runs, then its events. */
export class ExecutionNode extends TreeNode {
  busy: string | undefined;
  /** Watched (Live runs): the user is told when it ends. Shown as an eye in the description. */
  watched = false;
  /** Runs of this execution seen in the list (the list may return one row per run). */
  knownRunIds = new Set<string>();
  /**
   * A running run that is stuck: why (stuckText), set by Group by Problem or, in the plain view, by
   * StuckRows once its history has been read. Shown in its description, icon and tooltip.
   */
  stuck: string | undefined;
  rows: HistoryRows;
  private earlier: EarlierRunsNode | undefined;
  private pending: PendingNode | undefined;

  constructor(
    public execution: Execution,
    private readonly services: TreeServices,
  ) {
    super(`exec/${execution.executionId}`, undefined);
    this.rows = this.makeRows();
    if (execution.runId) this.knownRunIds.add(execution.runId);
  }

  get executionId(): string {
    return this.execution.executionId;
  }

  /** The latest run's replay check, if one ran. */
  get check(): CheckedRun | undefined {
    return this.services.checkOf(this.executionId, this.execution.runId);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.execution.workflowName || this.executionId, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const check = this.check;
    // A check that could not run is no verdict: the row stays as it was (its report says why).
    const checked = check && check.result.outcome !== 'failed' ? ` · ${checkSummary(check)}` : '';
    const stuck = this.stuck === undefined ? '' : ` · ${this.stuck}`;
    item.description = this.busy ?? `${executionDescription(this.execution)}${this.watched ? ' · watching' : ''}${checked}${stuck}`;
    item.iconPath = this.busy ? BUSY_ICON : this.stuck !== undefined ? STUCK_ICON : statusIcon(this.execution.status);
    item.contextValue = this.contextValue;
    item.accessibilityInformation = {
      label: `${this.execution.workflowName} ${statusText(this.execution.status)}${this.stuck === undefined ? '' : ' and stuck'} ${this.executionId}`,
    };
    return item;
  }

  /** `execution +running +earlierRuns +watched +checked +searching` */
  get contextValue(): ContextValue {
    return executionContextValue({
      status: this.execution.status,
      earlierRuns: this.hasEarlierRuns,
      watched: this.watched,
      checked: this.check !== undefined,
      searching: this.rows.found !== undefined,
    });
  }

  override resolveTooltip(): vscode.MarkdownString {
    const e = this.execution;
    const duration = durationOf(e);
    return tooltip(e.workflowName, [
      ['Status', statusText(e.status)],
      ['Stuck', this.stuck],
      ['Execution ID', e.executionId],
      ['Run ID', e.runId],
      ['Started', formatTime(e.startTime)],
      ['Ended', e.endTime ? formatTime(e.endTime) : e.status === 'RUNNING' ? 'still running' : undefined],
      ['Duration', duration === undefined ? undefined : formatDuration(duration)],
      ['Deployment', e.deploymentName],
      ['Parent execution', e.parentExecutionId],
    ]);
  }

  override async getChildren(): Promise<TreeNode[]> {
    const events = await this.rows.children();
    const earlier = this.earlierRunsNode();
    const pending = this.pendingNode();
    return [earlier, pending, ...events].filter((n): n is TreeNode => n !== undefined);
  }

  /** “Pending: …” while the execution runs and its history is loaded; not over a search's results. */
  private pendingNode(): PendingNode | undefined {
    const value = this.rows.history.value;
    if (!isOpen(this.execution.status) || value === undefined || value.events.length === 0 || this.rows.found) return undefined;
    const grouping = this.rows.steps.grouping(value);
    if (this.pending === undefined) this.pending = new PendingNode(this, this.executionId, value.events, grouping);
    else this.pending.update(value.events, grouping);
    return this.pending.closed ? undefined : this.pending;
  }

  /** A row of the list for another run of this execution. Keeps the newest as the execution's face. */
  addRun(run: Execution): void {
    if (run.runId) this.knownRunIds.add(run.runId);
    const newer = (run.startTime?.getTime() ?? 0) > (this.execution.startTime?.getTime() ?? 0);
    if (newer) this.replaceLatest(run);
  }

  /** After a reset or a refresh: show `latest` and load its history again on the next expansion. */
  replaceLatest(latest: Execution): void {
    const runChanged = latest.runId !== this.execution.runId;
    this.execution = latest;
    if (latest.runId) this.knownRunIds.add(latest.runId);
    if (runChanged) {
      this.rows = this.makeRows();
      this.earlier = undefined;
      this.pending = undefined;
    } else {
      this.rows.forget();
    }
  }

  /** How many earlier runs are known: from the list's rows, or from the reset markers in the history. */
  private get earlierRunCount(): number {
    const fromList = this.knownRunIds.size - 1;
    const fromHistory = this.rows.history.value?.events.filter(isResetMarker).length ?? 0;
    return Math.max(fromList, fromHistory);
  }

  get hasEarlierRuns(): boolean {
    return this.earlierRunCount > 0;
  }

  private earlierRunsNode(): EarlierRunsNode | undefined {
    const count = this.earlierRunCount;
    if (count <= 0) return undefined;
    this.earlier ??= new EarlierRunsNode(this, this.services);
    this.earlier.expectedCount = count;
    return this.earlier;
  }

  private makeRows(): HistoryRows {
    const executionId = this.execution.executionId;
    const history = new RunHistory(
      async (stream) => (await this.services.client()).getHistory(executionId, { stream }),
      () => this.services.eventsPageSize(),
    );
    const runId = this.execution.runId;
    const check = (): CheckedRun | undefined => this.services.checkOf(executionId, runId);
    const extraResetTargets = (): readonly string[] => this.services.extraResetTargets();
    return new HistoryRows(this, history, { executionId, runId, latest: true, check, extraResetTargets }, this.services);
  }
}
