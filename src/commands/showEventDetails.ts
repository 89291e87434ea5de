import { UserFacingError } from '../common/errors';
import { EventNode } from '../tree/eventNode';
import type { Services } from '../services';

/** Opens the event as a read-only JSON document. */
export async function showEventDetails(services: Pick<Services, 'treeView' | 'eventDocuments'>, node?: unknown): Promise<void> {
  const target = node instanceof EventNode ? node : services.treeView.selection[0];
  if (!(target instanceof EventNode)) throw new UserFacingError('Select an event in the Executions view first.');
  await services.eventDocuments.show(target.run.executionId, target.run.runId, target.event);
}
