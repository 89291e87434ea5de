import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normalizeHistory, type WorkflowEvent } from '../../../src/api';
import { lastSafePoint, safetyOfResetPoints } from '../../../src/replay';

const SAMPLES = path.join(__dirname, '../../../../workers/samples');

/** A history the real engine and SDK wrote (workers/README.md): charge_card (event 12, decided by task 11) fails at 14. */
function sample(name: string): WorkflowEvent[] {
  return normalizeHistory(JSON.parse(fs.readFileSync(path.join(SAMPLES, name), 'utf8')));
}

const ids = (events: { point: WorkflowEvent }[]): (number | undefined)[] => events.map((e) => e.point.eventId);

describe('replay/safety', () => {
  const failed = sample('order-activity-failed.json');

  it('clean: every WORKFLOW_TASK_COMPLETED is safe', () => {
    const safety = safetyOfResetPoints(failed, { outcome: 'clean', replayedEvents: 19 });
    assert.deepEqual(ids(safety), [4, 11, 17]);
    assert.ok(safety.every((p) => p.safety === 'safe'));
  });

  it('diverges at N: points before N are safe, points at or after N fail again', () => {
    const at = (eventId: number) => safetyOfResetPoints(failed, { outcome: 'diverges', eventId, cause: 'nondeterminism', message: 'm', replayedEvents: 19 }).map((p) => p.safety);
    assert.deepEqual(at(12), ['safe', 'safe', 'failsAgain']);
    assert.deepEqual(at(5), ['safe', 'failsAgain', 'failsAgain']);
    assert.deepEqual(at(11), ['safe', 'failsAgain', 'failsAgain'], 'a task the code fails itself');
    assert.deepEqual(at(18), ['safe', 'safe', 'safe']);
  });

  it('the last safe point puts the failed step back: not a later point that keeps the failure', () => {
    const clean = lastSafePoint(failed, { outcome: 'clean', replayedEvents: 19 });
    assert.equal(clean?.point.eventId, 11);
    assert.equal(clean?.why, 'Event 11 is the latest safe reset point: your code replays the whole history cleanly; it comes before the failed step at event 14.');
    const diverges = lastSafePoint(failed, { outcome: 'diverges', eventId: 5, cause: 'nondeterminism', message: 'm', replayedEvents: 19 });
    assert.equal(diverges?.point.eventId, 4);
    assert.match(diverges?.why ?? '', /diverges at event 5, after it/);
    assert.equal(lastSafePoint(failed, { outcome: 'diverges', eventId: 4, cause: 'nondeterminism', message: 'm', replayedEvents: 19 }), undefined, 'no point is safe');
  });

  it('without a failed step the last safe point is the latest one the verdict allows', () => {
    const completed = sample('order-completed.json');
    const points = ids(safetyOfResetPoints(completed, { outcome: 'clean', replayedEvents: 24 }));
    assert.equal(lastSafePoint(completed, { outcome: 'clean', replayedEvents: 24 })?.point.eventId, points.at(-1));
    const d = points[1] ?? 0;
    assert.equal(lastSafePoint(completed, { outcome: 'diverges', eventId: d, cause: 'nondeterminism', message: 'm', replayedEvents: 24 })?.point.eventId, points[0]);
  });
});
