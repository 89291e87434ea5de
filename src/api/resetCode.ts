/**
 * “Copy as code” for a reset point: the same reset as a Python SDK call or a curl command, for runbooks
 * and code review, in the words of the service it goes to (each backend's `resetAsCode`: mistral/resetCode.ts,
 * temporal/resetCode.ts). This file holds what both share. Pure. The key is always read from the environment in
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

export interface ResetSnippetInput extends ResetCodeRequest {
  baseUrl: string;
}

export const REASON_PLACEHOLDER = 'Describe why you reset (recorded for auditing)';

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
