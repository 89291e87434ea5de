import type { Execution, WorkflowEvent } from '../api/types';
import type { EventNode } from '../tree/eventNode';
import type { ExecutionNode } from '../tree/executionNode';

/** What a reset is aimed at: the execution, its latest run's history as loaded, and the point. */
export interface ResetTarget {
  execution: Execution;
  /** The latest run's history, as loaded. */
  events: WorkflowEvent[];
  point: WorkflowEvent;
  node?: ExecutionNode;
  pointNode?: EventNode;
  /** Why this point was chosen, when the user did not pick it directly (Reset to before this step). */
  why?: string;
}
