/**
 * Temporal's HTTP API, vscode-free: the client, its answer types, payload decoding and reset points.
 * Errors are WorkflowsApiError (src/api/errors.ts) with `problem` (neutral) and `grpcCode` (Temporal's).
 */
export { TemporalClient, DEFAULT_TEMPORAL_IDENTITY } from './client';
export type {
  TemporalClientOptions, ListWorkflowsOptions, HistoryOptions, HistoryAllOptions, HistoryPagesOptions, TemporalResetOptions,
  StartWorkflowOptions, SignalOptions, UpdateOptions, QueryOptions, CloseOptions,
} from './client';
export { temporalError } from './errors';
export { decodePayload, decodePayloads, payloadEncoding } from './payloads';
export { enumName, parseDescription, parseExecutionInfo, parseExecutionPage } from './parse';
export { resetPointIds } from './resetPoints';
export * from './types';
export { TemporalBackend, TEMPORAL_CAPABILITIES, executionOf } from './backend';
export { IMMEDIATE_ANSWER_MS, MAX_IMMEDIATE_EMPTY, type LongPollTiming } from './longPoll';
export { visibilityQuery, quote, VISIBILITY_STATUS } from './visibility';
