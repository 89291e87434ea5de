/**
 * Copy Reset as Python / curl for Mistral's Workflows API: the `mistralai` SDK's call, or curl against
 * `/v1/workflows`. Pure. The key is read from $MISTRAL_API_KEY in the snippet, never written into it.
 */
import { normalizeBase, pyString, REASON_PLACEHOLDER, shellQuote, type ResetCode, type ResetCodeFormat, type ResetCodeRequest, type ResetSnippetInput } from '../resetCode';

const DEFAULT_BASE_URL = 'https://api.mistral.ai';
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
