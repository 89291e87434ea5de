import * as vscode from 'vscode';
import { UserCancelled, UserFacingError, userMessage } from '../common/errors';
import { inertLinks } from '../common/notificationText';
import { unwatchExecution, watchExecution } from '../live/watchCommands';
import { addWorkspace } from './addWorkspace';
import { allowKeyOrigin } from './allowKeyOrigin';
import { checkReplayCommand } from './checkReplay';
import { clearApiKey } from './clearApiKey';
import { clearFilter } from './clearFilter';
import { compareWithPreviousRun } from './compareWithPreviousRun';
import { copyExecutionId } from './copyExecutionId';
import { copyResetAsCurl, copyResetAsPython } from './copyResetAsCode';
import { filterExecutions } from './filterExecutions';
import { clearFind, findInHistory } from './findInHistory';
import { goToSource } from './goToSource';
import { showEvents, showSteps } from './historyMode';
import { loadAllExecutions } from './loadAllExecutions';
import { loadMore } from './loadMore';
import { openExecution } from './openExecution';
import { refresh } from './refresh';
import { resetBeforeStep } from './resetBeforeStep';
import { resetExecution } from './resetExecution';
import { resetAllShown, resetSelected } from './resetSelected';
import { resetToHere } from './resetToHere';
import { resetToLastSafePoint } from './resetToLastSafePoint';
import { retryNode } from './retryNode';
import type { Services } from '../services';
import { selectWorkspace } from './selectWorkspace';
import { setApiKey } from './setApiKey';
import { showCallStack } from './showCallStack';
import { showEventDetails } from './showEventDetails';
import { showLog } from './showLog';
import { showWorkflowExecutions } from './showWorkflowExecutions';
import { showReplayReportCommand } from './showReplayReport';
import { showResetHistory } from './showResetHistory';

type Handler = (services: Services, ...args: unknown[]) => Promise<unknown>;

/** Every command the extension contributes (a test checks this against package.json). */
export const COMMANDS: Readonly<Record<string, Handler>> = {
  'mistralWorkflows.resetToHere': resetToHere,
  'mistralWorkflows.resetExecution': resetExecution,
  'mistralWorkflows.openExecution': openExecution,
  'mistralWorkflows.refresh': refresh,
  'mistralWorkflows.filterExecutions': filterExecutions,
  'mistralWorkflows.clearFilter': clearFilter,
  'mistralWorkflows.setApiKey': setApiKey,
  'mistralWorkflows.clearApiKey': clearApiKey,
  'mistralWorkflows.selectWorkspace': selectWorkspace,
  'mistralWorkflows.addWorkspace': addWorkspace,
  'mistralWorkflows.copyExecutionId': copyExecutionId,
  'mistralWorkflows.showEventDetails': showEventDetails,
  'mistralWorkflows.showLog': showLog,
  'mistralWorkflows.loadMore': loadMore,
  'mistralWorkflows.loadAllExecutions': loadAllExecutions,
  'mistralWorkflows.retryNode': retryNode,
  'mistralWorkflows.allowKeyOrigin': allowKeyOrigin,
  'mistralWorkflows.watchExecution': watchExecution,
  'mistralWorkflows.unwatchExecution': unwatchExecution,
  'mistralWorkflows.goToSource': goToSource,
  'mistralWorkflows.showWorkflowExecutions': showWorkflowExecutions,
  'mistralWorkflows.resetBeforeStep': resetBeforeStep,
  'mistralWorkflows.copyResetAsPython': copyResetAsPython,
  'mistralWorkflows.copyResetAsCurl': copyResetAsCurl,
  'mistralWorkflows.showResetHistory': showResetHistory,
  'mistralWorkflows.compareWithPreviousRun': compareWithPreviousRun,
  'mistralWorkflows.resetSelected': resetSelected,
  'mistralWorkflows.resetAllShown': resetAllShown,
  'mistralWorkflows.checkReplay': checkReplayCommand,
  'mistralWorkflows.resetToLastSafePoint': resetToLastSafePoint,
  'mistralWorkflows.showReplayReport': showReplayReportCommand,
  'mistralWorkflows.showSteps': showSteps,
  'mistralWorkflows.showEvents': showEvents,
  'mistralWorkflows.findInHistory': findInHistory,
  'mistralWorkflows.clearFind': clearFind,
  'mistralWorkflows.showCallStack': showCallStack,
};

export function registerCommands(services: Services): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => runCommand(services, id, () => handler(services, ...args))),
  );
}

/**
 * The one error wrapper: a cancel is silent; anything else is logged in full and shown once, with
 * the error's own actions and “Show Log”. The notification is not awaited, so the command ends.
 */
async function runCommand(services: Services, id: string, body: () => Promise<unknown>): Promise<unknown> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UserCancelled) {
      services.log.info('command', `${id}: cancelled.`);
      return undefined;
    }
    services.log.error('command', `${id} failed.`, error);
    const actions = error instanceof UserFacingError ? error.actions : [];
    const message = inertLinks(services.log.redact(userMessage(error)));
    void services.ui.notify('error', message, ...actions.map((a) => a.title), 'Show Log').then(async (choice) => {
      if (choice === 'Show Log') services.log.show();
      const action = actions.find((a) => a.title === choice);
      if (action) await vscode.commands.executeCommand(action.command, ...(action.args ?? []));
    });
    return undefined;
  }
}
