/**
 * The first events of a history before all of it has arrived, and how much of it the caller wants
 * (a paged server's next page is read only when wanted). Measured on the 51,200-event history by
 * bench/parsers.ts (its figures are in bench/README.md): streaming JSON parsers build every value
 * through a JavaScript tokenizer and are many times slower than `JSON.parse` over the whole body,
 * which is what the complete history needs anyway. So the body is kept as text and parsed once at the
 * end, exactly as before; only the first pages are found early, by HistoryPrefixScanner, as far as
 * someone asked for them.
 */
import { BodyDecodeError, type TextSink } from './body';
import { normalizeHistory, readsNewestFirst } from './history';
import { HistoryPrefixScanner } from './historyScan';
import type { WorkflowEvent } from './types';

/** Called with every event found so far (in order), each time more were found. */
type EarlyEventsListener = (events: readonly WorkflowEvent[]) => void;

/**
 * What a caller of `getHistory` passes to see events early, and to say how much it wants: `want(count)`
 * raises the count (e.g. on “Load more”), `wantAll()` says the complete history is needed. Early events
 * are only offered when they read oldest first: a newest-first history is reversed by normalizeHistory,
 * so its first page is known only at the end.
 *
 * Two kinds of source feed it. A streamed body (Mistral) writes into `sink()`; the body arrives whole
 * whatever is wanted, and the count only says how far the prefix scanner looks (`wantAll()` does not
 * make it scan further: the body is parsed once at the end anyway). A paged source (Temporal) `offer`s
 * each server page, then waits in `demand()`, PAUSED, until someone wants more: a server page may be
 * smaller than the caller's page, and more is read only on demand.
 */
export class HistoryStream {
  private count: number;
  private all = false;
  private current: HistoryBodySink | undefined;
  /** A paged source's events (a list it appends to) and how many of them it offered. */
  private offered: readonly WorkflowEvent[] = [];
  private offeredCount = 0;
  /** The paged source's wait in demand(), while it is paused. */
  private waiting: { resume: (go: boolean) => void } | undefined;
  private abandoned = false;

  /** `onPause`: a paged source offered what it has and waits for demand (see `paused`). */
  constructor(wanted: number, private readonly listener: EarlyEventsListener, private readonly onPause?: () => void) {
    this.count = wanted;
  }

  /** Events found so far in the attempt under way. */
  get events(): readonly WorkflowEvent[] {
    return this.current?.early ?? this.offered;
  }

  /** How many events the caller wants now: at first, its first page. */
  get wanted(): number {
    return this.count;
  }

  get wantsAll(): boolean {
    return this.all;
  }

  /** A paged source offered a page and waits until more is wanted than it has offered. */
  get paused(): boolean {
    return this.waiting !== undefined;
  }

  /** While paused, a count beyond what was offered reads one more page; meanwhile, a larger count is kept. */
  want(count: number): void {
    if (this.waiting !== undefined && count > this.offeredCount) {
      this.count = Math.max(this.count, count);
      this.resume(true);
      return;
    }
    if (count <= this.count) return;
    this.count = count;
    this.current?.more(count);
  }

  /** The complete history is needed: a paged source reads every page left without pausing. */
  wantAll(): void {
    this.all = true;
    this.resume(true);
  }

  /** Nobody will want more (a newer read replaced this one): a paused source stops, and never pauses again. */
  abandon(): void {
    this.abandoned = true;
    this.resume(false);
  }

  /** A fresh sink for one attempt: a retry starts from nothing. */
  sink(): HistoryBodySink {
    this.current = new HistoryBodySink(() => this.count, this.listener);
    return this.current;
  }

  /**
   * A paged source's events so far (every page read, in order, normalised). False when they were not
   * offered (newest first: the caller sees them only in the result).
   */
  offer(events: readonly WorkflowEvent[]): boolean {
    if (readsNewestFirst(events)) return false;
    this.offered = events;
    if (events.length === this.offeredCount) return true;
    this.offeredCount = events.length;
    this.listener(events);
    return true;
  }

  /**
   * A paged source with more pages calls this after each page it offered: it resolves true at once if
   * the complete history is wanted, else PAUSES until a `want()` beyond what was offered (so a count
   * raised before the pause is met by the page just read, even a smaller one) or `wantAll()`. It
   * resolves false when the source should stop: `signal` aborted or the stream abandoned.
   */
  demand(signal?: AbortSignal): Promise<boolean> {
    if (this.abandoned || signal?.aborted) return Promise.resolve(false);
    if (this.all) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => this.resume(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting = {
        resume: (go) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(go);
        },
      };
      this.onPause?.();
    });
  }

  private resume(go: boolean): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resume(go);
  }
}

class HistoryBodySink implements TextSink<WorkflowEvent[]> {
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
    if (readsNewestFirst(events)) return; // newest first: only the complete parse can say what comes first
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
