import * as assert from 'node:assert/strict';
import { normalizeHistory, type WorkflowEvent } from '../../src/api';
import { RunHistory } from '../../src/tree/runHistory';

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
