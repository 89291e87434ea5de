/**
 * StuckWatch: a watched execution that gets stuck is told once per streak, with the stuck sentence;
 * a young streak only once it has lasted the grace; a recovered run's next streak again; reads are
 * rate-limited; a failed read tells nothing. Over a fake backend and a real history whose workflow task fails.
 */
import * as assert from 'node:assert/strict';
import type { Execution, PendingAttempts, WorkflowEvent } from '../../../src/api';
import { StuckWatch } from '../../../src/incidentsUi/stuckWatch';
import { FakeBackend } from '../helpers/fakeBackend';
import { loadReal } from '../helpers/realHistories';

const EXECUTION: Execution = { executionId: 'w-1', runId: 'run-1', workflowName: 'order-fulfillment', status: 'RUNNING', startTime: new Date('2024-06-24T17:00:00Z') };

/** The real history's first events: its workflow task fails (event 4) and is retried. */
function failing(): WorkflowEvent[] {
  return loadReal('wft-failed-timers-activities-146.go.json').events.slice(0, 6);
}

function recovered(): WorkflowEvent[] {
  return loadReal('wft-failed-timers-activities-146.go.json').events.slice(0, 7);
}

interface Harness {
  watch: StuckWatch;
  backend: FakeBackend;
  told: string[];
  warnings: string[];
  clock: { now: number };
}

function harness(history: WorkflowEvent[] | Error, options: { graceMs?: number; checkEveryMs?: number; now?: number } = {}): Harness {
  const backend = new FakeBackend([EXECUTION], new Map([['w-1', history]]), 1);
  const told: string[] = [];
  const warnings: string[] = [];
  const clock = { now: options.now ?? Date.parse('2026-12-03T10:00:00Z') };
  const watch = new StuckWatch({
    client: () => Promise.resolve(backend),
    retryingAttempts: () => 5,
    notify: (execution, text) => void told.push(`${execution.executionId}: ${text}`),
    log: { info: () => undefined, warn: (_area, message) => void warnings.push(message) },
    now: () => clock.now,
    graceMs: options.graceMs ?? 0,
    checkEveryMs: options.checkEveryMs ?? 0,
  });
  return { watch, backend, told, warnings, clock };
}

describe('incidentsUi/stuckWatch: a watched execution that gets stuck says so', () => {
  it('tells once per streak, with the stuck sentence and the attempt where describe counts it', async () => {
    const h = harness(failing());
    h.backend.countAttempts(new Map<string, PendingAttempts>([['w-1', { pendingWorkflowTask: { attempt: 37 } }]]));
    await h.watch.check(EXECUTION, true);
    await h.watch.check(EXECUTION, true);
    assert.equal(h.told.length, 1, 'the same streak is told once');
    assert.match(h.told[0], /^w-1: workflow task failing since 2024-06-24 17:07 UTC \(attempt 37\): unable to find workflow type/);
    assert.deepEqual(h.backend.readRuns, ['run-1', 'run-1'], 'the watched run is read');
  });

  it('a run that recovered and got stuck again is told again', async () => {
    const h = harness(failing());
    await h.watch.check(EXECUTION, true);
    h.backend.histories.set('w-1', recovered());
    await h.watch.check(EXECUTION, true);
    assert.equal(h.told.length, 1, 'a completed workflow task: not stuck, nothing told');
    h.backend.histories.set('w-1', failing());
    await h.watch.check(EXECUTION, true);
    assert.equal(h.told.length, 2);
  });

  it('a streak younger than the grace is looked at again when the grace has passed', async () => {
    const since = failing()[3].time?.getTime() ?? NaN;
    const h = harness(failing(), { graceMs: 60, now: since + 10 });
    await h.watch.check(EXECUTION, true);
    assert.deepEqual(h.told, [], 'a workflow task that failed a moment ago may still complete');
    h.clock.now = since + 200;
    const before = h.backend.reads.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(h.backend.reads.length, before + 1, 'read again once, by itself');
    assert.equal(h.told.length, 1, 'still failing after the grace: told');
  });

  it('forget drops a pending second look', async () => {
    const since = failing()[3].time?.getTime() ?? NaN;
    const h = harness(failing(), { graceMs: 40, now: since + 10 });
    await h.watch.check(EXECUTION, true);
    h.watch.forget('w-1');
    h.clock.now = since + 200;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(h.backend.reads.length, 1);
    assert.deepEqual(h.told, []);
  });

  it('refreshes read the history at most once per interval; the watch starting always reads', async () => {
    const h = harness(recovered(), { checkEveryMs: 10_000 });
    await h.watch.check(EXECUTION);
    h.clock.now += 5_000;
    await h.watch.check(EXECUTION);
    assert.equal(h.backend.reads.length, 1, 'the second refresh came too soon');
    await h.watch.check(EXECUTION, true);
    assert.equal(h.backend.reads.length, 2);
    h.clock.now += 10_000;
    await h.watch.check(EXECUTION);
    assert.equal(h.backend.reads.length, 3);
  });

  it('a history that cannot be read tells nothing and is logged', async () => {
    const h = harness(new Error('HTTP 503'));
    await h.watch.check(EXECUTION, true);
    assert.deepEqual(h.told, []);
    assert.match(h.warnings.join('\n'), /Could not tell whether w-1 is stuck: HTTP 503/);
  });
});
