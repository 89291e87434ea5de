/**
 * The real Temporal histories of test/fixtures/real-histories (see PROVENANCE.md there), loaded as
 * real-histories.test.ts loads them, with a small raw reader written apart from the code under test
 * (no attribute accessor, no enum namer) so the two can disagree.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normalizeHistory, WorkflowEvent } from '../../../src/api';

const REAL_DIR = path.resolve(__dirname, '../../../..', 'test/fixtures/real-histories');
export const REAL_FILES = fs.readdirSync(REAL_DIR).filter((f) => f.endsWith('.json')).sort();

export type Json = Record<string, unknown>;

export function isJson(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `a.b.c` through nested camelCase objects (the files' layout). */
export function get(o: unknown, dotted: string): unknown {
  let cur = o;
  for (const key of dotted.split('.')) {
    if (!isJson(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

export function str(o: unknown, dotted: string): string | undefined {
  const v = get(o, dotted);
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `WorkflowTaskCompleted` or `EVENT_TYPE_WORKFLOW_TASK_COMPLETED` → `WORKFLOW_TASK_COMPLETED`, char by char. */
export function rawType(raw: Json): string {
  const s = String(raw.eventType);
  let out = s;
  if (s !== s.toUpperCase()) {
    out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (i > 0 && c >= 'A' && c <= 'Z') out += '_';
      out += c.toUpperCase();
    }
  }
  return out.startsWith('EVENT_TYPE_') ? out.slice('EVENT_TYPE_'.length) : out;
}

export function rawAttrs(raw: Json): Json {
  const key = Object.keys(raw).find((k) => k.endsWith('EventAttributes'));
  const a = key === undefined ? {} : raw[key];
  assert.ok(isJson(a));
  return a;
}

export interface RealHistory {
  file: string;
  raws: Json[];
  events: WorkflowEvent[];
}

export function loadReal(file: string): RealHistory {
  const body: unknown = JSON.parse(fs.readFileSync(path.join(REAL_DIR, file), 'utf8'));
  const list = Array.isArray(body) ? body : isJson(body) ? (body.events ?? get(body, 'history.events')) : undefined;
  assert.ok(Array.isArray(list) && list.every(isJson), `${file} holds an event list`);
  return { file, raws: list, events: normalizeHistory(body) };
}

/** Every real history, and the same events newest first as Temporal's history-reverse sends them. */
export function realVariants(history: RealHistory): { name: string; events: WorkflowEvent[] }[] {
  return [
    { name: 'as stored', events: history.events },
    { name: 'newest first', events: normalizeHistory({ events: [...history.raws].reverse() }) },
  ];
}
