import * as vscode from 'vscode';
import type { Services } from '../services';

/** A bound, so that “Load all” on a busy workspace cannot fill memory or hammer the API. */
const LOAD_ALL_CAP = 5_000;

/** Loads every remaining page of executions, up to LOAD_ALL_CAP, with progress and Cancel. */
export async function loadAllExecutions(services: Pick<Services, 'tree' | 'log' | 'ui'>): Promise<number> {
  const count = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Loading all executions', cancellable: true },
    (progress, token) =>
      services.tree.loadAllExecutions(LOAD_ALL_CAP, token, (loaded) => progress.report({ message: `${loaded.toLocaleString('en')} loaded` })),
  );
  const capped = count >= LOAD_ALL_CAP && services.tree.hasMoreExecutions;
  services.log.info('tree', `Load all: ${count} executions${capped ? ` (stopped at the cap of ${LOAD_ALL_CAP})` : ''}.`);
  if (capped) {
    void services.ui.notify('info', `Loaded the first ${LOAD_ALL_CAP.toLocaleString('en')} executions. Use Filter Executions… to narrow the list.`);
  }
  return count;
}
