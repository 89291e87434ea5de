/**
 * “Copy as code” for a reset point: the same reset as a Python SDK call or a curl command, for runbooks
 * and code review, in the words of the service it goes to (each backend's `resetAsCode`; this file is
 * Mistral's, temporal/resetCode.ts Temporal's). Pure. The key is always read from the environment in
 * the snippet, never written into it.
 */

export type ResetCodeFormat = 'python' | 'curl';

/** What a snippet resets: a point of a run, and the user's choices when known. */
export interface ResetCodeRequest {
  executionId: string;
  /** The run the point belongs to (for services that address runs). */
  runId?: string;
  eventId: number;
  reason?: string;
  excludeSignals?: boolean;
  excludeUpdates?: boolean;
}

export interface ResetCode {
  text: string;
  /** The environment variable the snippet reads the key from ("the key stays $…"). */
  keyVariable: string;
}

interface ResetSnippetInput extends ResetCodeRequest {
  baseUrl: string;
}

const DEFAULT_BASE_URL = 'https://api.mistral.ai';
export const REASON_PLACEHOLDER = 'Describe why you reset (recorded for auditing)';
const MISTRAL_KEY_VARIABLE = 'MISTRAL_API_KEY';

/** Mistral's Workflows API: the `mistralai` SDK, or curl against `/v1/workflows`. */
export function mistralResetCode(baseUrl: string, request: ResetCodeRequest, format: ResetCodeFormat): ResetCode {
  const input = { ...request, baseUrl };
  return { text: format === 'python' ? pythonSnippet(input) : curlSnippet(input), keyVariable: MISTRAL_KEY_VARIABLE };
}

export function pythonSnippet(input: ResetSnippetInput): string {
  const serverUrl = normalizeBase(input.baseUrl) === DEFAULT_BASE_URL ? '' : `, server_url=${pyString(normalizeBase(input.baseUrl))}`;
  return [
    'import os',
    '',
    'from mistralai import Mistral',
    '',
    `client = Mistral(api_key=os.environ["MISTRAL_API_KEY"]${serverUrl})`,
    'client.workflows.executions.reset_workflow(',
    `    execution_id=${pyString(input.executionId)},`,
    `    event_id=${input.eventId},`,
    `    reason=${pyString(input.reason ?? REASON_PLACEHOLDER)},`,
    `    exclude_signals=${input.excludeSignals ? 'True' : 'False'},`,
    `    exclude_updates=${input.excludeUpdates ? 'True' : 'False'},`,
    ')',
    '',
  ].join('\n');
}

export function curlSnippet(input: ResetSnippetInput): string {
  const url = `${normalizeBase(input.baseUrl)}/v1/workflows/executions/${encodeURIComponent(input.executionId)}/reset`;
  const body = JSON.stringify({
    event_id: input.eventId,
    reason: input.reason ?? REASON_PLACEHOLDER,
    exclude_signals: input.excludeSignals ?? false,
    exclude_updates: input.excludeUpdates ?? false,
  });
  return [
    `curl -X POST ${shellQuote(url)} \\`,
    '  -H "Authorization: Bearer $MISTRAL_API_KEY" \\',
    "  -H 'Content-Type: application/json' \\",
    `  --data ${shellQuote(body)}`,
    '',
  ].join('\n');
}

export function normalizeBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

/** A Python string literal: JSON's escapes are valid Python escapes. */
export function pyString(text: string): string {
  return JSON.stringify(text);
}

/** A single-quoted POSIX shell word: nothing inside is expanded. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
