import * as vscode from 'vscode';
import { applyFilter, type FilterServices } from './filterExecutions';
import { focusViewCommand, VIEW_IDS } from './ids';

/**
 * The status bar's stuck count, clicked (or the palette): the Stuck filter alone among the statuses,
 * the workflow, search and query kept (the count was of the rows they listed), and the view shown.
 */
export async function showStuckExecutions(services: FilterServices): Promise<void> {
  await applyFilter(services, { ...services.tree.filter, statuses: [], stuck: true });
  await vscode.commands.executeCommand(focusViewCommand(VIEW_IDS.executions));
}
