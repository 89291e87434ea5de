/**
 * Reset points and what a reset to one would redo. Pure functions over normalised events.
 * A reset point is a WORKFLOW_TASK_COMPLETED event with an integer id, of the latest run only (the
 * server resets the latest run; an older run's ids would point into a different history).
 */
import { attrText } from './attributes';
import { shortText } from './describe';
import { nexusOperationName } from './nexus';
import { WorkflowEvent } from './types';

export interface ResetImpact {
  point: WorkflowEvent;
  /** Index of the point in the event list. */
  index: number;
  /** Events after the point: they are not copied to the new run. */
  discardedEventCount: number;
  /** Activities scheduled after the point, by name, in first-seen order. */
  activitiesToRerun: { name: string; count: number }[];
  signalsAfter: WorkflowEvent[];
  /** WORKFLOW_EXECUTION_UPDATE_ACCEPTED events after the point. */
  updatesAfter: WorkflowEvent[];
  /** The first meaningful step after the point, e.g. "activity charge_card", "timer 2", "workflow failed". */
  nextStep?: string;
}

interface ResetPointOptions {
  /** Whether the events are the latest run's: only then are there reset points. */
  latestRun: boolean;
}

const UNKNOWN_ACTIVITY = '(unnamed activity)';

export function isResetPoint(event: WorkflowEvent): boolean {
  return event.type === 'WORKFLOW_TASK_COMPLETED' && event.eventId !== undefined && Number.isSafeInteger(event.eventId);
}

/** A reset point, or an event of a type the backend also accepts as one. */
export function isResetTarget(event: WorkflowEvent, extraTargets: readonly string[]): boolean {
  return isResetPoint(event) || (extraTargets.includes(event.type) && event.eventId !== undefined && Number.isSafeInteger(event.eventId));
}

export function resetPoints(events: readonly WorkflowEvent[], options: ResetPointOptions): WorkflowEvent[] {
  return options.latestRun ? events.filter(isResetPoint) : [];
}

export function firstResetPoint(events: readonly WorkflowEvent[]): WorkflowEvent | undefined {
  return events.find(isResetPoint);
}

export function lastResetPoint(events: readonly WorkflowEvent[]): WorkflowEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) if (isResetPoint(events[i])) return events[i];
  return undefined;
}

/** Throws when `eventId` is not a reset point of `events` (the message names the nearest valid ones). */
/**
 * `extraTargets`: event types beyond WORKFLOW_TASK_COMPLETED that the backend accepts as reset points
 * (Temporal: WORKFLOW_TASK_STARTED, _FAILED, _TIMED_OUT).
 */
export function analyzeReset(events: readonly WorkflowEvent[], eventId: number, extraTargets: readonly string[] = []): ResetImpact {
  const index = events.findIndex((e) => e.eventId === eventId && isResetTarget(e, extraTargets));
  if (index < 0) {
    const exists = events.some((e) => e.eventId === eventId);
    const why = exists ? 'it is not a completed workflow task' : 'there is no such event in this history';
    throw new Error(`Event ${eventId} is not a valid reset point: ${why}.`);
  }
  const activities = new Map<string, number>();
  const signalsAfter: WorkflowEvent[] = [];
  const updatesAfter: WorkflowEvent[] = [];
  for (let i = index + 1; i < events.length; i++) {
    const e = events[i];
    if (e.type === 'ACTIVITY_TASK_SCHEDULED') {
      const name = attrText(e, 'activity_type.name') ?? UNKNOWN_ACTIVITY;
      activities.set(name, (activities.get(name) ?? 0) + 1); // Map keeps first-insertion order
    } else if (e.type === 'WORKFLOW_EXECUTION_SIGNALED') {
      signalsAfter.push(e);
    } else if (e.type === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED') {
      updatesAfter.push(e);
    }
  }
  const impact: ResetImpact = {
    point: events[index],
    index,
    discardedEventCount: events.length - index - 1,
    activitiesToRerun: [...activities].map(([name, count]) => ({ name, count })),
    signalsAfter,
    updatesAfter,
  };
  const next = nextStepAfter(events, index);
  if (next !== undefined) impact.nextStep = next;
  return impact;
}

const WORKFLOW_ENDINGS: Record<string, string> = {
  WORKFLOW_EXECUTION_COMPLETED: 'workflow completed',
  WORKFLOW_EXECUTION_FAILED: 'workflow failed',
  WORKFLOW_EXECUTION_TERMINATED: 'workflow terminated',
  WORKFLOW_EXECUTION_CANCELED: 'workflow canceled',
  WORKFLOW_EXECUTION_TIMED_OUT: 'workflow timed out',
  WORKFLOW_EXECUTION_CONTINUED_AS_NEW: 'continued as new',
};

/**
 * What the workflow did first after `events[index]`: the step a reset there replays first.
 * Workflow-task bookkeeping and progress of already-scheduled activities (children, Nexus operations...)
 * are skipped.
 */
export function nextStepAfter(events: readonly WorkflowEvent[], index: number): string | undefined {
  for (let i = index + 1; i < events.length; i++) {
    const e = events[i];
    const t = e.type;
    if (t.startsWith('WORKFLOW_TASK_')) continue;
    if (t.startsWith('ACTIVITY_TASK_') && t !== 'ACTIVITY_TASK_SCHEDULED') continue;
    if (t === 'TIMER_FIRED' || t === 'WORKFLOW_EXECUTION_UPDATE_COMPLETED') continue;
    if (t.startsWith('CHILD_WORKFLOW_EXECUTION_')) continue;
    if (t.startsWith('NEXUS_OPERATION_') && t !== 'NEXUS_OPERATION_SCHEDULED') continue;
    const ending = WORKFLOW_ENDINGS[t];
    if (ending !== undefined) return ending;
    switch (t) {
      case 'ACTIVITY_TASK_SCHEDULED':
        return named('activity', attrText(e, 'activity_type.name'));
      case 'TIMER_STARTED':
        return named('timer', attrText(e, 'timer_id'));
      case 'WORKFLOW_EXECUTION_SIGNALED':
        return named('signal', attrText(e, 'signal_name'));
      case 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED':
        return named('update', attrText(e, 'accepted_request.input.name'));
      case 'START_CHILD_WORKFLOW_EXECUTION_INITIATED':
        return named('child workflow', attrText(e, 'workflow_type.name'));
      case 'MARKER_RECORDED':
        return named('marker', attrText(e, 'marker_name'));
      case 'NEXUS_OPERATION_SCHEDULED':
        return named('Nexus operation', nexusOperationName(e));
      default:
        if (t.startsWith('CUSTOM_TASK_')) return named('custom task', attrText(e, 'name'));
        return t.toLowerCase().split('_').join(' ');
    }
  }
  return undefined;
}

function named(what: string, name: string | undefined): string {
  const n = shortText(name);
  return n === undefined ? what : `${what} ${n}`;
}
