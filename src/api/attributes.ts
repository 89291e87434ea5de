/**
 * Reading event attributes whatever layout the server wrote them in. Paths are always given in
 * snake_case dotted form, as sandbox/README.md names them.
 */
import { isObject, own } from './json';
import { WorkflowEvent } from './types';

/** Bounded so junk input cannot grow the caches without limit. */
const CACHE_LIMIT = 2000;

const camelCache = new Map<string, string>();
const splitCache = new Map<string, string[]>();

function toCamel(snake: string): string {
  const parts = snake.split('_');
  let out = parts[0];
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i];
    out += p.charAt(0).toUpperCase() + p.slice(1);
  }
  return out;
}

function camel(seg: string): string {
  let c = camelCache.get(seg);
  if (c === undefined) {
    c = toCamel(seg);
    if (camelCache.size < CACHE_LIMIT) camelCache.set(seg, c);
  }
  return c;
}

function segments(path: string): string[] {
  let segs = splitCache.get(path);
  if (segs === undefined) {
    segs = path.split('.');
    if (splitCache.size < CACHE_LIMIT) splitCache.set(path, segs);
  }
  return segs;
}

/**
 * Reads a snake_case dotted path (`activity_type.name`) from an event's attributes, whichever layout
 * the server used: nested snake (`{activity_type:{name}}`), nested camel (`{activityType:{name}}`,
 * Temporal JSON) or flat dotted keys (`{"activity_type.name": ...}`, trace events).
 */
export function attr(event: WorkflowEvent, path: string): unknown {
  return readPath(event.attributes, path);
}

export function readPath(attributes: Record<string, unknown>, path: string): unknown {
  const flat = own(attributes, path);
  if (flat !== undefined) return flat;
  let cur: unknown = attributes;
  for (const seg of segments(path)) {
    if (!isObject(cur)) return undefined;
    let next = own(cur, seg);
    if (next === undefined) next = own(cur, camel(seg));
    cur = next;
  }
  return cur;
}

/** `attr()` as display text: strings as they are, numbers and booleans as text, anything else undefined. */
export function attrText(event: WorkflowEvent, path: string): string | undefined {
  const v = attr(event, path);
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}
