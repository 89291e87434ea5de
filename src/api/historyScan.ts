/**
 * Finds the first events of a history body while it is still arriving: walks the JSON text only as far
 * as the events asked for, slices out whole events and parses those slices with one `JSON.parse` per
 * batch. It knows the three shapes normalizeHistory accepts (bare array, `{events}`,
 * `{history:{events}}`); anything else and any surprise make it give up, and the caller waits for the
 * whole body. It never decides the answer: the whole body is still parsed once at the end (see
 * historyStream.ts), so an early event can only ever be what the complete parse also finds.
 */
import { normalizeEvent } from './history';
import type { WorkflowEvent } from './types';

type Phase = 'root' | 'key' | 'elements' | 'done';

const WS = new Set([0x20, 0x0a, 0x0d, 0x09]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export class HistoryPrefixScanner {
  private buf = '';
  private pos = 0;
  private phase: Phase = 'root';
  private inHistory = false;
  /** Resumable state of the value being skipped (so a long value is never rescanned from its start). */
  private skip: { start: number; i: number; depth: number; inString: boolean } | undefined;
  private batchStart = -1;
  private batchEnd = -1;
  /** The events found so far, in body order. */
  readonly events: WorkflowEvent[] = [];

  /** False once the scanner gave up or the events list ended: nothing more will be found. */
  get active(): boolean {
    return this.phase !== 'done';
  }

  /** Appends text and scans until `wanted` events are found or the text runs out. */
  feed(text: string, wanted: number): void {
    if (this.phase === 'done') return;
    this.buf = this.pos > 0 && this.skip === undefined ? this.buf.slice(this.pos) + text : this.buf + text;
    if (this.skip === undefined) this.pos = 0;
    this.scan(wanted);
  }

  /** Scans what is already fed (after a caller wants more events). */
  more(wanted: number): void {
    if (this.phase !== 'done') this.scan(wanted);
  }

  private giveUp(): void {
    this.phase = 'done';
    this.buf = '';
    this.skip = undefined;
  }

  private scan(wanted: number): void {
    try {
      while (this.phase !== 'done' && this.events.length + this.pendingCount() < wanted && this.step()) {
        /* each step consumes one token or value */
      }
    } finally {
      this.flushBatch();
    }
    if (this.skip === undefined && this.phase !== 'done' && this.pos > 64 * 1024) {
      this.buf = this.buf.slice(this.pos); // drop what was scanned: only the unread tail is kept
      this.pos = 0;
    }
  }

  private pending = 0;
  private pendingCount(): number {
    return this.pending;
  }

  private skipWs(): boolean {
    const b = this.buf;
    while (this.pos < b.length && WS.has(b.charCodeAt(this.pos))) this.pos++;
    return this.pos < b.length;
  }

  /** One step; false when more text is needed. */
  private step(): boolean {
    if (this.skip !== undefined && this.phase === 'key') return this.skipValue(); // a member's value, resumed
    if (!this.skipWs()) return false;
    const c = this.buf[this.pos];
    switch (this.phase) {
      case 'root':
        if (c === '[') {
          this.pos++;
          this.phase = 'elements';
        } else if (c === '{') {
          this.pos++;
          this.phase = 'key';
        } else this.giveUp();
        return true;
      case 'key':
        return this.key(c);
      case 'elements':
        return this.element(c);
      default:
        return false;
    }
  }

  private key(c: string): boolean {
    if (c === ',') {
      this.pos++;
      return true;
    }
    if (c !== '"') {
      this.giveUp(); // '}' (no events list where we looked) or not JSON: the whole parse decides
      return true;
    }
    const end = this.stringEnd(this.pos + 1);
    if (end < 0) return false;
    // Key, colon and the value's first character must all be here before anything is consumed.
    let p = end;
    const b = this.buf;
    while (p < b.length && WS.has(b.charCodeAt(p))) p++;
    if (p >= b.length) return false;
    if (b[p] !== ':') {
      this.giveUp();
      return true;
    }
    p++;
    while (p < b.length && WS.has(b.charCodeAt(p))) p++;
    if (p >= b.length) return false;
    const name = JSON.parse(b.slice(this.pos, end)) as string;
    this.pos = p;
    if (name === 'events' && b[p] === '[') {
      this.pos++;
      this.phase = 'elements';
    } else if (name === 'history' && !this.inHistory && b[p] === '{') {
      this.pos++;
      this.inHistory = true;
    } else if (name === 'events') {
      this.giveUp(); // events: null / not a list: the whole parse gives the verdict
    } else {
      return this.skipValue();
    }
    return true;
  }

  private element(c: string): boolean {
    if (c === ',') {
      this.pos++;
      return true;
    }
    if (c === ']') {
      this.flushBatch();
      this.giveUp(); // the list is complete: every event is found
      return true;
    }
    const start = this.pos;
    if (!this.skipValue()) return false;
    if (this.batchStart < 0) this.batchStart = start;
    this.batchEnd = this.pos;
    this.pending++;
    return true;
  }

  /** Parses the events sliced so far in one JSON.parse. */
  private flushBatch(): void {
    if (this.batchStart < 0) return;
    const slice = this.buf.slice(this.batchStart, this.batchEnd);
    this.batchStart = -1;
    this.pending = 0;
    let values: unknown[];
    try {
      values = JSON.parse(`[${slice}]`) as unknown[];
    } catch {
      this.giveUp();
      return;
    }
    for (const v of values) {
      const e = normalizeEvent(v);
      if (e !== undefined) this.events.push(e);
    }
  }

  /** Index just past the closing quote of a string whose content starts at `from`; -1 if not here yet. */
  private stringEnd(from: number): number {
    const b = this.buf;
    let i = from;
    for (;;) {
      const q = b.indexOf('"', i);
      if (q < 0) return -1;
      let backslashes = 0;
      for (let k = q - 1; k >= from && b.charCodeAt(k) === BACKSLASH; k--) backslashes++;
      if (backslashes % 2 === 0) return q + 1;
      i = q + 1;
    }
  }

  /** Moves `pos` past one JSON value (resumably); false when the value has not fully arrived. */
  private skipValue(): boolean {
    const b = this.buf;
    const s = this.skip ?? { start: this.pos, i: this.pos, depth: 0, inString: false };
    let { i, depth, inString } = s;
    for (; i < b.length; i++) {
      const ch = b.charCodeAt(i);
      if (inString) {
        if (ch === BACKSLASH) i++;
        else if (ch === QUOTE) {
          inString = false;
          if (depth === 0) break;
        }
        continue;
      }
      if (ch === QUOTE) inString = true;
      else if (ch === 0x7b || ch === 0x5b) depth++;
      else if (ch === 0x7d || ch === 0x5d) {
        if (depth === 0) break; // a primitive ended by its container's close
        depth--;
        if (depth === 0) break;
      } else if (depth === 0 && (ch === 0x2c || WS.has(ch))) break; // a primitive ended
    }
    if (i >= b.length) {
      this.skip = { start: s.start, i, depth, inString };
      return false;
    }
    // Strings and containers end on their closing character (consumed); primitives before the delimiter.
    const closing = b.charCodeAt(i);
    this.pos = closing === QUOTE || closing === 0x7d || closing === 0x5d ? (depth === 0 && s.start < i && isPrimitiveEnd(b, s.start) ? i : i + 1) : i;
    this.skip = undefined;
    return true;
  }
}

/** Whether the value starting at `start` is a number or literal (ended by a delimiter, not consumed). */
function isPrimitiveEnd(b: string, start: number): boolean {
  const c = b.charCodeAt(start);
  return c !== QUOTE && c !== 0x7b && c !== 0x5b;
}
