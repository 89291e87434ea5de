/**
 * What a replay check that ran says in the editor: the tree's marks, the execution row's summary,
 * the reset confirmation's sentence and the report, on a history the real engine wrote (charge_card,
 * scheduled at 12 by the task completed at 11, fails at 14).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normalizeHistory, type WorkflowEvent } from '../../../src/api';
import { CheckedRuns, checkSummary, replayMarkOf, replayReport, verdictForPoint, type CheckedRun, type ReplayResult } from '../../../src/replay';

const SAMPLE = path.join(__dirname, '../../../../workers/samples/order-activity-failed.json');
const events: WorkflowEvent[] = normalizeHistory(JSON.parse(fs.readFileSync(SAMPLE, 'utf8')));
const event = (id: number): WorkflowEvent => {
  const found = events.find((e) => e.eventId === id);
  assert.ok(found, `event ${id} is in the sample`);
  return found;
};
const points = events.filter((e) => e.type === 'WORKFLOW_TASK_COMPLETED');

function checked(result: ReplayResult): CheckedRun {
  return {
    executionId: 'order-1',
    runId: 'run-1',
    workflowName: 'order',
    result,
    interpreter: { command: '/w/.venv/bin/python', source: 'folderVenv', description: "the folder's .venv (/w/.venv/bin/python)" },
    dirs: ['/w/workflows'],
    checkedAt: new Date('2026-12-01T10:00:00Z'),
    events,
  };
}

const MESSAGE = '[TMPRL1100] Nondeterminism error: Activity type of scheduled event \'charge_card\' does not match activity type of activity command \'send_receipt\'';
const clean = checked({ outcome: 'clean', replayedEvents: events.length });
const diverges = checked({ outcome: 'diverges', eventId: 12, cause: 'nondeterminism', message: MESSAGE, replayedEvents: events.length });
const failed = checked({ outcome: 'failed', kind: 'sdkMissing', message: 'No module named temporalio', whatToDo: 'Install the SDK.' });

describe('replay/checked: what a check that ran shows', () => {
  it('the sample has reset points before and after the divergent event', () => {
    assert.ok(points.some((p) => (p.eventId ?? 0) < 12) && points.some((p) => (p.eventId ?? 0) > 12));
  });

  it('clean: every reset point is marked safe, other events carry no mark', () => {
    for (const p of points) assert.equal(replayMarkOf(clean, p)?.kind, 'safe');
    assert.equal(replayMarkOf(clean, event(12)), undefined);
    assert.equal(checkSummary(clean), 'replays cleanly');
  });

  it('diverges at 12: points before it are safe, later ones fail again, 12 itself says so', () => {
    for (const p of points) assert.equal(replayMarkOf(diverges, p)?.kind, (p.eventId ?? 0) < 12 ? 'safe' : 'failsAgain', `event ${p.eventId}`);
    assert.equal(replayMarkOf(diverges, event(12))?.kind, 'divergesHere');
    assert.equal(checkSummary(diverges), 'diverges at event 12');
  });

  it('a check that could not run marks nothing: it is not a verdict', () => {
    for (const p of points) assert.equal(replayMarkOf(failed, p), undefined);
    assert.equal(replayMarkOf(undefined, points[0]), undefined);
    assert.equal(checkSummary(failed), 'replay check failed');
  });

  it('the confirmation: the kept events replay cleanly, or a warning with the replayer’s message', () => {
    const early = points.find((p) => (p.eventId ?? 0) < 12) as WorkflowEvent;
    const late = points.find((p) => (p.eventId ?? 0) > 12) as WorkflowEvent;
    const kept = (early.eventId ?? 0) - 1;
    assert.deepEqual(verdictForPoint(clean, late), { warning: false, text: `Replay check: your current code replays the kept ${(late.eventId ?? 0) - 1} events cleanly (the whole history replays).` });
    const before = verdictForPoint(diverges, early);
    assert.equal(before.warning, false);
    assert.match(before.text, new RegExp(`replays the kept ${kept} events cleanly; it diverges later, at event 12`));
    const after = verdictForPoint(diverges, late);
    assert.equal(after.warning, true);
    assert.match(after.text, /^Warning: your code diverges at event 12, before this point: the new run would fail again\. \(\[TMPRL1100\] Nondeterminism error/);
    assert.deepEqual(verdictForPoint(failed, late), { warning: true, text: 'The replay check could not run: No module named temporalio' });
  });

  it('the report: verdict, the replayer’s words, the step and source, what ran, and the last safe point', () => {
    const report = replayReport(diverges, { divergentStep: 'activity charge_card', source: 'workflows/order.py:9' });
    assert.match(report, /^# Replay check: order\n/);
    assert.match(report, /## Diverges at event 12\n\nEvent 12 ACTIVITY_TASK_SCHEDULED, in activity charge_card: your code’s commands differ/);
    assert.ok(report.includes(`\`\`\`text\n${MESSAGE}\n\`\`\``), 'the replayer’s message, verbatim');
    assert.match(report, /The workflow is defined at workflows\/order\.py:9\./);
    assert.match(report, /Python: the folder's \.venv \(\/w\/\.venv\/bin\/python\)/);
    assert.match(report, /Activities are not executed by a replay, and nothing is sent anywhere/);
    const safe = points.filter((p) => (p.eventId ?? 0) < 12).length;
    assert.match(report, new RegExp(`${safe} of ${points.length} reset points come before it and are safe`));
    assert.match(report, /\*\*Reset to Last Safe Point\*\* resets to event 11\./);
  });

  it('the report of a failed check says what to do and gives no verdict', () => {
    const report = replayReport(failed);
    assert.match(report, /## The check could not run\n\nNo module named temporalio\n\n\*\*What to do:\*\* Install the SDK\./);
    assert.doesNotMatch(report, /Replays cleanly|Diverges|Last Safe Point/);
  });

  it('keeps the latest check per execution, for its own run only', () => {
    const store = new CheckedRuns();
    store.set(clean);
    assert.equal(store.get('order-1', 'run-1'), clean);
    assert.equal(store.get('order-1', 'run-2'), undefined, 'a new run is not checked');
    store.set(diverges);
    assert.equal(store.get('order-1', 'run-1'), diverges);
    store.forget('order-1');
    assert.equal(store.get('order-1', 'run-1'), undefined);
  });
});
