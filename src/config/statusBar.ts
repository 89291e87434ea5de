import * as vscode from 'vscode';
import type { Connection } from './connection';

/** Shows the active Mistral workspace; warning colours when it is a production one. Click to switch. */
export function createWorkspaceStatusBar(connection: Connection): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('mistralWorkflows.workspace', vscode.StatusBarAlignment.Left, 20);
  item.name = 'Mistral Workflows workspace';
  item.command = 'mistralWorkflows.selectWorkspace';
  const update = (): void => {
    const workspace = connection.currentWorkspace();
    item.text = `$(${workspace.production ? 'warning' : 'organization'}) Mistral: ${workspace.name}`;
    item.tooltip = `Mistral workspace “${workspace.name}” (${workspace.baseUrl})${workspace.production ? ' — production' : ''}. Click to switch.`;
    item.backgroundColor = workspace.production ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  update();
  const subscription = connection.onDidChange(update);
  return vscode.Disposable.from(item, subscription);
}
