/**
 * The small typed subset of Temporal's answers the client returns. Temporal's own JSON (protobuf JSON:
 * camelCase, int64 as strings, full enum names) is turned into these by parse.ts; history events stay
 * raw, for normalizeHistory (src/api/history.ts) to read.
 */

/** Temporal's WORKFLOW_EXECUTION_STATUS_* without the prefix: RUNNING, COMPLETED, FAILED, CANCELED,
 * TERMINATED, CONTINUED_AS_NEW, TIMED_OUT (and whatever newer servers add, kept as sent). */
type TemporalStatus = string;

export interface WorkflowRef {
  workflowId: string;
  runId: string;
}

/** One run, as ListWorkflowExecutions or DescribeWorkflowExecution report it. */
export interface TemporalExecution extends WorkflowRef {
  workflowType: string;
  status: TemporalStatus;
  taskQueue?: string;
  startTime?: Date;
  /** Absent while the run is open. */
  closeTime?: Date;
  historyLength?: number;
  parent?: WorkflowRef;
  root?: WorkflowRef;
  /** Describe only: the first run of the chain (resets and continue-as-new keep it). */
  firstRunId?: string;
}

export interface TemporalExecutionPage {
  executions: TemporalExecution[];
  /** Absent on the last page. */
  nextPageToken?: string;
}

export interface PendingActivity {
  activityId: string;
  activityType: string;
  /** PENDING_ACTIVITY_STATE_* without the prefix: SCHEDULED, STARTED, CANCEL_REQUESTED... */
  state: string;
  attempt?: number;
  lastFailureMessage?: string;
}

export interface PendingNexusOperation {
  endpoint: string;
  service: string;
  operation: string;
  /** PENDING_NEXUS_OPERATION_STATE_* without the prefix: SCHEDULED, BACKING_OFF, STARTED, BLOCKED. */
  state: string;
  /** The NEXUS_OPERATION_SCHEDULED event's id. */
  scheduledEventId?: number;
  /** Attempts at starting it: a history records none of them, only this does. */
  attempt?: number;
  lastAttemptFailureMessage?: string;
}

export interface TemporalDescription {
  execution: TemporalExecution;
  pendingActivities: PendingActivity[];
  pendingNexusOperations: PendingNexusOperation[];
  /** PENDING_WORKFLOW_TASK_STATE_* without the prefix, when a workflow task is pending. */
  pendingWorkflowTask?: { state: string; attempt?: number };
  /** The answer as the server sent it. */
  raw: unknown;
}

export interface HistoryPage {
  /** Raw protobuf-JSON events, as the server sent them. */
  events: unknown[];
  /** Absent on the last page. */
  nextPageToken?: string;
}

export interface UpdateOutcome {
  updateId: string;
  /** UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_* without the prefix (COMPLETED when `outcome` is set). */
  stage: string;
  /** Absent when the server stopped waiting before the update completed. */
  outcome?: { success: unknown[] } | { failure: { message: string; raw: unknown } };
}
