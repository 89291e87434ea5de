import type * as vscode from 'vscode';
import { UserCancelled } from '../common/errors';
import { pickExecutionId } from '../commands/pickExecution';
import type { Services } from '../services';
import { ExecutionNode } from '../tree/executionNode';

/** What watching uses: the live updates, and the loaded executions and prompts of the palette's pick. */
type WatchServices = Pick<Services, 'liveUpdates' | 'tree' | 'ui'>;

/** Tree: the execution clicked. Palette: an execution id, picked or typed. */
export async function watchExecution(services: WatchServices, node?: unknown): Promise<void> {
  const executionId = node instanceof ExecutionNode ? node.executionId : await pickExecutionId(services, 'Watch Execution');
  await services.liveUpdates.watch(executionId);
}

/** Tree: the execution clicked. Palette: one of the watched executions. */
export async function unwatchExecution(services: WatchServices, node?: unknown): Promise<void> {
  if (node instanceof ExecutionNode) {
    services.liveUpdates.unwatch(node.executionId);
    return;
  }
  const ids = services.liveUpdates.watchedIds;
  if (ids.length === 0) {
    void services.ui.notify('info', 'No execution is being watched.');
    return;
  }
  const items: (vscode.QuickPickItem & { executionId: string })[] = ids.map((id) => ({
    label: services.tree.findExecution(id)?.execution.workflowName ?? id,
    description: id,
    executionId: id,
  }));
  const chosen = await services.ui.pickOne(items, { title: 'Stop Watching Execution', placeHolder: 'A watched execution' });
  if (!chosen) throw new UserCancelled();
  services.liveUpdates.unwatch(chosen.executionId);
}
