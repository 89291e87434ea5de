/**
 * Steps (src/api/steps.ts) on every real Temporal history, by rules that hold for any history, on
 * synthetic histories for what the real ones lack (retries, rejections, failures to start), and on the
 * sandbox's 51,200-event history for the one-pass property (counted reads, never timings).
 */
import * as assert from 'node:assert/strict';
import {
  beforeStepResetPoint, describeEvents, groupSteps, HistoryStep, isStep, normalizeHistory, resetPointBefore, resetPointLabel,
  shortText, StepGrouping, stepLabel, stepsPage, WorkflowEvent,
} from '../../../src/api';
import { BIG_EVENT_COUNT, bigHistory, counted } from '../helpers/bigHistory';
import { get, isJson, rawAttrs, rawType, REAL_FILES, str } from '../../helpers/realHistoryReader';
import { loadReal, realVariants } from '../helpers/realHistories';

const steps = (g: StepGrouping): HistoryStep[] => g.entries.filter(isStep);

/** Every index once, in exactly one place; ownerOf agrees with the lists. */
function assertPartition(events: readonly WorkflowEvent[], g: StepGrouping, what: string): void {
  const seen = new Array<number>(events.length).fill(0);
  g.entries.forEach((entry, entryIndex) => {
    const indexes = isStep(entry) ? entry.eventIndexes : [entry.index];
    for (const i of indexes) {
      seen[i]++;
      const owner = g.ownerOf(i);
      assert.equal(owner?.kind === 'workflowTask' ? -1 : owner?.entryIndex, entryIndex, `${what}: owner of event ${i}`);
    }
  });
  g.workflowTasks.forEach((group, groupIndex) => {
    for (const i of group.eventIndexes) {
      seen[i]++;
      const owner = g.ownerOf(i);
      assert.ok(owner?.kind === 'workflowTask' && owner.group === group && owner.groupIndex === groupIndex, `${what}: owner of event ${i}`);
    }
  });
  seen.forEach((n, i) => assert.equal(n, 1, `${what}: event ${i} (${events[i].type}) belongs to ${n} places`));
  assert.equal(g.ownerOf(events.length), undefined);
  assert.equal(g.ownerOf(-1), undefined);
}

/** An earlier event this raw event points back to, read apart from the code under test. */
function rawBackReference(a: Record<string, unknown>): string | undefined {
  for (const key of ['scheduledEventId', 'startedEventId', 'initiatedEventId', 'acceptedEventId']) {
    const v = str(a, key);
    if (v !== undefined) return v;
  }
  return undefined;
}

function rawUpdateId(a: Record<string, unknown>): string | undefined {
  return str(a, 'protocolInstanceId') ?? str(a, 'meta.updateId') ?? str(a, 'request.meta.updateId') ?? str(a, 'acceptedRequest.meta.updateId')
    ?? str(a, 'rejectedRequest.meta.updateId');
}

function isRawResetMarker(type: string, a: Record<string, unknown>): boolean {
  return type === 'WORKFLOW_TASK_FAILED' && /RESET_?WORKFLOW$|ResetWorkflow$/.test(String(a.cause));
}

/** The kinds whose name describeEvents shows on every event of the step. */
const DESCRIBED_NAMES = new Set(['activity', 'timer', 'child', 'update', 'signal', 'signalExternal', 'nexus', 'marker', 'workflowStarted']);

const LAST_TYPE_STATUS: [RegExp, string][] = [
  [/^TIMER_FIRED$/, 'completed'], [/_COMPLETED$/, 'completed'], [/_FAILED$/, 'failed'], [/_TIMED_OUT$/, 'timedOut'],
  [/_CANCELED$/, 'canceled'], [/_TERMINATED$/, 'terminated'], [/_STARTED$/, 'running'], [/^ACTIVITY_TASK_SCHEDULED$/, 'scheduled'],
];

const totals = { steps: 0, resetPoints: 0, linked: 0, retried: 0, named: 0, localActivities: 0, resets: 0 };

describe('api/steps groupSteps on the real histories', () => {
  for (const file of REAL_FILES) {
    describe(file, () => {
      const history = loadReal(file);
      const ids = history.raws.map((r) => String(r.eventId));
      const types = history.raws.map(rawType);
      const attrs = history.raws.map(rawAttrs);
      // Read from the raw file alone: the earlier event each event's step began with, and which events begin steps.
      const earlier: (number | undefined)[] = [];
      const begins: boolean[] = [];
      const updates = new Map<string, number>();
      history.raws.forEach((_, i) => {
        const t = types[i];
        const ref = t.startsWith('WORKFLOW_TASK_') ? undefined : rawBackReference(attrs[i]);
        let j: number | undefined = ref === undefined ? undefined : ids.indexOf(ref);
        if (t.startsWith('WORKFLOW_EXECUTION_UPDATE_')) {
          const id = rawUpdateId(attrs[i]);
          j = id === undefined ? j : (updates.get(id) ?? j);
          if (id !== undefined && !updates.has(id)) updates.set(id, i);
        }
        earlier.push(j !== undefined && j >= 0 && j < i ? j : undefined);
        begins.push((!t.startsWith('WORKFLOW_TASK_') || isRawResetMarker(t, attrs[i])) && earlier[i] === undefined);
      });

      for (const { name: variant, events } of realVariants(history)) {
        const g = groupSteps(events);

        it(`puts every event in exactly one step, reset point or workflow task (${variant})`, () => {
          assertPartition(events, g, variant);
          events.forEach((_, i) => {
            const owner = g.ownerOf(i);
            const t = types[i];
            if (t === 'WORKFLOW_TASK_COMPLETED') assert.equal(owner?.kind, 'resetPoint', `event ${ids[i]}`);
            else if (isRawResetMarker(t, attrs[i])) assert.ok(owner?.kind === 'step' && owner.step.kind === 'reset', `event ${ids[i]} is a reset`);
            else if (t.startsWith('WORKFLOW_TASK_')) assert.equal(owner?.kind, 'workflowTask', `event ${ids[i]} ${t} folds away`);
            else assert.equal(owner?.kind, 'step', `event ${ids[i]} ${t} is in a step`);
          });
          if (variant === 'as stored') {
            totals.steps += g.stepCount;
            totals.resetPoints += g.entries.length - g.stepCount;
          }
        });

        it(`orders steps by their first event and keeps each step's events in order (${variant})`, () => {
          const firsts = g.entries.map((e) => (isStep(e) ? e.eventIndexes[0] : e.index));
          firsts.forEach((f, k) => k > 0 && assert.ok(f > firsts[k - 1], `entry ${k}`));
          for (const step of steps(g)) {
            step.eventIndexes.forEach((i, k) => k > 0 && assert.ok(i > step.eventIndexes[k - 1]));
            assert.equal(step.firstEventId, events[step.eventIndexes[0]].eventId);
            assert.equal(step.lastEventId, events[step.eventIndexes[step.eventIndexes.length - 1]].eventId);
          }
          assert.equal(g.stepCount, steps(g).length);
        });

        it(`links each event to the step of the event it points back to, updates by update id (${variant})`, () => {
          events.forEach((_, i) => {
            const owner = g.ownerOf(i);
            if (owner?.kind !== 'step') return;
            assert.equal(owner.step.eventIndexes[0] === i, begins[i], `event ${ids[i]} ${types[i]} ${begins[i] ? 'begins' : 'joins'} a step`);
            const j = earlier[i];
            const target = j === undefined ? undefined : g.ownerOf(j);
            if (j !== undefined) assert.ok(target?.kind === 'step' && target.step === owner.step, `event ${ids[i]} ${types[i]} joins the step of event ${ids[j]}`);
            if (j !== undefined && variant === 'as stored') totals.linked++;
          });
        });

        it(`shows each reset point after the step that precedes it (${variant})`, () => {
          g.entries.forEach((entry, k) => {
            if (isStep(entry)) return;
            assert.equal(types[entry.index], 'WORKFLOW_TASK_COMPLETED');
            assert.equal(entry.eventId, Number(ids[entry.index]));
            assert.equal(entry.event, events[entry.index]);
            let last = entry.index - 1;
            while (last >= 0 && !begins[last]) last--;
            assert.equal(entry.afterStep?.eventIndexes[0], last < 0 ? undefined : last, `reset point ${entry.eventId}: after the step begun at ${ids[last]}`);
            const previous = g.entries.slice(0, k).filter(isStep).pop();
            assert.equal(entry.afterStep, previous);
            assert.equal(resetPointLabel(entry), previous ? `Reset point after ${stepLabel(previous)}` : 'Reset point');
          });
        });

        it(`names each step as describeEvents names its events (${variant})`, () => {
          const details = describeEvents(events);
          for (const step of steps(g)) {
            if (!DESCRIBED_NAMES.has(step.kind)) continue;
            assert.ok(step.name !== undefined, `step at event ${step.firstEventId} (${step.kind}) has a name`);
            const name = shortText(step.name) ?? '';
            for (const i of step.eventIndexes) {
              const detail = details[i].detail ?? '';
              assert.ok(detail === name || detail.startsWith(`${name}: `), `event ${ids[i]} shows "${detail}", the step is "${name}"`);
            }
            if (variant === 'as stored') totals.named++;
          }
        });

        it(`takes status, attempts, failure and times from the step's events (${variant})`, () => {
          for (const step of steps(g)) {
            const last = step.eventIndexes[step.eventIndexes.length - 1];
            const lastType = types[last];
            if (['activity', 'timer', 'child'].includes(step.kind)) {
              const want = LAST_TYPE_STATUS.find(([re]) => re.test(lastType))?.[1];
              assert.equal(step.status, want ?? step.status, `${stepLabel(step)} ends in ${lastType}`);
            }
            if (step.kind === 'update') {
              const want = lastType.endsWith('_COMPLETED') ? (get(attrs[last], 'outcome.failure') ? 'failed' : 'completed')
                : lastType.endsWith('_ACCEPTED') ? 'running' : lastType.endsWith('_REJECTED') ? 'rejected' : 'scheduled';
              assert.equal(step.status, want, stepLabel(step));
            }
            if (step.kind === 'activity') {
              const started = step.eventIndexes.find((i) => types[i] === 'ACTIVITY_TASK_STARTED');
              assert.equal(step.attempts, started === undefined ? undefined : Number(attrs[started].attempt));
              if ((step.attempts ?? 1) > 1 && variant === 'as stored') totals.retried++;
              const failed = step.eventIndexes.find((i) => /_(FAILED|TIMED_OUT)$/.test(types[i]));
              const lastFailure = started === undefined ? undefined : str(attrs[started], 'lastFailure.message');
              const want = failed === undefined ? lastFailure : str(attrs[failed], 'failure.message');
              assert.ok(want === undefined ? step.failure === undefined : step.failure?.endsWith(want), `${stepLabel(step)}: ${step.failure}`);
            }
            const first = events[step.eventIndexes[0]].time;
            assert.equal(step.startTime?.getTime(), first?.getTime());
            const open = ['scheduled', 'running', 'cancelRequested'].includes(step.status);
            assert.equal(step.endTime?.getTime(), open ? undefined : events[last].time?.getTime());
            assert.equal(step.durationMs, open ? undefined : (events[last].time?.getTime() ?? NaN) - (first?.getTime() ?? NaN));
          }
        });

        it(`makes each reset marker a "reset" step with its reason, and names local activities by type (${variant})`, () => {
          const markers = history.raws.flatMap((_, i) => (isRawResetMarker(types[i], attrs[i]) ? [i] : []));
          const resets = steps(g).filter((s) => s.kind === 'reset');
          assert.deepEqual(resets.map((s) => s.eventIndexes), markers.map((i) => [i]));
          resets.forEach((s, k) => assert.equal(s.reason, str(attrs[markers[k]], 'failure.message')));
          for (const step of steps(g).filter((s) => s.kind === 'localActivity' || s.kind === 'marker')) {
            const a = attrs[step.eventIndexes[0]];
            assert.equal(step.kind === 'localActivity', a.markerName === 'LocalActivity' || a.markerName === 'core_local_activity');
            if (step.kind === 'marker') continue;
            const java = get(a, 'details.type.payloads');
            const go = get(a, 'details.data.payloads');
            const payload = Array.isArray(java) ? java[0] : Array.isArray(go) ? go[0] : undefined;
            const decoded: unknown = JSON.parse(Buffer.from(String(get(payload, 'data')), 'base64').toString('utf8'));
            assert.equal(step.name, isJson(decoded) ? decoded.ActivityType : decoded);
            assert.equal(step.status, isJson(a.failure) ? 'failed' : 'completed');
            if (variant === 'as stored') totals.localActivities++;
          }
          if (variant === 'as stored') totals.resets += resets.length;
        });

        it(`offers the reset point before each step that resetPointBefore finds (${variant})`, () => {
          for (const step of steps(g)) {
            assert.equal(beforeStepResetPoint(events, step)?.point, resetPointBefore(events, step.eventIndexes[0])?.point);
          }
        });
      }
    });
  }

  describe('spot checks from PROVENANCE.md', () => {
    const grouped = (file: string): { g: StepGrouping; labels: string[] } => {
      const g = groupSteps(loadReal(file).events);
      return { g, labels: steps(g).map((s) => `${stepLabel(s)} [${s.status}]`) };
    };

    it('reads the reapplied update of reset-update-reapplied.go.json as one step of three events', () => {
      const { g } = grouped('reset-update-reapplied.go.json');
      const update = steps(g).find((s) => s.kind === 'update');
      assert.deepEqual([update?.name, update?.status, update?.eventIndexes.map((i) => i + 1)], ['fetch_and_add', 'completed', [5, 9, 15]]);
      assert.equal(steps(g).find((s) => s.kind === 'reset')?.reason, '<unknown-user>: test');
    });

    it('keeps the admitted, never accepted update of reset-update-rejected.go.json open', () => {
      const { labels } = grouped('reset-update-rejected.go.json');
      assert.ok(labels.some((l) => /^update .+ \[scheduled\]$/.test(l)), labels.join('\n'));
    });

    it('reads the steps of http-response-terminated.pascal.ui.json', () => {
      const { labels } = grouped('http-response-terminated.pascal.ui.json');
      for (const want of ['signal sent signalToTrigger [completed]', 'search attributes TemporalChangeVersion [completed]', 'marker Version [completed]', 'workflow terminated [terminated]']) {
        assert.ok(labels.includes(want), `${want} in\n${labels.join('\n')}`);
      }
      const g = grouped('http-response-terminated.pascal.ui.json').g;
      assert.equal(steps(g).at(-1)?.reason, 'reset canary');
    });

    it('reads failures, cancellations and continue-as-new', () => {
      assert.ok(grouped('timer-canceled.pascal.go.json').labels.some((l) => /^timer \S+ \[canceled\]$/.test(l)));
      const child = steps(grouped('child-failed-wf-failed.pascal.java.json').g).find((s) => s.kind === 'child');
      assert.deepEqual([child?.name, child?.status, child?.failure], ['ITestChild', 'failed', 'java.lang.UnsupportedOperationException: simulated failure']);
      assert.equal(grouped('continue-as-new.pascal.go.json').labels.at(-1), 'continued as new [continuedAsNew]');
      const la = steps(grouped('local-activity-fails-wf-failed.pascal.java.json').g).find((s) => s.kind === 'localActivity');
      assert.deepEqual([la?.name, la?.status, la?.failure], ['ThrowIO', 'failed', 'Local Activity task failed']);
      assert.equal(steps(grouped('local-activities-10.pascal.go.json').g).filter((s) => s.kind === 'localActivity' && s.name === 'Echo').length, 10);
    });

    it('folds the failed workflow task of wft-failed-timers-activities-146.go.json away', () => {
      const { g } = grouped('wft-failed-timers-activities-146.go.json');
      assert.equal(g.workflowTasks.filter((t) => t.outcome === 'failed').length, 1);
      assert.equal(steps(g).filter((s) => s.kind === 'reset').length, 0);
      assert.equal(g.entries.length - g.stepCount, 26);
    });
  });

  describe('coverage', () => {
    it('exercised every rule on real data', () => {
      for (const [what, n] of Object.entries(totals)) assert.ok(n > 0, `${what}: ${n}`);
      assert.equal(totals.resets, 3);
    });
  });
});

function ev(id: number, type: string, attributes: Record<string, unknown> = {}, second = id): Record<string, unknown> {
  return { event_id: id, event_type: type, event_time: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(), attributes };
}

function wft(first: number): Record<string, unknown>[] {
  return [ev(first, 'WORKFLOW_TASK_SCHEDULED'), ev(first + 1, 'WORKFLOW_TASK_STARTED', { scheduled_event_id: first }),
    ev(first + 2, 'WORKFLOW_TASK_COMPLETED', { scheduled_event_id: first, started_event_id: first + 1 })];
}

describe('api/steps groupSteps on synthetic histories', () => {
  it('counts an activity’s retries from its STARTED event and keeps the last failure', () => {
    const events = normalizeHistory([
      ev(1, 'WORKFLOW_EXECUTION_STARTED', { workflow_type: { name: 'order' } }), ...wft(2),
      ev(5, 'ACTIVITY_TASK_SCHEDULED', { activity_type: { name: 'charge' }, workflow_task_completed_event_id: 4 }),
      ev(6, 'ACTIVITY_TASK_STARTED', { scheduled_event_id: 5, attempt: 3, last_failure: { message: 'card declined (attempt 2)' } }, 40),
      ev(7, 'ACTIVITY_TASK_FAILED', { scheduled_event_id: 5, started_event_id: 6, failure: { message: 'card declined', application_failure_info: { type: 'PaymentError' } } }, 47),
      ...wft(8),
      ev(11, 'ACTIVITY_TASK_SCHEDULED', { activity_type: { name: 'notify' } }),
      ev(12, 'ACTIVITY_TASK_STARTED', { scheduled_event_id: 11, attempt: '3', last_failure: { message: 'smtp down' } }),
    ]);
    const [, failed, running] = steps(groupSteps(events));
    assert.deepEqual([failed.name, failed.status, failed.attempts, failed.failure, failed.durationMs], ['charge', 'failed', 3, 'PaymentError: card declined', 42_000]);
    assert.deepEqual([running.name, running.status, running.attempts, running.failure, running.endTime], ['notify', 'running', 3, 'smtp down', undefined]);
    assert.equal(beforeStepResetPoint(events, failed)?.point.eventId, 4);
    assert.equal(beforeStepResetPoint(events, running)?.point.eventId, 10);
  });

  it('reads rejected updates, failed child starts, failed external signals, Nexus and unknown events', () => {
    const events = normalizeHistory([
      ev(1, 'WORKFLOW_EXECUTION_STARTED'), ...wft(2),
      ev(5, 'WORKFLOW_EXECUTION_UPDATE_REJECTED', { protocol_instance_id: 'u1', rejected_request: { meta: { update_id: 'u1' }, input: { name: 'set_price' } }, failure: { message: 'price < 0' } }),
      ev(6, 'START_CHILD_WORKFLOW_EXECUTION_INITIATED', { workflow_type: { name: 'ship' }, workflow_id: 'ship-1' }),
      ev(7, 'START_CHILD_WORKFLOW_EXECUTION_FAILED', { initiated_event_id: 6, cause: 'START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS' }),
      ev(8, 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED', { signal_name: 'ping' }),
      ev(9, 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED', { initiated_event_id: 8, cause: 'ExternalWorkflowExecutionNotFound' }),
      ev(10, 'NEXUS_OPERATION_SCHEDULED', { endpoint: 'e', service: 's', operation: 'op' }),
      ev(11, 'NEXUS_OPERATION_CANCEL_REQUESTED', { scheduled_event_id: 10 }),
      ev(12, 'NEXUS_OPERATION_CANCEL_REQUEST_COMPLETED', { requested_event_id: 11 }),
      ev(13, 'NEXUS_OPERATION_CANCELED', { scheduled_event_id: 10 }),
      ev(14, 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED', { protocol_instance_id: 'u2', accepted_request: { meta: { update_id: 'u2' }, input: { name: 'approve' } } }),
      ev(15, 'WORKFLOW_EXECUTION_UPDATE_COMPLETED', { accepted_event_id: 14, outcome: { failure: { message: 'not allowed' } } }),
      ev(16, 'WORKFLOW_PROPERTIES_MODIFIED', {}),
      ev(17, 'WORKFLOW_EXECUTION_CANCEL_REQUESTED', { cause: 'user asked' }),
    ]);
    const g = groupSteps(events);
    assertPartition(events, g, 'synthetic');
    assert.deepEqual(steps(g).map((s) => [stepLabel(s), s.status, s.eventIndexes.length, s.failure ?? s.reason]), [
      ['workflow started', 'completed', 1, undefined],
      ['update set_price', 'rejected', 1, 'price < 0'],
      ['child workflow ship', 'failed', 2, 'workflow already exists'],
      ['signal sent ping', 'failed', 2, 'external workflow execution not found'],
      ['Nexus operation e · s · op', 'canceled', 4, undefined],
      ['update approve', 'failed', 2, 'not allowed'],
      ['workflow properties modified', 'completed', 1, undefined],
      ['cancel requested', 'completed', 1, 'user asked'],
    ]);
  });

  it('begins a step at an event whose first event is not in the list (a page of a history)', () => {
    const events = normalizeHistory([ev(40, 'ACTIVITY_TASK_STARTED', { scheduled_event_id: 39, attempt: 2 }), ev(41, 'ACTIVITY_TASK_COMPLETED', { scheduled_event_id: 39 }), ev(42, 'WORKFLOW_TASK_STARTED')]);
    const g = groupSteps(events);
    assertPartition(events, g, 'page');
    assert.deepEqual(steps(g).map((s) => [s.kind, s.status, s.eventIndexes]), [['activity', 'running', [0]], ['activity', 'completed', [1]]]);
    assert.equal(g.workflowTasks[0].outcome, 'open');
  });

  it('groups nothing from nothing', () => {
    const g = groupSteps([]);
    assert.deepEqual([g.entries.length, g.stepCount, g.workflowTasks.length, g.ownerOf(0)], [0, 0, 0, undefined]);
  });
});

describe('api/steps on the sandbox’s 51,200-event history', () => {
  it('groups it into its 8,539 steps and 8,533 reset points, every event placed once', () => {
    const events = bigHistory();
    assert.equal(events.length, BIG_EVENT_COUNT);
    const g = groupSteps(events);
    assertPartition(events, g, 'big');
    assert.equal(g.stepCount, 1 + 6 + 8531 + 1);
    assert.equal(g.entries.length - g.stepCount, 2 + 8531);
    const activities = steps(g).filter((s) => s.kind === 'activity');
    assert.ok(activities.every((s) => s.name === 'embed_chunks' && s.status === 'completed' && s.attempts === 1 && s.eventIndexes.length === 3));
    const last = g.entries[g.entries.length - 1];
    assert.ok(isStep(last) && last.kind === 'workflowClosed' && last.status === 'completed');
  });

  it('reads each event once, no more attributes than describeEvents and no event time (counted, not timed)', () => {
    const base = bigHistory();
    const forGroup = counted(base);
    groupSteps(forGroup.events);
    const forDescribe = counted(base);
    describeEvents(forDescribe.events);
    assert.equal(forGroup.reads.index, BIG_EVENT_COUNT, 'one pass: every event read once');
    assert.equal(forGroup.reads.time, 0, 'no date parsed while grouping');
    assert.ok(forGroup.reads.attributes <= forDescribe.reads.attributes, `${forGroup.reads.attributes} attribute reads, describeEvents ${forDescribe.reads.attributes}`);
    assert.ok(forGroup.reads.attributes <= 2 * BIG_EVENT_COUNT);
  });

  it('pages the steps by slicing: the first page needs the one grouping, "Load more" none', () => {
    const g = groupSteps(bigHistory());
    const first = stepsPage(g.entries, 0, 500);
    assert.deepEqual([first.entries.length, first.next], [500, 500]);
    assert.equal(first.entries[0], g.entries[0]);
    const more = stepsPage(g.entries, first.next ?? 0, 500);
    assert.equal(more.entries[0], g.entries[500]);
    const tail = stepsPage(g.entries, g.entries.length - 10, 500);
    assert.deepEqual([tail.entries.length, tail.next], [10, undefined]);
    assert.deepEqual(stepsPage(g.entries, g.entries.length + 5, 500), { entries: [], next: undefined });
  });

  it('puts each batch’s reset point before it, as the workflow task that decided it', () => {
    const events = bigHistory();
    const g = groupSteps(events);
    for (const k of [9, 10, 5000, g.entries.length - 3]) {
      const step = g.entries[k];
      if (!isStep(step) || step.kind !== 'activity') continue;
      const previous = g.entries[k - 1];
      assert.ok(!isStep(previous));
      assert.equal(beforeStepResetPoint(events, step)?.point, previous.event);
    }
  });
});
