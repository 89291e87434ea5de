import * as vscode from 'vscode';
import { attr, resetLinks } from '../api';
import { checkSummary, type CheckedRun } from '../replay';
import type { ResetLink } from '../api';
import type { Execution } from '../api/types';
import { FIXED_CONTEXT_VALUES, runContextValue, type ContextValue } from './contextValues';
import { oneLine } from '../common/text';
import { HistoryRows } from './historyChildren';
import { statusIcon } from './icons';
import { formatTime, relativeTime, shortId, statusText } from './labels';
import { tooltip } from './markdown';
import { actionFor, errorNode, MessageNode, TreeNode } from './node';
import { RunHistory } from './runHistory';
import { TreeServices } from './services';
import { COMMAND_IDS } from '../commands/ids';

/**
 * What the “Earlier runs” row uses of its execution's row: an ExecutionNode, which imports this file
 * (so it is described here rather than imported).
 */
interface EarlierRunsOwner extends TreeNode {
  readonly executionId: string;
  readonly execution: Execution;
  readonly rows: Pick<HistoryRows, 'history'>;
}

/** “Earlier runs (N)”: the runs that resets ended, newest first. Listed only when expanded. */
export class EarlierRunsNode extends TreeNode {
  expectedCount = 0;
  private runs: RunNode[] | undefined;

  constructor(
    readonly execution: EarlierRunsOwner,
    private readonly services: TreeServices,
  ) {
    super(`${execution.id}/earlier`, execution);
  }

  getTreeItem(): vscode.TreeItem {
    const count = this.runs?.length ?? this.expectedCount;
    const item = new vscode.TreeItem(`Earlier runs (${count})`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('history');
    item.contextValue = this.contextValue;
    // A string tooltip would otherwise become the row's accessible name.
    item.accessibilityInformation = { label: `Earlier runs (${count})` };
    item.tooltip = 'Runs of this execution that a reset terminated. Their events are read-only: only the latest run can be reset.';
    return item;
  }

  get contextValue(): ContextValue {
    return FIXED_CONTEXT_VALUES.earlierRuns;
  }

  override async getChildren(): Promise<TreeNode[]> {
    if (!this.runs) {
      try {
        const client = await this.services.client();
        const all = await client.listRuns(this.execution.executionId);
        const latestRunId = this.execution.execution.runId;
        this.runs = all
          .filter((run) => run.runId && run.runId !== latestRunId)
          .map((run) => new RunNode(this, run, this.services));
      } catch (error) {
        return [
          errorNode(
            `${this.id}/error`,
            this,
            `Could not list the runs: ${this.services.describeError(error)}`,
            actionFor(error, { command: COMMAND_IDS.retryNode, title: 'Retry', arguments: [this] }),
          ),
        ];
      }
    }
    if (this.runs.length === 0) return [new MessageNode(`${this.id}/none`, this, 'No earlier runs found.')];
    return this.runs;
  }

  /** The reset that ended `runId` (reason, time, point), from the histories loaded so far. */
  resetOf(runId: string): ResetLink | undefined {
    const histories = [this.execution.rows.history, ...(this.runs ?? []).map((r) => r.rows.history)];
    for (const history of histories) {
      const link = resetLinks(history.value?.events ?? []).find((l) => l.baseRunId === runId);
      if (link) return link;
    }
    return undefined;
  }

  /** The runs listed so far (newest first), for comparing a run with the one before it. */
  get listedRuns(): readonly RunNode[] {
    return this.runs ?? [];
  }

  forget(): void {
    this.runs = undefined;
  }
}

/** One earlier run: its events (never reset points) and the reason of the reset that ended it. */
export class RunNode extends TreeNode {
  readonly rows: HistoryRows;

  constructor(
    private readonly group: EarlierRunsNode,
    readonly run: Execution,
    private readonly services: TreeServices,
  ) {
    super(`${group.id}/${run.runId}`, group);
    const executionId = run.executionId;
    const runId = run.runId;
    const history = new RunHistory(
      async (stream) => (await services.client()).getHistory(executionId, { runId, stream }),
      () => services.eventsPageSize(),
    );
    this.rows = new HistoryRows(this, history, { executionId, runId, latest: false, check: () => services.checkOf(executionId, runId) }, services);
  }

  /** The reset that ended this run, as the next run's history records it. */
  get reset(): ResetLink | undefined {
    return this.run.runId ? this.group.resetOf(this.run.runId) : undefined;
  }

  get reason(): string | undefined {
    const fromMarkers = this.reset?.reason;
    if (fromMarkers) return fromMarkers;
    const events = this.rows.history.value?.events ?? [];
    const last = events[events.length - 1];
    const reason = last?.type === 'WORKFLOW_EXECUTION_TERMINATED' ? attr(last, 'reason') : undefined;
    return typeof reason === 'string' ? reason : undefined;
  }

  getTreeItem(): vscode.TreeItem {
    const started = this.run.startTime ? relativeTime(this.run.startTime) : '';
    const item = new vscode.TreeItem(`Run ${shortId(this.run.runId)}`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const reason = this.reason;
    const at = this.reset?.pointEventId !== undefined ? ` to event ${this.reset.pointEventId}` : '';
    const check = this.check;
    const verdict = check && check.result.outcome !== 'failed' ? checkSummary(check) : '';
    item.description = [statusText(this.run.status), started, reason ? `reset${at}: ${oneLine(reason, 80)}` : '', verdict]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = statusIcon(this.run.status);
    item.contextValue = this.contextValue;
    return item;
  }

  /** `run +earlier +searching +checked` */
  get contextValue(): ContextValue {
    return runContextValue({ searching: this.rows.found !== undefined, checked: this.check !== undefined });
  }

  /** This run's replay check, if one ran. */
  private get check(): CheckedRun | undefined {
    return this.services.checkOf(this.run.executionId, this.run.runId);
  }

  override resolveTooltip(): vscode.MarkdownString {
    return tooltip(`Run ${this.run.runId ?? ''}`, [
      ['Status', statusText(this.run.status)],
      ['Started', formatTime(this.run.startTime)],
      ['Ended', formatTime(this.run.endTime)],
      ['Ended by reset', this.reason],
      ['Reset at', this.reset?.time ? formatTime(this.reset.time) : undefined],
      ['Reset to event', this.reset?.pointEventId?.toString()],
      ['Deployment', this.run.deploymentName],
    ]);
  }

  override async getChildren(): Promise<TreeNode[]> {
    const reasonBefore = this.reason;
    const children = await this.rows.children();
    // The reason may only be known once this run's history is read: show it on the run's own row.
    if (this.reason !== reasonBefore) this.services.refresh(this);
    return children;
  }
}
