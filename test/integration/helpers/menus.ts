import * as vscode from 'vscode';
import { VIEW_IDS } from '../../../src/commands/ids';
import type { TreeNode } from '../../../src/tree/node';
import { EXTENSION_ID } from './env';
import { evaluateWhen } from './whenClause';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

/** The extension's `view/item/context` menu entries, as contributed in package.json. */
export function contextMenu(): MenuEntry[] {
  const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { menus: Record<string, MenuEntry[]> } };
  return pkg.contributes.menus['view/item/context'];
}

/** The commands whose context-menu (or inline) entries VS Code would show on `node`. */
export function menuCommandsFor(node: TreeNode): string[] {
  const viewItem = node.getTreeItem().contextValue;
  return contextMenu()
    .filter((entry) => evaluateWhen(entry.when ?? 'true', { view: VIEW_IDS.executions, viewItem }))
    .map((entry) => entry.command);
}
