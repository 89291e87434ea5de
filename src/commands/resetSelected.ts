import type * as vscode from 'vscode';
import { runBatchReset, BatchResult, type BatchResetServices } from '../reset/batch';
import { ExecutionNode } from '../tree/executionNode';
import type { Services } from '../services';

function isCancellation(value: unknown): value is vscode.CancellationToken {
  return typeof value === 'object' && value !== null && 'isCancellationRequested' in value;
}

/**
 * The context menu on a multi-selection of executions. VS Code passes the clicked node and the whole
 * selection; a caller may pass a CancellationToken as the third argument.
 */
export async function resetSelected(services: BatchResetServices & Pick<Services, 'treeView'>, clicked?: unknown, selection?: unknown, token?: unknown): Promise<BatchResult[]> {
  const chosen = Array.isArray(selection) && selection.length > 0 ? selection : clicked ? [clicked] : services.treeView.selection;
  const nodes = chosen.filter((n): n is ExecutionNode => n instanceof ExecutionNode);
  return runBatchReset(services, nodes, isCancellation(token) ? token : undefined);
}

/** “Reset all shown…”: every execution the view has loaded (with the filter applied). */
export async function resetAllShown(services: BatchResetServices, token?: unknown): Promise<BatchResult[]> {
  return runBatchReset(services, [...services.tree.executions], isCancellation(token) ? token : undefined);
}
