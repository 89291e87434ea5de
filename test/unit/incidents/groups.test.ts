/**
 * problemOf and groupProblems (src/incidents/signature.ts, groups.ts): the same cause in executions
 * with other ids is one group with its count; another step is another group; an unreadable history or
 * failure is a group of its own saying why; first and last seen, deployments, the latest example.
 */
import * as assert from 'node:assert/strict';
import { normalizeHistory, type Execution, type WorkflowEvent } from '../../../src/api';
import { groupProblems, problemOf, type HistoryReading, type Problem, type ProblemGroup } from '../../../src/incidents';
import { loadReal } from '../helpers/realHistories';

const NEXUS_FILE = 'nexus-op-failed-wf-failed.py.json';
const NEXUS_MESSAGE = 'parcel order-2 weighs 45 kg, over the 30 kg limit';

/** The real Nexus failure with another parcel in its message, as another execution would fail. */
function nexusFailure(message: string): WorkflowEvent[] {
  const { raws } = loadReal(NEXUS_FILE);
  const copy = JSON.parse(JSON.stringify(raws).split(NEXUS_MESSAGE).join(message)) as unknown[];
  return normalizeHistory({ events: copy });
}

function failedRun(id: string, endTime: string, deploymentName?: string): Execution {
  return { workflowName: 'nexus_order', executionId: id, status: 'FAILED', endTime: new Date(endTime), ...(deploymentName === undefined ? {} : { deploymentName }) };
}

function problem(execution: Execution, history: HistoryReading | undefined): Problem {
  const found = problemOf(execution, history);
  assert.ok(found, `${execution.executionId} has a problem`);
  return found;
}

function groupWith(groups: readonly ProblemGroup[], id: string): ProblemGroup {
  const group = groups.find((g) => g.executionIds.includes(id));
  assert.ok(group, `a group holds ${id}`);
  return group;
}

describe('problemOf', () => {
  it("gives a failed run's signature from its history", () => {
    const p = problem(failedRun('e-1', '2026-12-02T15:44:00Z', 'carriers-v1'), loadReal(NEXUS_FILE).events);
    assert.deepEqual(
      [p.workflowName, p.step, p.errorType, p.maskedMessage, p.exampleMessage, p.deployment, p.at?.toISOString(), p.stuck, p.unreadable],
      ['nexus_order', { kind: 'nexus', name: 'nexus-tour-carriers · CarrierService · book_pickup' }, 'TooHeavy', 'parcel order-<n> weighs <n> kg, over the <n> kg limit', NEXUS_MESSAGE, 'carriers-v1', '2026-12-02T15:44:00.000Z', undefined, undefined],
    );
    assert.equal(p.key, JSON.stringify(['nexus_order', 'nexus', 'nexus-tour-carriers · CarrierService · book_pickup', 'TooHeavy', 'parcel order-<n> weighs <n> kg, over the <n> kg limit']));
  });

  it("takes the closing event's time when the execution has no end time", () => {
    const p = problem({ workflowName: 'nexus_order', executionId: 'e-1', status: 'FAILED' }, loadReal(NEXUS_FILE).events);
    assert.equal(p.at?.toISOString(), '2026-12-02T15:44:00.265Z');
  });

  it('has none for a completed run, nor a running one that is not stuck', () => {
    const { events } = loadReal('wft-failed-timers-activities-146.go.json');
    assert.equal(problemOf({ workflowName: 'w', executionId: 'e', status: 'COMPLETED' }, events), undefined);
    assert.equal(problemOf({ workflowName: 'w', executionId: 'e', status: 'RUNNING' }, events.slice(0, -1)), undefined);
  });

  it('sees a running run stuck on its workflow task, dated from the failure', () => {
    const { events } = loadReal('wft-failed-timers-activities-146.go.json');
    const running: Execution = { workflowName: 'Workflow', executionId: 'e-9', status: 'RUNNING', deploymentName: 'v2' };
    const p = problem(running, events.slice(0, 6));
    assert.deepEqual([p.step, p.errorType, p.maskedMessage, p.at?.toISOString(), p.stuck?.kind], [
      { kind: 'workflowTask' }, 'WORKFLOW_WORKER_UNHANDLED_FAILURE', 'unable to find workflow type: Workflow. Supported types: []', '2024-06-24T17:07:54.207Z', 'workflowTask',
    ]);
  });

  it('lands an unreadable history, an unread one and an unknown failure in groups that say why', () => {
    const run = failedRun('e-1', '2026-12-02T15:44:00Z');
    assert.equal(problem(run, { historyError: 'HTTP 503' }).unreadable, 'its history could not be read: HTTP 503');
    assert.equal(problem(run, undefined).unreadable, 'its history was not read');
    const unknown = problem(run, normalizeHistory([{ event_id: 1, event_type: 'WORKFLOW_EXECUTION_FAILED', attributes: {} }]));
    assert.equal(unknown.unreadable, 'its failure could not be read: the WORKFLOW_EXECUTION_FAILED event carries no failure');
    assert.equal(unknown.step, undefined);
  });
});

describe('groupProblems', () => {
  const problems: Problem[] = [
    problem(failedRun('n-1', '2026-12-02T10:00:00Z', 'carriers-v1'), nexusFailure('parcel order-2 weighs 45 kg, over the 30 kg limit')),
    problem(failedRun('a-1', '2026-12-02T10:30:00Z', 'carriers-v1'), loadReal('activity-failed-wf-failed.pascal.java.json').events),
    problem(failedRun('n-2', '2026-12-02T12:00:00Z', 'carriers-v2'), nexusFailure('parcel order-77 weighs 31.5 kg, over the 30 kg limit')),
    problem(failedRun('u-1', '2026-12-02T09:00:00Z'), { historyError: 'HTTP 503 for run 0193abcd-1234-7def-8abc-0123456789ab' }),
    problem(failedRun('n-3', '2026-12-02T11:00:00Z', 'carriers-v1'), nexusFailure('parcel order-9 weighs 60 kg, over the 30 kg limit')),
    problem(failedRun('u-2', '2026-12-02T09:30:00Z'), { historyError: 'HTTP 503 for run 01a2376d-4bc0-7593-80fd-fcda9fb8d0f6' }),
  ];
  const groups = groupProblems(problems);

  it('puts the same cause with other values in one group, counted', () => {
    const nexus = groupWith(groups, 'n-1');
    assert.equal(nexus.count, 3);
    assert.deepEqual(nexus.executionIds, ['n-1', 'n-3', 'n-2']);
    assert.deepEqual([nexus.step, nexus.errorType, nexus.maskedMessage, nexus.stuckCount], [
      { kind: 'nexus', name: 'nexus-tour-carriers · CarrierService · book_pickup' }, 'TooHeavy', 'parcel order-<n> weighs <n> kg, over the <n> kg limit', 0,
    ]);
  });

  it('keeps another step in another group', () => {
    const activity = groupWith(groups, 'a-1');
    assert.notEqual(activity.key, groupWith(groups, 'n-1').key);
    assert.deepEqual([activity.count, activity.step, activity.errorType], [1, { kind: 'activity', name: 'HeartbeatAndThrowIO' }, 'java.io.IOException']);
  });

  it('gives unreadable histories a group of their own, with the reason', () => {
    const unreadable = groupWith(groups, 'u-1');
    assert.deepEqual(unreadable.executionIds, ['u-1', 'u-2']);
    assert.equal(unreadable.unreadable, 'its history could not be read: HTTP 503 for run 01a2376d-4bc0-7593-80fd-fcda9fb8d0f6');
    assert.equal(unreadable.step, undefined);
  });

  it('says when a group was first and last seen, its deployments in order, and its latest example', () => {
    const nexus = groupWith(groups, 'n-2');
    assert.equal(nexus.firstSeen?.toISOString(), '2026-12-02T10:00:00.000Z');
    assert.equal(nexus.lastSeen?.toISOString(), '2026-12-02T12:00:00.000Z');
    assert.deepEqual(nexus.deployments, ['carriers-v1', 'carriers-v2']);
    assert.equal(nexus.latest.executionId, 'n-2');
    assert.equal(nexus.latest.exampleMessage, 'parcel order-77 weighs 31.5 kg, over the 30 kg limit');
    assert.deepEqual(groupWith(groups, 'u-1').deployments, []);
  });

  it('sorts by count, then by last seen', () => {
    assert.deepEqual(groups.map((g) => [g.count, g.executionIds[0]]), [[3, 'n-1'], [2, 'u-1'], [1, 'a-1']]);
    const tie = groupProblems([problems[3], problems[1]]);
    assert.deepEqual(tie.map((g) => g.executionIds[0]), ['a-1', 'u-1']);
  });

  it('counts the stuck ones of a group', () => {
    const { events } = loadReal('wft-failed-timers-activities-146.go.json');
    const stuck = (id: string): Problem => problem({ workflowName: 'Workflow', executionId: id, status: 'RUNNING' }, events.slice(0, 4));
    const [group] = groupProblems([stuck('s-1'), stuck('s-2')]);
    assert.deepEqual([group.count, group.stuckCount], [2, 2]);
  });
});
