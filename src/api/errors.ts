/**
 * The one error type the API layer throws, for every backend (Mistral's API, Temporal's HTTP API).
 * Callers branch on `kind` and `problem`, which mean the same for every backend; `status`, `code` and
 * `grpcCode` are one service's wire detail.
 * The message is written for the user and never contains the API key (see `redact` in http.ts).
 */

import type { TlsFailure } from './tls';

type WorkflowsApiErrorKind = 'http' | 'network' | 'timeout' | 'parse' | 'aborted' | 'redirect';

/**
 * What a service said went wrong, in neutral terms (gRPC's canonical names, which Temporal uses):
 * set on kind 'http' errors whose answer says so; undefined when it does not.
 */
export type ApiProblem =
  | 'invalidArgument'
  | 'notFound'
  | 'alreadyExists'
  | 'failedPrecondition'
  | 'unauthenticated'
  | 'permissionDenied'
  | 'resourceExhausted'
  | 'unavailable'
  /** A reset to an event the server does not accept as a reset point; `validResetEvents` lists those it does. */
  | 'invalidResetPoint';

/** One entry of a 422 validation `detail` array (FastAPI style). */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/**
 * How a write that timed out ended after all: 'succeeded' (a late 2xx: it was applied), 'ended' (a
 * late error answer or a closed connection: the server is done with it), or 'abandoned' (no answer
 * even late, so it was cut off: the server may still act on it).
 */
export type RequestEnd = 'succeeded' | 'ended' | 'abandoned';

interface WorkflowsApiErrorInit {
  kind: WorkflowsApiErrorKind;
  message: string;
  method: string;
  /** Request path without the query string (queries may carry search text; never the key). */
  path: string;
  status?: number;
  code?: string;
  problem?: ApiProblem;
  grpcCode?: number;
  validResetEvents?: number[];
  executionStatus?: string;
  validationErrors?: ValidationIssue[];
  retryAfterMs?: number;
  outcomeUnknown?: boolean;
  retryable?: boolean;
  tls?: TlsFailure;
  requestEnd?: Promise<RequestEnd>;
  cause?: unknown;
}

export class WorkflowsApiError extends Error {
  readonly kind: WorkflowsApiErrorKind;
  readonly method: string;
  readonly path: string;
  /** HTTP status, for kind 'http' and 'redirect'. */
  readonly status?: number;
  /** The server's `WF_xxxx` code when it sent one. */
  readonly code?: string;
  /** The neutral reading of the failure; see ApiProblem. */
  readonly problem?: ApiProblem;
  /** Temporal's HTTP API: the gRPC status code of its `{code, message, details}` body. */
  readonly grpcCode?: number;
  /** WF_1001: the event ids the server accepts as reset points. */
  readonly validResetEvents?: number[];
  /** WF_1102: the execution's status as the server reported it. */
  readonly executionStatus?: string;
  /** 422 with a `detail` array. */
  readonly validationErrors?: ValidationIssue[];
  /** From `Retry-After`, when the server sent one. */
  readonly retryAfterMs?: number;
  /**
   * True when a write (POST) may have reached the server but no answer came back (timeout, dropped
   * connection, gateway error). The caller must read the state back rather than send it again.
   */
  readonly outcomeUnknown: boolean;
  /** Whether a read failing this way is worth retrying (the client already did, up to maxRetries). */
  readonly retryable: boolean;
  /** Kind 'network': the TLS handshake failed, and why (see tls.ts); the message says what to fix. */
  readonly tls?: TlsFailure;
  /**
   * Kind 'timeout' on a write: the request was not cut off at the timeout but let run for a while, so
   * that the caller can tell when the server was done with it (see RequestEnd). Absent on other
   * errors: the request had ended when the error was thrown.
   */
  readonly requestEnd?: Promise<RequestEnd>;

  constructor(init: WorkflowsApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'WorkflowsApiError';
    this.kind = init.kind;
    this.method = init.method;
    this.path = init.path;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.retryable = init.retryable ?? false;
    // Only set optional fields that exist, so JSON and deepEqual stay tidy.
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (init.problem !== undefined) this.problem = init.problem;
    if (init.grpcCode !== undefined) this.grpcCode = init.grpcCode;
    if (init.validResetEvents !== undefined) this.validResetEvents = init.validResetEvents;
    if (init.executionStatus !== undefined) this.executionStatus = init.executionStatus;
    if (init.validationErrors !== undefined) this.validationErrors = init.validationErrors;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.tls !== undefined) this.tls = init.tls;
    if (init.requestEnd !== undefined) this.requestEnd = init.requestEnd;
  }

  /** A plain summary for logs (Error's own `message` is not enumerable, so JSON.stringify drops it). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      method: this.method,
      path: this.path,
      status: this.status,
      code: this.code,
      problem: this.problem,
      grpcCode: this.grpcCode,
      outcomeUnknown: this.outcomeUnknown,
      retryable: this.retryable,
      tls: this.tls,
    };
  }
}

export function isWorkflowsApiError(value: unknown): value is WorkflowsApiError {
  return value instanceof WorkflowsApiError;
}
