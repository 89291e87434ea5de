import type { WorkflowBackend } from '../api';
import type { CheckedRun } from '../replay';
import type { TreeNode } from './node';

/** How run histories are shown: raw events, or steps with the reset points between them. */
export type HistoryMode = 'events' | 'steps';

/** What the view's roots are: the executions, or Group by Problem's groups of them. */
export type Grouping = 'executions' | 'problems';

/** What the nodes need from the rest of the extension. */
export interface TreeServices {
  client(): Promise<WorkflowBackend>;
  eventsPageSize(): number;
  historyMode(): HistoryMode;
  refresh(node?: TreeNode): void;
  /** The replay check of that run, if one ran (its marks show on the run's reset points). */
  checkOf(executionId: string, runId: string | undefined): CheckedRun | undefined;
  /** Event types beyond WORKFLOW_TASK_COMPLETED that the active backend accepts as reset points. */
  extraResetTargets(): readonly string[];
  /** A short, user-facing sentence for any error (the details go to the log). */
  describeError(error: unknown): string;
}
