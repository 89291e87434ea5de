/**
 * The local sandbox: a faithful-enough Mistral Workflows API on 127.0.0.1 with seeded data, request
 * recording and a fault switch. `startSandbox()` is the programmatic API tests use; cli.ts wraps it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HISTORY_SHAPES, type HistoryShape, type SandboxStore } from './store';
import { plainError, statusBody, type Reply } from './errors';
import { checkRule, Faults, type FaultRule, type FaultSwitch } from './faults';
import { CompressionCache, negotiate, type Coding } from './compress';
import { sendTrickled } from './trickle';
import { MemoryStore } from './memory-store';
import type { RequestBody } from './request';
import { route, type ResetRecord } from './routes';
import { MemoryState } from './memory-state';
import { serveStream } from './stream';
import { forwardToTemporal, isLongPoll, TEMPORAL_PREFIX, temporalStatusReply, temporalUnauthenticated } from './temporalPassthrough';
import { WorkerRegistry, type EngineAddress } from './workers';

export type { SandboxStore } from './store';
export type { FaultRule } from './faults';
export type { HistoryShape } from './store';

export { DEMO, DEMO_RESET_REASONS, STUCK_BUILD, STUCK_MESSAGE } from './seed';
export { BIG_EVENT_COUNT } from './seed-big';

export interface SandboxOptions {
  /** Default 0 = a free port. */
  port?: number;
  /** The address to listen on; default 127.0.0.1 (the bench also uses a veth address of its own namespace). */
  host?: string;
  /**
   * Host header names the admin routes (`/_sandbox/*`) answer besides loopback's (localhost, 127.0.0.1,
   * [::1]), compared without the port: the bench's veth address.
   */
  adminHosts?: readonly string[];
  /** Default 'sandbox-key'. */
  apiKey?: string;
  /** Default 42. */
  seed?: number;
  /** Default 'seed'. */
  historyShape?: HistoryShape;
  /** How long after a reset the new run completes; default 3000. */
  completionDelayMs?: number;
  /** Anchor time (ms) for the seeded data; default Date.now() floored to the minute. */
  now?: number;
  /** How many ordinary executions to seed besides the special ones; default 35 (benchmarks list 1,000). */
  executions?: number;
  /** The engine workers should connect to (`GET /workers/whoami`); without it whoami is 404. */
  engine?: EngineAddress;
  /**
   * The store behind the routes, made once the sandbox has its worker registry; closed with the
   * sandbox. Default: the seeded in-memory store (`seed`, `now`, `completionDelayMs`, `executions`).
   */
  store?: (shared: { workers: WorkerRegistry }) => SandboxStore | Promise<SandboxStore>;
  /**
   * Compress answers when the client's Accept-Encoding asks for gzip or br, as gateways do. Default
   * true; false: ignore Accept-Encoding (a proxy that never compresses).
   */
  compression?: boolean;
  /** Smallest body compressed; default 1024 bytes (smaller ones would not gain a packet). */
  compressMinBytes?: number;
  /** The codings offered, best first on a q-value tie; default br then gzip. */
  codings?: readonly Coding[];
  /**
   * A Temporal cluster's HTTP API (e.g. the dev server's `http://127.0.0.1:7243`): requests under
   * `/api/v1/` go through to it, after the key check, the request log and the fault switch, so a
   * Temporal workspace can point at the sandbox (temporalPassthrough.ts).
   */
  temporal?: { httpBaseUrl: string };
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  body: unknown;
  authorized: boolean;
  time: number;
  /** The Accept-Encoding header, when the client sent one. */
  acceptEncoding?: string;
}

export interface Sandbox {
  baseUrl: string;
  apiKey: string;
  port: number;
  /** Every API request received (not admin ones), in order. */
  requests: RecordedRequest[];
  /** Every reset the server accepted (204). */
  resets: ResetRecord[];
  /** What workers registered (workflow definitions, executions). */
  workers: WorkerRegistry;
  faults: FaultSwitch;
  setHistoryShape(shape: HistoryShape): void;
  /** How many event streams are being served right now (a client that stops following closes its own). */
  openStreams(): number;
  /** Bytes written to all connections so far, headers and bodies (what went on the wire above TCP). */
  bytesSent(): number;
  /** Closes the server and all sockets and clears timers. */
  close(): Promise<void>;
}

const API_PREFIX = '/v1/workflows';
const ADMIN_PREFIX = '/_sandbox/';
const DEFAULT_GENERIC_EXECUTIONS = 35;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const apiKey = options.apiKey ?? 'sandbox-key';
  const workers = new WorkerRegistry();
  const store = options.store ? await options.store({ workers }) : memoryStore(options);
  const resets: ResetRecord[] = [];
  let shape: HistoryShape = options.historyShape ?? store.defaultHistoryShape;
  const faults = new Faults();
  const requests: RecordedRequest[] = [];
  let openStreams = 0;
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });
  let baseUrl = '';
  const cache = new CompressionCache();
  const sockets = new Set<Socket>();
  let closedBytes = 0;
  const bytesSent = (): number => {
    let sum = closedBytes;
    for (const s of sockets) sum += s.bytesWritten;
    return sum;
  };
  const compressMin = options.compressMinBytes ?? 1024;
  const codingFor = (req: IncomingMessage, reply: Reply): Coding | undefined =>
    options.compression === false || reply.body === undefined || reply.headers?.['content-encoding'] !== undefined ||
    Buffer.byteLength(reply.body) < compressMin
      ? undefined
      : negotiate(req.headers['accept-encoding'], options.codings);
  const reply = (req: IncomingMessage, res: ServerResponse, r: Reply, fault?: FaultRule): void => {
    const coding = codingFor(req, r);
    if (fault?.trickleAfterBytes !== undefined) sendTrickled(res, r, coding, fault.trickleAfterBytes, fault.trickleMs ?? 500, sleep);
    else send(res, r, coding, cache);
  };

  const setHistoryShape = (next: HistoryShape): void => {
    if (!HISTORY_SHAPES.includes(next)) throw new Error(`unknown history shape "${String(next)}"`);
    if (!store.historyShapes.includes(next)) throw new Error(`this store does not write the "${next}" history shape`);
    shape = next;
  };
  try {
    setHistoryShape(shape);
  } catch (err) {
    await store.close();
    throw err;
  }

  const admin = (req: IncomingMessage, path: string, raw: string): Reply => {
    const refused = adminRefusal(req.headers.host, req.headers.authorization, apiKey, options.adminHosts ?? []);
    if (refused !== undefined) return refused;
    const method = req.method ?? 'GET';
    const body = parseJson(raw);
    const what = `${method} ${path.slice(ADMIN_PREFIX.length)}`;
    switch (what) {
      case 'GET requests':
        return jsonReply(200, requests);
      case 'GET resets':
        return jsonReply(200, resets);
      case 'GET workers':
        return jsonReply(200, { workflows: workers.workflows(), executions: workers.executions(), eventsReceived: workers.eventsReceived });
      case 'GET faults':
        return jsonReply(200, faults.rules);
      case 'POST faults': {
        const problem = body.kind === 'json' ? checkRule(body.value) : 'the body must be a JSON fault rule';
        if (problem !== undefined) return jsonReply(400, { detail: problem });
        faults.add((body as { value: FaultRule }).value);
        return jsonReply(201, faults.rules);
      }
      case 'DELETE faults':
        faults.clear();
        return { status: 204 };
      case 'POST history-shape': {
        const next = body.kind === 'json' ? (body.value as { shape?: unknown } | null)?.shape : undefined;
        if (typeof next !== 'string' || !(store.historyShapes as readonly string[]).includes(next)) {
          return jsonReply(400, { detail: `shape must be one of ${store.historyShapes.join(', ')}` });
        }
        shape = next as HistoryShape;
        return { status: 204 };
      }
      case 'GET bytes-sent':
        return jsonReply(200, { bytes: bytesSent() });
      case 'GET info':
        return jsonReply(200, { baseUrl, apiKey, historyShape: shape, ...store.info?.() });
      default:
        return plainError(404);
    }
  };

  const api = async (req: IncomingMessage, res: ServerResponse, url: URL, raw: string): Promise<void> => {
    const method = req.method ?? 'GET';
    const temporal = options.temporal !== undefined && url.pathname.startsWith(TEMPORAL_PREFIX) ? options.temporal : undefined;
    const body = parseJson(raw);
    const authorized = req.headers.authorization === `Bearer ${apiKey}`;
    requests.push({
      method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      body: body.kind === 'json' ? body.value : body.kind === 'invalid' ? raw : null,
      authorized,
      time: Date.now(),
      ...(req.headers['accept-encoding'] === undefined ? {} : { acceptEncoding: String(req.headers['accept-encoding']) }),
    });

    const fault = faults.take(method, url.pathname);
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    if (fault?.drop === 'before') {
      req.socket.destroy();
      return;
    }
    /** The fault's answer with `status`: its raw body, or the service's own error body for the status. */
    const faultReply = (rule: FaultRule, status: number): Reply => {
      const headers: Record<string, string> = {};
      if (rule.retryAfterSeconds !== undefined) headers['retry-after'] = String(rule.retryAfterSeconds);
      if (rule.contentEncoding !== undefined) headers['content-encoding'] = rule.contentEncoding; // sent as is: a lying gateway
      if (rule.body !== undefined) return { status, body: rule.body, contentType: rule.contentType ?? 'application/json', headers };
      return temporal ? temporalStatusReply(status, headers) : { status, body: JSON.stringify(statusBody(status)), contentType: 'application/json', headers };
    };
    if (fault && fault.statusAfter === undefined && (fault.status !== undefined || fault.body !== undefined)) {
      reply(req, res, faultReply(fault, fault.status ?? 200));
      return;
    }

    // The gateway checks the key before anything else, even for unknown paths.
    let answer: Reply;
    if (!authorized) answer = temporal ? temporalUnauthenticated() : { ...plainError(401), headers: { 'www-authenticate': 'Bearer' } };
    else if (temporal) {
      const forwarded = await forward(temporal.httpBaseUrl, req, res, url, raw);
      if (forwarded === undefined) return;
      answer = forwarded;
    } else if (url.pathname !== API_PREFIX && !url.pathname.startsWith(`${API_PREFIX}/`)) answer = plainError(404);
    else {
      const segments = pathSegments(url.pathname.slice(API_PREFIX.length));
      answer = segments
        ? await route({ method, segments, query: url.searchParams, body }, { store, historyShape: () => shape, resets, workers, engine: options.engine })
        : plainError(404);
    }

    if (answer.streamExecutionId !== undefined) {
      const header = req.headers['last-event-id'];
      openStreams++;
      res.once('close', () => openStreams--);
      serveStream(res, store, answer.streamExecutionId, {
        lastEventId: (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('last_event_id') ?? undefined,
        dropAfterMs: fault?.drop === 'after' ? (fault.dropAfterMs ?? 100) : undefined,
      });
      return;
    }
    if (fault?.drop === 'after') {
      req.socket.destroy(); // the operation happened; the client never hears about it
      return;
    }
    if (fault?.statusAfter !== undefined) {
      reply(req, res, faultReply(fault, fault.statusAfter)); // the operation happened; the answer says it failed
      return;
    }
    if (fault?.truncate) sendTruncated(res, answer, codingFor(req, answer), cache);
    else reply(req, res, answer, fault);
  };

  /** To the engine; a long poll counts as an open stream while it waits (live runs follow with it). */
  const forward = async (upstream: string, req: IncomingMessage, res: ServerResponse, url: URL, raw: string): Promise<Reply | undefined> => {
    const gone = new AbortController();
    const onClose = (): void => gone.abort();
    res.once('close', onClose);
    const longPoll = isLongPoll(url);
    if (longPoll) openStreams++;
    try {
      return await forwardToTemporal(upstream, req.method ?? 'GET', url, raw, gone.signal);
    } catch (error) {
      if (gone.signal.aborted) return undefined; // the client went away: nobody to answer
      throw error;
    } finally {
      if (longPoll) openStreams--;
      res.off('close', onClose);
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = await readBody(req);
      if (url.pathname.startsWith(ADMIN_PREFIX)) reply(req, res, admin(req, url.pathname, raw));
      else await api(req, res, url, raw);
    })().catch((err: unknown) => {
      // A bug in the sandbox must show as a 500, like the platform would answer, and be visible.
      console.error('sandbox: request failed:', err);
      if (!res.headersSent) send(res, plainError(500));
      else res.destroy();
    });
  });

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      closedBytes += socket.bytesWritten;
      sockets.delete(socket);
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    baseUrl,
    apiKey,
    port,
    requests,
    resets,
    workers,
    faults,
    setHistoryShape,
    openStreams: () => openStreams,
    bytesSent,
    close: async () => {
      await store.close();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function memoryStore(options: SandboxOptions): SandboxStore {
  return new MemoryStore(
    new MemoryState({
      seed: options.seed ?? 42,
      now: options.now ?? Math.floor(Date.now() / 60_000) * 60_000,
      completionDelayMs: options.completionDelayMs ?? 3000,
      executions: options.executions ?? DEFAULT_GENERIC_EXECUTIONS,
    }),
  );
}

/** Host header names the admin routes answer: this machine's, with any port. */
const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

/**
 * Why an admin request (`/_sandbox/*`: the fault switch, the request log, the key in `info`) is refused,
 * else undefined. It must carry the sandbox's key, and name this machine in its Host header (or one of
 * `adminHosts`): a web page whose own name was rebound to 127.0.0.1 sends that name, and gets nothing.
 */
function adminRefusal(host: string | undefined, authorization: string | undefined, apiKey: string, adminHosts: readonly string[]): Reply | undefined {
  const name = host?.replace(/:\d+$/, '').toLowerCase();
  if (host === undefined || !(LOOPBACK_HOST.test(host) || adminHosts.some((h) => h.toLowerCase() === name))) {
    return jsonReply(403, { detail: `The sandbox's admin routes answer only requests to localhost, 127.0.0.1 or [::1] (Host: ${host ?? 'none'}).` });
  }
  if (authorization !== `Bearer ${apiKey}`) {
    return { ...jsonReply(401, { detail: "The sandbox's admin routes need its key: Authorization: Bearer <key>." }), headers: { 'www-authenticate': 'Bearer' } };
  }
  return undefined;
}

function jsonReply(status: number, body: unknown): Reply {
  return { status, body: JSON.stringify(body), contentType: 'application/json' };
}

function parseJson(raw: string): RequestBody {
  if (raw.trim() === '') return { kind: 'none' };
  try {
    return { kind: 'json', value: JSON.parse(raw) as unknown };
  } catch (err) {
    const position = /position (\d+)/.exec(String(err))?.[1];
    return { kind: 'invalid', position: position === undefined ? 0 : Number(position), message: 'Expecting value' };
  }
}

function pathSegments(rest: string): string[] | undefined {
  try {
    return rest.split('/').filter((s) => s !== '').map(decodeURIComponent);
  } catch {
    return undefined; // malformed percent-encoding
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The one place API and admin answers are written: compressed with `coding` when given. */
function send(res: ServerResponse, reply: Reply, coding?: Coding, cache?: CompressionCache): void {
  const headers: Record<string, string> = { ...reply.headers };
  let data: Buffer | string | undefined = reply.body;
  if (reply.body !== undefined) {
    headers['content-type'] = reply.contentType ?? 'application/json';
    headers.vary = 'Accept-Encoding';
    if (coding && cache) {
      data = cache.get(coding, reply.body);
      headers['content-encoding'] = coding;
    }
    headers['content-length'] = String(Buffer.byteLength(data ?? ''));
  }
  res.writeHead(reply.status, headers);
  res.end(data);
}

/**
 * Correct-looking headers, then half the body and a clean end: the client gets truncated JSON, or,
 * compressed, a compressed stream that stops half way.
 */
function sendTruncated(res: ServerResponse, reply: Reply, coding: Coding | undefined, cache: CompressionCache): void {
  const body = reply.body ?? '';
  const headers: Record<string, string> = { ...reply.headers, 'content-type': reply.contentType ?? 'application/json', vary: 'Accept-Encoding' };
  if (coding) headers['content-encoding'] = coding;
  const data = coding ? cache.get(coding, body) : Buffer.from(body, 'utf8');
  res.writeHead(reply.status, headers);
  res.write(data.subarray(0, Math.floor(data.length / 2)));
  res.end();
}
