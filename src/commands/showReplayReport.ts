import { UserFacingError } from '../common/errors';
import { showReplayReport } from '../replayUi/openReport';
import { ExecutionNode } from '../tree/executionNode';
import { RunNode } from '../tree/runNodes';
import type { Services } from '../services';
import { COMMAND_IDS } from './ids';

/** The report of the latest replay check of an execution or run: verdict, what ran, the divergence. */
export async function showReplayReportCommand(services: Pick<Services, 'treeView' | 'checks' | 'eventDocuments' | 'definitions'>, arg?: unknown): Promise<void> {
  const node = arg ?? services.treeView.selection[0];
  const [executionId, runId] = node instanceof ExecutionNode
    ? [node.executionId, node.execution.runId]
    : node instanceof RunNode ? [node.run.executionId, node.run.runId] : [undefined, undefined];
  if (executionId === undefined) throw new UserFacingError('Select a checked execution or run in the Executions view.');
  const check = services.checks.get(executionId, runId);
  if (!check) {
    throw new UserFacingError(`This run of ${executionId} has not been checked yet (or its check was let go: only the most recent checks are kept).`, [
      { title: 'Check Workflow Code Against History', command: COMMAND_IDS.checkReplay, args: [node] },
    ]);
  }
  await showReplayReport(services, check);
}
