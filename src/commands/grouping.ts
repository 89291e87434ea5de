import * as vscode from 'vscode';
import type { Grouping } from '../tree/services';
import type { Services } from '../services';
import { CONTEXT_KEYS } from './ids';

/** Where the folder's choice is kept (workspaceState); the view title's toggle reads CONTEXT_KEYS.grouping. */
const GROUPING_KEY = 'mistralWorkflows.grouping';

/** Where the choice is kept (the folder's workspaceState) and the tree that shows it. */
type GroupingServices = Pick<Services, 'context' | 'tree'>;

/** View title: the view's roots become problem groups (failed, timed-out and stuck executions), remembered for this folder. */
export async function groupByProblem(services: GroupingServices): Promise<void> {
  await applyGrouping(services, 'problems');
}

/** View title: back to every execution, one row each. */
export async function showAllExecutions(services: GroupingServices): Promise<void> {
  await applyGrouping(services, 'executions');
}

async function applyGrouping(services: GroupingServices, grouping: Grouping): Promise<void> {
  await services.context.workspaceState.update(GROUPING_KEY, grouping);
  await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.grouping, grouping);
  services.tree.setGrouping(grouping);
}

/** At activation: the grouping this folder had last time (every execution unless problems was chosen). */
export function restoreGrouping(services: GroupingServices): void {
  const grouping: Grouping = services.context.workspaceState.get(GROUPING_KEY) === 'problems' ? 'problems' : 'executions';
  services.tree.setGrouping(grouping);
  void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.grouping, grouping);
}
