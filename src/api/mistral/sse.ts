/**
 * A Server-Sent Events parser, by the WHATWG "event stream interpretation" rules: lines end in CRLF,
 * LF or CR (a chunk may end between CR and LF, or mid-line); `:` lines are comments; `data` lines
 * join with "\n"; a blank line dispatches; a message with no data is not dispatched; `id` persists
 * (it is what a reconnect sends as Last-Event-ID) unless it contains NUL; `retry` takes digits only.
 * Bytes are decoded with one streaming decoder, so a multi-byte character split across chunks survives.
 * A line, and a message's data, are capped (SseLimitError): a stream is read for as long as it lasts,
 * so a server that never ends a line must not grow the buffer without end.
 */

/**
 * The longest line (and message data) read. A stream message carries one event, whose payloads Temporal
 * limits to 2 MB each (its default blob limit; the integration suite's largest attribute is 4 MB):
 * 16 Mi characters leaves room for several, escaped.
 */
export const DEFAULT_MAX_SSE_LINE = 16 * 1024 * 1024;

/** A line or a message longer than the cap: the stream is not an event stream this client can follow. */
export class SseLimitError extends Error {
  constructor(readonly maxChars: number, what: 'line' | 'message') {
    super(`The event stream sent a ${what} longer than ${maxChars.toLocaleString('en')} characters, the most the extension reads in one ${what}; it stopped following the stream.`);
    this.name = 'SseLimitError';
  }
}

export interface SseMessage {
  /** The last event id seen so far in the stream (it carries over to messages without an `id`). */
  id: string | undefined;
  /** `message` unless the server named it. */
  event: string;
  data: string;
}

const LINE_BREAK = /[\r\n]/g;

export class SseParser {
  /** The current last-event-id (also after a message without `id`); send it to resume. */
  lastEventId: string | undefined;
  /** The server's `retry:` in ms, when it sent one. */
  retryMs: number | undefined;
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  private sawCr = false;
  private first = true;
  private event = '';
  private data: string[] = [];
  private dataLength = 0;

  constructor(lastEventId?: string, private readonly maxChars = DEFAULT_MAX_SSE_LINE) {
    this.lastEventId = lastEventId;
  }

  /** Feeds bytes or text; returns the messages completed by it. Throws SseLimitError past the cap. */
  push(chunk: Uint8Array | string): SseMessage[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a leading BOM is not part of the first line
    }
    const out: SseMessage[] = [];
    let i = 0;
    if (this.sawCr && text.length > 0) {
      this.sawCr = false;
      if (text.charCodeAt(0) === 0x0a) i = 1; // the LF of a CRLF whose CR ended the line already
    }
    // Whole runs between line breaks at a time: a character at a time costs seconds on a long line.
    while (i < text.length) {
      LINE_BREAK.lastIndex = i;
      const found = LINE_BREAK.exec(text);
      const end = found === null ? text.length : found.index;
      if (this.buffer.length + end - i > this.maxChars) throw new SseLimitError(this.maxChars, 'line');
      this.buffer += text.slice(i, end);
      if (found === null) break;
      const message = this.line(this.buffer);
      this.buffer = '';
      if (message) out.push(message);
      i = end + 1;
      if (text.charCodeAt(end) === 0x0d) {
        if (i === text.length) this.sawCr = true;
        else if (text.charCodeAt(i) === 0x0a) i++;
      }
    }
    return out;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.event = value;
        break;
      case 'data':
        this.dataLength += value.length + 1;
        if (this.dataLength > this.maxChars) throw new SseLimitError(this.maxChars, 'message');
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default: // unknown fields are ignored
    }
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const data = this.data;
    const event = this.event;
    this.data = [];
    this.dataLength = 0;
    this.event = '';
    if (data.length === 0) return undefined;
    return { id: this.lastEventId, event: event || 'message', data: data.join('\n') };
  }
}
