/**
 * A Server-Sent Events parser, by the WHATWG "event stream interpretation" rules: lines end in CRLF,
 * LF or CR (a chunk may end between CR and LF, or mid-line); `:` lines are comments; `data` lines
 * join with "\n"; a blank line dispatches; a message with no data is not dispatched; `id` persists
 * (it is what a reconnect sends as Last-Event-ID) unless it contains NUL; `retry` takes digits only.
 * Bytes are decoded with one streaming decoder, so a multi-byte character split across chunks survives.
 */

export interface SseMessage {
  /** The last event id seen so far in the stream (it carries over to messages without an `id`). */
  id: string | undefined;
  /** `message` unless the server named it. */
  event: string;
  data: string;
}

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

  constructor(lastEventId?: string) {
    this.lastEventId = lastEventId;
  }

  /** Feeds bytes or text; returns the messages completed by it. */
  push(chunk: Uint8Array | string): SseMessage[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a leading BOM is not part of the first line
    }
    const out: SseMessage[] = [];
    for (const ch of text) {
      if (this.sawCr) {
        this.sawCr = false;
        if (ch === '\n') continue; // the LF of a CRLF whose CR ended the line already
      }
      if (ch === '\r' || ch === '\n') {
        this.sawCr = ch === '\r';
        const message = this.line(this.buffer);
        this.buffer = '';
        if (message) out.push(message);
      } else {
        this.buffer += ch;
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
    this.event = '';
    if (data.length === 0) return undefined;
    return { id: this.lastEventId, event: event || 'message', data: data.join('\n') };
  }
}
