/**
 * The sandbox in front of a Temporal cluster's HTTP API: requests under `/api/v1/` go through to the
 * engine as they came, after the sandbox's own key check, request log and fault switch. So one
 * sandbox serves a Mistral workspace (`/v1/workflows`, over the engine) and a Temporal workspace
 * (`/api/v1`, straight to the engine), and tests can break either the same way. The key check is what
 * Temporal Cloud's API keys do; the dev server itself has no auth.
 */
import type { Reply } from './errors';

export const TEMPORAL_PREFIX = '/api/v1/';

/** gRPC status codes grpc-gateway derives these HTTP statuses from (the inverse of its mapping). */
const GRPC_BY_STATUS: Readonly<Record<number, { code: number; message: string }>> = {
  400: { code: 3, message: 'invalid argument' },
  401: { code: 16, message: 'Request unauthenticated' },
  403: { code: 7, message: 'Request unauthorized' },
  404: { code: 5, message: 'Not Found' },
  409: { code: 6, message: 'already exists' },
  429: { code: 8, message: 'namespace rate limit exceeded' },
  500: { code: 13, message: 'internal error' },
  501: { code: 12, message: 'unimplemented' },
  503: { code: 14, message: 'service unavailable' },
  504: { code: 4, message: 'deadline exceeded' },
};

/**
 * The body Temporal's HTTP API sends with a status (`{code, message, details}`); statuses it never
 * sends itself (502 and the like come from a proxy in front of it) get the proxy's plain text.
 */
export function temporalStatusReply(status: number, headers: Record<string, string> = {}): Reply {
  const grpc = GRPC_BY_STATUS[status];
  if (grpc === undefined) return { status, body: `${status} Bad Gateway`, contentType: 'text/plain', headers };
  return { status, body: JSON.stringify({ code: grpc.code, message: grpc.message, details: [] }), contentType: 'application/json', headers };
}

export function temporalUnauthenticated(): Reply {
  return {
    status: 401,
    body: JSON.stringify({ code: 16, message: 'Request unauthenticated: send the sandbox key as Authorization: Bearer <key>', details: [] }),
    contentType: 'application/json',
    headers: { 'www-authenticate': 'Bearer' },
  };
}

/** A history long poll: open until the run has a new event (live runs follow executions with it). */
export function isLongPoll(url: URL): boolean {
  return url.pathname.endsWith('/history') && url.searchParams.get('waitNewEvent') === 'true';
}

/**
 * Sends the request on to the engine and answers what it answered (its body read whole, so that the
 * sandbox's faults, compression and trickling apply to it as to its own answers). Aborted when the
 * client goes away (a long poll the extension stopped must not keep waiting upstream).
 */
export async function forwardToTemporal(upstream: string, method: string, url: URL, body: string, signal: AbortSignal): Promise<Reply> {
  let answer: Response;
  try {
    answer = await fetch(new URL(`${url.pathname}${url.search}`, upstream), {
      method,
      headers: body === '' ? {} : { 'content-type': 'application/json' },
      body: body === '' || method === 'GET' ? undefined : body,
      signal,
      redirect: 'manual',
    });
  } catch (error) {
    if (signal.aborted) throw error;
    return temporalStatusReply(503); // the engine is down: what a gateway in front of it answers
  }
  const text = await answer.text();
  return { status: answer.status, body: text, contentType: answer.headers.get('content-type') ?? 'application/json' };
}
