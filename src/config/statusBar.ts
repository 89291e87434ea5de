import * as vscode from 'vscode';
import type { Connection } from './connection';
import { workspaceTitle } from './workspaceList';
import { COMMAND_IDS } from '../commands/ids';

/** Shows the active workspace and its kind (Mistral, Temporal); warning colours when it is a production one. Click to switch. */
export function createWorkspaceStatusBar(connection: Connection): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('mistralWorkflows.workspace', vscode.StatusBarAlignment.Left, 20);
  item.name = 'Mistral Workflows workspace';
  item.command = COMMAND_IDS.selectWorkspace;
  const update = (): void => {
    const workspace = connection.currentWorkspace();
    const kind = workspace.kind === 'temporal' ? `Temporal cluster, namespace ${workspace.namespace ?? 'default'}` : 'Mistral workspace';
    item.text = `$(${workspace.production ? 'warning' : 'organization'}) ${workspaceTitle(workspace)}`;
    item.tooltip = `${kind} “${workspace.name}” (${workspace.baseUrl})${workspace.production ? ' — production' : ''}. Click to switch.`;
    item.backgroundColor = workspace.production ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  update();
  const subscription = connection.onDidChange(update);
  return vscode.Disposable.from(item, subscription);
}
