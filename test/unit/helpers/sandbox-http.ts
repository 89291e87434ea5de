/**
 * A small HTTP client for the sandbox tests. It uses node:http without connection pooling so that
 * fault tests (dropped sockets, truncated bodies) see exactly what the server did, with no retries.
 */
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { Sandbox } from '../../../sandbox/server';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

interface CallOptions {
  method?: string;
  /** undefined = the sandbox's key; null = no Authorization header. */
  key?: string | null;
  body?: unknown;
  /** Send this text as the body instead of JSON-encoding `body`. */
  rawBody?: string;
  /** The Host header; default the base URL's. */
  host?: string;
}

export function call(sandbox: Sandbox, path: string, options: CallOptions = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const key = options.key === undefined ? sandbox.apiKey : options.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined) headers['content-type'] = 'application/json';
  if (options.host !== undefined) headers.host = options.host;
  return new Promise((resolve, reject) => {
    const req = request(
      `${sandbox.baseUrl}${path}`,
      { method: options.method ?? (payload === undefined ? 'GET' : 'POST'), headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Calls and parses a JSON answer, failing with the body when the status is not the expected one. */
export async function callJson<T>(sandbox: Sandbox, path: string, expectStatus = 200, options: CallOptions = {}): Promise<T> {
  const res = await call(sandbox, path, options);
  if (res.status !== expectStatus) throw new Error(`${path}: expected ${expectStatus}, got ${res.status}: ${res.text.slice(0, 500)}`);
  return JSON.parse(res.text) as T;
}

/** The wire row of /runs (only the fields the tests read). */
export interface WireRow {
  workflow_name: string;
  execution_id: string;
  run_id: string;
  status: string;
  start_time: string;
  end_time: string | null;
  result?: unknown;
}

export interface WirePage {
  executions: WireRow[];
  next_page_token: string | null;
}

export interface SeedEvent {
  event_id: number;
  event_type: string;
  event_time: string;
  attributes: Record<string, unknown>;
}

export const W = '/v1/workflows';

export async function seedHistory(sandbox: Sandbox, path: string): Promise<SeedEvent[]> {
  sandbox.setHistoryShape('seed');
  return (await callJson<{ events: SeedEvent[] }>(sandbox, path)).events;
}

/** Every row of a listing, following next_page_token. */
export async function allRows(sandbox: Sandbox, query: string, pageSize: number): Promise<{ rows: WireRow[]; pages: number }> {
  const rows: WireRow[] = [];
  let token: string | null = null;
  let pages = 0;
  do {
    const tokenPart: string = token === null ? '' : `&next_page_token=${encodeURIComponent(token)}`;
    const page: WirePage = await callJson<WirePage>(sandbox, `${W}/runs?page_size=${pageSize}${query}${tokenPart}`);
    rows.push(...page.executions);
    token = page.next_page_token;
    pages++;
    if (pages > 1000) throw new Error('paging does not end');
  } while (token !== null);
  return { rows, pages };
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000, stepMs = 25): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
