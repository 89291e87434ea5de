/**
 * Following an execution live, in the seam's terms: the options a caller gives and the messages it
 * gets, whichever backend delivers them (Mistral's `/stream` Server-Sent Events in mistral/stream.ts,
 * Temporal's long-polled history in temporal/longPoll.ts).
 */
import type { WorkflowsApiError } from './errors';

export interface StreamExecutionOptions {
  /** Resume after this id (the `id` of the last message handled). */
  lastEventId?: string;
  signal?: AbortSignal;
  /** Failures in a row before giving up. Default 5. */
  maxReconnects?: number;
  /** Default 1000. */
  reconnectBaseDelayMs?: number;
  /** Default 30000. */
  maxReconnectDelayMs?: number;
  /** Default 60000. */
  idleTimeoutMs?: number;
  /** Told about each failure that will be retried (for logs). */
  onReconnect?: (error: WorkflowsApiError, attempt: number, delayMs: number) => void;
}

/** One message of the stream. */
export interface StreamMessage {
  /** The SSE id (the platform's broker sequence): what a resume sends as Last-Event-ID. */
  id: string | undefined;
  /** The SSE event name: the event type, e.g. `WORKFLOW_EXECUTION_COMPLETED`; `message` if unnamed. */
  event: string;
  data: string;
  payload: StreamPayload;
}

/** The message's data as far as the extension reads it (`StreamEventSsePayload` / `StreamEventSseErrorData`). */
export type StreamPayload =
  | { kind: 'event'; eventType: string | undefined; executionId: string | undefined; runId: string | undefined }
  | { kind: 'error'; error: string; reason: string }
  | { kind: 'other' };

const TERMINAL_EVENT_TYPES: ReadonlySet<string> = new Set([
  'WORKFLOW_EXECUTION_COMPLETED', 'WORKFLOW_EXECUTION_FAILED', 'WORKFLOW_EXECUTION_CANCELED', 'WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
]);

/** True for a message that reports the end of a run (the execution may go on after a reset). */
export function isTerminalMessage(message: StreamMessage): boolean {
  return message.payload.kind === 'event' && message.payload.eventType !== undefined && TERMINAL_EVENT_TYPES.has(message.payload.eventType);
}
