import { historyAsText } from '../api';
import type { Execution } from '../api/types';
import { UserFacingError } from '../common/errors';
import { ExecutionNode } from '../tree/executionNode';
import { shortId } from '../tree/labels';
import { RunNode } from '../tree/runNodes';
import type { Services } from '../services';

/**
 * The diff editor on a run and the run before it (on an execution: its latest run and the one the
 * last reset replaced), normalised so that ids and timestamps don't drown the real differences.
 */
export async function compareWithPreviousRun(services: Pick<Services, 'treeView' | 'connection' | 'eventDocuments'>, node?: unknown): Promise<void> {
  const target = node ?? services.treeView.selection[0];
  if (!(target instanceof ExecutionNode) && !(target instanceof RunNode)) {
    throw new UserFacingError('Select an execution with earlier runs, or one of its earlier runs.');
  }
  const executionId = target instanceof ExecutionNode ? target.executionId : target.run.executionId;
  const client = await services.connection.client();
  const runs = await client.listRuns(executionId); // newest first
  const runId = target instanceof ExecutionNode ? target.execution.runId : target.run.runId;
  const index = runs.findIndex((r) => r.runId === runId);
  const previous = index >= 0 ? runs[index + 1] : undefined;
  if (!runId || !previous?.runId) {
    throw new UserFacingError(`Run ${shortId(runId)} of ${executionId} has no earlier run to compare with.`);
  }
  const [before, after] = await Promise.all([
    client.getHistory(executionId, { runId: previous.runId }),
    client.getHistory(executionId, { runId }),
  ]);
  await services.eventDocuments.showDiff(
    { path: `/${executionId}/${previous.runId}.history`, text: historyAsText(before) },
    { path: `/${executionId}/${runId}.history`, text: historyAsText(after) },
    `${workflowOf(runs[0])}: run ${shortId(previous.runId)} ↔ run ${shortId(runId)} (ids and times hidden)`,
  );
}

function workflowOf(run: Execution | undefined): string {
  return run?.workflowName || 'Execution';
}
