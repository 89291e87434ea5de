/**
 * The tests' own reader of the real Temporal histories in test/fixtures/real-histories (see
 * PROVENANCE.md there). Written apart from the code under test, on purpose: no import from src/, no
 * attribute accessor, no regex conversion of enum names, so that its reading and the extension's can
 * disagree. The unit tests take their expectations from it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** This file compiles to out/test/helpers/. */
export const REAL_DIR = path.resolve(__dirname, '../../..', 'test/fixtures/real-histories');
export const REAL_FILES = fs.readdirSync(REAL_DIR).filter((f) => f.endsWith('.json')).sort();

export type Json = Record<string, unknown>;

export function isJson(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `a.b.c` through nested camelCase objects (the files' layout); undefined as soon as a step is missing. */
export function get(o: unknown, dotted: string): unknown {
  let cur = o;
  for (const key of dotted.split('.')) {
    if (!isJson(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** A non-empty string there, or a number as text. */
export function str(o: unknown, dotted: string): string | undefined {
  const v = get(o, dotted);
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The event list of a history body: a bare array, `{events}` or `{history:{events}}`. */
export function rawEventsOf(body: unknown, what = 'the file'): Json[] {
  const list = Array.isArray(body) ? body : isJson(body) ? (body.events ?? get(body, 'history.events')) : undefined;
  assert.ok(Array.isArray(list) && list.every(isJson), `${what} holds an event list`);
  return list;
}

/** `WorkflowTaskCompleted` → `WORKFLOW_TASK_COMPLETED`; an all-caps name is kept. Char by char, on purpose. */
function upperSnake(s: string): string {
  if (s === s.toUpperCase()) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (i > 0 && c >= 'A' && c <= 'Z') out += '_';
    out += c.toUpperCase();
  }
  return out;
}

/** `UPPER_SNAKE` → `Pascal`. */
export function pascal(s: string): string {
  return s.split('_').map((w) => w.charAt(0) + w.slice(1).toLowerCase()).join('');
}

/** An enum value without its prefix, in upper snake case, however it was spelt. */
export function enumName(value: string, prefix: string): string {
  const s = upperSnake(value);
  return s.startsWith(prefix) ? s.slice(prefix.length) : s;
}

/** `WorkflowTaskCompleted` or `EVENT_TYPE_WORKFLOW_TASK_COMPLETED` → `WORKFLOW_TASK_COMPLETED`. */
export function rawType(raw: Json): string {
  assert.equal(typeof raw.eventType, 'string');
  return enumName(raw.eventType as string, 'EVENT_TYPE_');
}

/** The event's one `…EventAttributes` object; `{}` when it has none. */
export function rawAttrs(raw: Json): Json {
  const keys = Object.keys(raw).filter((k) => k.endsWith('EventAttributes'));
  assert.ok(keys.length <= 1);
  const a = keys.length === 1 ? raw[keys[0]] : {};
  assert.ok(isJson(a));
  return a;
}
