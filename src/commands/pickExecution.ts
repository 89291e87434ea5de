import type * as vscode from 'vscode';
import { UserCancelled } from '../common/errors';
import { executionDescription } from '../tree/labels';
import type { Services } from '../services';

interface ExecutionItem extends vscode.QuickPickItem {
  executionId: string;
}

/** An execution id: picked from the executions the view has loaded, or typed / pasted. */
export async function pickExecutionId(services: Pick<Services, 'tree' | 'ui'>, title: string): Promise<string> {
  const items: ExecutionItem[] = services.tree.executions.map((node) => ({
    label: node.execution.workflowName,
    description: node.executionId,
    detail: executionDescription(node.execution),
    executionId: node.executionId,
  }));
  const chosen = await services.ui.pickOrEnter(items, {
    title,
    placeholder: 'Type or paste an execution id, or pick a loaded execution',
    enterLabel: (text) => `$(search) Use execution id “${text}”`,
  });
  if (chosen === undefined) throw new UserCancelled();
  return typeof chosen === 'string' ? chosen : chosen.executionId;
}
