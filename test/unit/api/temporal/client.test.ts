/**
 * TemporalClient without an engine: request shapes, error mapping, retries, paging guards and
 * payload decoding, against a tiny local HTTP server (the engine suite, test/engine, runs it for real).
 */
import * as assert from 'node:assert/strict';
import { KEY_REJECTED_MESSAGE, WorkflowsApiError } from '../../../../src/api';
import { decodePayload, decodePayloads, TemporalBackend, TemporalClient, type TemporalClientOptions } from '../../../../src/api/temporal';
import { Handler, json, raw, rejection, startServer, TEST_KEY, type TestServer } from '../testServer';

const NS = '/api/v1/namespaces/default';
const RESET = { workflowTaskFinishEventId: 4, reason: 'fix', requestId: 'req-1', excludeSignals: true, excludeUpdates: false };
const b64 = (s: string): string => Buffer.from(s).toString('base64');

async function withTemporal<T>(
  handler: Handler, fn: (client: TemporalClient, server: TestServer) => Promise<T>, options: Partial<TemporalClientOptions> = {},
): Promise<T> {
  const server = await startServer(handler);
  const client = new TemporalClient({ baseUrl: server.baseUrl, namespace: 'default', timeoutMs: 5000, retryBaseDelayMs: 1, maxRetryDelayMs: 5, ...options });
  try {
    return await fn(client, server);
  } finally {
    await server.close();
    await client.close();
  }
}

async function failure(handler: Handler, call: (c: TemporalClient) => Promise<unknown>, requests = 1, options: Partial<TemporalClientOptions> = {}): Promise<WorkflowsApiError> {
  return withTemporal(handler, async (client, server) => {
    const e = await rejection(call(client));
    assert.ok(e instanceof WorkflowsApiError, `not a WorkflowsApiError: ${String(e)}`);
    assert.equal(server.requests.length, requests, 'requests sent');
    return e;
  }, options);
}

const temporalAnswer = (status: number, code: number, message: string): Handler => (_q, res) => json(res, status, { code, message, details: [] });

describe('api/temporal: TemporalClient requests', () => {
  it('reset: the exact body, with a Bearer key, and the new run id', () =>
    withTemporal((_q, res) => json(res, 200, { runId: 'run-2' }), async (client, server) => {
      assert.deepEqual(await client.reset('wf 1', { ...RESET, runId: 'run-1' }), { runId: 'run-2' });
      const [req] = server.requests;
      assert.equal(req.method, 'POST');
      assert.equal(req.url, `${NS}/workflows/wf%201/reset`);
      assert.equal(req.headers.authorization, `Bearer ${TEST_KEY}`);
      assert.deepEqual(JSON.parse(req.body), {
        workflowExecution: { workflowId: 'wf 1', runId: 'run-1' }, reason: 'fix', workflowTaskFinishEventId: '4', requestId: 'req-1',
        resetReapplyExcludeTypes: ['RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL'], identity: 'mistral-workflows-vscode',
      });
    }, { apiKey: TEST_KEY }));

  it('no key: no Authorization header', () =>
    withTemporal((_q, res) => json(res, 200, {}), async (client, server) => {
      await client.listWorkflows({ query: "WorkflowType='x'", pageSize: 2, nextPageToken: 'abc=' });
      assert.equal(server.requests[0].headers.authorization, undefined);
      assert.equal(server.requests[0].url, `${NS}/workflows?query=WorkflowType%3D%27x%27&pageSize=2&nextPageToken=abc%3D`);
    }));

  it('list rows: prefixes dropped, int64 strings read, rows without ids skipped, `{}` is an empty page', () =>
    withTemporal((_q, res, _b, n) => json(res, 200, n === 2 ? {} : {
      executions: [
        {
          execution: { workflowId: 'w', runId: 'r' }, type: { name: 't' }, status: 'WORKFLOW_EXECUTION_STATUS_TIMED_OUT', taskQueue: 'q',
          startTime: '2026-12-01T20:24:17.111014258Z', closeTime: '2026-12-01T20:25:00Z', historyLength: '12',
          parentExecution: { workflowId: 'p', runId: 'pr' },
        },
        { execution: { workflowId: 'no-run' } },
      ],
      nextPageToken: 'next',
    }), async (client) => {
      assert.deepEqual(await client.listWorkflows(), {
        executions: [{
          workflowId: 'w', runId: 'r', workflowType: 't', status: 'TIMED_OUT', taskQueue: 'q', historyLength: 12,
          startTime: new Date('2026-12-01T20:24:17.111Z'), closeTime: new Date('2026-12-01T20:25:00Z'), parent: { workflowId: 'p', runId: 'pr' },
        }],
        nextPageToken: 'next',
      });
      assert.deepEqual(await client.listWorkflows(), { executions: [] });
    }));

  it('historyAll concatenates the pages of one run', () =>
    withTemporal((q, res) => {
      const token = new URL(q.url ?? '', 'http://x').searchParams.get('nextPageToken');
      if (token === null) json(res, 200, { history: { events: [{ eventId: '1' }, { eventId: '2' }] }, nextPageToken: 'p2' });
      else json(res, 200, { history: { events: [{ eventId: '3' }] } });
    }, async (client, server) => {
      assert.deepEqual(await client.historyAll('w', 'r', { maximumPageSize: 2 }), [{ eventId: '1' }, { eventId: '2' }, { eventId: '3' }]);
      assert.equal(server.requests[1].url, `${NS}/workflows/w/history?execution.runId=r&maximumPageSize=2&nextPageToken=p2`);
    }));

  it("a run's closing events: one reverse page of that size, and TemporalBackend turns it oldest first", () =>
    withTemporal((_q, res) => json(res, 200, {
      history: { events: [
        { eventId: '9', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_FAILED', workflowExecutionFailedEventAttributes: { failure: { message: 'boom' } } },
        { eventId: '8', eventType: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED', workflowTaskCompletedEventAttributes: {} },
      ] },
      nextPageToken: 'more',
    }), async (client, server) => {
      const events = await new TemporalBackend(client).closingEvents('w 1', 'r', 2);
      assert.equal(server.requests.length, 1, 'one page, the rest never asked for');
      assert.equal(server.requests[0].url, `${NS}/workflows/w%201/history-reverse?execution.runId=r&maximumPageSize=2`);
      assert.deepEqual(events.map((e) => [e.eventId, e.type]), [[8, 'WORKFLOW_TASK_COMPLETED'], [9, 'WORKFLOW_EXECUTION_FAILED']]);
    }));

  it('historyPages asks for a page only when its caller asks for the next one', () =>
    withTemporal((q, res) => {
      const token = new URL(q.url ?? '', 'http://x').searchParams.get('nextPageToken');
      if (token === null) json(res, 200, { history: { events: [{ eventId: '1' }] }, nextPageToken: 'p2' });
      else if (token === 'p2') json(res, 200, { history: { events: [{ eventId: '2' }] }, nextPageToken: 'p3' });
      else json(res, 200, { history: { events: [{ eventId: '3' }] } });
    }, async (client, server) => {
      const pages = client.historyPages('w', undefined, { maximumPageSize: 7 });
      assert.deepEqual(await pages.next(), { done: false, value: { events: [{ eventId: '1' }], nextPageToken: 'p2' } });
      assert.equal(server.requests.length, 1, 'the second page is not asked for yet');
      assert.equal(server.requests[0].url, `${NS}/workflows/w/history?maximumPageSize=7`);
      assert.deepEqual((await pages.next()).value, { events: [{ eventId: '2' }], nextPageToken: 'p3' });
      assert.equal(server.requests.length, 2);
      await pages.return(undefined); // a caller that stops sends nothing more
      assert.equal((await pages.next()).done, true);
      assert.equal(server.requests.length, 2);
    }));

  it('historyAll stops on a page token that comes back, and after maxPages', async () => {
    const repeated = await failure((_q, res) => json(res, 200, { history: { events: [{ eventId: '1' }] }, nextPageToken: 'same' }), (c) => c.historyAll('w'), 2);
    assert.equal(repeated.kind, 'parse');
    assert.match(repeated.message, /page token came back twice/);
    let n = 0;
    const endless = await failure((_q, res) => json(res, 200, { history: { events: [] }, nextPageToken: `t${++n}` }), (c) => c.historyAll('w', undefined, { maxPages: 3 }), 3);
    assert.match(endless.message, /at most 3 pages/);
  });

  it('update: the outcome decoded; a failed update is an outcome, not an error', () =>
    withTemporal((_q, res, body, n) => {
      const { request } = JSON.parse(body) as { request: { meta: { updateId: string } } };
      json(res, 200, {
        updateRef: { updateId: request.meta.updateId },
        stage: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED',
        outcome: n === 1
          ? { success: { payloads: [{ metadata: { encoding: b64('json/wf_v1') }, data: b64('"old"') }] } }
          : { failure: { message: 'no handler', applicationFailureInfo: {} } },
      });
    }, async (client, server) => {
      assert.deepEqual(await client.update('w', 'set', { args: [{ a: 1 }], updateId: 'u1' }), { updateId: 'u1', stage: 'COMPLETED', outcome: { success: ['old'] } });
      assert.deepEqual(JSON.parse(server.requests[0].body), {
        workflowExecution: { workflowId: 'w' },
        request: { meta: { updateId: 'u1', identity: 'mistral-workflows-vscode' }, input: { name: 'set', args: [{ a: 1 }] } },
        waitPolicy: { lifecycleStage: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED' },
      });
      const failed = await client.update('w', 'set');
      assert.deepEqual(failed.outcome, { failure: { message: 'no handler', raw: { message: 'no handler', applicationFailureInfo: {} } } });
    }));
});

describe('api/temporal: errors', () => {
  const cases: [number, number, string][] = [
    [400, 3, 'invalidArgument'], [404, 5, 'notFound'], [409, 6, 'alreadyExists'], [400, 9, 'failedPrecondition'],
    [403, 7, 'permissionDenied'], [429, 8, 'resourceExhausted'], [503, 14, 'unavailable'], [401, 16, 'unauthenticated'],
  ];
  for (const [status, code, problem] of cases) {
    it(`gRPC ${code} (HTTP ${status}) is ${problem}`, async () => {
      const e = await failure(temporalAnswer(status, code, 'said the server'), (c) => c.reset('w', RESET));
      assert.equal(e.kind, 'http');
      assert.equal(e.problem, problem);
      assert.equal(e.grpcCode, code);
      assert.equal(e.status, status);
      assert.equal(e.code, undefined, 'no WF_ code');
      assert.equal(e.retryable, false, 'writes are never retryable');
    });
  }

  it('the message is the server\'s, tagged with the status and the gRPC name', async () => {
    const e = await failure(temporalAnswer(400, 3, 'Workflow task finish ID must be > 1.'), (c) => c.reset('w', RESET));
    assert.equal(e.message, 'Workflow task finish ID must be > 1. (400 INVALID_ARGUMENT)');
    assert.equal(e.outcomeUnknown, false);
    assert.equal(e.path, `${NS}/workflows/w/reset`);
  });

  it('unauthenticated: the key message, the server\'s words, never the key', async () => {
    const e = await failure(temporalAnswer(401, 16, `bad token ${TEST_KEY}`), (c) => c.describe('w'), 1, { apiKey: TEST_KEY });
    assert.ok(e.message.startsWith(KEY_REJECTED_MESSAGE));
    assert.ok(!e.message.includes(TEST_KEY));
    assert.match(e.message, /Temporal said: bad token \[redacted\]/);
  });

  it('reads retry UNAVAILABLE and RESOURCE_EXHAUSTED, then give up', async () => {
    const e = await failure(temporalAnswer(503, 14, 'frontend unavailable'), (c) => c.describe('w'), 3, { maxRetries: 2 });
    assert.equal(e.problem, 'unavailable');
    assert.equal(e.retryable, true);
    await withTemporal((_q, res, _b, n) => (n < 3 ? json(res, 429, { code: 8, message: 'slow down' }) : json(res, 200, {})), async (client, server) => {
      assert.deepEqual(await client.listWorkflows(), { executions: [] });
      assert.equal(server.requests.length, 3);
    });
  });

  it('reads do not retry a plain INVALID_ARGUMENT or NOT_FOUND', async () => {
    const e = await failure(temporalAnswer(404, 5, 'workflow not found for ID: w'), (c) => c.describe('w'), 1);
    assert.equal(e.retryable, false);
    assert.equal(e.message, 'workflow not found for ID: w (404 NOT_FOUND)');
  });

  it('writes are sent once; UNAVAILABLE, INTERNAL or a gateway error on a write leaves the outcome unknown', async () => {
    const unavailable = await failure(temporalAnswer(503, 14, 'history unavailable'), (c) => c.reset('w', RESET), 1, { maxRetries: 5 });
    assert.equal(unavailable.outcomeUnknown, true);
    const internal = await failure(temporalAnswer(500, 13, 'internal error'), (c) => c.reset('w', RESET), 1, { maxRetries: 5 });
    assert.equal(internal.outcomeUnknown, true, 'the server may have applied it before failing');
    const proxy = await failure((_q, res) => raw(res, 500, 'Internal Server Error', 'text/plain'), (c) => c.reset('w', RESET), 1, { maxRetries: 5 });
    assert.equal(proxy.outcomeUnknown, true);
    const gateway = await failure((_q, res) => raw(res, 502, '<html>Bad Gateway</html>', 'text/html'), (c) => c.signal('w', 's'), 1, { maxRetries: 5 });
    assert.equal(gateway.problem, 'unavailable');
    assert.equal(gateway.grpcCode, undefined);
    assert.equal(gateway.outcomeUnknown, true);
    assert.equal(gateway.message, 'The Temporal service answered 502 Bad Gateway with a body that is not a Temporal error. Try again later.');
  });

  it('a proxy\'s 404 reads as notFound by its status', async () => {
    const e = await failure((_q, res) => raw(res, 404, 'nothing here', 'text/plain'), (c) => c.describe('w'));
    assert.equal(e.problem, 'notFound');
    assert.equal(e.grpcCode, undefined);
  });

  it('a reset answered 200 with an unreadable body was applied: parse error, outcome unknown', async () => {
    const bad = await failure((_q, res) => raw(res, 200, '{"runId":'), (c) => c.reset('w', RESET));
    assert.equal(bad.kind, 'parse');
    assert.equal(bad.outcomeUnknown, true);
    const noRun = await failure((_q, res) => json(res, 200, {}), (c) => c.reset('w', RESET));
    assert.equal(noRun.kind, 'parse');
    assert.equal(noRun.outcomeUnknown, true);
    const read = await failure((_q, res) => json(res, 200, []), (c) => c.describe('w'));
    assert.equal(read.kind, 'parse');
    assert.equal(read.outcomeUnknown, false);
  });

  it('a write that times out: kind timeout, outcome unknown, the Temporal service named', async () => {
    const e = await failure(() => undefined, (c) => c.terminate('w'), 1, { timeoutMs: 100 });
    assert.equal(e.kind, 'timeout');
    assert.equal(e.outcomeUnknown, true);
    assert.match(e.message, /^The Temporal service did not answer within 0\.1 s\. The action may or may not have been applied/);
  });
});

describe('api/temporal: payloads', () => {
  it('decodes long-form JSON payloads, keeps shorthand and non-JSON ones', () => {
    assert.deepEqual(decodePayload({ metadata: { encoding: b64('json/plain') }, data: b64('{"a":1}') }), { a: 1 });
    assert.equal(decodePayload({ metadata: { encoding: b64('binary/null') } }), null);
    assert.deepEqual(decodePayload({ by: 'alice' }), { by: 'alice' }, 'shorthand: already the value');
    const encrypted = { metadata: { encoding: b64('binary/encrypted') }, data: 'AAEC' };
    assert.equal(decodePayload(encrypted), encrypted);
    const broken = { metadata: { encoding: b64('json/plain') }, data: b64('{not json') };
    assert.equal(decodePayload(broken), broken);
    assert.deepEqual(decodePayloads({ payloads: [{ metadata: { encoding: b64('json/wf_v1') }, data: b64('[1]') }, 'x'] }), [[1], 'x']);
    assert.deepEqual(decodePayloads(undefined), []);
  });
});
