/**
 * The Workflows API layer: plain Node (no `vscode`), usable by the extension, the tests and benchmarks.
 *
 * Behaviour callers rely on:
 * - Every failure is a `WorkflowsApiError` (`kind`: http | network | timeout | parse | aborted | redirect);
 *   an answer's neutral reading is `problem` (notFound, invalidArgument, ...), the same for Mistral's API and
 *   for Temporal's HTTP API. Each service's client is a module of its own: `./mistral` (WorkflowsClient)
 *   and `./temporal`; import them from there. This module is the neutral model and the seam.
 *   A caller's AbortSignal firing gives kind 'aborted' (also during a retry's backoff), never a raw AbortError.
 * - Reads (GET) retry 429/502/503/504, WF_1103 and dropped/refused connections, up to `maxRetries`,
 *   with exponential backoff + jitter, honouring Retry-After up to `maxRetryDelayMs`. A plain 500 and a
 *   timeout are not retried. Writes (reset, terminate, cancel, signal) are never retried; when a write
 *   may have reached the server without an answer (lost, late, 5xx), the error has `outcomeUnknown: true`:
 *   read back. A write past its timeout is let run (up to three timeouts in all) and its error's
 *   `requestEnd` says when and how it ended.
 * - 3xx answers are errors (kind 'redirect'); nothing is re-sent with the key to another origin.
 * - A failed TLS handshake is kind 'network' with `tls` saying why (untrusted server certificate, name
 *   mismatch, client certificate required or refused, ...) and a message that says what to fix; never retried.
 * - The API key never appears in an error's message, properties or stack.
 * - `normalizeHistory` skips null/non-object events, types a type-less event 'UNKNOWN', treats an object
 *   without events as an empty history, and throws `HistoryFormatError` for a body that is not an object
 *   or array (the client reports that as kind 'parse'). Its events are in event order: a history sent
 *   newest first (first id greater than the last) is reversed.
 * - `getHistory` with a `HistoryStream` offers the first events before the rest; a backend whose server
 *   pages the history (Temporal) reads a next page only when the stream wants more than it offered
 *   (`want`) or everything (`wantAll`), so that promise settles once the whole history was wanted.
 * - `groupSteps` turns a history into steps (an activity with its retries, a timer, an update...) and the
 *   reset points between them, in one pass that parses no event time; every event belongs to exactly one
 *   step, reset point or folded workflow task (`ownerOf`).
 * - `parseQuery` never throws (a bad regex is `{ ok: false, error }`); `findEvents` searches in slices, yielding
 *   to the event loop between them, and an aborted search resolves with `aborted: true`, never rejects.
 * - `streamExecution` follows an execution's events (SSE) and reconnects with Last-Event-ID after a drop
 *   or a 5xx/429, a bounded number of times in a row; other HTTP errors throw at once; abort ends it quietly.
 */
export type { BackendCapabilities, PendingAttempts, WorkflowBackend } from './backend';
export { WorkflowsApiError, isWorkflowsApiError } from './errors';
export type { RequestEnd } from './errors';
export type { TlsSettings } from './tls';
export { KEY_REJECTED_MESSAGE, KEY_FORBIDDEN_MESSAGE } from './httpErrors';
export { normalizeHistory, HistoryFormatError } from './history';
export { HistoryStream } from './historyStream';

export { attr, attrText } from './attributes';
export { enumNamer } from './enums';
export { describeEvent, describeEvents, eventDescriber, eventKind, isResetMarker, shortText } from './describe';
export type { EventKind } from './describe';
export { isResetPoint, isResetTarget, resetPoints, firstResetPoint, lastResetPoint, analyzeReset, nextStepAfter } from './resetPoints';
export type { ResetImpact } from './resetPoints';
export { resetPointBefore } from './stepReset';
export type { StepResetPoint } from './stepReset';
export { historyAsText, resetLinks } from './runLineage';
export { groupSteps, stepsPage, beforeStepResetPoint } from './steps';
export type { StepGrouping } from './steps';
export { isStep } from './step';
export type { HistoryStep, StepListEntry } from './step';
export { isOpenStatus } from './stepRules';

export { stepLabel, resetPointLabel } from './stepLabels';
export { parseQuery, findEvents, stepsMatching, matchSummary, DEFAULT_SLICE_SIZE } from './findInHistory';
export type { HistoryQuery, FindOptions, EventMatches } from './findInHistory';
export { pendingWork } from './pending';
export type { PendingWork } from './pending';
export type { ResetLink } from './runLineage';

export { isTerminalMessage } from './liveEvents';
export type { StreamExecutionOptions, StreamMessage } from './liveEvents';
export type { Execution, ExecutionStatus, WorkflowEvent } from './types';
