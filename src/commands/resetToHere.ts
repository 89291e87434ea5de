import { UserFacingError } from '../common/errors';
import { runResetFlow, type ResetFlowServices } from '../reset/flow';
import { EventNode } from '../tree/eventNode';
import { ExecutionNode } from '../tree/executionNode';
import type { Services } from '../services';

/** Context menu / inline action on a WORKFLOW_TASK_COMPLETED event of the latest run. */
export async function resetToHere(services: ResetFlowServices, node?: unknown): Promise<void> {
  const target = node instanceof EventNode ? node : selectedEvent(services);
  if (!target) throw new UserFacingError('Select a WORKFLOW_TASK_COMPLETED event of an execution’s latest run first.');
  if (!target.resettable) {
    throw new UserFacingError(
      target.run.latest
        ? `Event ${target.event.idText} (${target.event.type}) is not a reset point: choose a WORKFLOW_TASK_COMPLETED event.`
        : `Event ${target.event.idText} belongs to an earlier run: only the latest run can be reset.`,
    );
  }
  const owner = target.owner;
  if (!(owner instanceof ExecutionNode)) throw new UserFacingError('This event does not belong to an execution’s latest run.');
  const history = await owner.rows.history.load();
  await runResetFlow(services, {
    execution: owner.execution,
    events: history.events,
    point: target.event,
    node: owner,
    pointNode: target,
  });
}

function selectedEvent(services: Pick<Services, 'treeView'>): EventNode | undefined {
  const selected = services.treeView.selection[0];
  return selected instanceof EventNode ? selected : undefined;
}
