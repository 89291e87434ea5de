/**
 * Group by Problem's row: one incident (executions of a workflow that failed, or are stuck, in the
 * same step with the same masked error), expanding into those executions' usual rows.
 */
import * as vscode from 'vscode';
import type { ProblemGroup } from '../incidents';
import { FIXED_CONTEXT_VALUES, type ContextValue } from './contextValues';
import type { ExecutionNode } from './executionNode';
import { STUCK_ICON } from './icons';
import { formatTime, problemDescription, problemLabel } from './labels';
import { tooltip } from './markdown';
import { TreeNode } from './node';

export class ProblemGroupNode extends TreeNode {
  constructor(
    readonly group: ProblemGroup,
    /** The group's executions, oldest first, as the view's own rows. */
    readonly executions: readonly ExecutionNode[],
  ) {
    super(`problem/${group.key}`, undefined);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(problemLabel(this.group), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = problemDescription(this.group);
    item.iconPath = this.group.unreadable !== undefined
      ? new vscode.ThemeIcon('question', new vscode.ThemeColor('list.warningForeground'))
      : this.group.stuckCount > 0 ? STUCK_ICON : new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    item.contextValue = this.contextValue;
    item.accessibilityInformation = { label: `${problemLabel(this.group)}, ${problemDescription(this.group)}` };
    return item;
  }

  get contextValue(): ContextValue {
    return this.group.unreadable === undefined ? FIXED_CONTEXT_VALUES.problem : FIXED_CONTEXT_VALUES.unreadableProblem;
  }

  override resolveTooltip(): vscode.MarkdownString {
    const g = this.group;
    return tooltip(problemLabel(g), [
      ['Why it could not be read', g.unreadable],
      ['Error type', g.errorType],
      ['Problem', g.maskedMessage],
      ['Latest example', g.latest.exampleMessage],
      ['Latest execution', g.latest.executionId],
      ['Executions', String(g.count)],
      ['Stuck', g.stuckCount > 0 ? `${g.stuckCount} running and stuck` : undefined],
      ['First seen', g.firstSeen === undefined ? undefined : formatTime(g.firstSeen)],
      ['Last seen', g.lastSeen === undefined ? undefined : formatTime(g.lastSeen)],
      ['Deployments', g.deployments.length > 0 ? g.deployments.join(', ') : undefined],
    ]);
  }

  override getChildren(): TreeNode[] {
    return [...this.executions];
  }
}
