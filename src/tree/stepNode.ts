import * as vscode from 'vscode';
import { stepLabel } from '../api/stepLabels';
import type { HistoryStep } from '../api/step';
import type { EventNode, RunRef } from './eventNode';
import { stepContextValue, type ContextValue } from './contextValues';
import { BUSY_ICON, stepIcon } from './icons';
import { tooltip } from './markdown';
import { TreeNode } from './node';
import { ARRIVING, isFailedStatus, stepDescription, stepTooltipRows } from './stepText';

/**
 * One step of a run in the steps view (an activity with its retries, a timer, a signal...). Its children
 * are its raw events, made by the rows that own it so that they stay the same nodes across refreshes.
 */
export class StepNode extends TreeNode {
  busy: string | undefined;

  constructor(
    id: string,
    /** The run's node (ExecutionNode or RunNode). */
    readonly owner: TreeNode,
    readonly run: RunRef,
    private current: HistoryStep,
    private readonly eventRows: (step: StepNode) => EventNode[],
    /** Open in a history whose rest is still arriving: it may be finished in events not read yet. */
    private arriving = false,
  ) {
    super(id, owner);
  }

  get step(): HistoryStep {
    return this.current;
  }

  /** Shows `step`, the same step in a newer grouping (more of the history has arrived). */
  show(step: HistoryStep, arriving: boolean): void {
    this.current = step;
    this.arriving = arriving;
  }

  /** `step +activity +failed +latest`: matched by regex in the menus' `when` clauses. */
  get contextValue(): ContextValue {
    return stepContextValue({ kind: this.step.kind, failed: isFailedStatus(this.step.status), latest: this.run.latest });
  }

  getTreeItem(): vscode.TreeItem {
    const label = stepLabel(this.step);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const description = this.arriving ? `${stepDescription(this.step)} · ${ARRIVING}` : stepDescription(this.step);
    item.description = this.busy ?? description;
    item.iconPath = this.busy || this.arriving ? BUSY_ICON : stepIcon(this.step.status);
    item.contextValue = this.contextValue;
    item.accessibilityInformation = { label: `Step ${label} ${description}`.trim() };
    return item;
  }

  override resolveTooltip(): vscode.MarkdownString {
    const rows = stepTooltipRows(this.step);
    if (this.arriving) rows.push(['History', 'still arriving: this step may have more events']);
    if (this.run.latest) rows.push(['Reset', 'right-click → Reset to Before This Step…']);
    return tooltip(stepLabel(this.step), rows);
  }

  override getChildren(): TreeNode[] {
    return this.eventRows(this);
  }
}
