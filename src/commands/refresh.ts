import { ExecutionNode } from '../tree/executionNode';
import type { Services } from '../services';

/** Refreshes one execution (from its context menu) or the whole view. */
export async function refresh(services: Pick<Services, 'tree' | 'connection'>, node?: unknown): Promise<void> {
  if (node instanceof ExecutionNode) {
    await services.tree.reloadExecution(node);
    return;
  }
  services.connection.invalidate('refresh requested');
}
