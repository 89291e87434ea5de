/**
 * The replay check's word in the reset confirmation: the verdict for the chosen point when a check of
 * this run exists; otherwise the check run by itself (the `replayCheck.beforeReset` setting, a
 * trusted folder that defines the workflow), or offered as “Check Replay First”. It never blocks a
 * reset: a check that cannot run or is cancelled is a line in the confirmation, not an error.
 */
import * as vscode from 'vscode';
import type { WorkflowEvent } from '../api';
import type { Execution } from '../api/types';
import type { Services } from '../services';
import { UserCancelled, userMessage } from '../common/errors';
import { verdictForPoint } from '../replay';
import { runReplayCheck, type CheckDeps } from './runCheck';

export interface ReplayNote {
  text: string;
  /** The check could run but has not: the confirmation offers “Check Replay First”. */
  offerCheck: boolean;
}

/** What the replay note uses: the check's own services, and the tree to show its marks. */
export type ReplayNoteDeps = CheckDeps & Pick<Services, 'tree'>;

/** `auto`: may run the check by itself (per the setting); `now`: the user asked for it. */
export async function replayNoteFor(deps: ReplayNoteDeps, execution: Execution, point: WorkflowEvent, run: 'auto' | 'now'): Promise<ReplayNote | undefined> {
  const existing = deps.checks.get(execution.executionId, execution.runId);
  if (existing && run === 'auto') return { text: verdictForPoint(existing, point).text, offerCheck: false };
  if (!vscode.workspace.isTrusted) return { text: 'Your code was not checked against this history: the replay check runs only in trusted folders.', offerCheck: false };
  if (!(await definesWorkflow(deps, execution.workflowName))) return undefined;
  if (run === 'auto' && !deps.settings.replayCheckBeforeReset()) return { text: 'Your code has not been checked against this history yet.', offerCheck: true };
  try {
    const check = await runReplayCheck(deps, { executionId: execution.executionId, runId: execution.runId, latest: true, workflowName: execution.workflowName });
    deps.tree.refresh();
    return { text: verdictForPoint(check, point).text, offerCheck: false };
  } catch (error) {
    if (error instanceof UserCancelled) return { text: 'The replay check was cancelled: your code was not checked against this history.', offerCheck: true };
    deps.log.error('replay', 'The replay check before the reset failed.', error);
    return { text: `The replay check could not run: ${userMessage(error)}`, offerCheck: false };
  }
}

async function definesWorkflow(deps: Pick<Services, 'definitions'>, workflowName: string): Promise<boolean> {
  if (!workflowName || !vscode.workspace.workspaceFolders?.length) return false;
  return (await deps.definitions.find('workflow', workflowName)).definitions.length > 0;
}
