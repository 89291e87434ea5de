import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { KEY_FORBIDDEN_MESSAGE, KEY_REJECTED_MESSAGE, WorkflowsApiError } from '../../../src/api';
import { WorkflowsClient } from '../../../src/api/mistral';
import { httpError, parseRetryAfter } from '../../../src/api/httpErrors';
import { Handler, json, raw, rejection, TEST_KEY, withServer } from './testServer';

const RESET = { executionId: 'exec-1', eventId: 7, reason: 'fix', excludeSignals: false, excludeUpdates: false };
/** Every error any test here produced, checked for the key at the end. */
const seen: WorkflowsApiError[] = [];

async function failure(
  handler: Handler, call: (c: WorkflowsClient) => Promise<unknown>, expectedRequests = 1,
): Promise<WorkflowsApiError> {
  return withServer(handler, async (client, server) => {
    const e = await rejection(call(client));
    assert.ok(e instanceof WorkflowsApiError, `not a WorkflowsApiError: ${String(e)}`);
    assert.equal(server.requests.length, expectedRequests, 'request count');
    seen.push(e);
    return e;
  });
}

const get = (c: WorkflowsClient): Promise<unknown> => c.getExecution('exec-1');

describe('api/errors: HTTP error mapping', () => {
  it('401: the key was rejected', async () => {
    const e = await failure((_q, res) => json(res, 401, { message: 'Unauthorized' }), get);
    assert.equal(e.kind, 'http');
    assert.equal(e.status, 401);
    assert.equal(e.message, KEY_REJECTED_MESSAGE);
    assert.equal(e.retryable, false);
    assert.equal(e.method, 'GET');
    assert.equal(e.path, '/v1/workflows/executions/exec-1');
  });

  it('403: not allowed', async () => {
    const e = await failure((_q, res) => json(res, 403, { detail: 'Forbidden' }), get);
    assert.equal(e.message, KEY_FORBIDDEN_MESSAGE);
  });

  it('404 WF_1100: execution not found', async () => {
    const e = await failure((_q, res) => json(res, 404, { detail: 'Workflow execution exec-1 not found', code: 'WF_1100' }), get);
    assert.equal(e.code, 'WF_1100');
    assert.match(e.message, /^Execution not found \(404 WF_1100\): Workflow execution exec-1 not found$/);
  });

  it('409 WF_1102 carries the execution status', async () => {
    const e = await failure(
      (_q, res) => json(res, 409, { detail: 'Workflow is not running', code: 'WF_1102', status: 'COMPLETED' }),
      (c) => c.terminate('exec-1'),
    );
    assert.equal(e.executionStatus, 'COMPLETED');
    assert.match(e.message, /not running \(status: COMPLETED\)/);
    assert.equal(e.outcomeUnknown, false);
  });

  it('422 WF_1001 names the event and lists valid reset points', async () => {
    const e = await failure(
      (_q, res) => json(res, 422, { detail: 'Invalid event id', code: 'WF_1001', valid_reset_events: [4, 11] }),
      (c) => c.reset(RESET),
    );
    assert.deepEqual(e.validResetEvents, [4, 11]);
    assert.equal(e.message, 'Event 7 is not a valid reset point. Valid reset points: 4, 11.');
  });

  it('422 WF_1001 shortens a long list of valid points', async () => {
    const valid = Array.from({ length: 40 }, (_, i) => 4 + i * 7);
    const e = await failure((_q, res) => json(res, 422, { detail: 'x', code: 'WF_1001', valid_reset_events: valid }), (c) => c.reset(RESET));
    assert.equal(e.validResetEvents?.length, 40);
    assert.match(e.message, /^Event 7 is not a valid reset point\. Valid reset points \(40\): 4, 11, 18, 25, 32, …, 263, 270, 277\.$/);
  });

  it('422 with a detail array lists the validation errors', async () => {
    const detail = [
      { loc: ['body', 'event_id'], msg: 'field required', type: 'value_error.missing' },
      { loc: ['body', 'reason'], msg: 'str type expected', type: 'type_error.str' },
    ];
    const e = await failure((_q, res) => json(res, 422, { detail }), (c) => c.reset(RESET));
    assert.equal(e.message, 'Invalid request: body.event_id: field required; body.reason: str type expected');
    assert.deepEqual(e.validationErrors, detail);
    assert.equal(e.code, undefined);
  });

  it('500 "An error occurred" is an internal error and is not retried', async () => {
    const e = await failure((_q, res) => json(res, 500, { detail: 'An error occurred' }), get, 1);
    assert.equal(e.message, 'The Workflows service had an internal error (500). Try again later.');
    assert.equal(e.retryable, false);
  });

  it('an HTML 502 page: status named, body not JSON', async () => {
    const page = '<html><body><h1>502 Bad Gateway</h1></body></html>';
    const e = await failure((_q, res) => raw(res, 502, page, 'text/html'), get, 4);
    assert.equal(e.status, 502);
    assert.match(e.message, /502 Bad Gateway with a body that is not JSON \(an HTML error page/);
    assert.equal(e.retryable, true);
  });

  it('an empty error body says "empty response"', async () => {
    const e = await failure((_q, res) => raw(res, 400, ''), get);
    assert.match(e.message, /400 Bad Request with an empty response/);
  });

  it('429 exposes Retry-After', async () => {
    const e = await withServer(
      (_q, res) => json(res, 429, { detail: 'slow down' }, { 'retry-after': '7' }),
      (c) => rejection(c.getExecution('x')),
      { maxRetries: 0 },
    );
    assert.ok(e instanceof WorkflowsApiError);
    assert.equal(e.retryAfterMs, 7000);
    assert.match(e.message, /rate limiting requests \(429\)\. Try again in 7 s\./);
    seen.push(e);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});

describe('api/errors: the neutral problem, as for every backend', () => {
  it('reads it from the status (WF_1103 is unavailable whatever its status)', () => {
    const problem = (status: number, body: unknown = { detail: 'x' }): string | undefined =>
      httpError({ method: 'POST', path: '/v1/x', status, bodyText: JSON.stringify(body) }, (t) => t).problem;
    assert.equal(problem(400), 'invalidArgument');
    assert.equal(problem(422, { detail: 'bad point', code: 'WF_1001', valid_reset_events: [4] }), 'invalidResetPoint', 'WF_1001 says what is invalid');
    assert.equal(problem(401), 'unauthenticated');
    assert.equal(problem(403), 'permissionDenied');
    assert.equal(problem(404, { detail: 'gone', code: 'WF_1100' }), 'notFound');
    assert.equal(problem(409, { detail: 'not running', code: 'WF_1102', status: 'COMPLETED' }), 'failedPrecondition');
    assert.equal(problem(429), 'resourceExhausted');
    assert.equal(problem(503), 'unavailable');
    assert.equal(problem(500, { detail: 'x', code: 'WF_1103' }), 'unavailable');
    assert.equal(problem(500), undefined);
  });
});

describe('api/errors: bodies that are not what they should be', () => {
  it('an empty 200 where JSON is needed → parse error', async () => {
    const e = await failure((_q, res) => raw(res, 200, ''), get);
    assert.equal(e.kind, 'parse');
    assert.match(e.message, /empty response/);
  });

  it('truncated JSON → parse error, not a SyntaxError', async () => {
    const e = await failure((_q, res) => raw(res, 200, '{"execution_id": "exec-1", "status": "RUNN'), get);
    assert.equal(e.kind, 'parse');
    assert.equal(e.message, 'The server sent a response that is not valid JSON (truncated?).');
    assert.ok(e.cause instanceof SyntaxError);
  });

  it('malformed JSON and JSON of the wrong shape → parse errors', async () => {
    const bad = await failure((_q, res) => raw(res, 200, "{'single': quotes}"), get);
    assert.equal(bad.kind, 'parse');
    const list = await failure((_q, res) => json(res, 200, [1, 2]), (c) => c.listExecutions({}));
    assert.equal(list.kind, 'parse');
    assert.match(list.message, /not a list of executions/);
    const history = await failure((_q, res) => json(res, 200, 'events'), (c) => c.getHistory('x'));
    assert.equal(history.kind, 'parse');
  });

  it('a redirect is not followed and nothing is re-sent', async () => {
    const e = await failure((_q, res) => {
      res.writeHead(302, { location: 'http://evil.example:8080/steal?token=1' });
      res.end();
    }, get);
    assert.equal(e.kind, 'redirect');
    assert.equal(e.status, 302);
    assert.match(e.message, /unexpected redirect to http:\/\/evil\.example:8080 /);
    assert.doesNotMatch(e.message, /token/);
  });

  it('redacts the key when a server echoes it', async () => {
    const e = await failure((req, res) => json(res, 400, { detail: `bad header ${String(req.headers.authorization)}` }), get);
    assert.match(e.message, /bad header Bearer \[redacted\]/);
  });
});

describe('api/errors: the key never leaks', () => {
  it('collects network, timeout and aborted errors too', async () => {
    seen.push(await failure((req) => req.socket.destroy(), (c) => c.reset(RESET)));
    const timeout = await withServer(() => undefined, (c) => rejection(c.cancel('e1')), { timeoutMs: 100 });
    const ac = new AbortController();
    ac.abort();
    const aborted = await withServer(() => undefined, (c) => rejection(c.getExecution('e1', ac.signal)));
    for (const e of [timeout, aborted]) {
      assert.ok(e instanceof WorkflowsApiError);
      seen.push(e);
    }
    assert.deepEqual(seen.slice(-3).map((e) => e.kind), ['network', 'timeout', 'aborted']);
  });

  it('appears in no message, property, JSON, inspection or stack of any error seen', () => {
    assert.ok(seen.length >= 18, `only ${seen.length} errors collected`);
    for (const e of seen) {
      const texts = [e.message, e.stack ?? '', JSON.stringify(e), String(e), JSON.stringify({ ...e }), inspect(e, { depth: 6, showHidden: true })];
      for (const t of texts) assert.ok(!t.includes(TEST_KEY), `key leaked in ${e.kind} ${e.status ?? ''}: ${t}`);
    }
  });
});
