/**
 * The one seam between the extension and a service: what the tree, the reset flow and live runs ask
 * of a backend, with two implementations, Mistral's Workflows API (WorkflowsClient) and a Temporal
 * cluster's HTTP API (TemporalBackend). What is Temporal's semantics (the history model, reset points,
 * steps, lineage) stays shared above this line; wire formats, paths, auth and paging live below it.
 * Callers branch on `capabilities` and on WorkflowsApiError's neutral `kind`/`problem`, never on a
 * backend's name.
 */
import type { StreamExecutionOptions, StreamMessage } from './liveEvents';
import type { HistoryStream } from './historyStream';
import type { ResetCode, ResetCodeFormat, ResetCodeRequest } from './resetCode';
import type { Execution, ExecutionPage, ListExecutionsQuery, ResetRequest, WorkflowEvent } from './types';

/** listRuns reads at most this many pages: a server that never stops paging cannot hang it. */
export const MAX_RUN_PAGES = 20;
/** The page size listRuns asks for. */
export const RUN_PAGE_SIZE = 100;

export interface GetHistoryOptions {
  /** A specific run's history; default: the execution's latest run. */
  runId?: string;
  /**
   * Offers the first events while the rest is still arriving (the result is unchanged). A backend whose
   * server pages the history (Temporal) reads past its first page only as the stream asks (`want`,
   * `wantAll`): the promise settles once the whole history has been wanted and read.
   */
  stream?: HistoryStream;
}

export interface BackendCapabilities {
  /** A raw query language for the list (Temporal's visibility queries). */
  readonly rawListQuery: boolean;
  /**
   * The reset request carries an id the server could de-duplicate on. Even so a reset is never
   * re-sent without the user: Temporal's server 1.32 does not de-duplicate on it (workers/README.md).
   */
  readonly resetRequestId: boolean;
  /** Reset targets beyond WORKFLOW_TASK_COMPLETED that the server accepts. */
  readonly extraResetTargets: readonly string[];
  /** How live runs learn of new events: a server-sent event stream, or long-polling the history. */
  readonly liveEvents: 'stream' | 'longPoll';
}

/**
 * What a describe answer says of a running run's pending work that its history does not: how many
 * times its workflow task and its activities have been attempted (a history records only the first
 * failure of a workflow task's streak, and an activity's retries not at all until it closes).
 */
export interface PendingAttempts {
  pendingWorkflowTask?: { attempt?: number };
  pendingActivities?: readonly { activityId: string; activityType: string; attempt?: number; lastFailureMessage?: string }[];
}

export interface WorkflowBackend {
  readonly capabilities: BackendCapabilities;
  listExecutions(query: ListExecutionsQuery, signal?: AbortSignal): Promise<ExecutionPage>;
  /** Every run of an execution, newest first. */
  listRuns(executionId: string, signal?: AbortSignal): Promise<Execution[]>;
  /** The latest run. */
  getExecution(executionId: string, signal?: AbortSignal): Promise<Execution>;
  /** A run's whole history, oldest first (the latest run's by default). */
  getHistory(executionId: string, options?: GetHistoryOptions, signal?: AbortSignal): Promise<WorkflowEvent[]>;
  /**
   * A closed run's last `count` events, oldest first: how it ended (its failure names the step and the
   * error) without reading its whole history. Absent where the service reads a history only from its
   * start (Mistral's API).
   */
  closingEvents?(executionId: string, runId: string | undefined, count: number, signal?: AbortSignal): Promise<WorkflowEvent[]>;
  /** The latest run's pending attempts; absent where the service has no describe that counts them (Mistral's API). */
  pendingAttempts?(executionId: string, signal?: AbortSignal): Promise<PendingAttempts>;
  /** Runs a workflow query (e.g. `__stack_trace`) on the latest run; its worker answers it. */
  query(executionId: string, name: string, input?: unknown, signal?: AbortSignal): Promise<unknown>;
  /** Sent once, never retried: a reset sent twice resets twice. */
  reset(request: ResetRequest, signal?: AbortSignal): Promise<void>;
  /** The reset as code to copy (Python, curl) in this service's own terms; the key read from the environment. */
  resetAsCode(request: ResetCodeRequest, format: ResetCodeFormat): ResetCode;
  /** One message per new event (or batch of them) until the execution closes or `signal` aborts. */
  streamExecution(executionId: string, options?: StreamExecutionOptions): AsyncIterable<StreamMessage>;
  close(): Promise<void>;
}
