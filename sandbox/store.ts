/**
 * What the sandbox's routes and event stream need from a store, in the API's own terms: wire rows,
 * JSON bodies, event ids and outcomes, never the in-memory model's classes. Two stores implement it:
 * the seeded in-memory one (memory-store.ts) and the one over a real Temporal engine (engine/store.ts).
 *
 * The routes keep everything that is the API's rather than a store's: validation (FastAPI-like 422s,
 * UUID checks), the keyset page token, error bodies, the reset records. A store only acts and reads.
 * Every call is async so that a store may answer over the network.
 */
import type { KnownStatus } from '../src/api/types';

/** The API's statuses (WorkflowExecutionStatus). */
export type RunStatus = KnownStatus;

export type HistoryShape = 'temporal' | 'seed' | 'trace';
export const HISTORY_SHAPES: readonly HistoryShape[] = ['temporal', 'seed', 'trace'];

/** A row of `GET /runs` (WorkflowExecutionWithoutResultResponse): one run of an execution. */
export interface RunRow {
  workflow_name: string;
  workflow_id: string | null;
  deployment_name: string | null;
  execution_id: string;
  parent_execution_id: string | null;
  root_execution_id: string;
  run_id: string;
  user_id: string | null;
  status: RunStatus;
  start_time: string;
  end_time: string | null;
  total_duration_ms: number | null;
}

/** `GET /executions/{id}` and `GET /runs/{run_id}` (WorkflowExecutionResponse). */
export interface RunDetail extends RunRow {
  /** Non-null on COMPLETED runs only. */
  result: unknown;
}

/** Where a page of `/runs` starts: strictly after this row in the query's order. */
export interface RunKey {
  /** The row's start or end time (ms) as the query sorts; null = no end time yet (sorts as newest). */
  sortValueMs: number | null;
  executionId: string;
  runId: string;
}

/** `GET /runs`, validated: filters, ordering and paging. */
export interface RunsQuery {
  /** Workflow name or workflow id, exact. */
  workflowIdentifier?: string;
  /** Workflow-name substring (case-insensitive), or an exact execution id or run id. */
  search?: string;
  /** Any of these; empty = every status. */
  statuses: RunStatus[];
  deploymentName?: string;
  rootExecutionId?: string;
  startTimeAfterMs?: number;
  startTimeBeforeMs?: number;
  sortBy: 'start_time' | 'end_time';
  order: 'asc' | 'desc';
  /** 1..1000. */
  pageSize: number;
  /** Decoded from `next_page_token` by the routes. */
  after?: RunKey;
}

/**
 * One page of rows, in the API's order (sort value, then execution id, then run id; open runs count as
 * the newest by end time), and whether more rows follow. The routes make `next_page_token` from the
 * last row, so every store pages the same way (listing.ts has the shared ordering: `pageOf`).
 */
export interface RunsPage {
  executions: RunRow[];
  more: boolean;
}

/** The latest run of an execution, or one run. */
export type RunTarget = { executionId: string } | { runId: string };

/** JSON text, written once: a store may build it from parts (pages of events) without parsing them. */
export type JsonText = string;

export interface ResetToApply {
  eventId: number;
  reason: string | null;
  excludeSignals: boolean;
  excludeUpdates: boolean;
}

type NotFound = { kind: 'not_found' };
/** The latest run is closed: the API answers 409 WF_1102 with this status. */
type NotRunning = { kind: 'not_running'; status: RunStatus };
type Done<T = undefined> = { kind: 'done'; value: T };
export type Outcome<T = undefined> = Done<T> | NotFound | NotRunning;

/** `event_id` is not a WORKFLOW_TASK_COMPLETED of the latest run: 422 WF_1001 with these ids. */
type InvalidResetPoint = { kind: 'invalid_event'; validResetEvents: number[] };
export type ResetOutcome = Outcome<{ oldRunId: string; newRunId: string }> | InvalidResetPoint;

/** One event of `GET /executions/{id}/stream` (StreamEventSsePayload); the SSE event is `data.event_type`. */
export interface StreamPayload {
  stream: string;
  timestamp: string;
  data: { event_type: string } & Record<string, unknown>;
  workflow_context: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** The SSE id: the event's 1-based position in all the execution's runs, end to end. */
  broker_sequence: number;
}

/**
 * What a change feed delivers: stream payloads (StreamEventSsePayload, `broker_sequence` ascending,
 * each one once) and whether the execution's latest run is closed. `closed` ends the SSE stream after
 * these events; a feed that cannot go on (the engine is gone) ends it the same way, and the client
 * resumes with `Last-Event-ID`.
 */
export interface FeedBatch {
  events: StreamPayload[];
  closed: boolean;
}

export interface SandboxStore {
  /** The shapes `history()` can write (the engine-backed store: only 'temporal', its own JSON). */
  readonly historyShapes: readonly HistoryShape[];
  /** The shape `/history` uses until the sandbox is told otherwise. */
  readonly defaultHistoryShape: HistoryShape;

  listRuns(query: RunsQuery): Promise<RunsPage>;
  /** The latest run of the execution; undefined = no such execution. */
  execution(executionId: string): Promise<RunDetail | undefined>;
  run(runId: string): Promise<RunDetail | undefined>;
  /** The history body, `shape` one of `historyShapes`; undefined = no such execution or run. */
  history(target: RunTarget, shape: HistoryShape): Promise<JsonText | undefined>;
  /** Optional: WorkflowExecutionTraceEventsResponse of the latest run. Without it the route is 404. */
  traceEvents?(executionId: string): Promise<JsonText | undefined>;

  /** Resets the latest run to `eventId`, which the store checks (a WORKFLOW_TASK_COMPLETED of it). */
  reset(executionId: string, request: ResetToApply): Promise<ResetOutcome>;
  terminate(executionId: string, reason: string): Promise<Outcome>;
  cancel(executionId: string): Promise<Outcome>;
  signal(executionId: string, name: string, input: unknown): Promise<Outcome>;
  /** The update's result. */
  update(executionId: string, name: string, input: unknown): Promise<Outcome<unknown>>;
  /** The query's result. */
  query(executionId: string, name: string, input: unknown): Promise<Outcome<unknown>>;

  /**
   * Follows an execution's events across its runs. Broker sequences are the events' 1-based positions
   * in all runs laid end to end (oldest run first), so they never change meaning. Delivers the events
   * after `afterSequence` (undefined: from now on), first at once or soon, then as they are appended,
   * until unsubscribed. A polling store calls `onBatch` from its timer. An unknown execution gets
   * one closed batch.
   */
  follow(executionId: string, afterSequence: number | undefined, onBatch: (batch: FeedBatch) => void): () => void;

  /** Extra fields for `GET /_sandbox/info` (the in-memory store: its DEMO ids). */
  info?(): Record<string, unknown>;
  /** Stops timers and pollers; the sandbox is closing. */
  close(): Promise<void>;
}
