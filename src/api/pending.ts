/**
 * What a running execution waits on, from its history alone: the open steps of `groupSteps`.
 * A history shows less than the engine's describe: a retrying activity's STARTED event is written only
 * when the attempt ends, so an activity between attempts shows as scheduled, with no attempt count.
 */
import { attr, attrText } from './attributes';
import { integer, isObject } from './json';
import { HistoryStep, isStep } from './step';
import { groupSteps, StepGrouping } from './steps';
import { isOpenStatus, StepKind } from './stepRules';
import { WorkflowEvent } from './types';

interface PendingBase {
  step: HistoryStep;
  /** When the step began (scheduled, initiated, accepted, started). */
  since: Date | undefined;
}

export interface PendingActivity extends PendingBase {
  name: string | undefined;
  activityId: string | undefined;
  state: 'scheduled' | 'started' | 'cancelRequested';
  /** From ACTIVITY_TASK_STARTED; undefined while the history has none. */
  attempt: number | undefined;
  lastFailure: string | undefined;
  startedTime: Date | undefined;
}

export interface PendingTimer extends PendingBase {
  timerId: string | undefined;
  /** Started time + start_to_fire_timeout; undefined when either is missing or unreadable. */
  fireTime: Date | undefined;
}

export interface PendingChild extends PendingBase {
  workflowType: string | undefined;
  workflowId: string | undefined;
  /** Known once CHILD_WORKFLOW_EXECUTION_STARTED is in the history. */
  runId: string | undefined;
  state: 'starting' | 'running';
}

export interface PendingUpdate extends PendingBase {
  name: string | undefined;
}

export interface PendingSignal extends PendingBase {
  signalName: string | undefined;
  /** The workflow the signal was sent to. */
  workflowId: string | undefined;
}

export interface PendingNexusOperation extends PendingBase {
  endpoint: string | undefined;
  service: string | undefined;
  operation: string | undefined;
  /** started: the handler answered asynchronously (a workflow-run operation, say) and works on it. */
  state: 'scheduled' | 'started' | 'cancelRequested';
  /** The handler's token for it, from NEXUS_OPERATION_STARTED. */
  operationToken: string | undefined;
}

export interface PendingWork {
  /** The history ends with the run closed: nothing is pending, whatever was left open. */
  closed: boolean;
  activities: PendingActivity[];
  timers: PendingTimer[];
  children: PendingChild[];
  /** Updates accepted and not yet completed. */
  updates: PendingUpdate[];
  /** Signals sent to other workflows and not yet acknowledged. */
  signals: PendingSignal[];
  /** Nexus operations scheduled and not yet completed, failed, canceled or timed out. */
  nexusOperations: PendingNexusOperation[];
  /** The history ends with a workflow task scheduled or started: the worker has yet to finish it. */
  workflowTask: boolean;
}

const PENDING_KINDS: ReadonlySet<StepKind> = new Set(['activity', 'timer', 'child', 'update', 'signalExternal', 'nexus']);

/** Reuses `grouping` when the caller has one for these events (the steps view does). */
export function pendingWork(events: readonly WorkflowEvent[], grouping: StepGrouping = groupSteps(events)): PendingWork {
  const work: PendingWork = { closed: false, activities: [], timers: [], children: [], updates: [], signals: [], nexusOperations: [], workflowTask: /^WORKFLOW_TASK_(SCHEDULED|STARTED)$/.test(events.at(-1)?.type ?? '') };
  const open: HistoryStep[] = [];
  for (const entry of grouping.entries) {
    if (!isStep(entry)) continue;
    if (entry.kind === 'workflowClosed') return { ...work, closed: true };
    if (PENDING_KINDS.has(entry.kind) && isOpenStatus(entry.status)) open.push(entry);
  }
  for (const step of open) {
    const first = events[step.eventIndexes[0]];
    const since = step.startTime;
    switch (step.kind) {
      case 'activity': {
        const started = step.eventIndexes.map((i) => events[i]).find((e) => e.type === 'ACTIVITY_TASK_STARTED');
        work.activities.push({
          step, since, name: step.name, activityId: attrText(first, 'activity_id'),
          state: step.status === 'cancelRequested' ? 'cancelRequested' : started ? 'started' : 'scheduled',
          attempt: step.attempts, lastFailure: step.failure, startedTime: started?.time,
        });
        break;
      }
      case 'timer':
        work.timers.push({ step, since, timerId: step.name, fireTime: fireTime(since, attr(first, 'start_to_fire_timeout')) });
        break;
      case 'child': {
        const started = step.eventIndexes.map((i) => events[i]).find((e) => e.type === 'CHILD_WORKFLOW_EXECUTION_STARTED');
        work.children.push({
          step, since, workflowType: step.name, workflowId: attrText(first, 'workflow_id') ?? attrText(first, 'workflow_execution.workflow_id'),
          runId: started === undefined ? undefined : attrText(started, 'workflow_execution.run_id'), state: started ? 'running' : 'starting',
        });
        break;
      }
      case 'update':
        if (step.status === 'running') work.updates.push({ step, since, name: step.name });
        break;
      case 'signalExternal':
        work.signals.push({ step, since, signalName: step.name, workflowId: attrText(first, 'workflow_execution.workflow_id') });
        break;
      case 'nexus': {
        const started = step.eventIndexes.map((i) => events[i]).find((e) => e.type === 'NEXUS_OPERATION_STARTED');
        work.nexusOperations.push({
          step, since, endpoint: attrText(first, 'endpoint'), service: attrText(first, 'service'), operation: attrText(first, 'operation'),
          state: step.status === 'cancelRequested' ? 'cancelRequested' : started ? 'started' : 'scheduled',
          operationToken: started === undefined ? undefined : attrText(started, 'operation_token') ?? attrText(started, 'operation_id'),
        });
        break;
      }
    }
  }
  return work;
}

const SECONDS = /^(\d+(?:\.\d+)?)s$/;

function fireTime(started: Date | undefined, timeout: unknown): Date | undefined {
  const ms = durationMs(timeout);
  return started === undefined || ms === undefined ? undefined : new Date(started.getTime() + ms);
}

/** Protobuf JSON writes durations as `"90s"`, `"1.5s"`; some exporters as `{ seconds, nanos }`. */
function durationMs(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const m = SECONDS.exec(value.trim());
    return m === null ? undefined : Math.round(Number(m[1]) * 1000);
  }
  if (!isObject(value)) return undefined;
  const seconds = integer(value.seconds);
  const nanos = integer(value.nanos) ?? 0;
  return seconds === undefined ? undefined : seconds * 1000 + Math.round(nanos / 1e6);
}
