/**
 * History normalisation: the `/history` body schema is unpublished, so three shapes are accepted
 * (Temporal JSON, the seed's snake_case, trace events; see sandbox/README.md) and turned into one
 * `WorkflowEvent` model. Runs on 51,200-event histories: one pass, no per-event regex compilation or
 * JSON round trips; type and key conversions are cached because there are only a few distinct ones.
 */
import { enumNamer } from './enums';
import { isObject, own, type JsonObject } from './json';
import { WorkflowEvent } from './types';

/** Thrown when a history body is not an event list at all (a string, a number, `{ events: 42 }`...). */
export class HistoryFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryFormatError';
  }
}

const DIGITS = /^\d+$/;
/** `EVENT_TYPE_WORKFLOW_TASK_COMPLETED`, `WorkflowTaskCompleted` → `WORKFLOW_TASK_COMPLETED`. */
const eventTypeName = enumNamer('EVENT_TYPE_');

/**
 * Accepts `{ events: [...] }`, a bare array, or `{ history: { events } }`. An object without events is
 * an empty history; a body that is not an object or array at all throws HistoryFormatError (the
 * client reports it as a 'parse' error). Inside the list, nulls and non-objects are skipped; an event
 * without a type gets type 'UNKNOWN'. The result is in event order: a history sent newest first
 * (Temporal's history-reverse) is turned round; any other order is kept as sent.
 */
export function normalizeHistory(body: unknown): WorkflowEvent[] {
  return inEventOrder(normalizeEvents(eventList(body)));
}

/**
 * The events of a list as sent, appended to `into`: each event on its own (no state across events), so
 * a history read page by page is normalised page by page. Only the order is a property of the whole
 * list: apply inEventOrder once to the complete result.
 */
export function normalizeEvents(list: readonly unknown[], into: WorkflowEvent[] = []): WorkflowEvent[] {
  for (let i = 0; i < list.length; i++) {
    const e = normalizeEvent(list[i]);
    if (e !== undefined) into.push(e);
  }
  return into;
}

/** The complete list in event order: turned round (in place) when it was sent newest first. */
export function inEventOrder(events: WorkflowEvent[]): WorkflowEvent[] {
  return readsNewestFirst(events) ? events.reverse() : events;
}

/**
 * Whether the list runs from the newest event to the oldest: its first integer id is greater than its
 * last one. Looks only at the two ends (events without an integer id, e.g. trace progress, are passed
 * over), so a 51,200-event history costs two reads, and a reversal when it is newest first.
 */
export function readsNewestFirst(events: readonly WorkflowEvent[]): boolean {
  let first: number | undefined;
  let i = 0;
  for (; i < events.length && first === undefined; i++) first = events[i].eventId;
  for (let j = events.length - 1; j >= i; j--) {
    const last = events[j].eventId;
    if (last !== undefined) return first !== undefined && first > last;
  }
  return false;
}

function eventList(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (!isObject(body)) throw new HistoryFormatError(`The history is not an event list (got ${body === null ? 'null' : typeof body}).`);
  const history = own(body, 'history');
  const holder = own(body, 'events') === undefined && isObject(history) ? history : body;
  const events = own(holder, 'events');
  if (Array.isArray(events)) return events;
  if (events === undefined || events === null) return [];
  throw new HistoryFormatError(`The history's "events" is not a list (got ${typeof events}).`);
}

/** One event in any of the three shapes; undefined for values that are not objects. */
export function normalizeEvent(raw: unknown): WorkflowEvent | undefined {
  if (!isObject(raw)) return undefined;
  // Temporal JSON first, then seed snake_case, then trace (`name`/`id`; its `type` is EVENT/EVENT_PROGRESS).
  const typeRaw = raw.eventType ?? raw.event_type ?? raw.name;
  const idRaw = raw.eventId ?? raw.event_id ?? raw.id;
  let eventId: number | undefined;
  let idText = '';
  if (typeof idRaw === 'number') {
    idText = String(idRaw);
    if (Number.isSafeInteger(idRaw) && idRaw >= 0) eventId = idRaw;
  } else if (typeof idRaw === 'string') {
    idText = idRaw;
    if (DIGITS.test(idRaw)) {
      const n = Number(idRaw);
      if (Number.isSafeInteger(n)) eventId = n;
    }
  }
  return new NormalizedEvent(
    eventId,
    idText,
    typeof typeRaw === 'string' && typeRaw.trim() !== '' ? eventTypeName(typeRaw) : 'UNKNOWN',
    attributesOf(raw),
    raw,
  );
}

/**
 * An event whose `time` is parsed on first read: date parsing is most of the cost of normalising a
 * 51,200-event history, and the tree shows 500 events at a time.
 */
class NormalizedEvent implements WorkflowEvent {
  private parsedTime: Date | null | undefined;

  constructor(
    readonly eventId: number | undefined,
    readonly idText: string,
    readonly type: string,
    readonly attributes: Record<string, unknown>,
    readonly raw: JsonObject,
  ) {}

  get time(): Date | undefined {
    if (this.parsedTime === undefined) this.parsedTime = timeOf(this.raw) ?? null;
    return this.parsedTime ?? undefined;
  }
}

function attributesOf(raw: JsonObject): Record<string, unknown> {
  const a = raw.attributes;
  if (isObject(a)) return a;
  // Temporal JSON: the one key ending in "EventAttributes" (e.g. workflowTaskCompletedEventAttributes).
  for (const key in raw) {
    if (key.endsWith('EventAttributes') && Object.prototype.hasOwnProperty.call(raw, key)) {
      const v = raw[key];
      if (isObject(v)) return v;
    }
  }
  return {};
}

function timeOf(raw: JsonObject): Date | undefined {
  const iso = raw.eventTime ?? raw.event_time;
  if (typeof iso === 'string' || typeof iso === 'number') return validDate(new Date(iso));
  const nanos = raw.timestamp_unix_nano;
  if (typeof nanos === 'number' && Number.isFinite(nanos)) {
    // ~1.8e18 exceeds 2^53: the double is imprecise by well under a microsecond, fine for ms.
    return validDate(new Date(Math.floor(nanos / 1e6)));
  }
  if (typeof nanos === 'string' && DIGITS.test(nanos)) {
    // Exact: drop the last six digits instead of going through an imprecise number.
    return validDate(new Date(nanos.length > 6 ? Number(nanos.slice(0, -6)) : 0));
  }
  const ms = raw.start_time_unix_ms;
  return typeof ms === 'number' ? validDate(new Date(ms)) : undefined;
}

function validDate(d: Date): Date | undefined {
  return Number.isNaN(d.getTime()) ? undefined : d;
}
