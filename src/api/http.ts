/**
 * The transport: one undici request per attempt, a timeout per attempt combined with the caller's
 * signal, bounded retries for reads only, and every failure mapped to a WorkflowsApiError.
 *
 * Decisions (summarised for callers in index.ts):
 * - Caller abort → WorkflowsApiError kind 'aborted' (never a raw AbortError), also while backing off.
 * - Reads retry 429/502/503/504, WF_1103 and transient connection failures (including ECONNREFUSED, a
 *   couple of times: a sandbox restarting is refused briefly). Not a plain 500 (the server's 500s are
 *   deterministic "An error occurred" bugs; retrying only delays the message) and not timeouts (a
 *   30 s wait repeated 3 times is worse than telling the user).
 * - Writes (POST) are never retried: no idempotency key exists, and a reset sent twice resets twice.
 *   A write past its timeout is reported at once but not cut off until three timeouts have passed: the
 *   error's `requestEnd` tells its caller when the server was done with it (see awaitWrite).
 * - Redirects are not followed: a 3xx is an error and nothing is re-sent with the Authorization header.
 *
 * The same transport speaks to Mistral's API and to Temporal's HTTP API: what differs per service is how
 * an error answer reads (`mapError`), how the service is named in messages, and whether a key is sent.
 */
import type { Dispatcher } from 'undici';
import { Pool } from './undici';
import { WorkflowsApiError, type RequestEnd } from './errors';
import { httpError, parseRetryAfter, type HttpFailure } from './httpErrors';
import { ACCEPT_ENCODING, BodyDecodeError, DEFAULT_MAX_BODY_BYTES, MAX_ERROR_BODY_BYTES, readBody, readTextUpTo, textChunks, type TextSink } from './body';
import { tlsFailureOf, tlsMessage, type TlsFailure, type TlsSettings } from './tls';
import { probeTls } from './tlsProbe';
import { isLoopback } from '../common/loopback';

/** Turns a non-2xx answer into the error to throw; `redact` removes the API key from any text. */
type HttpErrorMapper = (failure: HttpFailure, redact: (text: string) => string) => WorkflowsApiError;

interface HttpSettings {
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`; empty: no Authorization header at all. */
  apiKey: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  maxRetries: number;
  retryBaseDelayMs: number;
  maxRetryDelayMs: number;
  userAgent: string;
  /** Default: Mistral's error bodies (httpErrors.ts). */
  mapError?: HttpErrorMapper;
  /** How timeouts name the service. Default "The Workflows service". */
  serviceName?: string;
  /** A client certificate and key, a private CA and a server name, e.g. for a self-hosted Temporal cluster. */
  tls?: TlsSettings;
  /**
   * Temporal workspaces: TLS failures name the settings that fix them (serverCaFile, serverName,
   * clientCertFile), and an https connection the server closes unanswered is probed for a refused
   * client certificate (see tlsProbe.ts). Mistral workspaces have no such settings.
   */
  tlsHints?: boolean;
  /**
   * Whether to ask for compressed answers. 'auto' (default): yes, except from a loopback host (a local
   * sandbox), where bytes are free and decompressing would only add time.
   */
  compression?: 'auto' | 'on' | 'off';
  /** The most a 2xx answer may decode to (a clear parse error beyond it). Default DEFAULT_MAX_BODY_BYTES (body.ts). */
  maxBodyBytes?: number;
}

/** What a client's caller may set on its transport; each client adds its service's own settings. */
export interface TransportOptions {
  /** The service's origin, and path prefix if any. */
  baseUrl: string;
  /** Per attempt, including reading the body. Default 30000. */
  timeoutMs?: number;
  /** Injectable for tests; otherwise one keep-alive undici Pool for the base URL's origin. */
  dispatcher?: Dispatcher;
  /** Retries for reads only. Default 3. */
  maxRetries?: number;
  /** First backoff delay; doubles per retry, with jitter. Default 500. */
  retryBaseDelayMs?: number;
  /** Cap on any one backoff delay, including a server's Retry-After. Default 10000. */
  maxRetryDelayMs?: number;
  /** Default: the service's own (ServiceTransport.userAgent). */
  userAgent?: string;
  /** Ask for gzip/br answers; default 'auto': yes, except from a loopback host. */
  compression?: 'auto' | 'on' | 'off';
  /** The most one answer may decode to; default 128 MiB (DEFAULT_MAX_BODY_BYTES in body.ts). */
  maxBodyBytes?: number;
}

/** What a service sets on its transport, whatever its caller chose. */
type ServiceTransport = Pick<HttpSettings, 'apiKey' | 'userAgent' | 'mapError' | 'serviceName' | 'tls' | 'tlsHints'>;

/** The transport's settings: the caller's options over the defaults both services share. */
export function transportSettings(options: TransportOptions, service: ServiceTransport): HttpSettings {
  return {
    ...service,
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs ?? 30_000,
    dispatcher: options.dispatcher,
    maxRetries: options.maxRetries ?? 3,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 10_000,
    userAgent: options.userAgent ?? service.userAgent,
    compression: options.compression,
    maxBodyBytes: options.maxBodyBytes,
  };
}

export interface HttpCall {
  method: 'GET' | 'POST';
  /** Path below the base URL (e.g. `/v1/...`), path parameters already percent-encoded. */
  path: string;
  query?: URLSearchParams;
  /** JSON body (POST only). */
  body?: unknown;
  /** True when the answer must be JSON (reads); false for 202/204 writes whose body is ignored. */
  expectJson: boolean;
  /** For WF_1001 messages. */
  resetEventId?: number;
  signal?: AbortSignal;
  /**
   * Reads a 2xx body as it arrives instead of parsing it whole at the end (a fresh sink per attempt,
   * so that a retry starts clean); the call returns what its `end()` returns.
   */
  sink?: () => TextSink<unknown>;
}

/** Who answered a call, for shapeError. */
export interface AnswerSource {
  /** Names the answer in the message: `The server` (Mistral's API) or `Temporal`. */
  readonly name: string;
  /**
   * True when a write whose answer is unreadable was applied all the same (the server said yes), so its
   * result is unknown and must be read back: the error is outcomeUnknown. Reads are never so.
   */
  readonly unreadableWriteApplied: boolean;
}

/** The answer to `call` is valid JSON but not `expected` (a noun phrase: `an execution`): a 'parse' error. */
export function shapeError(call: HttpCall, expected: string, source: AnswerSource, cause?: unknown): WorkflowsApiError {
  return new WorkflowsApiError({
    kind: 'parse',
    method: call.method,
    path: call.path,
    message: `${source.name}'s answer is valid JSON but not ${expected}.`,
    outcomeUnknown: source.unreadableWriteApplied && call.method !== 'GET',
    cause,
  });
}

const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT',
]);
/** How many timeouts a write is let run before it is cut off (its caller hears of the first). */
const LATE_WRITE_FACTOR = 3;
const LATE = Symbol('late');
/** Failures that happen before a request can have been sent: a write failing so has certainly not happened. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

export class HttpTransport {
  private readonly origin: string;
  private readonly url: URL;
  private readonly prefix: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private closed = false;
  private readonly compress: boolean;
  /** Reads in flight, cancelled by close(). */
  private readonly reads = new Set<AbortController>();

  constructor(private readonly settings: HttpSettings) {
    const url = new URL(settings.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Unsupported base URL protocol: ${url.protocol}`);
    this.origin = url.origin; // never carries user:password
    this.prefix = url.pathname.replace(/\/+$/, ''); // "https://host/proxy/" → "/proxy"
    this.ownsDispatcher = settings.dispatcher === undefined;
    const mode = settings.compression ?? 'auto';
    this.compress = mode === 'on' || (mode === 'auto' && !isLoopback(url.hostname));
    this.url = url;
    // One keep-alive pool per client (a client has one origin). `connect` goes to tls.connect as is.
    this.dispatcher = settings.dispatcher ?? new Pool(this.origin, { connections: 8, keepAliveTimeout: 30_000, ...(settings.tls ? { connect: { ...settings.tls } } : {}) });
  }

  async call(c: HttpCall): Promise<unknown> {
    const maxRetries = c.method === 'GET' ? Math.max(0, this.settings.maxRetries) : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await (c.method === 'GET' ? this.attempt(c) : this.awaitWrite(c, this.attempt(c)));
      } catch (e) {
        if (!(e instanceof WorkflowsApiError) || !e.retryable || attempt >= maxRetries) throw e;
        await this.backoff(this.delayFor(e, attempt), c);
      }
    }
  }

  /**
   * From now on nothing new is sent (even on an injected dispatcher) and reads in flight are cancelled;
   * a write in flight finishes, so that its caller learns what happened.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const read of this.reads) read.abort();
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async attempt(c: HttpCall): Promise<unknown> {
    // Errors name the API path (`/v1/...`), not the base URL's prefix, so they read the same everywhere.
    const path = c.path;
    if (c.signal?.aborted) throw this.aborted(c, path, false);
    if (this.closed) throw this.closedError(c, path);
    const controller = new AbortController();
    if (c.method === 'GET') this.reads.add(controller);
    let timedOut = false;
    // A read is cut off at its timeout; a write only after LATE_WRITE_FACTOR of them (see awaitWrite).
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.settings.timeoutMs * (c.method === 'GET' ? 1 : LATE_WRITE_FACTOR));
    const onAbort = (): void => controller.abort();
    c.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const qs = c.query?.toString();
      const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.settings.userAgent };
      if (this.compress) headers['accept-encoding'] = ACCEPT_ENCODING;
      if (this.settings.apiKey !== '') headers.authorization = `Bearer ${this.settings.apiKey}`;
      let body: string | undefined;
      if (c.body !== undefined) {
        body = JSON.stringify(c.body);
        headers['content-type'] = 'application/json';
      }
      let text: string;
      let res: Dispatcher.ResponseData | undefined;
      let sink: TextSink<unknown> | undefined;
      try {
        res = await this.dispatcher.request({
          origin: this.origin, path: `${this.prefix}${path}${qs ? `?${qs}` : ''}`,
          method: c.method, headers, body, signal: controller.signal,
        });
        if (res.statusCode >= 300 && res.statusCode < 400) {
          res.body.dump().catch(() => undefined);
          throw this.redirect(c, path, res);
        }
        if (!c.expectJson && res.statusCode >= 200 && res.statusCode < 300) {
          // A write the server confirmed: a body hiccup after the status must not turn it into "unknown".
          res.body.dump().catch(() => undefined);
          return undefined;
        }
        const ok = res.statusCode >= 200 && res.statusCode < 300;
        const encoding = res.headers['content-encoding'];
        const limit = { maxBytes: this.settings.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, serviceName: this.settings.serviceName ?? 'The Workflows service' };
        if (!ok) {
          // An error answer is read for its message: a huge one is cut, and its status still reported.
          text = await readTextUpTo(res.body, encoding, MAX_ERROR_BODY_BYTES);
        } else if (c.sink) {
          const into = c.sink();
          sink = into;
          const chunks = textChunks((t) => into.write(t));
          await readBody(res.body, encoding, chunks.onChunk, limit);
          chunks.flush();
          text = '';
        } else {
          // Collects the Buffers and decodes once: histories can be tens of MB.
          const buffers: Buffer[] = [];
          await readBody(res.body, encoding, (b) => buffers.push(b), limit);
          text = Buffer.concat(buffers).toString('utf8');
        }
      } catch (e) {
        if (e instanceof WorkflowsApiError) throw e;
        if (this.closed && c.method === 'GET') throw this.closedError(c, path, e);
        if (timedOut) throw this.timeout(c, path, e);
        if (c.signal?.aborted) throw this.aborted(c, path, c.method !== 'GET', e);
        if (e instanceof BodyDecodeError) {
          res?.body.destroy();
          throw this.parseError(c, path, e.message, e.cause ?? e);
        }
        throw (await this.tlsError(c, path, e, controller.signal)) ?? this.network(c, path, e);
      }
      if (sink) return this.finish(c, path, sink);
      return this.interpret(c, path, res, text);
    } finally {
      clearTimeout(timer);
      this.reads.delete(controller);
      c.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * A write's answer within the timeout; past it, the timeout error, while the request runs on: cutting
   * it off would not stop a server that is still working on it, only hide when it was done. The
   * error's `requestEnd` says how the request ended (a late answer, a closed connection, or cut off
   * after LATE_WRITE_FACTOR timeouts), so that a caller concludes only once the server was done.
   */
  private async awaitWrite(c: HttpCall, work: Promise<unknown>): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<typeof LATE>((resolve) => {
      timer = setTimeout(() => resolve(LATE), this.settings.timeoutMs);
    });
    try {
      const first = await Promise.race([work, late]);
      if (first !== LATE) return first;
    } finally {
      clearTimeout(timer);
    }
    const requestEnd = work.then(
      (): RequestEnd => 'succeeded',
      (e: unknown): RequestEnd => (e instanceof WorkflowsApiError && (e.kind === 'timeout' || e.kind === 'aborted') ? 'abandoned' : 'ended'),
    );
    throw this.timeout(c, c.path, undefined, requestEnd);
  }

  /** The client was closed (another workspace, key or base URL is in use): the request was not sent, or a read was cancelled. */
  private closedError(c: HttpCall, path: string, cause?: unknown): WorkflowsApiError {
    return new WorkflowsApiError({
      kind: 'aborted', method: c.method, path, cause,
      message: 'The connection was closed because the workspace, its base URL or its API key changed; nothing more was sent on it.',
    });
  }

  private interpret(c: HttpCall, path: string, res: Dispatcher.ResponseData, text: string): unknown {
    const status = res.statusCode;
    if (status < 200 || status >= 300) {
      const contentType = res.headers['content-type'];
      const failure = (this.settings.mapError ?? httpError)({
        method: c.method, path, status, statusText: res.statusText, bodyText: text,
        contentType: Array.isArray(contentType) ? contentType[0] : contentType,
        retryAfterMs: parseRetryAfter(res.headers['retry-after']), resetEventId: c.resetEventId,
      }, (s) => this.redact(s));
      throw failure;
    }
    if (text.trim() === '') throw this.parseError(c, path, 'The server sent an empty response where JSON was expected.');
    try {
      return JSON.parse(text);
    } catch (e) {
      throw this.parseError(c, path, 'The server sent a response that is not valid JSON (truncated?).', e);
    }
  }

  /** The sink's value; a body that ended as invalid JSON (truncated?) is a parse error like interpret()'s. */
  private finish(c: HttpCall, path: string, sink: TextSink<unknown>): unknown {
    try {
      return sink.end();
    } catch (e) {
      if (e instanceof BodyDecodeError) throw this.parseError(c, path, e.message, e);
      if (e instanceof SyntaxError) throw this.parseError(c, path, 'The server sent a response that is not valid JSON (truncated?).', e);
      throw e; // the sink's own verdict (e.g. valid JSON of the wrong shape): the caller words it
    }
  }

  private delayFor(e: WorkflowsApiError, attempt: number): number {
    const cap = this.settings.maxRetryDelayMs;
    if (e.retryAfterMs !== undefined) return Math.min(e.retryAfterMs, cap);
    const exp = Math.min(cap, this.settings.retryBaseDelayMs * 2 ** attempt);
    return exp / 2 + Math.random() * (exp / 2); // jitter spreads clients that failed together
  }

  private backoff(ms: number, c: HttpCall): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(this.aborted(c, c.path, false));
      };
      const timer = setTimeout(() => {
        c.signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      if (c.signal?.aborted) onAbort();
      else c.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private redact(text: string): string {
    const key = this.settings.apiKey;
    return key.length >= 4 ? text.split(key).join('[redacted]') : text;
  }

  private redirect(c: HttpCall, path: string, res: Dispatcher.ResponseData): WorkflowsApiError {
    let target = 'another location';
    const loc = res.headers.location;
    const location = Array.isArray(loc) ? loc[0] : loc;
    try {
      if (location) target = new URL(location, this.origin + this.prefix + path).origin; // origin only: a URL may carry tokens
    } catch {
      /* unreadable Location: keep the generic wording */
    }
    return new WorkflowsApiError({
      kind: 'redirect', method: c.method, path, status: res.statusCode,
      message: this.redact(`The server answered with an unexpected redirect to ${target} (${res.statusCode}); it was not followed. Check the base URL.`),
    });
  }

  private timeout(c: HttpCall, path: string, cause: unknown, requestEnd?: Promise<RequestEnd>): WorkflowsApiError {
    const write = c.method !== 'GET';
    const seconds = Math.round(this.settings.timeoutMs / 100) / 10;
    return new WorkflowsApiError({
      kind: 'timeout', method: c.method, path, cause, outcomeUnknown: write, requestEnd,
      message: `${this.settings.serviceName ?? 'The Workflows service'} did not answer within ${seconds} s.` +
        (write ? ' The action may or may not have been applied: refresh to check before trying again.' : ''),
    });
  }

  private aborted(c: HttpCall, path: string, outcomeUnknown: boolean, cause?: unknown): WorkflowsApiError {
    return new WorkflowsApiError({ kind: 'aborted', method: c.method, path, cause, outcomeUnknown, message: 'The request was cancelled.' });
  }

  /**
   * A failed TLS handshake, in words that say what to fix. Node's code says so for most failures; a
   * fresh https connection closed before any answer is probed, because that is how a refused client
   * certificate reaches us through undici under TLS 1.3 (tlsProbe.ts). The probe ends with the attempt
   * (`signal`: its timeout, the caller's cancel, close()).
   */
  private async tlsError(c: HttpCall, path: string, cause: unknown, signal: AbortSignal): Promise<WorkflowsApiError | undefined> {
    if (this.url.protocol !== 'https:') return undefined;
    const code = errorCode(cause);
    let failure: TlsFailure | undefined = tlsFailureOf(code, messageOf(cause));
    let quoted = code ?? 'TLS';
    // Certain when Node says so; inferred from a probe, a write keeps "may or may not have been applied".
    let certain = failure !== undefined;
    if (failure === undefined && this.settings.tlsHints === true && closedUnanswered(cause, code)) {
      const probe = await probeTls(this.url, this.settings.tls, this.settings.timeoutMs, signal);
      if (probe.kind === 'error') {
        failure = tlsFailureOf(probe.code, probe.message);
        quoted = probe.code;
      } else if (probe.kind === 'closed') {
        failure = 'clientCertificate';
        quoted = 'the server closed the connection right after the TLS handshake';
      }
      certain = false;
    }
    if (failure === undefined) return undefined;
    const unknown = c.method !== 'GET' && !certain;
    const message = tlsMessage(failure, {
      origin: this.origin, code: quoted, clientCertificate: this.settings.tls?.cert !== undefined,
      settingsHints: this.settings.tlsHints === true, reason: reasonOf(cause),
    }) + (unknown ? ' The action may or may not have been applied: refresh to check before trying again.' : '');
    // Never retried: the same settings meet the same certificate again.
    return new WorkflowsApiError({ kind: 'network', method: c.method, path, cause, message: this.redact(message), outcomeUnknown: unknown, tls: failure });
  }

  private network(c: HttpCall, path: string, cause: unknown): WorkflowsApiError {
    const code = errorCode(cause);
    const write = c.method !== 'GET';
    const sent = code === undefined || !NOT_SENT_CODES.has(code);
    let message: string;
    if (code === 'ECONNREFUSED') message = `Could not connect to ${this.origin}: connection refused. Is the service (or the sandbox) running?`;
    else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') message = `Could not resolve the host of ${this.origin} (${code}). Check the base URL and the network.`;
    else {
      const what = cause instanceof Error && cause.message ? cause.message : 'connection failed';
      message = `The connection to ${this.origin} failed before the answer arrived (${code ?? what}).`;
    }
    if (write && sent) message += ' The action may or may not have been applied: refresh to check before trying again.';
    return new WorkflowsApiError({
      kind: 'network', method: c.method, path, cause, message: this.redact(message),
      outcomeUnknown: write && sent, retryable: !write && code !== undefined && RETRYABLE_NETWORK_CODES.has(code),
    });
  }

  /** A write answered 2xx with an unreadable body was applied, but its result is unknown: read back. */
  private parseError(c: HttpCall, path: string, message: string, cause?: unknown): WorkflowsApiError {
    return new WorkflowsApiError({ kind: 'parse', method: c.method, path, message, cause, outcomeUnknown: c.method !== 'GET' });
  }
}

function messageOf(e: unknown): string | undefined {
  return e instanceof Error ? e.message : undefined;
}

/** Node's explanation of a name mismatch: the name asked for and the names the certificate holds. */
function reasonOf(e: unknown): string | undefined {
  const reason = (e as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** undici's "other side closed" on a connection that never received a byte: the server hung up at once. */
function closedUnanswered(e: unknown, code: string | undefined): boolean {
  if (code !== 'UND_ERR_SOCKET') return false;
  const socket = (e as { socket?: { bytesRead?: unknown } } | null)?.socket;
  return socket?.bytesRead === 0;
}

function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur !== null && typeof cur === 'object' && depth < 4; depth++) {
    const o = cur as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof o.code === 'string' && o.code !== 'UND_ERR_ABORTED') return o.code;
    // Happy-eyeballs connect failures arrive as an AggregateError of per-address errors.
    cur = o.cause ?? (Array.isArray(o.errors) ? o.errors[0] : undefined);
  }
  return undefined;
}
