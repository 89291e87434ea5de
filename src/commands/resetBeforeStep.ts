import { resetPointBefore } from '../api';
import { UserFacingError } from '../common/errors';
import { runResetFlow } from '../reset/flow';
import { EventNode } from '../tree/eventNode';
import { ExecutionNode } from '../tree/executionNode';
import type { Services } from './services';

/**
 * On an activity, timer, signal, update or child-workflow event of the latest run: reset to the
 * completed workflow task before that step, saying which one and why, then the usual flow.
 */
export async function resetBeforeStep(services: Services, node?: unknown): Promise<void> {
  const target = node instanceof EventNode ? node : services.treeView.selection[0];
  if (!(target instanceof EventNode) || !(target.parent instanceof ExecutionNode) || !target.run.latest) {
    throw new UserFacingError('Select an activity, timer, signal, update or child-workflow event of an execution’s latest run.');
  }
  const owner = target.parent;
  const history = await owner.rows.history.load();
  const found = resetPointBefore(history.events, target.index);
  if (!found) {
    throw new UserFacingError(
      `There is no completed workflow task before this step (event ${target.event.idText}), so nothing to reset to. Reset Execution… lists every reset point.`,
    );
  }
  const pointNode = found.point.eventId === undefined ? undefined : await owner.rows.nodeFor(found.point.eventId);
  services.log.info('reset', `Reset to before event ${target.event.idText}: ${found.why}.`);
  await runResetFlow(services, {
    execution: owner.execution,
    events: history.events,
    point: found.point,
    node: owner,
    pointNode,
    why: `Resetting to event ${found.point.idText}: ${found.why}`,
  });
}
