import { beforeStepResetPoint, resetPointBefore, stepLabel } from '../api';
import type { StepResetPoint } from '../api';
import { UserFacingError } from '../common/errors';
import { runResetFlow, type ResetFlowServices } from '../reset/flow';
import { EventNode } from '../tree/eventNode';
import { ExecutionNode } from '../tree/executionNode';
import { StepNode } from '../tree/stepNode';

const SELECT_FIRST = 'Select a step, or an activity, timer, signal, update, child-workflow or Nexus event, of an execution’s latest run.';

/**
 * On a step row, or an activity, timer, signal, update, child-workflow or Nexus event, of the latest run:
 * reset to the completed workflow task before that step, saying which one and why, then the usual flow.
 */
export async function resetBeforeStep(services: ResetFlowServices, node?: unknown): Promise<void> {
  const target = node instanceof EventNode || node instanceof StepNode ? node : services.treeView.selection[0];
  if (!(target instanceof EventNode || target instanceof StepNode) || !target.run.latest) throw new UserFacingError(SELECT_FIRST);
  const owner = target.owner;
  if (!(owner instanceof ExecutionNode)) throw new UserFacingError(SELECT_FIRST);
  const history = await owner.rows.history.load();
  const found: StepResetPoint | undefined =
    target instanceof StepNode ? beforeStepResetPoint(history.events, target.step) : resetPointBefore(history.events, target.index);
  if (!found) {
    const what = target instanceof StepNode ? `${stepLabel(target.step)} (event ${target.step.firstEventId ?? '?'})` : `this step (event ${target.event.idText})`;
    throw new UserFacingError(
      `There is no completed workflow task before ${what}, so nothing to reset to. Reset Execution… lists every reset point.`,
    );
  }
  const pointNode = found.point.eventId === undefined ? undefined : await owner.rows.nodeFor(found.point.eventId);
  services.log.info('reset', `Reset to before event ${found.stepStart.idText}: ${found.why}.`);
  await runResetFlow(services, {
    execution: owner.execution,
    events: history.events,
    point: found.point,
    node: owner,
    pointNode,
    why: `Resetting to event ${found.point.idText}: ${found.why}`,
  });
}
