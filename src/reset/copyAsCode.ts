// “Copy as code” for a reset point: the same reset as a Python SDK call or a curl command, for runbooks
// and code review. Pure. The key is always `MISTRAL_API_KEY` from the environment, never its value.

export interface ResetSnippetInput {
  baseUrl: string;
  executionId: string;
  eventId: number;
  reason?: string;
  excludeSignals?: boolean;
  excludeUpdates?: boolean;
}

const DEFAULT_BASE_URL = 'https://api.mistral.ai';
export const REASON_PLACEHOLDER = 'Describe why you reset (recorded for auditing)';

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

function normalizeBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

/** A Python string literal: JSON's escapes are valid Python escapes. */
function pyString(text: string): string {
  return JSON.stringify(text);
}

/** A single-quoted POSIX shell word: nothing inside is expanded. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
