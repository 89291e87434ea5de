/**
 * A kind (for the icon) and a short detail (for the label) per event. Activity, update and child
 * events after the first one carry only a back-reference (`scheduled_event_id`...), so
 * `describeEvents` resolves names through Maps in one pass; `describeEvent` alone shows what the
 * event itself holds.
 */
import { clip } from '../common/text';
import { attrText } from './attributes';
import { enumNamer } from './enums';
import { nexusCausePath, nexusOperationName } from './nexus';
import { WorkflowEvent } from './types';

export type EventKind =
  | 'workflow' | 'workflowTask' | 'activity' | 'timer' | 'signal' | 'update' | 'child' | 'nexus' | 'marker' | 'customTask' | 'other';

export interface EventDescription {
  kind: EventKind;
  detail?: string;
}

const MAX_DETAIL = 120;
const kindCache = new Map<string, EventKind>();
const workflowTaskFailedCause = enumNamer('WORKFLOW_TASK_FAILED_CAUSE_');
const timeoutType = enumNamer('TIMEOUT_TYPE_');

export function eventKind(type: string): EventKind {
  let k = kindCache.get(type);
  if (k === undefined) {
    k = computeKind(type);
    if (kindCache.size < 2000) kindCache.set(type, k);
  }
  return k;
}

function computeKind(t: string): EventKind {
  if (t.startsWith('ACTIVITY_')) return 'activity';
  if (t.startsWith('WORKFLOW_TASK_')) return 'workflowTask';
  if (t.startsWith('TIMER_')) return 'timer';
  if (t.startsWith('NEXUS_OPERATION_')) return 'nexus';
  if (t.includes('SIGNAL')) return 'signal'; // WORKFLOW_EXECUTION_SIGNALED, SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_*
  if (t.includes('UPDATE_')) return 'update'; // WORKFLOW_EXECUTION_UPDATE_* (not ..._OPTIONS_UPDATED)
  if (t.includes('CHILD_WORKFLOW')) return 'child';
  if (t.startsWith('MARKER_')) return 'marker';
  if (t.startsWith('CUSTOM_TASK_')) return 'customTask';
  if (t.startsWith('WORKFLOW_EXECUTION_')) return 'workflow';
  return 'other';
}

/** First line, at most 120 characters. */
export function shortText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const nl = text.indexOf('\n');
  const line = (nl >= 0 ? text.slice(0, nl) : text).trim();
  if (line === '') return undefined;
  return clip(line, MAX_DETAIL);
}

/**
 * Names learnt from earlier events, keyed by the id text of the event that introduced them; update
 * names also by update id, since an update's events may point at each other only through it.
 */
interface NameIndex {
  activities: Map<string, string>;
  signals: Map<string, string>;
  updates: Map<string, string>;
  updatesById: Map<string, string>;
  children: Map<string, string>;
  /** NEXUS_OPERATION_SCHEDULED's id → `endpoint · service · operation`. */
  nexus: Map<string, string>;
}

/** Where an update's events name it: ADMITTED, ACCEPTED, REJECTED (COMPLETED carries no name). */
export const UPDATE_NAME_PATHS = ['accepted_request.input.name', 'request.input.name', 'rejected_request.input.name'] as const;

/**
 * The update id an update event carries: the protocol instance id on ACCEPTED/REJECTED, the request's
 * `meta.update_id` on ADMITTED/ACCEPTED, `meta.update_id` on COMPLETED. A reapplied update's ACCEPTED
 * event (after a reset) has no request, only this id, tying it to the ADMITTED event that names it.
 */
export function updateIdOf(event: WorkflowEvent): string | undefined {
  return attrText(event, 'protocol_instance_id') ?? attrText(event, 'meta.update_id') ?? attrText(event, 'request.meta.update_id')
    ?? attrText(event, 'accepted_request.meta.update_id') ?? attrText(event, 'rejected_request.meta.update_id');
}

/** The update's name, when this event carries it. */
export function updateName(event: WorkflowEvent): string | undefined {
  for (const path of UPDATE_NAME_PATHS) {
    const name = attrText(event, path);
    if (name !== undefined) return name;
  }
  return undefined;
}

/** A WORKFLOW_TASK_FAILED event's cause without its prefix (`RESET_WORKFLOW`), however it was spelt. */
function failedTaskCause(event: WorkflowEvent): string | undefined {
  const cause = attrText(event, 'cause');
  return cause === undefined ? undefined : workflowTaskFailedCause(cause);
}

/**
 * The WORKFLOW_TASK_FAILED event a reset writes into the new run (cause RESET_WORKFLOW in any spelling:
 * `WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW`, `ResetWorkflow`...); its `failure.message` is the reset reason.
 */
export function isResetMarker(event: WorkflowEvent): boolean {
  return event.type === 'WORKFLOW_TASK_FAILED' && failedTaskCause(event) === 'RESET_WORKFLOW';
}

export function describeEvent(event: WorkflowEvent): EventDescription {
  return describeWith(event, undefined);
}

/** Descriptions for a whole history in one O(n) pass, resolving names through back-references. */
export function describeEvents(events: readonly WorkflowEvent[]): EventDescription[] {
  return eventDescriber()(events);
}

/**
 * describeEvents in installments, for a history that arrives a prefix at a time: each call describes
 * the next events in order, with the names learnt from all earlier calls (descriptions only look back).
 */
export function eventDescriber(): (next: readonly WorkflowEvent[]) => EventDescription[] {
  const index: NameIndex = { activities: new Map(), signals: new Map(), updates: new Map(), updatesById: new Map(), children: new Map(), nexus: new Map() };
  return (events) => {
    const out: EventDescription[] = new Array<EventDescription>(events.length);
    for (let i = 0; i < events.length; i++) out[i] = describeWith(events[i], index);
    return out;
  };
}

/** Where an event keeps a Failure: most events in `failure`, ACTIVITY_TASK_STARTED the previous attempt's. */
type FailureField = 'failure' | 'last_failure' | 'outcome.failure';

const FAILURE_PATHS: Record<FailureField, readonly [message: string, type: string]> = {
  failure: ['failure.message', 'failure.application_failure_info.type'],
  last_failure: ['last_failure.message', 'last_failure.application_failure_info.type'],
  'outcome.failure': ['outcome.failure.message', 'outcome.failure.application_failure_info.type'],
};

/**
 * The text of the Failure in `field` (whole, not shortened). Python failures carry the exception type
 * apart from the message (`'shipping_address'` + `KeyError`): put them together as Python prints them.
 * A Nexus failure says only "nexus operation completed unsuccessfully": its cause is what the handler
 * said (`TooHeavy: ...`, a handler error's type, a timeout's kind).
 */
export function failureText(event: WorkflowEvent, field: FailureField = 'failure'): string | undefined {
  const [messagePath, typePath] = FAILURE_PATHS[field];
  const message = attrText(event, messagePath);
  const type = attrText(event, typePath);
  if (type === undefined) {
    const cause = nexusCausePath(event, field);
    if (cause !== undefined) return nexusCauseText(event, cause);
  }
  return typed(message, type);
}

function typed(message: string | undefined, type: string | undefined): string | undefined {
  if (type === undefined || message?.startsWith(type)) return message;
  return message === undefined ? type : `${type}: ${message}`;
}

/** `TooHeavy: parcel weighs 40 kg`, `BAD_REQUEST: cannot be cancelled`, `operation timed out (schedule to close)`. */
function nexusCauseText(event: WorkflowEvent, cause: string): string | undefined {
  const type = attrText(event, `${cause}.application_failure_info.type`) ?? attrText(event, `${cause}.nexus_handler_failure_info.type`);
  const text = typed(attrText(event, `${cause}.message`), type);
  const timeout = attrText(event, `${cause}.timeout_failure_info.timeout_type`);
  return timeout === undefined ? text : `${text ?? 'timed out'} (${timeoutType(timeout).toLowerCase().split('_').join(' ')})`;
}

function refName(event: WorkflowEvent, path: string, map: Map<string, string> | undefined): string | undefined {
  const ref = attrText(event, path);
  return ref === undefined ? undefined : map?.get(ref);
}

function describeWith(event: WorkflowEvent, index: NameIndex | undefined): EventDescription {
  const kind = eventKind(event.type);
  const t = event.type;
  // Most events have no failure: read it only where the kind shows one (this runs 51,200 times).
  const failureOf = (): string | undefined => shortText(failureText(event));
  let detail: string | undefined;
  switch (kind) {
    case 'activity': {
      let name = attrText(event, 'activity_type.name');
      if (t === 'ACTIVITY_TASK_SCHEDULED') {
        if (name !== undefined) index?.activities.set(event.idText, name);
      } else {
        name ??= refName(event, 'scheduled_event_id', index?.activities);
      }
      const failure = t.endsWith('_FAILED') || t.endsWith('_TIMED_OUT') ? failureOf() : undefined;
      detail = name !== undefined && failure !== undefined ? `${name}: ${failure}` : (name ?? failure);
      break;
    }
    case 'workflowTask': {
      if (isResetMarker(event)) {
        detail = `Reset: ${failureOf() ?? shortText(attrText(event, 'reason')) ?? 'no reason given'}`;
      } else {
        detail = failureOf() ?? (t === 'WORKFLOW_TASK_FAILED' ? failedTaskCause(event) : undefined);
      }
      break;
    }
    case 'timer':
      detail = attrText(event, 'timer_id');
      break;
    case 'signal': {
      // A signal sent to another workflow: INITIATED names it, EXTERNAL_..._SIGNALED and _FAILED point back.
      const name = attrText(event, 'signal_name');
      if (name !== undefined && t === 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED') index?.signals.set(event.idText, name);
      detail = name ?? refName(event, 'initiated_event_id', index?.signals);
      break;
    }
    case 'update': {
      const own = updateName(event);
      let name = own ?? refName(event, 'accepted_event_id', index?.updates);
      if (index !== undefined) {
        // The update id is read only where it helps: to remember a name, or to find one nothing else gave.
        if (own !== undefined || name === undefined) {
          const updateId = updateIdOf(event);
          if (updateId !== undefined && own !== undefined) index.updatesById.set(updateId, own);
          else if (updateId !== undefined) name = index.updatesById.get(updateId);
        }
        if (name !== undefined && t === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED') index.updates.set(event.idText, name);
      }
      detail = name ?? failureOf();
      break;
    }
    case 'child': {
      const type = attrText(event, 'workflow_type.name');
      if (type !== undefined && t.startsWith('START_CHILD')) index?.children.set(event.idText, type);
      detail = type ?? refName(event, 'initiated_event_id', index?.children);
      const failure = failureOf();
      if (failure !== undefined) detail = detail !== undefined ? `${detail}: ${failure}` : failure;
      break;
    }
    case 'nexus': {
      // SCHEDULED names the operation; the others point back to it (a failure names it again), a cancel
      // request's outcome to the request (and, on servers that write it, to SCHEDULED as well).
      let name = t === 'NEXUS_OPERATION_SCHEDULED' ? nexusOperationName(event) : refName(event, 'scheduled_event_id', index?.nexus);
      name ??= refName(event, 'requested_event_id', index?.nexus) ?? nexusOperationName(event);
      if (name !== undefined && (t === 'NEXUS_OPERATION_SCHEDULED' || t === 'NEXUS_OPERATION_CANCEL_REQUESTED')) index?.nexus.set(event.idText, name);
      const failure = t.endsWith('_FAILED') || t.endsWith('_TIMED_OUT') ? failureOf() : undefined;
      detail = name !== undefined && failure !== undefined ? `${name}: ${failure}` : (name ?? failure);
      break;
    }
    case 'marker':
      detail = attrText(event, 'marker_name');
      break;
    case 'customTask':
      // No published attribute convention: take the first name-like field there is.
      detail = attrText(event, 'name') ?? attrText(event, 'task_name') ?? attrText(event, 'custom_task_type') ?? failureOf();
      break;
    case 'workflow':
      if (t === 'WORKFLOW_EXECUTION_STARTED') detail = attrText(event, 'workflow_type.name');
      else if (t === 'WORKFLOW_EXECUTION_TERMINATED') detail = shortText(attrText(event, 'reason'));
      else detail = failureOf();
      break;
    case 'other':
      detail = failureOf();
      break;
  }
  return detail === undefined ? { kind } : { kind, detail: shortText(detail) ?? detail };
}
