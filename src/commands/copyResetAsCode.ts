import * as vscode from 'vscode';
import { UserFacingError } from '../common/errors';
import { curlSnippet, pythonSnippet } from '../reset/copyAsCode';
import { EventNode } from '../tree/eventNode';
import type { Services } from './services';

function resetPointOf(services: Services, node: unknown): EventNode {
  const target = node instanceof EventNode ? node : services.treeView.selection[0];
  if (!(target instanceof EventNode) || !target.resettable || target.event.eventId === undefined) {
    throw new UserFacingError('Select a WORKFLOW_TASK_COMPLETED event of an execution’s latest run.');
  }
  return target;
}

async function copy(services: Services, node: unknown, format: 'Python' | 'curl'): Promise<string> {
  const target = resetPointOf(services, node);
  const input = {
    baseUrl: services.connection.currentWorkspace().baseUrl,
    executionId: target.run.executionId,
    eventId: target.event.eventId ?? 0,
  };
  const text = format === 'Python' ? pythonSnippet(input) : curlSnippet(input);
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`Copied the reset to event ${target.event.idText} as ${format} (the key stays $MISTRAL_API_KEY)`, 4000);
  return text;
}

export const copyResetAsPython = (services: Services, node?: unknown): Promise<string> => copy(services, node, 'Python');
export const copyResetAsCurl = (services: Services, node?: unknown): Promise<string> => copy(services, node, 'curl');
