/**
 * Temporal's HTTP API, vscode-free: the client, its answer types, payload decoding and reset points.
 * Errors are WorkflowsApiError (src/api/errors.ts) with `problem` (neutral) and `grpcCode` (Temporal's).
 */
export { TemporalClient } from './client';
export type { TemporalClientOptions, HistoryOptions } from './client';
export { decodePayload, decodePayloads } from './payloads';
export { resetPointIds } from './resetPoints';
export type { TemporalExecution, HistoryPage } from './types';
export { TemporalBackend, TEMPORAL_CAPABILITIES } from './backend';
export { MAX_IMMEDIATE_EMPTY, type LongPollTiming } from './longPoll';
export { visibilityQuery } from './visibility';
