import * as vscode from 'vscode';
import { attr, isResetMarker } from '../api';
import type { Execution } from '../api/types';
import type { ExecutionNode } from './executionNode';
import { HistoryRows } from './historyChildren';
import { statusIcon } from './icons';
import { formatTime, oneLine, relativeTime, shortId, statusText } from './labels';
import { tooltip } from './markdown';
import { actionFor, errorNode, MessageNode, TreeNode } from './node';
import { RunHistory } from './runHistory';
import { TreeServices } from './services';

/** “Earlier runs (N)”: the runs that resets ended, newest first. Listed only when expanded. */
export class EarlierRunsNode extends TreeNode {
  expectedCount = 0;
  private runs: RunNode[] | undefined;

  constructor(
    readonly execution: ExecutionNode,
    private readonly services: TreeServices,
  ) {
    super(`${execution.id}/earlier`, execution);
  }

  getTreeItem(): vscode.TreeItem {
    const count = this.runs?.length ?? this.expectedCount;
    const item = new vscode.TreeItem(`Earlier runs (${count})`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('history');
    item.contextValue = 'earlierRuns';
    item.tooltip = 'Runs of this execution that a reset terminated. Their events are read-only: only the latest run can be reset.';
    return item;
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
            actionFor(error, { command: 'mistralWorkflows.retryNode', title: 'Retry', arguments: [this] }),
          ),
        ];
      }
    }
    if (this.runs.length === 0) return [new MessageNode(`${this.id}/none`, this, 'No earlier runs found.')];
    return this.runs;
  }

  /** Why `runId` ended, from the reset markers of the histories loaded so far. */
  resetReason(runId: string): string | undefined {
    const histories = [this.execution.rows.history, ...(this.runs ?? []).map((r) => r.rows.history)];
    for (const history of histories) {
      for (const event of history.value?.events ?? []) {
        if (isResetMarker(event) && attr(event, 'base_run_id') === runId) {
          const reason = attr(event, 'failure.message');
          if (typeof reason === 'string') return reason;
        }
      }
    }
    return undefined;
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
      async () => (await services.client()).getHistory(executionId, { runId }),
      () => services.eventsPageSize(),
    );
    this.rows = new HistoryRows(this, history, { executionId, runId, latest: false }, services);
  }

  get reason(): string | undefined {
    const fromMarkers = this.run.runId ? this.group.resetReason(this.run.runId) : undefined;
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
    item.description = [statusText(this.run.status), started, reason ? `reset: ${oneLine(reason, 80)}` : '']
      .filter(Boolean)
      .join(' · ');
    item.iconPath = statusIcon(this.run.status);
    item.contextValue = 'run +earlier';
    return item;
  }

  override resolveTooltip(): vscode.MarkdownString {
    return tooltip(`Run ${this.run.runId ?? ''}`, [
      ['Status', statusText(this.run.status)],
      ['Started', formatTime(this.run.startTime)],
      ['Ended', formatTime(this.run.endTime)],
      ['Ended by reset', this.reason],
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
