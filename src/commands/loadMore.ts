import { LoadMoreNode } from '../tree/node';
import type { Services } from '../services';

/** The “Load more” rows (executions or events). */
export async function loadMore(_services: Services, node?: unknown): Promise<void> {
  if (node instanceof LoadMoreNode) await node.loadMore();
}
