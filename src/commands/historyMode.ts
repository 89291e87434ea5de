import type { HistoryMode } from '../tree/services';
import type { Services } from '../services';
import { restoreChoice, saveChoice, type FolderChoice } from './folderChoice';
import { CONTEXT_KEYS } from './ids';

const HISTORY_MODE: FolderChoice<HistoryMode> = {
  stateKey: 'mistralWorkflows.historyMode',
  contextKey: CONTEXT_KEYS.historyMode,
  fallback: 'events',
  values: ['events', 'steps'],
};

/** Where the choice is kept (the folder's workspaceState) and the tree that shows it. */
type HistoryModeServices = Pick<Services, 'context' | 'tree'>;

/** View title: show every run's history as steps, and remember that for this folder. */
export async function showSteps(services: HistoryModeServices): Promise<void> {
  await applyHistoryMode(services, 'steps');
}

/** View title: back to the raw events. */
export async function showEvents(services: HistoryModeServices): Promise<void> {
  await applyHistoryMode(services, 'events');
}

async function applyHistoryMode(services: HistoryModeServices, mode: HistoryMode): Promise<void> {
  await saveChoice(services.context.workspaceState, HISTORY_MODE, mode);
  services.tree.setHistoryMode(mode);
}

/** At activation: the view this folder had last time (events unless steps was chosen). */
export function restoreHistoryMode(services: HistoryModeServices): void {
  services.tree.setHistoryMode(restoreChoice(services.context.workspaceState, HISTORY_MODE));
}
