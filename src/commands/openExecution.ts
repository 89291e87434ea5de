import { ExecutionNode } from '../tree/executionNode';
import { pickExecutionId } from './pickExecution';
import type { Services } from '../services';

/** Palette: opens an execution by id and reveals it in the tree, expanded. */
export async function openExecution(services: Pick<Services, 'tree' | 'treeView' | 'ui'>, arg?: unknown): Promise<ExecutionNode> {
  const executionId = typeof arg === 'string' ? arg : await pickExecutionId(services, 'Open Execution');
  const node = await services.tree.openExecution(executionId.trim());
  await services.treeView.reveal(node, { select: true, focus: true, expand: true });
  return node;
}
