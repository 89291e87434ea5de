import * as vscode from 'vscode';
import type { HistoryMode } from '../tree/services';
import type { Services } from '../services';
import { CONTEXT_KEYS } from './ids';

/** Where the folder's choice is kept (workspaceState); the view title's toggle reads CONTEXT_KEYS.historyMode. */
const HISTORY_MODE_KEY = 'mistralWorkflows.historyMode';

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
  await services.context.workspaceState.update(HISTORY_MODE_KEY, mode);
  await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.historyMode, mode);
  services.tree.setHistoryMode(mode);
}

/** At activation: the view this folder had last time (events unless steps was chosen). */
export function restoreHistoryMode(services: HistoryModeServices): void {
  const mode: HistoryMode = services.context.workspaceState.get(HISTORY_MODE_KEY) === 'steps' ? 'steps' : 'events';
  services.tree.setHistoryMode(mode);
  void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.historyMode, mode);
}
