/**
 * “Reset to before this step”: users think in steps (an activity, a timer, a signal), the API in
 * workflow tasks. Pure: finds the reset point that puts a step back in front of the workflow.
 */
import { attrText } from './attributes';
import { eventKind, EventKind } from './describe';
import { isResetPoint } from './resetPoints';
import { WorkflowEvent } from './types';

export const STEP_KINDS: readonly EventKind[] = ['activity', 'timer', 'signal', 'update', 'child'];

export interface StepResetPoint {
  point: WorkflowEvent;
  /** The event that starts the step (e.g. ACTIVITY_TASK_SCHEDULED for an ACTIVITY_TASK_FAILED). */
  stepStart: WorkflowEvent;
  /** Why this point, in a sentence for the user. */
  why: string;
}

/** Which field of a later event of a step points back at the event that began it. */
const BACK_REFERENCES: Record<string, string> = {
  activity: 'scheduled_event_id',
  timer: 'started_event_id',
  child: 'initiated_event_id',
  update: 'accepted_event_id',
  // EXTERNAL_WORKFLOW_EXECUTION_SIGNALED / SIGNAL_EXTERNAL_..._FAILED → SIGNAL_EXTERNAL_..._INITIATED
  signal: 'initiated_event_id',
};

/** The reset point before the step that `events[index]` belongs to; undefined when there is none. */
export function resetPointBefore(events: readonly WorkflowEvent[], index: number): StepResetPoint | undefined {
  const event = events[index];
  if (!event) return undefined;
  const kind = eventKind(event.type);
  if (!STEP_KINDS.includes(kind)) return undefined;
  const stepStart = findStepStart(events, index, kind);
  const startIndex = events.indexOf(stepStart);
  const decidedBy = attrText(stepStart, 'workflow_task_completed_event_id');
  if (decidedBy !== undefined) {
    const point = events.find((e) => isResetPoint(e) && String(e.eventId) === decidedBy);
    if (point && events.indexOf(point) < startIndex) {
      return { point, stepStart, why: `event ${point.idText} is the completed workflow task that decided this step (event ${stepStart.idText})` };
    }
  }
  for (let i = startIndex - 1; i >= 0; i--) {
    if (isResetPoint(events[i])) {
      return { point: events[i], stepStart, why: `event ${events[i].idText} is the last completed workflow task before this step (event ${stepStart.idText})` };
    }
  }
  return undefined;
}

function findStepStart(events: readonly WorkflowEvent[], index: number, kind: EventKind): WorkflowEvent {
  const event = events[index];
  const field = BACK_REFERENCES[kind];
  const ref = field === undefined ? undefined : attrText(event, field);
  if (ref === undefined) return event;
  for (let i = index - 1; i >= 0; i--) if (events[i].idText === ref) return events[i];
  return event;
}
