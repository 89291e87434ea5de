/**
 * client.streamExecution against a local test server (drops, resume, errors) and the sandbox (real
 * events as they are appended, resume after a faulted drop).
 */
import { strict as assert } from 'node:assert';
import type { ServerResponse } from 'node:http';
import { isTerminalMessage, isWorkflowsApiError, type StreamExecutionOptions, type StreamMessage } from '../../../../src/api';
import { type WorkflowsClient } from '../../../../src/api/mistral';
import { DEMO, startSandbox, type Sandbox } from '../../../../sandbox/server';
import { clientFor, startServer, TEST_KEY, withServer } from '../testServer';
import { until } from '../../../helpers/eventually';

const FAST: StreamExecutionOptions = { reconnectBaseDelayMs: 5, maxReconnectDelayMs: 20 };

function sse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
}

/** Collects messages until `stop` says so (then ends the iteration) or the stream ends. */
async function collect(iterable: AsyncIterable<StreamMessage>, stop: (all: StreamMessage[]) => boolean = () => false): Promise<StreamMessage[]> {
  const all: StreamMessage[] = [];
  for await (const m of iterable) {
    all.push(m);
    if (stop(all)) break;
  }
  return all;
}

describe('api: streamExecution (test server)', () => {
  it('sends the key and Accept, yields messages written in pieces, and ends when the server ends', async () => {
    await withServer(
      (_req, res) => {
        sse(res);
        res.write(': hello\n\nid: 1\nevent: A\nda');
        setTimeout(() => res.write('ta: {"data":{"event_type":"ACTIVITY_TASK_STARTED"},"workflow_context":{"workflow_exec_id":"e1"}}\n\n'), 20);
        setTimeout(() => res.end('id: 2\ndata: line1\ndata: line2\n\n'), 40);
      },
      async (client, server) => {
        const got = await collect(client.streamExecution('e1', FAST));
        assert.deepEqual(got.map((m) => [m.id, m.event]), [['1', 'A'], ['2', 'message']]);
        assert.deepEqual(got[0].payload, { kind: 'event', eventType: 'ACTIVITY_TASK_STARTED', executionId: 'e1', runId: undefined });
        assert.equal(got[1].data, 'line1\nline2');
        assert.deepEqual(got[1].payload, { kind: 'other' });
        const sent = server.requests[0];
        assert.equal(sent.url, '/v1/workflows/executions/e1/stream');
        assert.equal(sent.headers.authorization, `Bearer ${TEST_KEY}`);
        assert.equal(sent.headers.accept, 'text/event-stream');
        assert.equal(sent.headers['last-event-id'], undefined);
      },
    );
  });

  it('reconnects after a drop with Last-Event-ID = the last message delivered (not a cut-off one)', async () => {
    await withServer(
      (req, res, _body, n) => {
        sse(res);
        if (n === 1) {
          res.write('id: 5\ndata: five\n\nid: 6\ndata: six (cut');
          setTimeout(() => res.socket?.destroy(), 20);
        } else {
          res.end(`id: ${Number(req.headers['last-event-id']) + 1}\ndata: resumed\n\n`);
        }
      },
      async (client, server) => {
        const got = await collect(client.streamExecution('e1', { ...FAST, lastEventId: '4' }));
        assert.deepEqual(got.map((m) => [m.id, m.data]), [['5', 'five'], ['6', 'resumed']]);
        assert.deepEqual(server.requests.map((r) => r.headers['last-event-id']), ['4', '5']);
      },
    );
  });

  it('retries 503 a bounded number of times in a row, then throws the last error', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{"detail":"An error occurred"}');
      },
      async (client, server) => {
        const retries: number[] = [];
        await assert.rejects(collect(client.streamExecution('e1', { ...FAST, maxReconnects: 2, onReconnect: (_e, n) => retries.push(n) })), (e: unknown) => isWorkflowsApiError(e) && e.status === 503);
        assert.equal(server.requests.length, 3);
        assert.deepEqual(retries, [1, 2]);
      },
    );
  });

  for (const status of [404, 405, 501, 401]) {
    it(`throws ${status} at once (no reconnect: the caller falls back to polling)`, async () => {
      await withServer(
        (_req, res) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end('{"detail":"Not Found"}');
        },
        async (client, server) => {
          await assert.rejects(collect(client.streamExecution('e1', FAST)), (e: unknown) => isWorkflowsApiError(e) && e.status === status && !e.message.includes(TEST_KEY));
          assert.equal(server.requests.length, 1);
        },
      );
    });
  }

  it('refuses an answer that is not an event stream', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      },
      async (client) => {
        await assert.rejects(collect(client.streamExecution('e1', FAST)), (e: unknown) => isWorkflowsApiError(e) && e.kind === 'parse');
      },
    );
  });

  it('ends quietly on abort, also while waiting to reconnect, and closes the connection', async () => {
    const server = await startServer((_req, res) => {
      sse(res);
      res.write('id: 1\ndata: x\n\n'); // then stays open
    });
    const client = clientFor(server.baseUrl);
    try {
      const controller = new AbortController();
      const got: StreamMessage[] = [];
      const done = (async () => {
        for await (const m of client.streamExecution('e1', { signal: controller.signal })) got.push(m);
      })();
      while (got.length === 0) await new Promise((r) => setTimeout(r, 10));
      controller.abort();
      await done;
      assert.equal(got.length, 1);

      const refused = new AbortController();
      await server.close(); // nothing listens now: the stream waits to reconnect
      const waiting = collect(client.streamExecution('e1', { signal: refused.signal, reconnectBaseDelayMs: 60_000 }));
      setTimeout(() => refused.abort(), 50);
      assert.deepEqual(await waiting, []);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe('api: streamExecution (sandbox)', () => {
  let sb: Sandbox;
  let client: WorkflowsClient;
  beforeEach(async () => {
    sb = await startSandbox({ completionDelayMs: 200 });
    client = clientFor(sb.baseUrl, { apiKey: sb.apiKey });
  });
  afterEach(async () => {
    await client.close();
    await sb.close();
  });

  it('streams events as they are appended, until the execution closes', async () => {
    const got = collect(client.streamExecution(DEMO.running, { ...FAST, lastEventId: '21' })); // its 21 seeded events
    await client.signal(DEMO.running, 'approve');
    await client.terminate(DEMO.running);
    const messages = await got;
    assert.ok(messages.length >= 2, `got ${messages.length}`);
    assert.equal(messages[0].id, '22');
    assert.ok(messages.every((m) => m.payload.kind === 'event' && m.payload.executionId === DEMO.running));
    const ids = messages.map((m) => Number(m.id));
    assert.deepEqual(ids, ids.map((_, i) => ids[0] + i), 'consecutive ids');
    assert.ok(isTerminalMessage(messages[messages.length - 1]), 'ends with the run closing');
  });

  it('sends the events after Last-Event-ID first; a closed execution\'s stream then ends', async () => {
    const backlog = await collect(client.streamExecution(DEMO.failed, { ...FAST, lastEventId: '40' }));
    assert.deepEqual(backlog.map((m) => m.id), ['41', '42']);
    assert.ok(isTerminalMessage(backlog[1]));
  });

  it('resumes with Last-Event-ID after the fault switch drops the stream: nothing lost or repeated', async () => {
    sb.faults.add({ pathIncludes: '/stream', drop: 'after', dropAfterMs: 150, times: 1 });
    sb.faults.add({ pathIncludes: '/stream', latencyMs: 500, times: 1 }); // the reconnect is slow...
    const done = collect(client.streamExecution(DEMO.running, { ...FAST, lastEventId: '19' }), (all) => all.some(isTerminalMessage));
    const streamRequests = (): number => sb.requests.filter((r) => r.path.endsWith('/stream')).length;
    await until('the reconnect to be waiting on its latency', () => streamRequests() === 2 && sb.openStreams() === 0);
    await client.signal(DEMO.running, 'approve'); // ...so these events happen while disconnected
    await until('the reconnected stream to be served', () => sb.openStreams() === 1);
    await client.terminate(DEMO.running);
    const ids = (await done).map((m) => Number(m.id));
    assert.equal(sb.requests.filter((r) => r.path.endsWith('/stream')).length, 2, 'reconnected once');
    assert.equal(ids[0], 20);
    assert.deepEqual(ids, ids.map((_, i) => 20 + i), `no gaps or repeats: ${ids.join(',')}`);
    assert.ok(ids.length >= 6, 'the backlog, the signal\'s events and the termination');
  });

  it('answers 404 for an unknown execution (no reconnect)', async () => {
    await assert.rejects(collect(client.streamExecution('nope', FAST)), (e: unknown) => isWorkflowsApiError(e) && e.status === 404 && e.code === 'WF_1100');
  });
});
