import * as vscode from 'vscode';
import { inertLinks } from '../common/notificationText';
import { oneLine } from '../common/text';
import type { CheckedRun } from '../replay';
import { runReplayCheck, type CheckDeps, type CheckTarget } from '../replayUi/runCheck';
import { showReplayReport } from '../replayUi/openReport';
import { ExecutionNode } from '../tree/executionNode';
import { RunNode } from '../tree/runNodes';
import { pickExecutionId } from './pickExecution';
import type { Services } from '../services';
import { COMMAND_IDS } from './ids';

/**
 * Check Workflow Code Against History: on an execution (its latest run), an earlier run, or from the
 * palette with an execution id. Marks the run's reset points in the tree and says the verdict, with
 * Reset to Last Safe Point… and the report one click away. A failure of the check itself is a
 * message with what to do, never a verdict.
 */
export async function checkReplayCommand(services: CheckDeps & Pick<Services, 'treeView' | 'tree' | 'ui' | 'eventDocuments'>, arg?: unknown): Promise<CheckedRun> {
  const node = arg ?? services.treeView.selection[0];
  const { target, refresh } = await targetOf(services, node);
  const check = await runReplayCheck(services, target);
  services.tree.refresh(refresh);
  // Not awaited: the command ends with the check; the notification's buttons act later.
  tell(services, check, refresh instanceof ExecutionNode ? refresh : undefined).catch((e: unknown) => services.log.error('replay', 'The replay check’s follow-up failed.', e));
  return check;
}

async function targetOf(services: Pick<Services, 'tree' | 'ui'>, node: unknown): Promise<{ target: CheckTarget; refresh: ExecutionNode | RunNode }> {
  if (node instanceof RunNode) {
    return { target: { executionId: node.run.executionId, runId: node.run.runId, latest: false, workflowName: node.run.workflowName }, refresh: node };
  }
  const execution = node instanceof ExecutionNode
    ? node
    : await services.tree.openExecution(typeof node === 'string' ? node : await pickExecutionId(services, 'Check Workflow Code Against History'));
  const e = execution.execution;
  return { target: { executionId: e.executionId, runId: e.runId, latest: true, workflowName: e.workflowName }, refresh: execution };
}

async function tell(services: Pick<Services, 'ui' | 'eventDocuments' | 'definitions'>, check: CheckedRun, execution: ExecutionNode | undefined): Promise<void> {
  const result = check.result;
  const reset = execution ? ['Reset to Last Safe Point…'] : [];
  let choice: string | undefined;
  const ran = `Checked with ${check.interpreter.description}.`;
  if (result.outcome === 'failed') {
    const open = result.file !== undefined ? ['Open File'] : [];
    choice = await services.ui.notify('warning', inertLinks(`The replay check could not run: ${result.message} ${result.whatToDo}`), ...open, 'Show Report');
    if (choice === 'Open File' && result.file !== undefined) {
      await openAt(result.file, result.line);
      return;
    }
  } else if (result.outcome === 'clean') {
    choice = await services.ui.notify('info', inertLinks(`Your code replays ${check.executionId} cleanly (${result.replayedEvents} events): every reset point is safe. ${ran}`), ...reset, 'Show Report');
  } else {
    choice = await services.ui.notify('warning', inertLinks(`Your code diverges from ${check.executionId} at event ${result.eventId}: reset points from there on would fail again. ${oneLine(result.message, 200)} ${ran}`), ...reset, 'Show Report');
  }
  if (choice === 'Show Report') await showReplayReport(services, check);
  if (choice === 'Reset to Last Safe Point…' && execution) {
    await vscode.commands.executeCommand(COMMAND_IDS.resetToLastSafePoint, execution);
  }
}

async function openAt(file: string, line: number | undefined): Promise<void> {
  const position = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(position, position) });
}

