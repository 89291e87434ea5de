import * as assert from 'node:assert/strict';
import { HistoryStream, normalizeHistory, type WorkflowEvent } from '../../../src/api';
import { RunHistory } from '../../../src/tree/runHistory';

function events(...types: string[]): WorkflowEvent[] {
  return normalizeHistory(types.map((eventType, i) => ({ eventId: String(i + 1), eventType })));
}

/** A fetch whose answers the test releases one by one, in any order. */
function controlledFetch(): { fetch: () => Promise<WorkflowEvent[]>; answer(call: number, value: WorkflowEvent[]): void; calls(): number } {
  const pending: ((value: WorkflowEvent[]) => void)[] = [];
  return {
    fetch: () => new Promise((resolve) => pending.push(resolve)),
    answer: (call, value) => pending[call](value),
    calls: () => pending.length,
  };
}

describe('RunHistory (the events of one run in the tree)', () => {
  it('shares one request between concurrent loads', async () => {
    const f = controlledFetch();
    const history = new RunHistory(f.fetch, () => 2);
    const a = history.load();
    const b = history.load();
    assert.equal(f.calls(), 1);
    f.answer(0, events('WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED'));
    assert.equal(await a, await b);
    assert.equal(history.shown, 2);
  });

  it('never lets a slow older answer overwrite the history loaded after forget()', async () => {
    const f = controlledFetch();
    const history = new RunHistory(f.fetch, () => 500);
    const older = history.load();
    history.forget(); // e.g. a live update: the run has new events
    const newer = history.load();
    assert.equal(f.calls(), 2, 'forget() starts a new request');
    const fresh = events('WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED');
    f.answer(1, fresh);
    assert.equal((await newer).events, fresh);
    f.answer(0, events('WORKFLOW_EXECUTION_STARTED')); // the stale answer arrives last
    const olderResult = await older;
    assert.equal(history.value?.events, fresh, 'the newer history stays');
    assert.equal(olderResult.events, fresh, 'whoever waited on the stale request gets the current history');
  });

  it('ignores a stale failure after forget()', async () => {
    let call = 0;
    let failFirst: (e: Error) => void = () => undefined;
    const fresh = events('WORKFLOW_EXECUTION_STARTED');
    const history = new RunHistory(
      () => (call++ === 0 ? new Promise<WorkflowEvent[]>((_, reject) => (failFirst = reject)) : Promise.resolve(fresh)),
      () => 500,
    );
    const older = history.load();
    history.forget();
    assert.equal((await history.load()).events, fresh);
    failFirst(new Error('stale network error'));
    assert.equal((await older).events, fresh);
    assert.equal(history.error, undefined, 'a stale failure is not shown as the history error');
  });
});

/**
 * A source that offers `pages` one at a time and waits for demand between them, as a paged server's
 * reader does (src/api/temporal/pagedHistory.ts); `failOn` (0-based) throws instead of that page.
 */
function pagedSource(pages: WorkflowEvent[][], failOn?: number): {
  fetch: (stream?: HistoryStream) => Promise<WorkflowEvent[]>; reads(): number; stopped(): boolean;
} {
  let reads = 0;
  let stopped = false;
  return {
    fetch: async (stream) => {
      if (!stream) throw new Error('the tree always passes a stream');
      const events: WorkflowEvent[] = [];
      for (let i = 0; i < pages.length; i++) {
        reads++;
        if (i === failOn) throw new Error(`page ${i + 1} failed`);
        events.push(...pages[i]);
        stream.offer(events);
        if (i === pages.length - 1) break;
        if (!(await stream.demand())) {
          stopped = true;
          throw new Error('nobody wants more');
        }
      }
      return events;
    },
    reads: () => reads,
    stopped: () => stopped,
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** Nine events in three pages of three: smaller than the tree's page of five, as a server's may be. */
const NINE = events(...Array.from({ length: 9 }, (_, i) => (i === 0 ? 'WORKFLOW_EXECUTION_STARTED' : 'TIMER_STARTED')));
const PAGES = [NINE.slice(0, 3), NINE.slice(3, 6), NINE.slice(6)];

describe('RunHistory over a source that pauses between pages', () => {
  it('arrived() shows the first page when the source pauses, even a page smaller than the tree’s', async () => {
    const source = pagedSource(PAGES);
    const history = new RunHistory(source.fetch, () => 5);
    const first = await history.arrived();
    assert.equal(first.events.length, 3);
    assert.equal(first.complete, false);
    assert.equal(first.paused, true);
    assert.equal(history.shown, 3);
    assert.equal(source.reads(), 1);
    const redrawn = await history.arrived(); // what every refresh of the rows does
    assert.equal(redrawn.events.length, 3);
    assert.equal(source.reads(), 1, 'a redraw asks for nothing more');
    assert.equal(history.value, undefined);
  });

  it('showMore() reads exactly one more page; load() reads the rest', async () => {
    const source = pagedSource(PAGES);
    const history = new RunHistory(source.fetch, () => 5);
    await history.arrived();
    history.showMore();
    const second = await history.arrived();
    assert.deepEqual(second.events, NINE.slice(0, 6));
    assert.equal(second.paused, true);
    assert.equal(history.shown, 6);
    assert.equal(source.reads(), 2);
    const whole = await history.load();
    assert.deepEqual(whole.events, NINE);
    assert.equal(source.reads(), 3);
    assert.equal(whole.events[0], second.events[0], 'the rows shown keep their events');
    const after = await history.arrived();
    assert.equal(after.complete, true);
    assert.equal(after.paused, false);
  });

  it('a server page larger than the tree’s is shown a page at a time before the next is read', async () => {
    const source = pagedSource([NINE.slice(0, 7), NINE.slice(7)]); // Temporal rounds pages up to whole batches
    const history = new RunHistory(source.fetch, () => 3);
    const first = await history.arrived();
    assert.equal(history.shown, 3);
    assert.equal(first.events.length, 7);
    assert.equal(first.paused, true);
    history.showMore();
    await history.arrived();
    assert.equal(history.shown, 6);
    assert.equal(source.reads(), 1, 'what arrived is shown first');
    history.showMore();
    const last = await history.arrived();
    assert.equal(source.reads(), 2, 'then the next page');
    assert.equal(last.complete, true);
    assert.equal(history.shown, 9);
  });

  it('watching the fetch (settling) asks for nothing, and settles when the source pauses or ends', async () => {
    // A source that pauses only a turn after its page (a real one awaits the network in between).
    let reads = 0;
    const fetch = async (stream?: HistoryStream): Promise<WorkflowEvent[]> => {
      assert.ok(stream);
      reads++;
      stream.offer(NINE.slice(0, 6));
      await settle();
      if (!(await stream.demand())) throw new Error('nobody wants more');
      reads++;
      return NINE;
    };
    const history = new RunHistory(fetch, () => 5);
    const watch = (): Promise<unknown> | undefined => history.settling;
    const first = await history.arrived();
    assert.equal(first.paused, false, 'the page was shown before the source paused');
    const settling = watch();
    assert.ok(settling, 'a fetch under way, not yet paused');
    assert.equal(watch(), settling, 'the same promise until it settles');
    await settling; // the pause: the rows redraw and learn that more waits on the server
    assert.equal((await history.arrived()).paused, true);
    assert.equal(watch(), undefined, 'paused: nothing to watch until Load more');
    assert.equal(reads, 1, 'watching read nothing more');
    let ended = false;
    history.showMore();
    void watch()?.then(() => (ended = true));
    await history.arrived();
    await settle();
    assert.equal(ended, true, 'the end of the fetch settles it too');
    assert.equal(reads, 2);
  });

  it('load() from the start reads every page; concurrent arrived() calls share the fetch', async () => {
    const source = pagedSource(PAGES);
    const history = new RunHistory(source.fetch, () => 5);
    const [shown, whole] = await Promise.all([history.arrived(), history.load()]);
    assert.deepEqual(whole.events, NINE);
    assert.ok(shown.events.length >= 3);
    assert.equal(source.reads(), 3);
  });

  it('forget() stops the paused source of the older read; the next read starts again', async () => {
    const source = pagedSource(PAGES);
    const history = new RunHistory(source.fetch, () => 5);
    await history.arrived();
    history.forget();
    await settle();
    assert.equal(source.stopped(), true, 'the older source was told nobody wants more');
    const again = await history.arrived();
    assert.equal(again.events.length, 3);
    assert.equal(source.reads(), 2, 'the first page of the new read; the old one read nothing more');
    assert.equal(history.error, undefined, 'the older read’s end is not this history’s error');
  });

  it('a page that fails after “Load more” is the error of arrived() and of load()', async () => {
    const source = pagedSource(PAGES, 1);
    const history = new RunHistory(source.fetch, () => 5);
    await history.arrived();
    history.showMore();
    await assert.rejects(history.arrived(), /page 2 failed/);
    await assert.rejects(history.load(), /page 2 failed/);
  });

  it('after a failed read, arrived() gives that failure without fetching again, until forget()', async () => {
    const source = pagedSource(PAGES, 1);
    const history = new RunHistory(source.fetch, () => 5);
    await history.arrived();
    history.showMore();
    await assert.rejects(history.arrived(), /page 2 failed/);
    await assert.rejects(history.arrived(), /page 2 failed/, 'the refresh the failure causes shows it again');
    assert.equal(source.reads(), 2, 'no new fetch');
    history.forget(); // Retry
    assert.equal((await history.arrived()).events.length, 3);
    assert.equal(source.reads(), 3);
  });

  it('load() on a streamed body (Mistral) keeps the prefix scanner at the page shown: the body is parsed once at the end', async () => {
    const raw = Array.from({ length: 40 }, (_, i) => ({ eventId: String(i + 1), eventType: 'EVENT_TYPE_TIMER_STARTED' }));
    const text = JSON.stringify({ events: raw });
    let streamed: HistoryStream | undefined;
    let rest: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (rest = resolve));
    const history = new RunHistory(async (stream) => {
      if (!stream) throw new Error('the tree always passes a stream');
      streamed = stream;
      const sink = stream.sink();
      sink.write(text.slice(0, text.length / 2));
      await gate;
      sink.write(text.slice(text.length / 2));
      return sink.end();
    }, () => 5);
    const first = await history.arrived();
    assert.equal(first.events.length, 5);
    assert.equal(first.paused, false, 'a body still arriving is not paused');
    const whole = history.load();
    rest();
    assert.equal((await whole).events.length, 40);
    assert.equal(streamed?.events.length, 5, 'the scanner found no more than the page shown');
  });
});

