/**
 * Names of the steps whose name is not one attribute: local activities (the activity type is inside the
 * marker's payloads, laid out differently by each SDK) and search attribute upserts (the keys set).
 */
import { attr, attrText } from './attributes';
import { upperSnake } from './enums';
import { isObject } from './json';
import { decodePayloads } from './temporal/payloads';
import { WorkflowEvent } from './types';

/** Marker names SDKs give local activities: Go and Java `LocalActivity`, the Core SDKs (TS, Python, .NET). */
const LOCAL_ACTIVITY_MARKERS = new Set(['LocalActivity', 'core_local_activity']);

export function isLocalActivityMarker(markerName: string | undefined): boolean {
  return markerName !== undefined && LOCAL_ACTIVITY_MARKERS.has(markerName);
}

/**
 * The activity type a local activity marker records: Java writes it as the `type` payload; Go (a JSON
 * `ActivityType`) and the Core SDKs (`activity_type`) inside the `data` payload.
 */
export function localActivityType(event: WorkflowEvent): string | undefined {
  const [type] = decodePayloads(attr(event, 'details.type'));
  if (typeof type === 'string' && type !== '') return type;
  const [data] = decodePayloads(attr(event, 'details.data'));
  if (!isObject(data)) return undefined;
  const name = data.ActivityType ?? data.activity_type ?? data.activityType;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** The search attributes an upsert sets, by key: `CustomerId, Status`. */
export function searchAttributeNames(event: WorkflowEvent): string | undefined {
  const fields = attr(event, 'search_attributes.indexed_fields');
  if (!isObject(fields)) return attrText(event, 'search_attributes');
  const keys = Object.keys(fields);
  return keys.length === 0 ? undefined : keys.join(', ');
}

const CAUSE = '_CAUSE_';

/**
 * A `cause` enum as words: `START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS` and
 * `WorkflowAlreadyExists` both give `workflow already exists`.
 */
export function causeText(event: WorkflowEvent): string | undefined {
  const cause = attrText(event, 'cause');
  if (cause === undefined) return undefined;
  const name = upperSnake(cause);
  const at = name.indexOf(CAUSE);
  return (at >= 0 ? name.slice(at + CAUSE.length) : name).toLowerCase().split('_').join(' ');
}
