/**
 * Temporal's HTTP API answers a failure with `{ code: <gRPC status>, message, details: [...] }` and the
 * HTTP status grpc-gateway derives from it (3 → 400, 5 → 404, 6 → 409, 9 → 400, 14 → 503, 16 → 401...).
 * This maps it to a WorkflowsApiError: `problem` from the gRPC code (from the HTTP status when a proxy
 * answered instead), the server's own message, and the same retry / outcome rules as Mistral's API.
 */
import { ApiProblem, WorkflowsApiError } from '../errors';
import { KEY_FORBIDDEN_MESSAGE, KEY_REJECTED_MESSAGE, RETRYABLE_STATUSES, UNKNOWN_WRITE_STATUSES, type HttpFailure } from '../httpErrors';

/** gRPC status codes Temporal sends, by number. */
const GRPC_NAMES: Readonly<Record<number, string>> = {
  1: 'CANCELLED', 2: 'UNKNOWN', 3: 'INVALID_ARGUMENT', 4: 'DEADLINE_EXCEEDED', 5: 'NOT_FOUND', 6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED', 8: 'RESOURCE_EXHAUSTED', 9: 'FAILED_PRECONDITION', 10: 'ABORTED', 11: 'OUT_OF_RANGE',
  12: 'UNIMPLEMENTED', 13: 'INTERNAL', 14: 'UNAVAILABLE', 15: 'DATA_LOSS', 16: 'UNAUTHENTICATED',
};

const PROBLEM_BY_GRPC: Readonly<Record<number, ApiProblem>> = {
  3: 'invalidArgument', 11: 'invalidArgument', 5: 'notFound', 6: 'alreadyExists', 9: 'failedPrecondition',
  7: 'permissionDenied', 16: 'unauthenticated', 8: 'resourceExhausted', 14: 'unavailable',
};

/** Only when the body is not Temporal's (a proxy or gateway answered). */
const PROBLEM_BY_STATUS: Readonly<Record<number, ApiProblem>> = {
  400: 'invalidArgument', 401: 'unauthenticated', 403: 'permissionDenied', 404: 'notFound', 409: 'alreadyExists',
  429: 'resourceExhausted', 502: 'unavailable', 503: 'unavailable', 504: 'unavailable',
};

/** Reads may retry these: the server did not do the work and may well do it next time. */
const RETRYABLE_GRPC: ReadonlySet<number> = new Set([8, 14]);
/**
 * A write failing so may have been applied before the failure (deadline passed, backend lost mid-way,
 * an internal or unknown error while answering: grpc-gateway's 500s).
 */
const OUTCOME_UNKNOWN_GRPC: ReadonlySet<number> = new Set([2, 4, 13, 14]);
const MAX_MESSAGE = 500;

interface TemporalErrorBody {
  grpcCode?: number;
  message?: string;
}

export function temporalError(f: HttpFailure, redact: (text: string) => string): WorkflowsApiError {
  const body = readBody(f.bodyText);
  const grpc = body.grpcCode;
  const problem = grpc !== undefined ? PROBLEM_BY_GRPC[grpc] : PROBLEM_BY_STATUS[f.status];
  const read = f.method === 'GET';
  const gateway = grpc === undefined && UNKNOWN_WRITE_STATUSES.has(f.status); // a proxy answered
  return new WorkflowsApiError({
    kind: 'http',
    method: f.method,
    path: f.path,
    status: f.status,
    grpcCode: grpc,
    problem,
    message: redact(messageFor(f, body, problem)),
    retryAfterMs: f.retryAfterMs,
    retryable: read && (grpc !== undefined ? RETRYABLE_GRPC.has(grpc) : RETRYABLE_STATUSES.has(f.status)),
    outcomeUnknown: !read && (gateway || (grpc !== undefined && OUTCOME_UNKNOWN_GRPC.has(grpc))),
  });
}

function messageFor(f: HttpFailure, body: TemporalErrorBody, problem: ApiProblem | undefined): string {
  const tag = body.grpcCode !== undefined ? `${f.status} ${GRPC_NAMES[body.grpcCode] ?? `gRPC ${body.grpcCode}`}` : String(f.status);
  const server = body.message !== undefined && body.message !== '' ? body.message : undefined;
  if (problem === 'unauthenticated') return server ? `${KEY_REJECTED_MESSAGE} Temporal said: ${server}` : KEY_REJECTED_MESSAGE;
  if (problem === 'permissionDenied') return server ? `${KEY_FORBIDDEN_MESSAGE} Temporal said: ${server}` : KEY_FORBIDDEN_MESSAGE;
  if (server === 'Not Found' && f.status === 404 && /%2F/i.test(f.path)) {
    // The gateway decodes %2F before it routes, so no route matches: the id itself may well exist.
    return `Not Found (${tag}): Temporal's HTTP API cannot address a workflow id that contains "/".`;
  }
  if (server) return `${server} (${tag})`;
  const what = f.bodyText.trim() === '' ? 'an empty response' : 'a body that is not a Temporal error';
  return `The Temporal service answered ${f.status}${f.statusText ? ` ${f.statusText}` : ''} with ${what}.` +
    (f.status >= 500 ? ' Try again later.' : '');
}

function readBody(text: string): TemporalErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  const o = parsed as Record<string, unknown>;
  const out: TemporalErrorBody = {};
  if (typeof o.code === 'number' && Number.isInteger(o.code) && o.code > 0) out.grpcCode = o.code;
  if (typeof o.message === 'string') out.message = o.message.length > MAX_MESSAGE ? `${o.message.slice(0, MAX_MESSAGE)}…` : o.message;
  return out;
}
