import * as vscode from 'vscode';
import { stepLabel } from '../api/stepLabels';
import type { HistoryStep } from '../api/step';
import type { EventNode, RunRef } from './eventNode';
import { BUSY_ICON, stepIcon } from './icons';
import { tooltip } from './markdown';
import { TreeNode } from './node';
import { isFailedStatus, stepDescription, stepTooltipRows } from './stepText';

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
    readonly step: HistoryStep,
    private readonly eventRows: (step: StepNode) => EventNode[],
  ) {
    super(id, owner);
  }

  /** `step +activity +failed +latest`: matched by regex in the menus' `when` clauses. */
  get contextValue(): string {
    return ['step', `+${this.step.kind}`, isFailedStatus(this.step.status) ? '+failed' : '', this.run.latest ? '+latest' : '+earlier']
      .filter(Boolean)
      .join(' ');
  }

  getTreeItem(): vscode.TreeItem {
    const label = stepLabel(this.step);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const description = stepDescription(this.step);
    item.description = this.busy ?? description;
    item.iconPath = this.busy ? BUSY_ICON : stepIcon(this.step.status);
    item.contextValue = this.contextValue;
    item.accessibilityInformation = { label: `Step ${label} ${description}`.trim() };
    return item;
  }

  override resolveTooltip(): vscode.MarkdownString {
    const rows = stepTooltipRows(this.step);
    if (this.run.latest) rows.push(['Reset', 'right-click → Reset to Before This Step…']);
    return tooltip(stepLabel(this.step), rows);
  }

  override getChildren(): TreeNode[] {
    return this.eventRows(this);
  }
}
