import type * as vscode from 'vscode';
import { firstResetPoint, lastResetPoint, resetPoints } from '../api';
import type { WorkflowEvent } from '../api/types';
import { UserCancelled, UserFacingError } from '../common/errors';
import { resetPointItems } from '../reset/prompts';
import { runResetFlow, type ResetFlowServices } from '../reset/flow';
import { ExecutionNode } from '../tree/executionNode';
import { formatTime } from '../tree/labels';
import { pickExecutionId } from './pickExecution';

interface PointItem extends vscode.QuickPickItem {
  event?: WorkflowEvent;
}

/** Palette: an execution (typed, pasted or picked), then a reset point, then the usual flow. */
export async function resetExecution(services: ResetFlowServices, arg?: unknown): Promise<void> {
  const executionId =
    arg instanceof ExecutionNode ? arg.executionId : typeof arg === 'string' ? arg : await pickExecutionId(services, 'Reset Execution');
  const node = await services.tree.openExecution(executionId);
  const history = await node.rows.history.load();
  const points = resetPoints(history.events, { latestRun: true });
  if (points.length === 0) {
    throw new UserFacingError(`The latest run of ${executionId} has no WORKFLOW_TASK_COMPLETED event yet, so there is no point to reset to.`);
  }
  const first = firstResetPoint(history.events);
  const last = lastResetPoint(history.events);
  const shortcuts: PointItem[] = [];
  if (first) shortcuts.push({ label: '$(debug-step-back) First workflow task', description: `event ${first.idText} · ${formatTime(first.time)}`, detail: 'Replays the whole execution with the latest code', event: first });
  if (last) shortcuts.push({ label: '$(debug-step-over) Last workflow task', description: `event ${last.idText} · ${formatTime(last.time)}`, detail: 'Redoes only the work after the last completed workflow task', event: last });
  const items: PointItem[] = [...shortcuts, { label: 'All reset points', kind: -1 as vscode.QuickPickItemKind.Separator }, ...resetPointItems(history.events, points)];
  const picked = await services.ui.pickOne(items, {
    title: `Reset ${node.execution.workflowName} (${executionId}): choose the reset point`,
    placeHolder: 'A WORKFLOW_TASK_COMPLETED event of the latest run; everything after it is discarded',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked?.event) throw new UserCancelled();
  const pointNode = picked.event.eventId === undefined ? undefined : await node.rows.nodeFor(picked.event.eventId);
  await runResetFlow(services, { execution: node.execution, events: history.events, point: picked.event, node, pointNode });
}
