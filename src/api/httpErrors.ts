/**
 * Turns a non-2xx answer into a WorkflowsApiError with a message a user can act on. Server bodies are
 * `{ detail, code, ...extra }`, but `detail` may be an array (422 validation), and bodies may be empty,
 * HTML from a gateway, or JSON without `detail` (`{ message }` from the API gateway).
 */
import { ApiProblem, ValidationIssue, WorkflowsApiError } from './errors';

export interface HttpFailure {
  method: string;
  path: string;
  status: number;
  statusText?: string;
  contentType?: string;
  bodyText: string;
  retryAfterMs?: number;
  /** The event id a reset asked for, to name it in WF_1001 messages. */
  resetEventId?: number;
}

export const KEY_REJECTED_MESSAGE =
  'The API key was rejected (401): it is missing, wrong or expired for this workspace. Set it with “Set API Key…”.';
export const KEY_FORBIDDEN_MESSAGE =
  'The API key is not allowed to do this (403): it may belong to another workspace or lack the permission. ' +
  'Check the workspace, or set another key with “Set API Key…”.';

/** Statuses a read retries; WF_1103 ("platform request failed") is retried whatever its status. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);
/**
 * Statuses that leave a write's outcome unknown: a gateway's (502, 504) may hide a write done upstream,
 * and a 500 or 503 may come after the write was applied (the server failed while answering, or a
 * proxy in front of it gave up). Only a 4xx says that nothing was done.
 */
export const UNKNOWN_WRITE_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);
/** The neutral reading of Mistral's statuses (WF_1102 "not running" is a 409; WF_1001 a 422). */
const PROBLEM_BY_STATUS: Readonly<Record<number, ApiProblem>> = {
  400: 'invalidArgument', 422: 'invalidArgument', 401: 'unauthenticated', 403: 'permissionDenied', 404: 'notFound',
  409: 'failedPrecondition', 429: 'resourceExhausted', 502: 'unavailable', 503: 'unavailable', 504: 'unavailable',
};
const GENERIC_DETAIL = 'an error occurred';
const MAX_DETAIL = 500;
const MAX_LISTED_EVENTS = 10;
const MAX_LISTED_ISSUES = 5;

interface ErrorBody {
  json: boolean;
  detail?: string;
  issues?: ValidationIssue[];
  code?: string;
  validResetEvents?: number[];
  executionStatus?: string;
}

export function httpError(f: HttpFailure, redact: (text: string) => string): WorkflowsApiError {
  const body = readErrorBody(f.bodyText);
  // `retryable` promises that trying again helps; only ever for reads (writes are never re-sent).
  const retryable = f.method === 'GET' && (RETRYABLE_STATUSES.has(f.status) || body.code === 'WF_1103');
  return new WorkflowsApiError({
    kind: 'http',
    message: redact(messageFor(f, body)),
    method: f.method,
    path: f.path,
    status: f.status,
    code: body.code,
    problem: body.code === 'WF_1103' ? 'unavailable' : body.code === 'WF_1001' ? 'invalidResetPoint' : PROBLEM_BY_STATUS[f.status],
    validResetEvents: body.validResetEvents,
    executionStatus: body.executionStatus,
    validationErrors: body.issues?.map((i) => ({ ...i, msg: redact(i.msg) })),
    retryAfterMs: f.retryAfterMs,
    retryable,
    outcomeUnknown: f.method !== 'GET' && (UNKNOWN_WRITE_STATUSES.has(f.status) || body.code === 'WF_1103'),
  });
}

function messageFor(f: HttpFailure, body: ErrorBody): string {
  const suffix = `(${f.status}${body.code ? ` ${body.code}` : ''})`;
  const detail = body.detail;
  if (f.status === 401) return KEY_REJECTED_MESSAGE;
  if (f.status === 403) return KEY_FORBIDDEN_MESSAGE;
  if (body.issues && body.issues.length > 0) return validationMessage(body.issues);
  if (body.code === 'WF_1100') return `Execution not found ${suffix}${detail ? `: ${detail}` : '.'}`;
  if (body.code === 'WF_1001') return resetPointMessage(f.resetEventId, body.validResetEvents);
  if (body.code === 'WF_1102') {
    const state = body.executionStatus ? ` (status: ${body.executionStatus})` : '';
    return `The execution is not running${state} ${suffix}; nothing was changed.`;
  }
  if (f.status === 429) {
    const wait = f.retryAfterMs !== undefined ? `in ${Math.ceil(f.retryAfterMs / 1000)} s` : 'shortly';
    return `The Workflows service is rate limiting requests (429). Try again ${wait}.`;
  }
  const server = f.status >= 500;
  if (f.bodyText.trim() === '') {
    return `The Workflows service answered ${statusLine(f)} with an empty response.${server ? ' Try again later.' : ''}`;
  }
  if (!body.json) {
    const html = /html/i.test(f.contentType ?? '') || f.bodyText.trimStart().startsWith('<');
    return (
      `The Workflows service answered ${statusLine(f)} with a body that is not JSON` +
      `${html ? ' (an HTML error page, probably from a proxy or gateway)' : ''}.${server ? ' Try again later.' : ''}`
    );
  }
  if (server && (!detail || detail.toLowerCase().startsWith(GENERIC_DETAIL))) {
    return `The Workflows service had an internal error ${suffix}. Try again later.`;
  }
  if (f.status === 404) return `Not found ${suffix}${detail ? `: ${detail}` : '.'}`;
  return detail ? `${detail} ${suffix}` : `The Workflows service answered ${statusLine(f)} ${suffix}.`;
}

function statusLine(f: HttpFailure): string {
  return f.statusText ? `${f.status} ${f.statusText}` : String(f.status);
}

export function resetPointMessage(eventId: number | undefined, valid: number[] | undefined): string {
  const head = eventId !== undefined ? `Event ${eventId} is not a valid reset point` : 'The event is not a valid reset point';
  if (!valid || valid.length === 0) return `${head}: pick a completed workflow task of the latest run.`;
  if (valid.length <= MAX_LISTED_EVENTS) return `${head}. Valid reset points: ${valid.join(', ')}.`;
  // Long histories have hundreds of points: show both ends, which are what users usually want.
  const shown = [...valid.slice(0, 5), '…', ...valid.slice(-3)].join(', ');
  return `${head}. Valid reset points (${valid.length}): ${shown}.`;
}

function validationMessage(issues: ValidationIssue[]): string {
  const parts = issues.slice(0, MAX_LISTED_ISSUES).map((i) => (i.loc.length > 0 ? `${i.loc.join('.')}: ${i.msg}` : i.msg));
  const more = issues.length > MAX_LISTED_ISSUES ? `; and ${issues.length - MAX_LISTED_ISSUES} more` : '';
  return `Invalid request: ${parts.join('; ')}${more}`;
}

function readErrorBody(text: string): ErrorBody {
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    return { json: false };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { json: parsed !== undefined };
  const o = parsed as Record<string, unknown>;
  const out: ErrorBody = { json: true };
  if (typeof o.code === 'string') out.code = o.code;
  // Branch on the type of detail: a string for workflow errors, an array for request validation.
  if (typeof o.detail === 'string') out.detail = clip(o.detail);
  else if (Array.isArray(o.detail)) out.issues = o.detail.map(toIssue).filter((i): i is ValidationIssue => i !== undefined);
  else if (typeof o.message === 'string') out.detail = clip(o.message);
  if (Array.isArray(o.valid_reset_events)) {
    out.validResetEvents = o.valid_reset_events.filter((n): n is number => typeof n === 'number' && Number.isInteger(n));
  }
  if (typeof o.status === 'string') out.executionStatus = o.status;
  return out;
}

function toIssue(item: unknown): ValidationIssue | undefined {
  if (item === null || typeof item !== 'object') return typeof item === 'string' ? { loc: [], msg: item, type: '' } : undefined;
  const o = item as Record<string, unknown>;
  const loc = Array.isArray(o.loc) ? o.loc.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number') : [];
  return { loc, msg: typeof o.msg === 'string' ? o.msg : 'invalid', type: typeof o.type === 'string' ? o.type : '' };
}

function clip(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text;
}

/** `Retry-After` as delta-seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  const trimmed = v.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
