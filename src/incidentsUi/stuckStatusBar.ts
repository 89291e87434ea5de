/**
 * The status bar's count of stuck runs, beside the workspace item: of the running executions the
 * Executions view has listed for the active workspace, those found stuck. Shown only when there is
 * one; a click applies the Stuck filter. It lives here rather than beside the workspace item in
 * `src/config/statusBar.ts` because it counts the tree's rows and their stuck marks: `src/config` sits
 * below the tree and the incidents, and knows neither.
 */
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../commands/ids';
import type { Services } from '../services';
import { isStillGoing } from './problemReader';

/** Just right of the workspace item (priority 20: a lower priority sits further right). */
const PRIORITY = 19;

export function createStuckStatusBar(services: Pick<Services, 'tree' | 'connection'>): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('mistralWorkflows.stuck', vscode.StatusBarAlignment.Left, PRIORITY);
  item.name = 'Mistral Workflows stuck executions';
  return vscode.Disposable.from(item, showStuckCount(item, services));
}

/** Keeps `item` on the count: its text, tooltip and command, shown only above zero. */
export function showStuckCount(item: Pick<vscode.StatusBarItem, 'text' | 'tooltip' | 'command' | 'show' | 'hide'>, services: Pick<Services, 'tree' | 'connection'>): vscode.Disposable {
  const { tree, connection } = services;
  item.command = COMMAND_IDS.showStuck;
  const update = (): void => {
    // The tree's rows are those of the active workspace: a switch drops them (and so the count) at once.
    const listed = tree.executions;
    const stuck = listed.filter((n) => n.stuck !== undefined).length;
    if (stuck === 0) {
      item.hide();
      return;
    }
    const running = listed.filter((n) => isStillGoing(n.execution)).length;
    const workspace = connection.currentWorkspace().name;
    item.text = `$(debug-pause) ${stuck} stuck`;
    item.tooltip = `Workspace “${workspace}”: ${stuck} of the ${running} running execution${running === 1 ? '' : 's'} the Executions view has listed ${stuck === 1 ? 'is' : 'are'} stuck (a workflow task failing, or an activity retrying). Click to show only the stuck ones.`;
    item.show();
  };
  update();
  return vscode.Disposable.from(tree.onDidChangeStuck(update), connection.onDidChange(update));
}
