import * as vscode from 'vscode';
import { pendingWork } from '../api';
import type { PendingWork } from '../api';
import type { StepGrouping } from '../api';
import type { WorkflowEvent } from '../api/types';
import { FIXED_CONTEXT_VALUES, pendingItemContextValue, type ContextValue } from './contextValues';
import { MessageNode, TreeNode } from './node';
import { PendingLine, pendingLines, pendingSummary } from './stepText';

const LINE_ICONS: Record<PendingLine['kind'], string> = {
  activity: 'symbol-method',
  timer: 'clock',
  child: 'type-hierarchy-sub',
  update: 'edit',
  signal: 'bell',
  nexus: 'plug',
};

/**
 * “Pending: 2 activities, 1 timer…”, the first row of a running execution: what the workflow waits on,
 * read from its history (the steps' grouping, shared with the steps view). Expands into one row each.
 */
export class PendingNode extends TreeNode {
  private work: PendingWork;

  constructor(
    readonly owner: TreeNode,
    /** The execution id, for Show Call Stack on this row. */
    readonly executionId: string,
    events: readonly WorkflowEvent[],
    grouping: StepGrouping,
  ) {
    super(`${owner.id}/pending`, owner);
    this.work = pendingWork(events, grouping);
  }

  /** The same node across refreshes: only what it shows changes. */
  update(events: readonly WorkflowEvent[], grouping: StepGrouping): void {
    this.work = pendingWork(events, grouping);
  }

  /** The history ends with the run closed (its row is not shown then). */
  get closed(): boolean {
    return this.work.closed;
  }

  get itemCount(): number {
    const w = this.work;
    return w.activities.length + w.timers.length + w.children.length + w.updates.length + w.signals.length + w.nexusOperations.length;
  }

  getTreeItem(): vscode.TreeItem {
    const label = pendingSummary(this.work);
    const item = new vscode.TreeItem(label, this.itemCount > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('watch', new vscode.ThemeColor('charts.blue'));
    item.contextValue = this.contextValue;
    item.tooltip =
      'What the workflow waits on, from its history: activities without a result, open timers, child workflows not closed, ' +
      'updates accepted and not completed, Nexus operations without an outcome. A retrying activity shows its attempt only once the history records one.';
    return item;
  }

  get contextValue(): ContextValue {
    return FIXED_CONTEXT_VALUES.pending;
  }

  override getChildren(): TreeNode[] {
    return pendingLines(this.work).map(
      (line, i) =>
        new MessageNode(`${this.id}/${i}`, this, line.label, {
          icon: new vscode.ThemeIcon(LINE_ICONS[line.kind]),
          tooltip: `${line.label}\n${line.description}`,
          contextValue: pendingItemContextValue(line.kind),
          description: line.description,
        }),
    );
  }
}
