import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { IncomingMessage, ServerResponse } from 'node:http';
import { WorkflowsApiError } from '../../../src/api';
import { clientFor, closedPort, json, rejection, withServer } from './testServer';
import { until } from '../../helpers/eventually';

const row = (id: string, start: string): Record<string, unknown> => ({ workflow_name: 'order', execution_id: id, status: 'RUNNING', start_time: start });
const RESET = { executionId: 'e1', eventId: 4, reason: 'fix deployed', excludeSignals: false, excludeUpdates: false };

describe('api/mistral/client: retries', () => {
  it('retries a GET after 503 and succeeds', async () => {
    await withServer((_q, res, _b, n) => (n === 1 ? json(res, 503, { detail: 'An error occurred' }) : json(res, 200, row('e1', '2026-01-01T00:00:00Z'))), async (c, s) => {
      assert.equal((await c.getExecution('e1')).executionId, 'e1');
      assert.equal(s.requests.length, 2);
    });
  });

  it('honours Retry-After but caps it at maxRetryDelayMs', async () => {
    await withServer((_q, res, _b, n) => (n === 1 ? json(res, 429, {}, { 'retry-after': '3600' }) : json(res, 200, row('e1', '2026-01-01T00:00:00Z'))), async (c, s) => {
      const started = Date.now();
      await c.getExecution('e1');
      assert.equal(s.requests.length, 2);
      assert.ok(Date.now() - started < 10_000, 'an hour-long Retry-After must be capped');
    });
  });

  it('waits as long as Retry-After says when under the cap', async () => {
    await withServer((_q, res, _b, n) => (n === 1 ? json(res, 503, {}, { 'retry-after': '1' }) : json(res, 200, row('e1', '2026-01-01T00:00:00Z'))), async (c) => {
      const started = Date.now();
      await c.getExecution('e1');
      // Lower bound only: timers never fire early, so this is stable on a busy box.
      assert.ok(Date.now() - started >= 950, `retried after ${Date.now() - started} ms`);
    }, { maxRetryDelayMs: 10_000 });
  });

  it('retries a GET whose connection was destroyed, and WF_1103', async () => {
    await withServer((req, res, _b, n) => {
      if (n === 1) req.socket.destroy();
      else if (n === 2) json(res, 500, { detail: 'Platform request failed', code: 'WF_1103' });
      else json(res, 200, row('e1', '2026-01-01T00:00:00Z'));
    }, async (c, s) => {
      assert.equal((await c.getExecution('e1')).executionId, 'e1');
      assert.equal(s.requests.length, 3);
    });
  });

  it('gives up after maxRetries with the last error', async () => {
    await withServer((_q, res, _b, n) => json(res, n < 4 ? 502 : 503, { detail: `attempt ${n}` }), async (c, s) => {
      const e = await rejection(c.getExecution('e1'));
      assert.ok(e instanceof WorkflowsApiError);
      assert.equal(s.requests.length, 4);
      assert.equal(e.status, 503);
      assert.equal(e.retryable, true);
    });
  });

  it('never retries a reset: one request on 500 or 503 (whose outcome is unknown), none repeated on a dropped connection', async () => {
    for (const status of [500, 503]) {
      await withServer((_q, res) => json(res, status, { detail: 'An error occurred' }), async (c, s) => {
        const e = await rejection(c.reset(RESET));
        assert.ok(e instanceof WorkflowsApiError);
        assert.equal(s.requests.length, 1);
        assert.equal(e.status, status);
        assert.equal(e.retryable, false);
        assert.equal(e.outcomeUnknown, true, `${status}: the server may have applied it before failing to answer`);
      });
    }
    await withServer((_q, res) => json(res, 409, { detail: 'Workflow execution is not running', code: 'WF_1102' }), async (c) => {
      const e = await rejection(c.reset(RESET));
      assert.ok(e instanceof WorkflowsApiError);
      assert.equal(e.outcomeUnknown, false, 'a 4xx says nothing was done');
    });
    await withServer((req) => req.socket.destroy(), async (c, s) => {
      const e = await rejection(c.reset(RESET));
      assert.ok(e instanceof WorkflowsApiError);
      assert.equal(s.requests.length, 1);
      assert.equal(e.kind, 'network');
      assert.equal(e.outcomeUnknown, true);
      assert.match(e.message, /may or may not have been applied/);
    });
  });

  it('a refused connection: reads retry then fail; a write knows it was not sent', async () => {
    const c = clientFor(await closedPort(), { maxRetries: 1 });
    try {
      const read = await rejection(c.getExecution('e1'));
      assert.ok(read instanceof WorkflowsApiError);
      assert.equal(read.kind, 'network');
      assert.match(read.message, /connection refused/);
      const write = await rejection(c.terminate('e1'));
      assert.ok(write instanceof WorkflowsApiError);
      assert.equal(write.outcomeUnknown, false);
    } finally {
      await c.close();
    }
  });
});

describe('api/mistral/client: timeouts and aborts', () => {
  const stall = (): void => undefined; // never answers; the server drops the socket at close

  it('times out a slow read (not retried) and a slow write (outcome unknown)', async () => {
    await withServer(stall, async (c, s) => {
      const read = await rejection(c.getExecution('e1'));
      assert.ok(read instanceof WorkflowsApiError);
      assert.equal(read.kind, 'timeout');
      // The call gives up only after its last attempt, and each attempt here ends in its own timeout:
      // a retry would have arrived before this rejection.
      assert.equal(s.requests.length, 1, `read sent ${s.requests.length} times`);
      const write = await rejection(c.reset(RESET));
      assert.ok(write instanceof WorkflowsApiError);
      assert.equal(write.kind, 'timeout');
      assert.equal(write.outcomeUnknown, true);
    }, { timeoutMs: 150 });
  });

  it('lets a write past its timeout run on, and says how it ended: a late answer, a closed connection, or cut off', async () => {
    let answer: (() => void) | undefined;
    await withServer((_q, res) => {
      answer = () => json(res, 200, {});
    }, async (c, s) => {
      const e = await rejection(c.reset(RESET));
      assert.ok(e instanceof WorkflowsApiError);
      assert.equal(e.kind, 'timeout');
      assert.equal(e.outcomeUnknown, true);
      assert.ok(e.requestEnd, 'the caller can follow the request');
      answer?.(); // after the caller heard of the timeout, well before the request is cut off
      assert.equal(await e.requestEnd, 'succeeded', 'the late answer arrived on the same request');
      assert.equal(s.requests.length, 1, 'nothing re-sent');
    }, { timeoutMs: 500 });
    await withServer((req) => {
      answer = () => req.socket.destroy();
    }, async (c) => {
      const e = await rejection(c.reset(RESET));
      assert.ok(e instanceof WorkflowsApiError);
      answer?.();
      assert.equal(await e.requestEnd, 'ended', 'the server closed it: it is done with it');
    }, { timeoutMs: 500 });
    await withServer(() => undefined, async (c) => {
      const e = await rejection(c.reset(RESET));
      assert.ok(e instanceof WorkflowsApiError);
      assert.equal(await e.requestEnd, 'abandoned', 'no answer at all: cut off, the server may still act');
    }, { timeoutMs: 100 });
    await withServer(() => undefined, async (c) => {
      const e = await rejection(c.getExecution('e1'));
      assert.ok(e instanceof WorkflowsApiError);
      assert.equal(e.requestEnd, undefined, 'a read is cut off at its timeout');
    }, { timeoutMs: 100, maxRetries: 0 });
  });

  it('times out a body that stops half way', async () => {
    await withServer((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"events": [');
    }, async (c) => {
      const e = await rejection(c.getHistory('e1'));
      assert.ok(e instanceof WorkflowsApiError);
      assert.equal(e.kind, 'timeout');
    }, { timeoutMs: 150 });
  });

  it('turns a caller abort into kind "aborted", before, during a request and during backoff', async () => {
    // By path, not by request number: on a busy box an abort may land before a request is even sent.
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      if (!req.url?.includes('stall')) json(res, 503, {}, { 'retry-after': '3600' });
    };
    await withServer(handler, async (c, s) => {
      const during = new AbortController();
      setTimeout(() => during.abort(), 50);
      const e1 = await rejection(c.getExecution('stall', during.signal));
      assert.ok(e1 instanceof WorkflowsApiError);
      assert.equal(e1.kind, 'aborted');

      const backoff = new AbortController();
      const p = c.getExecution('busy', backoff.signal);
      const busyCount = (): number => s.requests.filter((r) => r.url.includes('busy')).length;
      await until('the first attempt', () => busyCount() >= 1);
      backoff.abort(); // the client now waits out a Retry-After of an hour (capped at 60 s)
      const e2 = await rejection(p);
      assert.ok(e2 instanceof WorkflowsApiError);
      assert.equal(e2.kind, 'aborted');
      assert.equal(busyCount(), 1);

      const before = new AbortController();
      before.abort();
      const sent = s.requests.length;
      const e3 = await rejection(c.getExecution('busy', before.signal));
      assert.ok(e3 instanceof WorkflowsApiError);
      assert.equal(e3.kind, 'aborted');
      assert.equal(e3.outcomeUnknown, false);
      assert.equal(s.requests.length, sent, 'nothing sent for an already aborted signal');
    }, { timeoutMs: 5000, maxRetryDelayMs: 60_000 });
  });

  it('leaves no abort listeners behind', async () => {
    await withServer((_q, res, _b, n) => (n === 1 ? json(res, 503, {}) : json(res, 200, row('e1', '2026-01-01T00:00:00Z'))), async (c) => {
      const ac = new AbortController();
      await c.getExecution('e1', ac.signal);
      assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
    });
  });
});
