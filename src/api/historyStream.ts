/**
 * The first events of a history before the whole body has arrived. Measured on the 51,200-event
 * history (README, Performance): streaming JSON parsers build every value through a JavaScript
 * tokenizer and are 3–10× slower than `JSON.parse` over the whole body, which is what the complete
 * history needs anyway. So the body is kept as text and parsed once at the end, exactly as before; only
 * the first pages are found early, by HistoryPrefixScanner, as far as someone asked for them.
 */
import { BodyDecodeError, type TextSink } from './body';
import { normalizeHistory } from './history';
import { HistoryPrefixScanner } from './historyScan';
import type { WorkflowEvent } from './types';

/** Called with every event found so far (in order), each time more were found. */
export type EarlyEventsListener = (events: readonly WorkflowEvent[]) => void;

/**
 * What a caller of `getHistory` passes to see events early: how many it wants now (`want` raises it,
 * e.g. on “Load more”), and a listener. Early events are only offered when they read oldest first: a
 * newest-first history is reversed by normalizeHistory, so its first page is known only at the end.
 */
export class HistoryStream {
  private wanted: number;
  private current: HistoryBodySink | undefined;

  constructor(wanted: number, private readonly listener: EarlyEventsListener) {
    this.wanted = wanted;
  }

  /** Events found so far in the attempt under way. */
  get events(): readonly WorkflowEvent[] {
    return this.current?.early ?? [];
  }

  want(count: number): void {
    if (count <= this.wanted) return;
    this.wanted = count;
    this.current?.more(count);
  }

  /** A fresh sink for one attempt: a retry starts from nothing. */
  sink(): HistoryBodySink {
    this.current = new HistoryBodySink(() => this.wanted, this.listener);
    return this.current;
  }
}

export class HistoryBodySink implements TextSink<WorkflowEvent[]> {
  private readonly chunks: string[] = [];
  private readonly scanner = new HistoryPrefixScanner();
  /** How many chunks the scanner has been fed. */
  private fed = 0;
  private offered = 0;

  constructor(
    private readonly wanted: () => number,
    private readonly listener: EarlyEventsListener,
  ) {}

  get early(): readonly WorkflowEvent[] {
    return this.offered > 0 ? this.scanner.events : [];
  }

  write(text: string): void {
    this.chunks.push(text);
    if (this.scanner.active && this.scanner.events.length < this.wanted()) this.catchUp();
  }

  more(count: number): void {
    if (this.scanner.active && this.scanner.events.length < count) this.catchUp();
  }

  /** Feeds the scanner every chunk it has not seen, then offers what it found. */
  private catchUp(): void {
    const wanted = this.wanted();
    this.scanner.more(wanted);
    while (this.fed < this.chunks.length && this.scanner.active && this.scanner.events.length < wanted) {
      this.scanner.feed(this.chunks[this.fed++], wanted);
    }
    const events = this.scanner.events;
    if (events.length === this.offered || (events.length < wanted && this.scanner.active)) return;
    if (descending(events)) return; // newest first: only the complete parse can say what comes first
    this.offered = events.length;
    this.listener(events);
  }

  end(): WorkflowEvent[] {
    const text = this.chunks.length === 1 ? this.chunks[0] : this.chunks.join('');
    this.chunks.length = 0;
    if (text.trim() === '') throw new BodyDecodeError('The server sent an empty response where JSON was expected.');
    const events = normalizeHistory(JSON.parse(text)); // SyntaxError / HistoryFormatError: the caller maps them
    // The rows already shown keep their event objects (and so their nodes' identity) when they match.
    const early = this.early;
    if (early.length > 0 && early.length <= events.length && early.every((e, i) => sameEvent(e, events[i]))) {
      for (let i = 0; i < early.length; i++) events[i] = early[i];
    }
    return events;
  }
}

function sameEvent(a: WorkflowEvent, b: WorkflowEvent): boolean {
  return a.idText === b.idText && a.type === b.type;
}

function descending(events: readonly WorkflowEvent[]): boolean {
  let first: number | undefined;
  let last: number | undefined;
  for (const e of events) {
    if (e.eventId === undefined) continue;
    first ??= e.eventId;
    last = e.eventId;
  }
  return first !== undefined && last !== undefined && first > last;
}
