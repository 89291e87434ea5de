/**
 * Whether an event's attribute values match a pattern: every string and number at any depth (failure
 * messages, inputs, results, reasons), with Temporal's long-form JSON payloads decoded first, so a
 * search finds `"card declined"` inside `{metadata:{encoding:"anNvbi9wbGFpbg=="}, data:"<base64>"}`.
 * Keys and booleans are not matched; a payload that is not JSON (binary, encrypted) is passed over
 * rather than matched as base64.
 */
import { HistoryQuery } from './historyQuery';
import { isObject, JsonObject } from './json';
import { decodePayload } from './temporal/payloads';

/** Deeper than any real history nests; stops a cyclic or hostile value from recursing forever. */
const MAX_DEPTH = 64;

/** A query as the walk uses it: what cannot match is passed over without running the pattern. */
export interface ValuePattern {
  /** Without the g or y flag (parseQuery drops them), so `test` stays stateless. */
  pattern: RegExp;
  /** Shorter strings cannot match (a plain text query's length; 0 for a regex). */
  minLength: number;
  /** Whether a number's text can match (not for text with letters other than an exponent's). */
  numbers: boolean;
}

const NUMBER_TEXT = /^[\d.eE+-]+$/;

export function valuePattern(query: HistoryQuery): ValuePattern {
  if (query.kind === 'regex') return { pattern: query.pattern, minLength: 0, numbers: true };
  return { pattern: query.pattern, minLength: query.text.length, numbers: NUMBER_TEXT.test(query.text) };
}

export function valueMatches(value: unknown, p: ValuePattern, depth = 0): boolean {
  if (typeof value === 'string') return value.length >= p.minLength && value !== '' && p.pattern.test(value);
  if (typeof value === 'number' || typeof value === 'bigint') return p.numbers && p.pattern.test(String(value));
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (valueMatches(item, p, depth + 1)) return true;
    return false;
  }
  const object = value as JsonObject;
  if (isPayload(object)) {
    const value = decoded(object);
    return value !== object && valueMatches(value, p, depth + 1);
  }
  for (const key in object) {
    if (Object.prototype.hasOwnProperty.call(object, key) && valueMatches(object[key], p, depth + 1)) return true;
  }
  return false;
}

/**
 * Payloads decoded by earlier searches, by payload object: decoding (base64, then JSON) is most of a
 * search's cost, and a history is searched again and again while its events stay the same objects.
 */
const decodedPayloads = new WeakMap<JsonObject, unknown>();

function decoded(payload: JsonObject): unknown {
  let value = decodedPayloads.get(payload);
  if (value === undefined && !decodedPayloads.has(payload)) {
    value = decodePayload(payload);
    decodedPayloads.set(payload, value);
  }
  return value;
}

function isPayload(object: JsonObject): boolean {
  const metadata = object.metadata;
  return isObject(metadata) && typeof metadata.encoding === 'string';
}
