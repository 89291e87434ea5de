/**
 * Live updates on Temporal (long polls of the history with waitNewEvent) against a fake server on port 0
 * that answers at once: the loop backs off and stops instead of spinning, a token that comes back
 * stops it, and the follower then says so in the log and polls. No timing: the clock and the pauses
 * are injected, and the fake server closes the run after a bounded number of requests, so a loop
 * that would spin ends (and fails its assertions) instead of hanging.
 */
import * as assert from 'node:assert/strict';
import { isWorkflowsApiError, type StreamMessage } from '../../../../src/api';
import { MAX_IMMEDIATE_EMPTY, TemporalBackend, TemporalClient, type LongPollTiming } from '../../../../src/api/temporal';
import { Follower } from '../../../../src/live/follower';
import { json, rejection, startServer, type TestServer } from '../testServer';
import { until } from '../../../helpers/eventually';

const HISTORY = '/api/v1/namespaces/default/workflows/wf/history';
/** The fake server closes the run (no token) after this many long polls: a spinning loop ends. */
const SPIN_LIMIT = 50;

const event = (id: number): Record<string, string> => ({ eventId: String(id), eventType: 'EVENT_TYPE_TIMER_STARTED', eventTime: '2026-01-01T00:00:00Z' });

/** Answers each long poll with `answer(n)` (n from 1), at once; after SPIN_LIMIT, a closed run. */
async function fakeServer(answer: (n: number) => { events: Record<string, string>[]; token: string | null }): Promise<TestServer> {
  return startServer((req, res, _body, n) => {
    if (!req.url?.startsWith(HISTORY) || !req.url.includes('waitNewEvent=true')) return json(res, 404, { code: 5, message: 'not here', details: [] });
    const { events, token } = n > SPIN_LIMIT ? { events: [], token: null } : answer(n);
    json(res, 200, { history: { events }, nextPageToken: token });
  });
}

/** A clock that advances `stepMs` per reading, and pauses that are recorded and end at once. */
function fakeTiming(stepMs: number): LongPollTiming & { delays: number[] } {
  let now = 0;
  const delays: number[] = [];
  return {
    delays,
    now: () => (now += stepMs),
    sleep: (ms, signal) => {
      delays.push(ms);
      return Promise.resolve(signal?.aborted !== true);
    },
  };
}

async function withBackend<T>(server: TestServer, timing: LongPollTiming, fn: (backend: TemporalBackend) => Promise<T>): Promise<T> {
  const client = new TemporalClient({ baseUrl: server.baseUrl, namespace: 'default', maxRetries: 0, timeoutMs: 5_000 });
  try {
    return await fn(new TemporalBackend(client, timing));
  } finally {
    await client.close();
    await server.close();
  }
}

async function drain(messages: AsyncIterable<StreamMessage>, into: StreamMessage[]): Promise<void> {
  for await (const m of messages) into.push(m);
}

describe('temporal: the long-poll loop of live updates', () => {
  it('an empty answer at once (same token) backs off, doubling, and after a few in a row the loop stops with a parse error', async () => {
    const server = await fakeServer((n) => (n === 1 ? { events: [event(1), event(2)], token: 't1' } : { events: [], token: 't1' }));
    const timing = fakeTiming(0); // every answer comes back at once
    await withBackend(server, timing, async (backend) => {
      const got: StreamMessage[] = [];
      const e = await rejection(drain(backend.streamExecution('wf'), got));
      assert.ok(isWorkflowsApiError(e) && e.kind === 'parse', `a parse error, not ${String(e)}`);
      assert.match(e.message, new RegExp(`Temporal answered ${MAX_IMMEDIATE_EMPTY} long polls in a row at once with no new events`));
      assert.deepEqual(got.map((m) => m.id), ['2'], 'the first page was one message');
      assert.equal(server.requests.length, 1 + MAX_IMMEDIATE_EMPTY, 'requests: the first page, then the immediate empty answers');
      assert.deepEqual(timing.delays, [1000, 2000, 4000, 8000], 'a pause after each immediate empty answer but the last');
    });
  });

  it('an empty answer after a real wait (an expired long poll) neither pauses nor stops the loop', async () => {
    const server = await fakeServer((n) => (n === 1 ? { events: [event(1)], token: 't1' }
      : n <= 12 ? { events: [], token: 't1' }
        : n === 13 ? { events: [event(2)], token: 't2' } : { events: [], token: null }));
    const timing = fakeTiming(20_000); // each answer took 20 s, as Temporal's long poll does
    await withBackend(server, timing, async (backend) => {
      const got: StreamMessage[] = [];
      await drain(backend.streamExecution('wf'), got);
      assert.deepEqual(got.map((m) => m.id), ['1', '2']);
      assert.deepEqual(timing.delays, []);
      assert.equal(server.requests.length, 14);
    });
  });

  it('immediate empty answers that are not in a row (news between them) do not stop the loop', async () => {
    // Every third answer brings an event; the two in between come back at once, empty.
    const server = await fakeServer((n) => (n > 30 ? { events: [], token: null }
      : n % 3 === 1 ? { events: [event(n)], token: `t${n}` } : { events: [], token: `t${n - ((n - 1) % 3)}` }));
    const timing = fakeTiming(0);
    await withBackend(server, timing, async (backend) => {
      const got: StreamMessage[] = [];
      await drain(backend.streamExecution('wf'), got);
      assert.equal(got.length, 10);
      assert.deepEqual([...new Set(timing.delays)], [1000, 2000], 'the pause starts over after news');
    });
  });

  it('a page of new events that gives back the token it was sent stops the loop at once', async () => {
    const server = await fakeServer((n) => ({ events: [event(n)], token: 't1' }));
    await withBackend(server, fakeTiming(0), async (backend) => {
      const got: StreamMessage[] = [];
      const e = await rejection(drain(backend.streamExecution('wf'), got));
      assert.ok(isWorkflowsApiError(e) && e.kind === 'parse', `a parse error, not ${String(e)}`);
      assert.match(e.message, /Temporal sent back a history page token it had already given \(with 1 events\)/);
      assert.equal(server.requests.length, 2);
      assert.equal(got.length, 1, 'the repeated page was not passed on');
    });
  });

  it('an answer that goes back to an earlier token stops the loop', async () => {
    const server = await fakeServer((n) => (n <= 3 ? { events: [event(n)], token: `t${n}` } : { events: [], token: 't1' }));
    await withBackend(server, fakeTiming(20_000), async (backend) => {
      const e = await rejection(drain(backend.streamExecution('wf'), []));
      assert.ok(isWorkflowsApiError(e) && /already given \(with no events\)/.test(e.message), String(e));
      assert.equal(server.requests.length, 4);
    });
  });

  it('the follower logs why and polls instead when the loop stops', async () => {
    const server = await fakeServer((n) => (n === 1 ? { events: [event(1)], token: 't1' } : { events: [], token: 't1' }));
    await withBackend(server, fakeTiming(0), async (backend) => {
      const warnings: string[] = [];
      let activity = 0;
      const follower = new Follower('wf', {
        client: () => Promise.resolve(backend),
        onActivity: () => activity++,
        pollIntervalMs: () => 20,
        onStreamUnsupported: () => undefined,
        log: { info: () => undefined, warn: (_area, message) => warnings.push(message) },
      }, false);
      try {
        await until('the follower polls', () => follower.polling && activity >= 3);
      } finally {
        follower.stop();
      }
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /^wf: polling instead of streaming \(Temporal answered \d+ long polls in a row at once with no new events/);
      assert.equal(server.requests.length, 1 + MAX_IMMEDIATE_EMPTY, 'no long poll after the loop stopped');
    });
  });
});
