/**
 * The sandbox in front of a Temporal HTTP API (sandbox/temporalPassthrough.ts), with a small local
 * server standing in for the engine (test/integration-engine runs it in front of the real one): what
 * goes through, the key check, the request log, faults with Temporal's error bodies, and long polls.
 */
import * as assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import { json, startServer, type Handler, type TestServer } from '../api/testServer';
import { until } from '../../helpers/eventually';

const KEY = 'passthrough-key';
const NS = '/api/v1/namespaces/default';

interface World {
  engine: TestServer;
  sandbox: Sandbox;
}

async function withPassthrough(handler: Handler, fn: (w: World) => Promise<void>): Promise<void> {
  const engine = await startServer(handler);
  const sandbox = await startSandbox({ apiKey: KEY, executions: 0, temporal: { httpBaseUrl: engine.baseUrl } });
  try {
    await fn({ engine, sandbox });
  } finally {
    await sandbox.close();
    await engine.close();
  }
}

async function call(sandbox: Sandbox, method: string, path: string, body?: unknown, key: string | null = KEY): Promise<{ status: number; body: string; type: string }> {
  const res = await fetch(`${sandbox.baseUrl}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') ?? '' };
}

describe('sandbox: pass-through to a Temporal HTTP API', () => {
  it('forwards method, path, query and body, and answers what the engine answered; the request is logged', () =>
    withPassthrough((req, res) => json(res, 400, { code: 3, message: `engine saw ${req.method} ${req.url}` }), async ({ engine, sandbox }) => {
      const answer = await call(sandbox, 'POST', `${NS}/workflows/w%201/reset?x=1`, { reason: 'r' });
      assert.equal(answer.status, 400);
      assert.deepEqual(JSON.parse(answer.body), { code: 3, message: `engine saw POST ${NS}/workflows/w%201/reset?x=1` });
      assert.equal(engine.requests.length, 1);
      assert.deepEqual(JSON.parse(engine.requests[0].body), { reason: 'r' });
      assert.equal(engine.requests[0].headers.authorization, undefined, 'the sandbox key is not passed on');
      assert.deepEqual(sandbox.requests.map((r) => [r.method, r.path, r.query, r.authorized]), [['POST', `${NS}/workflows/w%201/reset`, 'x=1', true]]);
    }));

  it('refuses a request without the key as Temporal does (code 16), and the engine never sees it', () =>
    withPassthrough((_q, res) => json(res, 200, {}), async ({ engine, sandbox }) => {
      const answer = await call(sandbox, 'GET', `${NS}/workflows`, undefined, null);
      assert.equal(answer.status, 401);
      assert.equal((JSON.parse(answer.body) as { code: number }).code, 16);
      assert.equal(engine.requests.length, 0);
      assert.equal(sandbox.requests[0].authorized, false);
    }));

  it('a status fault answers with Temporal’s error body (a proxy’s text for 502) instead of asking the engine', () =>
    withPassthrough((_q, res) => json(res, 200, { executions: [] }), async ({ engine, sandbox }) => {
      sandbox.faults.add({ pathIncludes: '/workflows', status: 503, times: 1 });
      sandbox.faults.add({ pathIncludes: '/workflows', status: 502, times: 1 });
      const unavailable = await call(sandbox, 'GET', `${NS}/workflows`);
      assert.equal(unavailable.status, 503);
      assert.equal((JSON.parse(unavailable.body) as { code: number }).code, 14);
      const gateway = await call(sandbox, 'GET', `${NS}/workflows`);
      assert.equal(gateway.status, 502);
      assert.match(gateway.type, /text\/plain/);
      assert.equal(engine.requests.length, 0);
      assert.equal((await call(sandbox, 'GET', `${NS}/workflows`)).status, 200, 'then the engine answers again');
    }));

  it('drop after: the engine acts, the client never hears', () =>
    withPassthrough((_q, res) => json(res, 200, { runId: 'new-run' }), async ({ engine, sandbox }) => {
      sandbox.faults.add({ method: 'POST', pathIncludes: '/reset', drop: 'after', times: 1 });
      await assert.rejects(call(sandbox, 'POST', `${NS}/workflows/w/reset`, { reason: 'r' }));
      assert.equal(engine.requests.length, 1, 'the engine got the reset');
    }));

  it('status after: the engine acts, then the client gets Temporal’s error body for 500 or 503', () =>
    withPassthrough((_q, res) => json(res, 200, { runId: 'new-run' }), async ({ engine, sandbox }) => {
      sandbox.faults.add({ method: 'POST', pathIncludes: '/reset', statusAfter: 503, times: 1 });
      sandbox.faults.add({ method: 'POST', pathIncludes: '/reset', statusAfter: 500, times: 1 });
      const unavailable = await call(sandbox, 'POST', `${NS}/workflows/w/reset`, { reason: 'r' });
      assert.equal(unavailable.status, 503);
      assert.equal((JSON.parse(unavailable.body) as { code: number }).code, 14);
      const internal = await call(sandbox, 'POST', `${NS}/workflows/w/reset`, { reason: 'r' });
      assert.equal(internal.status, 500);
      assert.equal((JSON.parse(internal.body) as { code: number }).code, 13);
      assert.equal(engine.requests.length, 2, 'the engine got both resets');
    }));

  it('a history long poll is an open stream while it waits; a client that leaves ends it upstream too', async () => {
    let upstreamClosed = false;
    await withPassthrough((req, res) => {
      if (req.url?.includes('waitNewEvent=true')) {
        res.once('close', () => (upstreamClosed = true)); // never answered: the run has no new event
        return;
      }
      json(res, 200, { history: { events: [] } });
    }, async ({ sandbox }) => {
      const req = httpRequest(`${sandbox.baseUrl}${NS}/workflows/w/history?waitNewEvent=true`, { headers: { authorization: `Bearer ${KEY}` } });
      req.on('error', () => undefined);
      req.end();
      await until('the long poll to be open', () => sandbox.openStreams() === 1);
      assert.equal((await call(sandbox, 'GET', `${NS}/workflows/w/history`)).status, 200, 'a plain read is not a stream');
      assert.equal(sandbox.openStreams(), 1);
      req.destroy();
      await until('the long poll to end on both sides', () => sandbox.openStreams() === 0 && upstreamClosed);
    });
  });

  it('Mistral’s routes stay the sandbox’s own; without the option there is no pass-through', async () => {
    await withPassthrough((_q, res) => json(res, 200, {}), async ({ engine, sandbox }) => {
      assert.equal((await call(sandbox, 'GET', '/v1/workflows/runs')).status, 200);
      assert.equal(engine.requests.length, 0);
    });
    const plain = await startSandbox({ apiKey: KEY, executions: 0 });
    try {
      assert.equal((await call(plain, 'GET', `${NS}/workflows`)).status, 404);
    } finally {
      await plain.close();
    }
  });
});
