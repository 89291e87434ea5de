/**
 * Bounded reads: an answer may decode to at most a cap (a clear parse error naming it), a compressed
 * "zip bomb" stops there, an error answer is read for its message only, and one event-stream line is
 * capped. Against real local HTTP servers on port 0 that stream their bodies with backpressure, so
 * what they managed to write shows what the client read.
 */
import * as assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { HistoryStream, isWorkflowsApiError, type WorkflowsApiError } from '../../../src/api';
import { SseParser, WorkflowsClient } from '../../../src/api/mistral';
import { DEFAULT_MAX_BODY_BYTES } from '../../../src/api/body';
import { DEFAULT_MAX_SSE_LINE, SseLimitError } from '../../../src/api/mistral/sse';
import { TemporalClient } from '../../../src/api/temporal';
import { clientFor, rejection, startServer, TEST_KEY, type TestServer } from './testServer';

const MiB = 1024 * 1024;
const HISTORY = '/v1/workflows/executions/e1/history';

/** Writes `chunks()` one by one, waiting for the socket to drain; `written()` counts the bytes it got out. */
function pump(res: ServerResponse, chunks: Iterator<Buffer>): { written: () => number; closed: Promise<void> } {
  let written = 0;
  const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
  const next = (): void => {
    for (let item = chunks.next(); !item.done; item = chunks.next()) {
      written += item.value.length;
      if (!res.write(item.value)) {
        res.once('drain', next);
        return;
      }
    }
    res.end();
  };
  next();
  return { written: () => written, closed };
}

function* repeat(head: Buffer, chunk: Buffer, times: number, tail: Buffer): Generator<Buffer> {
  yield head;
  for (let i = 0; i < times; i++) yield chunk;
  yield tail;
}

/**
 * A valid JSON history (`{"events": [ ... ]}`) padded with `mib` MiB of spaces, as concatenated gzip
 * members: about 1 KB on the wire per MiB decoded. Without a cap it decodes, and parses, as an empty history.
 */
function gzipBomb(mib: number): Generator<Buffer> {
  return repeat(gzipSync('{"events": ['), gzipSync(Buffer.alloc(MiB, ' ')), mib, gzipSync(']}'));
}

async function serve(handler: (res: ServerResponse) => void): Promise<TestServer> {
  return startServer((_req, res) => handler(res));
}

/** Follows e1's event stream to its end; the messages it got. */
async function follow(client: WorkflowsClient): Promise<unknown[]> {
  const got: unknown[] = [];
  for await (const message of client.streamExecution('e1', { reconnectBaseDelayMs: 5 })) got.push(message);
  return got;
}

function isParseError(e: unknown): e is WorkflowsApiError {
  return isWorkflowsApiError(e) && e.kind === 'parse';
}

describe('bounded reads: answers', () => {
  it('the default cap leaves room for the largest real history (51,200 events, 11.6 MB as JSON)', () => {
    assert.equal(DEFAULT_MAX_BODY_BYTES, 128 * MiB);
  });

  it('Mistral: an answer past the cap is a parse error naming the cap, plain and streamed into the history view', async () => {
    const body = Buffer.from(JSON.stringify({ events: [{ event_id: 1, event_type: 'X', payload: 'y'.repeat(300 * 1024) }] }));
    const server = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
    const client = clientFor(server.baseUrl, { maxRetries: 0, maxBodyBytes: 256 * 1024 });
    try {
      for (const stream of [undefined, new HistoryStream(5, () => undefined)]) {
        const e = await rejection(client.getHistory('e1', stream ? { stream } : undefined));
        assert.ok(isParseError(e), `a parse error, not ${String(e)}`);
        assert.match(e.message, /The Workflows service sent an answer larger than 256 KiB, the most the extension reads in one answer/);
        assert.doesNotMatch(e.message, /decompressed/);
        assert.equal(e.retryable, false);
      }
      assert.equal(server.requests.length, 2, 'no retry');
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('Mistral, default cap: a gzip bomb (160 KB on the wire, 160 MiB decoded) stops at 128 MiB, streamed or not', async function () {
    this.timeout(120_000); // decompresses 2 × 128 MiB on a shared machine
    const server = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      pump(res, gzipBomb(160));
    });
    const client = new WorkflowsClient({ baseUrl: server.baseUrl, apiKey: TEST_KEY, maxRetries: 0, timeoutMs: 60_000 });
    try {
      for (const stream of [undefined, new HistoryStream(5, () => undefined)]) {
        const e = await rejection(client.getHistory('e1', stream ? { stream } : undefined));
        assert.ok(isParseError(e), `a parse error, not ${String(e)}`);
        assert.match(e.message, /larger than 128 MiB once decompressed, the most the extension reads in one answer; it stopped reading there\./);
      }
      assert.ok(server.requests.every((r) => r.url.startsWith(HISTORY)));
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('Temporal: a history page that decodes past the cap (a gzip bomb) is a parse error naming Temporal and the cap', async () => {
    let wrote: (() => number) | undefined;
    const server = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      wrote = pump(res, gzipBomb(64)).written;
    });
    const client = new TemporalClient({ baseUrl: server.baseUrl, namespace: 'default', maxRetries: 0, timeoutMs: 30_000, maxBodyBytes: 2 * MiB });
    try {
      const e = await rejection(client.history('wf'));
      assert.ok(isParseError(e), `a parse error, not ${String(e)}`);
      assert.match(e.message, /^The Temporal service sent an answer larger than 2 MiB once decompressed/);
      assert.ok((wrote?.() ?? 0) > 0);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('an error answer with an endless body: its status is reported, and no more than its first MiB is read', async () => {
    let sent: { written: () => number; closed: Promise<void> } | undefined;
    const total = 64 * MiB;
    const server = await serve((res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      sent = pump(res, repeat(Buffer.from('<html>'), Buffer.alloc(64 * 1024, 'x'), total / (64 * 1024), Buffer.from('</html>')));
    });
    const client = clientFor(server.baseUrl, { maxRetries: 0 });
    try {
      const e = await rejection(client.getExecution('e1'));
      assert.ok(isWorkflowsApiError(e) && e.kind === 'http' && e.status === 500, `the 500, not ${String(e)}`);
      await sent?.closed;
      assert.ok((sent?.written() ?? total) < total / 4, `the server got ${sent?.written()} bytes out: the client read on`);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('the event stream refused with an endless body: the refusal is reported, its body read no further than its first MiB', async () => {
    let sent: { written: () => number; closed: Promise<void> } | undefined;
    const total = 64 * MiB;
    const server = await serve((res) => {
      res.writeHead(401, { 'content-type': 'text/plain' });
      sent = pump(res, repeat(Buffer.from('no'), Buffer.alloc(64 * 1024, 'x'), total / (64 * 1024), Buffer.from('.')));
    });
    const client = clientFor(server.baseUrl, { maxRetries: 0 });
    try {
      const e = await rejection(follow(client));
      assert.ok(isWorkflowsApiError(e) && e.status === 401, `the 401, not ${String(e)}`);
      await sent?.closed;
      assert.ok((sent?.written() ?? total) < total / 4, `the server got ${sent?.written()} bytes out: the client read on`);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe('bounded reads: event-stream lines', () => {
  it('a line or a message longer than the cap throws SseLimitError naming it; one at the cap is read', () => {
    const parser = new SseParser(undefined, 1000);
    assert.deepEqual(parser.push(`data: ${'a'.repeat(994)}\n\n`), [{ id: undefined, event: 'message', data: 'a'.repeat(994) }]);
    assert.throws(() => new SseParser(undefined, 1000).push(`data: ${'a'.repeat(995)}`), (e: unknown) =>
      e instanceof SseLimitError && /a line longer than 1,000 characters, the most the extension reads in one line/.test(e.message));
    const lines = Array.from({ length: 20 }, () => `data: ${'b'.repeat(60)}\n`).join('');
    assert.throws(() => new SseParser(undefined, 1000).push(lines), (e: unknown) => e instanceof SseLimitError && /a message longer than 1,000/.test(e.message));
  });

  it('a stream that never ends its line stops at 16 Mi characters with a parse error, and is not reopened', async function () {
    this.timeout(120_000); // parses 16 Mi characters one by one on a shared machine
    let sent: { written: () => number; closed: Promise<void> } | undefined;
    const server = await serve((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sent = pump(res, repeat(Buffer.from('id: 1\ndata: '), Buffer.alloc(MiB, 'x'), 64, Buffer.from('\n\n')));
    });
    const client = clientFor(server.baseUrl, { maxRetries: 0 });
    try {
      const e = await rejection(follow(client));
      assert.ok(isParseError(e), `a parse error, not ${String(e)}`);
      assert.match(e.message, new RegExp(`a line longer than ${DEFAULT_MAX_SSE_LINE.toLocaleString('en')} characters`));
      await sent?.closed;
      assert.equal(server.requests.length, 1, 'not reopened');
      assert.ok((sent?.written() ?? 0) < 48 * MiB, 'the client stopped reading');
    } finally {
      await client.close();
      await server.close();
    }
  });
});
