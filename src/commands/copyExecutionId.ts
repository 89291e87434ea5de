import * as vscode from 'vscode';
import { EventNode } from '../tree/eventNode';
import { ExecutionNode } from '../tree/executionNode';
import { RunNode } from '../tree/runNodes';
import { pickExecutionId } from './pickExecution';
import type { Services } from '../services';

export async function copyExecutionId(services: Pick<Services, 'treeView' | 'tree' | 'ui'>, node?: unknown): Promise<string> {
  const target = node ?? services.treeView.selection[0];
  const executionId =
    target instanceof ExecutionNode
      ? target.executionId
      : target instanceof EventNode
        ? target.run.executionId
        : target instanceof RunNode
          ? target.run.executionId
          : await pickExecutionId(services, 'Copy Execution ID');
  await vscode.env.clipboard.writeText(executionId);
  vscode.window.setStatusBarMessage(`Copied execution id ${executionId}`, 3000);
  return executionId;
}
