/**
 * Mistral's Workflows API (`/v1/workflows`, a Bearer key per workspace): the client, one of the two
 * implementations of the WorkflowBackend seam (../backend.ts; the other is ../temporal). Plain Node.
 */
export { WorkflowsClient, MISTRAL_CAPABILITIES } from './client';
export type { WorkflowsClientOptions } from './client';
export { SseParser } from './sse';
export type { SseMessage } from './sse';
