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
import { COMMAND_IDS, type CommandId } from './ids';
import { showEvents, showSteps } from './historyMode';
import { groupByProblem, showAllExecutions } from './grouping';
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
import { showStuckExecutions } from './showStuck';
import { showWorkflowExecutions } from './showWorkflowExecutions';
import { showReplayReportCommand } from './showReplayReport';
import { showResetHistory } from './showResetHistory';

type Handler = (services: Services, ...args: unknown[]) => Promise<unknown>;

/**
 * The handler of every command the extension contributes. Keyed by CommandId, so the compiler
 * rejects an unknown id and a command without a handler; a test checks the ids against package.json.
 */
export const COMMANDS: Readonly<Record<CommandId, Handler>> = {
  [COMMAND_IDS.resetToHere]: resetToHere,
  [COMMAND_IDS.resetExecution]: resetExecution,
  [COMMAND_IDS.openExecution]: openExecution,
  [COMMAND_IDS.refresh]: refresh,
  [COMMAND_IDS.filterExecutions]: filterExecutions,
  [COMMAND_IDS.clearFilter]: clearFilter,
  [COMMAND_IDS.setApiKey]: setApiKey,
  [COMMAND_IDS.clearApiKey]: clearApiKey,
  [COMMAND_IDS.selectWorkspace]: selectWorkspace,
  [COMMAND_IDS.addWorkspace]: addWorkspace,
  [COMMAND_IDS.copyExecutionId]: copyExecutionId,
  [COMMAND_IDS.showEventDetails]: showEventDetails,
  [COMMAND_IDS.showLog]: showLog,
  [COMMAND_IDS.loadMore]: loadMore,
  [COMMAND_IDS.loadAllExecutions]: loadAllExecutions,
  [COMMAND_IDS.retryNode]: retryNode,
  [COMMAND_IDS.allowKeyOrigin]: allowKeyOrigin,
  [COMMAND_IDS.watchExecution]: watchExecution,
  [COMMAND_IDS.unwatchExecution]: unwatchExecution,
  [COMMAND_IDS.goToSource]: goToSource,
  [COMMAND_IDS.showWorkflowExecutions]: showWorkflowExecutions,
  [COMMAND_IDS.resetBeforeStep]: resetBeforeStep,
  [COMMAND_IDS.copyResetAsPython]: copyResetAsPython,
  [COMMAND_IDS.copyResetAsCurl]: copyResetAsCurl,
  [COMMAND_IDS.showResetHistory]: showResetHistory,
  [COMMAND_IDS.compareWithPreviousRun]: compareWithPreviousRun,
  [COMMAND_IDS.resetSelected]: resetSelected,
  [COMMAND_IDS.resetAllShown]: resetAllShown,
  [COMMAND_IDS.checkReplay]: checkReplayCommand,
  [COMMAND_IDS.resetToLastSafePoint]: resetToLastSafePoint,
  [COMMAND_IDS.showReplayReport]: showReplayReportCommand,
  [COMMAND_IDS.showSteps]: showSteps,
  [COMMAND_IDS.showEvents]: showEvents,
  [COMMAND_IDS.findInHistory]: findInHistory,
  [COMMAND_IDS.clearFind]: clearFind,
  [COMMAND_IDS.showCallStack]: showCallStack,
  [COMMAND_IDS.groupByProblem]: groupByProblem,
  [COMMAND_IDS.showAllExecutions]: showAllExecutions,
  [COMMAND_IDS.showStuck]: showStuckExecutions,
};

/** Registers the whole typed set of ids, each with its handler from COMMANDS. */
export function registerCommands(services: Services): vscode.Disposable[] {
  return Object.values(COMMAND_IDS).map((id) => {
    const handler = COMMANDS[id];
    return vscode.commands.registerCommand(id, (...args: unknown[]) => runCommand(services, id, () => handler(services, ...args)));
  });
}

/**
 * The one error wrapper: a cancel is silent; anything else is logged in full and shown once, with
 * the error's own actions and “Show Log”. The notification is not awaited, so the command ends.
 */
async function runCommand(services: Pick<Services, 'log' | 'ui'>, id: CommandId, body: () => Promise<unknown>): Promise<unknown> {
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
