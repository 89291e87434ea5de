import type { Grouping } from '../tree/services';
import type { Services } from '../services';
import { restoreChoice, saveChoice, type FolderChoice } from './folderChoice';
import { CONTEXT_KEYS } from './ids';

const GROUPING: FolderChoice<Grouping> = {
  stateKey: 'mistralWorkflows.grouping',
  contextKey: CONTEXT_KEYS.grouping,
  fallback: 'executions',
  values: ['executions', 'problems'],
};

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
  await saveChoice(services.context.workspaceState, GROUPING, grouping);
  services.tree.setGrouping(grouping);
}

/** At activation: the grouping this folder had last time (every execution unless problems was chosen). */
export function restoreGrouping(services: GroupingServices): void {
  services.tree.setGrouping(restoreChoice(services.context.workspaceState, GROUPING));
}
