import { LoadMoreNode } from '../tree/node';

/** The “Load more” rows (executions or events): the row loads its own next page, no service is needed. */
export async function loadMore(_services: unknown, node?: unknown): Promise<void> {
  if (node instanceof LoadMoreNode) await node.loadMore();
}
