/**
 * The extension's model of the Workflows API. Wire bodies (snake_case, several history shapes) are
 * turned into these by `parse.ts` and `history.ts`; nothing else in the extension reads wire bodies.
 */

/** Known execution statuses. The API's enum is open: unknown values are kept as they come. */
export const KNOWN_STATUSES = [
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELED',
  'TERMINATED',
  'CONTINUED_AS_NEW',
  'TIMED_OUT',
  'RETRYING_AFTER_ERROR',
] as const;
export type KnownStatus = (typeof KNOWN_STATUSES)[number];
/** A status as sent; `null` when the server sent none. */
export type ExecutionStatus = KnownStatus | (string & {}) | null;

/** One row of `/v1/workflows/runs`, or `/executions/{id}`: one run of an execution. */
export interface Execution {
  workflowName: string;
  workflowId?: string;
  deploymentName?: string;
  executionId: string;
  parentExecutionId?: string;
  rootExecutionId?: string;
  runId?: string;
  userId?: string;
  status: ExecutionStatus;
  startTime?: Date;
  endTime?: Date;
  totalDurationMs?: number;
  /** Only on single-execution reads. */
  result?: unknown;
}

export interface ExecutionPage {
  executions: Execution[];
  /** Undefined on the last page (the server sent none, null or blank). */
  nextPageToken?: string;
}

export interface ListExecutionsQuery {
  status?: string[];
  workflow?: string;
  search?: string;
  /** A query in the backend's own language (Temporal's visibility queries), when it has one. */
  rawQuery?: string;
  pageSize?: number;
  pageToken?: string;
}

/** One history event, whatever shape the server wrote it in. */
export interface WorkflowEvent {
  /** The event id when it is an integer; undefined otherwise (such an event is never a reset point). */
  eventId: number | undefined;
  /** The id as text, for display (trace events may have non-numeric ids). */
  idText: string;
  /** Upper snake case without the `EVENT_TYPE_` prefix, e.g. `WORKFLOW_TASK_COMPLETED`. Open set. */
  type: string;
  time?: Date;
  /** The event's attributes, as sent (snake or camel case: see `attr()` in history.ts). */
  attributes: Record<string, unknown>;
  /** The event as the server sent it. */
  raw: unknown;
}

export interface ResetRequest {
  executionId: string;
  eventId: number;
  reason: string;
  excludeSignals: boolean;
  excludeUpdates: boolean;
  /** The run the point belongs to (backends that address runs use it; Mistral resets the latest). */
  runId?: string;
  /** One id per reset the user confirmed, the same on their Retry (backends that take one send it). */
  requestId?: string;
}
