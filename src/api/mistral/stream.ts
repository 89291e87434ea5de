/**
 * Following an execution's live events: `GET /executions/{id}/stream` (Server-Sent Events).
 *
 * - Reconnects after a dropped connection, a 5xx or 429 (not 501), with `Last-Event-ID` set to the last
 *   id received, so nothing is missed or repeated; the delay doubles from `reconnectBaseDelayMs` (or the
 *   server's `retry:`) up to `maxReconnectDelayMs`, with jitter. After `maxReconnects` failures in a row
 *   (a message resets the count) the iteration throws the last WorkflowsApiError.
 * - Any other HTTP error (401, 403, 404, 405, 501, 422...) or a body that is not an event stream throws
 *   at once: reconnecting cannot help, and a caller usually falls back to polling.
 * - The server ending the stream cleanly (the execution closed) ends the iteration.
 * - The caller's AbortSignal ends the iteration quietly, also while waiting to reconnect.
 * - A connection silent for `idleTimeoutMs` (the server sends a comment every ~15 s) counts as dropped.
 */
import type { Dispatcher } from 'undici';
import { sleep } from '../../common/sleep';
import { WorkflowsApiError } from '../errors';
import { httpError, parseRetryAfter } from '../httpErrors';
import { MAX_ERROR_BODY_BYTES, readTextUpTo } from '../body';
import { SseLimitError, SseParser } from './sse';
import type { StreamExecutionOptions, StreamMessage, StreamPayload } from '../liveEvents';

interface StreamTransport {
  origin: string;
  prefix: string;
  apiKey: string;
  userAgent: string;
  connectTimeoutMs: number;
  dispatcher: Dispatcher;
}

const HEALTHY_CONNECTION_MS = 30_000;
export async function* streamExecution(t: StreamTransport, executionId: string, options: StreamExecutionOptions = {}): AsyncGenerator<StreamMessage> {
  const path = `/v1/workflows/executions/${encodeURIComponent(executionId)}/stream`;
  // Resume after the last message delivered, not the last `id:` line read: a drop may cut a message after it.
  let resumeId = options.lastEventId;
  let retryMs: number | undefined;
  const maxReconnects = options.maxReconnects ?? 5;
  let failures = 0;
  let connectedAt = 0;
  for (;;) {
    if (options.signal?.aborted) return;
    try {
      const body = await connect(t, path, resumeId, options);
      connectedAt = Date.now();
      const parser = new SseParser(resumeId); // a fresh one: a partial line of a dropped connection is discarded
      let clean = false;
      try {
        for await (const chunk of body) {
          const messages = parser.push(chunk as Uint8Array);
          retryMs = parser.retryMs ?? retryMs;
          for (const m of messages) {
            failures = 0;
            resumeId = m.id;
            yield { ...m, payload: readPayload(m.data) };
          }
        }
        clean = true;
      } finally {
        if (!clean) body.destroy(); // the consumer stopped early or the body failed: free the socket
      }
      return; // the server ended the stream: the execution closed
    } catch (e) {
      if (options.signal?.aborted) return;
      const error = asApiError(e, path, t);
      // A connection that stayed up a while (a proxy cutting idle streams) is not a failure in a row.
      if (connectedAt > 0 && Date.now() - connectedAt >= HEALTHY_CONNECTION_MS) failures = 0;
      connectedAt = 0;
      if (!error.retryable || ++failures > maxReconnects) throw error;
      const base = Math.max(retryMs ?? 0, options.reconnectBaseDelayMs ?? 1000);
      const cap = options.maxReconnectDelayMs ?? 30_000;
      const exp = Math.min(cap, error.retryAfterMs ?? base * 2 ** (failures - 1));
      const delay = exp / 2 + Math.random() * (exp / 2);
      options.onReconnect?.(error, failures, delay);
      if (!(await sleep(delay, options.signal))) return;
    }
  }
}

async function connect(t: StreamTransport, path: string, lastEventId: string | undefined, o: StreamExecutionOptions): Promise<Dispatcher.ResponseData['body']> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${t.apiKey}`,
    accept: 'text/event-stream',
    'cache-control': 'no-cache',
    'user-agent': t.userAgent,
  };
  if (lastEventId) headers['last-event-id'] = lastEventId;
  const res = await t.dispatcher.request({
    origin: t.origin,
    path: `${t.prefix}${path}`,
    method: 'GET',
    headers,
    signal: o.signal,
    headersTimeout: t.connectTimeoutMs,
    bodyTimeout: o.idleTimeoutMs ?? 60_000,
  });
  const contentType = header(res.headers['content-type']);
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const bodyText = await readTextUpTo(res.body, res.headers['content-encoding'], MAX_ERROR_BODY_BYTES).catch(() => '');
    const failure = httpError({
      method: 'GET', path, status: res.statusCode, bodyText, contentType, retryAfterMs: parseRetryAfter(res.headers['retry-after']),
    }, (s) => redact(s, t.apiKey));
    // A plain 500 may be a stream broker hiccup: unlike a one-shot read, a long-lived stream retries it.
    if (res.statusCode !== 500) throw failure;
    throw new WorkflowsApiError({ kind: 'http', message: failure.message, method: 'GET', path, status: 500, retryable: true });
  }
  if (!contentType?.toLowerCase().startsWith('text/event-stream')) {
    res.body.dump().catch(() => undefined);
    throw new WorkflowsApiError({ kind: 'parse', method: 'GET', path, message: `The server answered the event stream with ${contentType ?? 'no content type'}, not text/event-stream.` });
  }
  return res.body;
}

function readPayload(data: string): StreamPayload {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { kind: 'other' };
  }
  if (value === null || typeof value !== 'object') return { kind: 'other' };
  const o = value as Record<string, unknown>;
  if (typeof o.error === 'string' && typeof o.reason === 'string' && !('data' in o)) return { kind: 'error', error: o.error, reason: o.reason };
  const event = (typeof o.data === 'object' && o.data !== null ? o.data : {}) as Record<string, unknown>;
  const context = (typeof o.workflow_context === 'object' && o.workflow_context !== null ? o.workflow_context : {}) as Record<string, unknown>;
  return {
    kind: 'event',
    eventType: str(event.event_type),
    executionId: str(context.workflow_exec_id) ?? str(event.workflow_exec_id),
    runId: str(event.workflow_run_id),
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const header = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

function redact(text: string, key: string): string {
  return key.length >= 4 ? text.split(key).join('[redacted]') : text;
}

/** Network failures (refused, reset, dropped mid-stream, idle timeout) are worth a reconnect; an over-long line is not. */
function asApiError(e: unknown, path: string, t: StreamTransport): WorkflowsApiError {
  if (e instanceof WorkflowsApiError) return e;
  // The same server would send the same line again: not worth a reconnect.
  if (e instanceof SseLimitError) return new WorkflowsApiError({ kind: 'parse', method: 'GET', path, cause: e, message: e.message });
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  const what = e instanceof Error && e.message ? e.message : 'connection failed';
  return new WorkflowsApiError({
    // A destroyed dispatcher means the client was closed: no reconnect can succeed.
    kind: 'network', method: 'GET', path, cause: e, retryable: code !== 'UND_ERR_DESTROYED',
    message: redact(`The event stream from ${t.origin} was interrupted (${typeof code === 'string' ? code : what}).`, t.apiKey),
  });
}
