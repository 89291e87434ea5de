import { UserFacingError } from '../common/errors';
import { lastSafePoint, verdictOf } from '../replay';
import { runResetFlow, type ResetFlowServices } from '../reset/flow';
import { runReplayCheck } from '../replayUi/runCheck';
import { ExecutionNode } from '../tree/executionNode';
import { pickExecutionId } from './pickExecution';
import { COMMAND_IDS } from './ids';

/**
 * Reset to Last Safe Point…: the usual reset flow on the latest WORKFLOW_TASK_COMPLETED that the
 * workspace's code replays (before the divergence, or the latest one when it replays cleanly) and
 * that still comes before the run's first failed step. Checks first when this run has no check yet.
 */
export async function resetToLastSafePoint(services: ResetFlowServices, arg?: unknown): Promise<void> {
  const node = arg instanceof ExecutionNode
    ? arg
    : await services.tree.openExecution(typeof arg === 'string' ? arg : await pickExecutionId(services, 'Reset to Last Safe Point'));
  const { execution } = node;
  let check = services.checks.get(execution.executionId, execution.runId);
  if (!check) {
    check = await runReplayCheck(services, { executionId: execution.executionId, runId: execution.runId, latest: true, workflowName: execution.workflowName });
    services.tree.refresh(node);
  }
  const verdict = verdictOf(check);
  if (check.result.outcome === 'failed' || !verdict) {
    const failure = check.result.outcome === 'failed' ? `${check.result.message} ${check.result.whatToDo}` : '';
    throw new UserFacingError(`The replay check could not run, so no point is known to be safe. ${failure}`.trim(), [
      { title: 'Check Again', command: COMMAND_IDS.checkReplay, args: [node] },
    ]);
  }
  const history = await node.rows.history.load();
  const safe = lastSafePoint(history.events, verdict);
  if (!safe) {
    const where = verdict.outcome === 'diverges' ? `your code diverges at event ${verdict.eventId}, before every reset point of this run` : 'this run has no reset point before its first failed step';
    throw new UserFacingError(`No reset point of ${execution.executionId} is safe: ${where}. Reset Execution… lists every reset point.`);
  }
  const pointNode = safe.point.eventId === undefined ? undefined : await node.rows.nodeFor(safe.point.eventId);
  services.log.info('reset', `Reset to Last Safe Point of ${execution.executionId}: ${safe.why}`);
  await runResetFlow(services, { execution, events: history.events, point: safe.point, node, pointNode, why: safe.why.replace(/\.$/, '') });
}
