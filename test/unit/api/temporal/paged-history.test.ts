/**
 * A Temporal run's history read page by page as a HistoryStream asks for it (src/api/temporal/
 * pagedHistory.ts), against a fake Temporal HTTP API (helpers/fakeTemporal.ts) serving one run in three pages.
 * What is counted is requests, never time.
 */
import * as assert from 'node:assert/strict';
import { HistoryStream, isWorkflowsApiError, normalizeHistory, type WorkflowEvent } from '../../../../src/api';
import { rejection } from '../testServer';
import { fakeTemporal, HISTORY_PATH, RAW_EVENTS, type FakeTemporal } from '../../helpers/fakeTemporal';

/** A stream whose offers are counted, and a promise for its next pause. */
function watched(wanted: number): { stream: HistoryStream; offered: (readonly WorkflowEvent[])[]; nextPause(): Promise<void> } {
  const offered: (readonly WorkflowEvent[])[] = [];
  let onPause: (() => void) | undefined;
  const stream = new HistoryStream(wanted, (events) => offered.push([...events]), () => onPause?.());
  return { stream, offered, nextPause: () => new Promise<void>((resolve) => (onPause = resolve)) };
}

const ids = (events: readonly WorkflowEvent[]): string[] => events.map((e) => e.idText);
const ALL_IDS = RAW_EVENTS.map((e) => e.eventId);

describe('TemporalBackend.getHistory with a stream: the server’s pages as they are wanted', () => {
  let fake: FakeTemporal;
  afterEach(() => fake.close());

  it('the first page after one request, one more page per want beyond it, the rest on wantAll', async () => {
    fake = await fakeTemporal();
    const w = watched(5);
    const first = w.nextPause();
    const whole = fake.backend.getHistory('wf', { runId: 'r1', stream: w.stream });
    await first;
    assert.deepEqual(w.offered.map(ids), [['1', '2', '3', '4']], 'a server page smaller than the page wanted');
    assert.deepEqual(fake.tokens(), [null]);
    assert.equal(fake.server.requests[0].url, `${HISTORY_PATH}?execution.runId=r1&maximumPageSize=5`, 'the page size wanted is asked for');
    w.stream.want(4);
    assert.equal(w.stream.paused, true, 'no more than was offered: still paused');
    const second = w.nextPause();
    w.stream.want(9); // “Load more”
    await second;
    assert.deepEqual(fake.tokens(), [null, 'p2']);
    assert.deepEqual(ids(w.offered[1]), ALL_IDS.slice(0, 8));
    w.stream.wantAll();
    const events = await whole;
    assert.deepEqual(fake.tokens(), [null, 'p2', 'p3']);
    assert.deepEqual(ids(events), ids(normalizeHistory({ history: { events: RAW_EVENTS } })));
    assert.equal(events[0], w.offered[0][0], 'the events offered are the result’s own');
    const sizes = fake.server.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('maximumPageSize'));
    assert.deepEqual(sizes, ['5', '5', null], 'the page wanted while paging, then the server’s largest pages');
  });

  it('without a stream: every page before it returns, as before', async () => {
    fake = await fakeTemporal();
    assert.deepEqual(ids(await fake.backend.getHistory('wf')), ALL_IDS);
    assert.deepEqual(fake.tokens(), [null, 'p2', 'p3']);
  });

  it('an error on the second page is the read’s error', async () => {
    fake = await fakeTemporal({ fail: 'p2' });
    const w = watched(4);
    const first = w.nextPause();
    const whole = fake.backend.getHistory('wf', { stream: w.stream });
    await first;
    w.stream.want(8);
    const error = await rejection(whole);
    assert.ok(isWorkflowsApiError(error), String(error));
    assert.equal(error.problem, 'invalidArgument');
    assert.deepEqual(fake.tokens(), [null, 'p2']);
  });

  it('the caller’s abort stops a paused read: kind aborted, no further request', async () => {
    fake = await fakeTemporal();
    const w = watched(4);
    const controller = new AbortController();
    const first = w.nextPause();
    const whole = fake.backend.getHistory('wf', { stream: w.stream }, controller.signal);
    await first;
    controller.abort();
    const error = await rejection(whole);
    assert.ok(isWorkflowsApiError(error), String(error));
    assert.equal(error.kind, 'aborted');
    assert.deepEqual(fake.tokens(), [null]);
  });

  it('abandoned while a page is in flight: that page is the last one asked for', async () => {
    fake = await fakeTemporal({ hold: 'p2' });
    const w = watched(4);
    const first = w.nextPause();
    const whole = fake.backend.getHistory('wf', { stream: w.stream });
    await first;
    w.stream.want(8);
    await fake.held();
    w.stream.abandon(); // a newer read replaced this one while page 2 was on its way
    fake.release();
    const error = await rejection(whole);
    assert.ok(isWorkflowsApiError(error), String(error));
    assert.equal(error.kind, 'aborted');
    assert.deepEqual(fake.tokens(), [null, 'p2'], 'page 3 never asked for');
  });
});
