/**
 * A real local HTTP server on port 0 for the API client tests: each test gives a handler and reads
 * back what the client sent. Not a spec file (no `.test`), shared by api-client and api-errors tests.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { WorkflowsClient, WorkflowsClientOptions } from '../../../src/api/mistral';

export const TEST_KEY = 'sk-test-SECRET-0123456789abcdef';

interface Recorded {
  method: string;
  /** Raw request target, e.g. `/v1/workflows/runs?status=A&status=B`. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** `n` counts requests from 1. */
export type Handler = (req: IncomingMessage, res: ServerResponse, body: string, n: number) => void;

export interface TestServer {
  baseUrl: string;
  requests: Recorded[];
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      try {
        handler(req, res, body, requests.length);
      } catch (e) {
        res.statusCode = 599;
        res.end(String(e));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function raw(res: ServerResponse, status: number, text: string, contentType = 'application/json'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A client with tiny retry delays so retry tests stay fast. */
export function clientFor(baseUrl: string, options: Partial<WorkflowsClientOptions> = {}): WorkflowsClient {
  return new WorkflowsClient({ baseUrl, apiKey: TEST_KEY, timeoutMs: 5000, retryBaseDelayMs: 1, maxRetryDelayMs: 20, ...options });
}

/** Runs `fn` against a fresh server and client, closing both whatever happens. */
export async function withServer<T>(
  handler: Handler,
  fn: (client: WorkflowsClient, server: TestServer) => Promise<T>,
  options: Partial<WorkflowsClientOptions> = {},
): Promise<T> {
  const server = await startServer(handler);
  const client = clientFor(server.baseUrl, options);
  try {
    return await fn(client, server);
  } finally {
    // Server first: it drops stalled sockets, so the pool has nothing in flight when it closes.
    await server.close();
    await client.close();
  }
}

/** The rejection of `p`, failing the test if it resolves. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

/** A port nothing listens on (bound then released). */
export async function closedPort(): Promise<string> {
  const s = await startServer(() => undefined);
  await s.close();
  return s.baseUrl;
}
