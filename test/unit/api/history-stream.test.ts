import * as assert from 'node:assert/strict';
import { HistoryStream, isWorkflowsApiError, normalizeHistory, type WorkflowEvent } from '../../../src/api';
import { WorkflowsClient } from '../../../src/api/mistral';
import { normalizeEvents } from '../../../src/api/history';
import { DEMO, startSandbox, type HistoryShape, type Sandbox } from '../../../sandbox/server';

function ids(events: readonly WorkflowEvent[]): string[] {
  return events.map((e) => `${e.idText}:${e.type}`);
}

/** Feeds `text` to a fresh sink in chunks of `size` characters; returns what was offered early and the result. */
function feed(text: string, size: number, wanted: number): { early: WorkflowEvent[][]; result: WorkflowEvent[] } {
  const early: WorkflowEvent[][] = [];
  const stream = new HistoryStream(wanted, (events) => early.push([...events]));
  const sink = stream.sink();
  for (let i = 0; i < text.length; i += size) sink.write(text.slice(i, i + size));
  return { early, result: sink.end() };
}

const EVENTS = Array.from({ length: 40 }, (_, i) => ({
  eventId: String(i + 1),
  eventType: i % 3 === 0 ? 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED' : 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
  eventTime: '2026-01-01T00:00:00Z',
  // Strings with the characters a scanner could trip on: quotes, backslashes, brackets, commas.
  activityTaskScheduledEventAttributes: { note: `a "quoted" \\ back]slash}, {[${i}]` },
}));

describe('HistoryStream (the first events before the whole body)', () => {
  const shapes: [string, unknown][] = [
    ['Temporal JSON {history:{events}}', { history: { events: EVENTS }, nextPageToken: null }],
    ['{events} after other keys', { execution_id: 'x', meta: { a: [1, { b: '}' }] }, events: EVENTS, tail: 1 }],
    ['a bare array', EVENTS],
  ];
  for (const [name, body] of shapes) {
    for (const size of [1, 7, 100, 1_000_000]) {
      it(`${name}, chunks of ${size}: offers the first page early and ends with normalizeHistory's events`, () => {
        const text = JSON.stringify(body, null, size === 7 ? 2 : undefined);
        const { early, result } = feed(text, size, 10);
        const expected = normalizeHistory(JSON.parse(text));
        assert.deepEqual(ids(result), ids(expected));
        assert.ok(early.length >= 1, 'offered');
        assert.ok(early[0].length >= 10, 'a whole first page');
        assert.deepEqual(ids(early[0]), ids(expected).slice(0, early[0].length));
        assert.equal(result[0], early[0][0], 'the rows shown keep their event objects');
      });
    }
  }

  it('offers nothing early for a newest-first history (the end reverses it)', () => {
    const { early, result } = feed(JSON.stringify({ events: [...EVENTS].reverse() }), 50, 10);
    assert.equal(early.length, 0);
    assert.equal(result[0].idText, '1');
  });

  it('wants more on demand: Load more during the stream scans what arrived', () => {
    const offered: number[] = [];
    const stream = new HistoryStream(10, (events) => offered.push(events.length));
    const sink = stream.sink();
    const text = JSON.stringify({ events: EVENTS });
    sink.write(text.slice(0, text.length - 10));
    assert.deepEqual(offered, [10]);
    stream.want(20);
    assert.deepEqual(offered, [10, 20]);
    sink.write(text.slice(text.length - 10));
    assert.equal(sink.end().length, 40);
  });

  it('an invalid body is still refused at the end, whatever was offered', () => {
    const text = `${JSON.stringify({ events: EVENTS }).slice(0, -2)}, oops]}`;
    assert.throws(() => feed(text, 64, 10), SyntaxError);
    assert.throws(() => feed('{"events": 42}', 4, 10), /not a list/);
  });
});

describe('HistoryStream demand (what a paged source waits on)', () => {
  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  it('pauses after a page, even one smaller than wanted, until more than it offered is wanted', async () => {
    const offered: number[] = [];
    let pauses = 0;
    const stream = new HistoryStream(10, (events) => offered.push(events.length), () => pauses++);
    const events = normalizeHistory(EVENTS.slice(0, 4));
    assert.equal(stream.offer(events), true);
    assert.deepEqual(offered, [4]);
    let resumed: boolean | undefined;
    const demand = stream.demand().then((go) => (resumed = go));
    assert.equal(stream.paused, true);
    assert.equal(pauses, 1, 'the caller learns of the pause');
    stream.want(4); // no more than was offered: nothing to read
    await settle();
    assert.equal(resumed, undefined, 'the 10 wanted before the pause were met by the page read');
    stream.want(5);
    assert.equal(await demand, true);
    assert.equal(stream.paused, false);
    normalizeEvents(EVENTS.slice(4, 8), events);
    stream.offer(events);
    assert.deepEqual(offered, [4, 8]);
  });

  it('wantAll resumes a paused source, and every later demand resolves at once', async () => {
    const stream = new HistoryStream(10, () => undefined);
    stream.offer(normalizeHistory(EVENTS.slice(0, 4)));
    const demand = stream.demand();
    stream.wantAll();
    assert.equal(await demand, true);
    assert.equal(await stream.demand(), true);
    assert.equal(stream.paused, false);
    assert.equal(stream.wantsAll, true);
  });

  it('abandon() or the caller\'s abort stops a paused source, and any later demand', async () => {
    const abandoned = new HistoryStream(10, () => undefined);
    const paused = abandoned.demand();
    abandoned.abandon();
    assert.equal(await paused, false);
    assert.equal(await abandoned.demand(), false);
    const controller = new AbortController();
    const aborted = new HistoryStream(10, () => undefined);
    const waiting = aborted.demand(controller.signal);
    controller.abort();
    assert.equal(await waiting, false);
    assert.equal(await aborted.demand(controller.signal), false);
  });

  it('offers nothing of a newest-first list (only the end can say what comes first)', () => {
    const offered: number[] = [];
    const stream = new HistoryStream(10, (events) => offered.push(events.length));
    assert.equal(stream.offer(normalizeEvents([...EVENTS.slice(0, 4)].reverse())), false);
    assert.deepEqual(offered, []);
  });

  it('wantAll on a streamed body does not make the prefix scanner read on (the body is parsed once at the end)', () => {
    const offered: number[] = [];
    const stream = new HistoryStream(10, (events) => offered.push(events.length));
    const sink = stream.sink();
    const text = JSON.stringify({ events: EVENTS });
    sink.write(text.slice(0, text.length / 2));
    assert.deepEqual(offered, [10]);
    stream.wantAll();
    sink.write(text.slice(text.length / 2));
    assert.deepEqual(offered, [10]);
    assert.equal(stream.events.length, 10, 'the scanner stopped at what was wanted');
    assert.equal(sink.end().length, 40);
  });
});

describe('HistoryStream through the client and a sandbox that trickles the body', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await startSandbox({ completionDelayMs: 60_000 });
  });
  afterEach(() => sandbox.close());

  for (const compression of ['on', 'off'] as const) {
    for (const shape of ['temporal', 'seed'] as HistoryShape[]) {
      it(`${shape} shape, compression ${compression}: the first page arrives while the rest is held back`, async () => {
        sandbox.setHistoryShape(shape);
        const c = new WorkflowsClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, maxRetries: 0, timeoutMs: 10_000, compression });
        try {
          const whole = await c.getHistory(DEMO.failed);
          sandbox.faults.add({ pathIncludes: '/history', trickleAfterBytes: 6_000, trickleMs: 600, times: 1 });
          const started = Date.now();
          let firstAt: number | undefined;
          let first: WorkflowEvent[] = [];
          const stream = new HistoryStream(5, (events) => {
            firstAt ??= Date.now() - started;
            if (first.length === 0) first = [...events];
          });
          const result = await c.getHistory(DEMO.failed, { stream });
          const doneAt = Date.now() - started;
          assert.deepEqual(ids(result), ids(whole));
          assert.ok(firstAt !== undefined && firstAt < 400, `first page after ${firstAt} ms`);
          assert.ok(doneAt >= 550, `the whole history after ${doneAt} ms (held back 600 ms)`);
          assert.deepEqual(ids(first), ids(whole).slice(0, first.length));
        } finally {
          await c.close();
        }
      });
    }
  }

  it('a retried attempt starts from nothing; a parse failure is kind parse', async () => {
    const c = new WorkflowsClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, maxRetries: 0, timeoutMs: 10_000 });
    try {
      sandbox.faults.add({ pathIncludes: '/history', truncate: true, times: 1 });
      const error = await c.getHistory(DEMO.failed, { stream: new HistoryStream(5, () => undefined) }).then(() => undefined, (e: unknown) => e);
      assert.ok(isWorkflowsApiError(error));
      assert.equal(error.kind, 'parse');
      assert.match(error.message, /not valid JSON/);
    } finally {
      await c.close();
    }
  });
});
