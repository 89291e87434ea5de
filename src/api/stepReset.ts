/**
 * “Reset to before this step”: users think in steps (an activity, a timer, a signal), the API in
 * workflow tasks. Pure: finds the reset point that puts a step back in front of the workflow.
 */
import { attrText } from './attributes';
import { eventKind, EventKind } from './describe';
import { isResetPoint } from './resetPoints';
import { WorkflowEvent } from './types';

const STEP_KINDS: readonly EventKind[] = ['activity', 'timer', 'signal', 'update', 'child', 'nexus'];

export interface StepResetPoint {
  point: WorkflowEvent;
  /** The event that starts the step (e.g. ACTIVITY_TASK_SCHEDULED for an ACTIVITY_TASK_FAILED). */
  stepStart: WorkflowEvent;
  /** Why this point, in a sentence for the user. */
  why: string;
}

/** Which fields of a later event of a step point back at an earlier one, tried in order. */
const BACK_REFERENCES: Record<string, readonly string[]> = {
  activity: ['scheduled_event_id'],
  timer: ['started_event_id'],
  child: ['initiated_event_id'],
  update: ['accepted_event_id'],
  // EXTERNAL_WORKFLOW_EXECUTION_SIGNALED / SIGNAL_EXTERNAL_..._FAILED → SIGNAL_EXTERNAL_..._INITIATED
  signal: ['initiated_event_id'],
  // A cancel request's outcome may point only at the request, which points at SCHEDULED.
  nexus: ['scheduled_event_id', 'requested_event_id'],
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

/** Follows the back-references from `events[index]` to the first event of its step (earlier events only). */
function findStepStart(events: readonly WorkflowEvent[], index: number, kind: EventKind): WorkflowEvent {
  const fields = BACK_REFERENCES[kind] ?? [];
  let at = index;
  for (;;) {
    const event = events[at];
    const ref = fields.map((f) => attrText(event, f)).find((r) => r !== undefined);
    if (ref === undefined) return event;
    let found = -1;
    for (let i = at - 1; i >= 0 && found < 0; i--) if (events[i].idText === ref) found = i;
    if (found < 0) return event;
    at = found;
  }
}
