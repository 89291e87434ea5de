import * as vscode from 'vscode';
import { isWorkflowsApiError } from '../api';
import { COMMAND_IDS } from '../commands/ids';
import { FIXED_CONTEXT_VALUES, type ContextValue } from './contextValues';

/** Base of every node in the Executions view: a stable id (so `reveal` works) and a parent link. */
export abstract class TreeNode {
  constructor(
    readonly id: string,
    readonly parent: TreeNode | undefined,
  ) {}

  abstract getTreeItem(): vscode.TreeItem;

  /** The row's `contextValue`, which the menus' `viewItem` clauses match: made in ./contextValues only. */
  abstract get contextValue(): ContextValue;

  getChildren(): TreeNode[] | Promise<TreeNode[]> {
    return [];
  }

  /** Expensive tooltip parts, built only when the user hovers. */
  resolveTooltip(): vscode.MarkdownString | undefined {
    return undefined;
  }
}

/** A row that says something: an error (with a Retry or Set API Key action), an empty state, a hint. */
export class MessageNode extends TreeNode {
  constructor(
    id: string,
    parent: TreeNode | undefined,
    private readonly message: string,
    private readonly options: {
      icon?: vscode.ThemeIcon;
      command?: vscode.Command;
      tooltip?: string;
      contextValue?: ContextValue;
      description?: string;
    } = {},
  ) {
    super(id, parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.message, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = this.options.icon;
    item.command = this.options.command;
    item.description = this.options.description;
    item.tooltip = this.options.tooltip ?? this.message;
    item.contextValue = this.contextValue;
    return item;
  }

  get contextValue(): ContextValue {
    return this.options.contextValue ?? FIXED_CONTEXT_VALUES.message;
  }
}

export function errorNode(id: string, parent: TreeNode | undefined, message: string, command: vscode.Command): MessageNode {
  return new MessageNode(id, parent, message, {
    icon: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
    command,
    tooltip: `${message}\n\nClick to ${command.title.toLowerCase()}.`,
    contextValue: FIXED_CONTEXT_VALUES.errorMessage,
  });
}

/** “Load more”: its command asks the owner for one more page. */
export class LoadMoreNode extends TreeNode {
  constructor(
    id: string,
    parent: TreeNode | undefined,
    private readonly label: string,
    readonly loadMore: () => Promise<void>,
  ) {
    super(id, parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = this.contextValue;
    item.command = { command: COMMAND_IDS.loadMore, title: 'Load More', arguments: [this] };
    return item;
  }

  get contextValue(): ContextValue {
    return FIXED_CONTEXT_VALUES.loadMore;
  }
}

/**
 * What an error row offers: “Set API Key” when the key was refused, the workspace settings when the TLS
 * handshake failed in a way they fix (a CA, a server name, a client certificate), otherwise the given retry.
 */
export function actionFor(error: unknown, retry: vscode.Command): vscode.Command {
  if (isWorkflowsApiError(error) && (error.status === 401 || error.status === 403)) {
    return { command: COMMAND_IDS.setApiKey, title: 'Set API Key' };
  }
  if (isWorkflowsApiError(error) && error.tls !== undefined && error.tls !== 'expired') {
    return { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['mistralWorkflows.workspaces'] };
  }
  return retry;
}
