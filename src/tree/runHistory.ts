import { eventDescriber, HistoryStream, WorkflowEvent } from '../api';
import type { EventKind } from '../api';

export interface DescribedEvents {
  events: WorkflowEvent[];
  kinds: EventKind[];
  details: (string | undefined)[];
}

/** What has arrived of a history: every event when `complete`, else a prefix of them. */
export interface ArrivedEvents extends DescribedEvents {
  complete: boolean;
}

/**
 * The history of one run as the tree shows it: fetched once (one request, however long), then shown a
 * page at a time. Concurrent expansions share the one request. `forget()` starts a new generation: an
 * answer to an older request is dropped (its waiters get the current history instead), so a slow old
 * answer can never overwrite a newer one.
 *
 * While the body streams in, `arrived()` gives the events so far as soon as there are enough of them
 * (the first page, or more after “Load more”); `load()` still resolves with the complete history only.
 */
export class RunHistory {
  private generation = 0;
  private loaded: DescribedEvents | undefined;
  private pending: Promise<DescribedEvents> | undefined;
  private failure: unknown;
  private shownCount = 0;
  private early: DescribedEvents | undefined;
  private stream: HistoryStream | undefined;
  private describe = eventDescriber();
  /** arrived() calls waiting for more events than have arrived. */
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(
    private readonly fetch: (stream?: HistoryStream) => Promise<WorkflowEvent[]>,
    private readonly pageSize: () => number,
  ) {}

  /** The complete history, once loaded. */
  get value(): DescribedEvents | undefined {
    return this.loaded;
  }

  /** The complete history, or the events that have arrived of it so far. */
  get current(): DescribedEvents | undefined {
    return this.loaded ?? this.early;
  }

  get error(): unknown {
    return this.failure;
  }

  /** How many events the tree shows now (a multiple of the page size, at most all that arrived). */
  get shown(): number {
    return Math.min(this.shownCount, (this.loaded ?? this.early)?.events.length ?? 0);
  }

  /** The complete history; while it loads, every call returns the same promise. */
  load(): Promise<DescribedEvents> {
    if (this.loaded) return Promise.resolve(this.loaded);
    const generation = this.generation;
    if (this.pending) return this.pending;
    this.shownCount = Math.max(this.shownCount, this.pageSize());
    const stream = new HistoryStream(this.shownCount, (events) => {
      if (generation === this.generation) this.arrive(events);
    });
    this.stream = stream;
    this.pending = this.fetch(stream).then(
      (events) => {
        if (generation !== this.generation) return this.load();
        this.loaded = this.complete(events);
        this.failure = undefined;
        this.shownCount = Math.max(this.shownCount, this.pageSize());
        this.pending = undefined;
        this.release();
        return this.loaded;
      },
      (error: unknown) => {
        if (generation !== this.generation) return this.load();
        this.failure = error;
        this.pending = undefined;
        this.early = undefined;
        this.release();
        throw error;
      },
    );
    return this.pending;
  }

  /**
   * The events shown so far and the next page, as soon as they have arrived (or the history is
   * complete); rejects like load() when the request fails before that.
   */
  async arrived(): Promise<ArrivedEvents> {
    if (this.loaded) return { ...this.loaded, complete: true };
    const whole = this.load();
    const count = Math.max(this.shownCount, this.pageSize());
    this.stream?.want(count);
    if ((this.early?.events.length ?? 0) < count) {
      await Promise.race([whole, new Promise<void>((resolve) => this.waiters.push({ count, resolve }))]);
    }
    // Read again after the wait (TypeScript keeps the narrowing from before it).
    const loaded = this.loaded as DescribedEvents | undefined;
    if (loaded) return { ...loaded, complete: true };
    if (this.early) return { ...this.early, complete: false };
    return { ...(await whole), complete: true }; // a failure rejects here; a newer generation is awaited
  }

  showMore(): void {
    this.shownCount = this.shown + this.pageSize();
    this.stream?.want(this.shownCount);
  }

  /** Shows every event up to `index`, so that a given event can be revealed. */
  showThrough(index: number): void {
    const size = this.pageSize();
    if (index >= this.shown) this.shownCount = (Math.floor(index / size) + 1) * size;
  }

  forget(): void {
    this.generation++;
    this.loaded = undefined;
    this.pending = undefined;
    this.failure = undefined;
    this.shownCount = 0;
    this.early = undefined;
    this.stream = undefined;
    this.describe = eventDescriber();
    this.release();
  }

  /** More events arrived (a longer prefix of the same list): describe only the new ones. */
  private arrive(events: readonly WorkflowEvent[]): void {
    const prev = this.early ?? { events: [], kinds: [], details: [] };
    const added = this.describe(events.slice(prev.events.length));
    this.early = {
      events: [...prev.events, ...events.slice(prev.events.length)],
      kinds: [...prev.kinds, ...added.map((d) => d.kind)],
      details: [...prev.details, ...added.map((d) => d.detail)],
    };
    this.release((w) => w.count <= events.length);
  }

  /** The complete history, reusing the descriptions of the events that arrived early when they are the same. */
  private complete(events: WorkflowEvent[]): DescribedEvents {
    const early = this.early;
    this.early = undefined;
    this.stream = undefined;
    const reuse = early !== undefined && early.events.length <= events.length && early.events.every((e, i) => e === events[i]);
    if (!reuse) this.describe = eventDescriber();
    const from = reuse ? early.events.length : 0;
    const described = this.describe(from === 0 ? events : events.slice(from));
    const kinds = reuse ? early.kinds.concat(described.map((d) => d.kind)) : described.map((d) => d.kind);
    const details = reuse ? early.details.concat(described.map((d) => d.detail)) : described.map((d) => d.detail);
    this.describe = eventDescriber();
    return { events, kinds, details };
  }

  private release(which: (w: { count: number }) => boolean = () => true): void {
    const ready = this.waiters.filter(which);
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }
}
