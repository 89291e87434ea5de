import * as vscode from 'vscode';
import type { ResetCodeFormat } from '../api/resetCode';
import { UserFacingError } from '../common/errors';
import { EventNode } from '../tree/eventNode';
import type { Services } from '../services';

/** What copying a reset as code uses: the selection, and the backend that writes the code. */
type CopyResetServices = Pick<Services, 'treeView' | 'connection'>;

function resetPointOf(services: Pick<Services, 'treeView'>, node: unknown): EventNode {
  const target = node instanceof EventNode ? node : services.treeView.selection[0];
  if (!(target instanceof EventNode) || !target.resettable || target.event.eventId === undefined) {
    throw new UserFacingError('Select a reset point (a WORKFLOW_TASK_COMPLETED event) of an execution’s latest run.');
  }
  return target;
}

/** The reset to this point as code, in the words of the workspace's service (its backend writes it). */
async function copy(services: CopyResetServices, node: unknown, format: ResetCodeFormat): Promise<string> {
  const target = resetPointOf(services, node);
  const backend = await services.connection.client();
  const code = backend.resetAsCode({ executionId: target.run.executionId, runId: target.run.runId, eventId: target.event.eventId ?? 0 }, format);
  await vscode.env.clipboard.writeText(code.text);
  vscode.window.setStatusBarMessage(`Copied the reset to event ${target.event.idText} as ${format === 'python' ? 'Python' : 'curl'} (the key stays $${code.keyVariable})`, 4000);
  return code.text;
}

export const copyResetAsPython = (services: CopyResetServices, node?: unknown): Promise<string> => copy(services, node, 'python');
export const copyResetAsCurl = (services: CopyResetServices, node?: unknown): Promise<string> => copy(services, node, 'curl');
