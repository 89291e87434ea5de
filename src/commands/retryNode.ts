import { EarlierRunsNode, RunNode } from '../tree/runNodes';
import { ExecutionNode } from '../tree/executionNode';
import type { Services } from '../services';

/** The “Retry” action of an error row under a node: forget what failed and ask again. */
export async function retryNode(services: Pick<Services, 'tree'>, node?: unknown): Promise<void> {
  if (node instanceof ExecutionNode || node instanceof RunNode) node.rows.forget();
  if (node instanceof EarlierRunsNode) node.forget();
  services.tree.refresh(node instanceof ExecutionNode || node instanceof RunNode || node instanceof EarlierRunsNode ? node : undefined);
}
