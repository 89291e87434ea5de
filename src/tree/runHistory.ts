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
  /** Not complete, and nothing more comes until more is wanted (showMore): a server page ended here. */
  paused: boolean;
}

/**
 * The history of one run as the tree shows it: fetched once, then shown a page at a time. Concurrent
 * expansions share the one fetch. `forget()` starts a new generation: an answer to an older fetch is
 * dropped (its waiters get the current history instead), so a slow old answer can never overwrite a
 * newer one, and the older fetch is told nobody wants more of it.
 *
 * `arrived()` gives the events so far as soon as there are enough of them (the first page, or more
 * after “Load more”), or as soon as the source pauses: a server that pages the history (Temporal)
 * sends its next page only when more is wanted, and its page may be smaller than ours. `load()` is
 * the complete history, and asks the source for all of it.
 */
export class RunHistory {
  private generation = 0;
  private loaded: DescribedEvents | undefined;
  /** This generation's fetch until it settles; it resolves undefined once a newer generation began. */
  private pending: Promise<DescribedEvents | undefined> | undefined;
  private failure: unknown;
  private shownCount = 0;
  private early: DescribedEvents | undefined;
  private stream: HistoryStream | undefined;
  private describe = eventDescriber();
  /** arrived() calls waiting for more events than have arrived. */
  private waiters: { count: number; resolve: () => void }[] = [];
  /** What `settling` gave out: resolved at the fetch's next pause or end. */
  private nextSettle: { promise: Promise<void>; resolve: () => void } | undefined;

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

  /**
   * While a fetch is under way and not paused: a promise that settles when it ends, fails or pauses, so
   * the rows can show what then changed (the total, the error, or that more waits on the server),
   * without asking for more of the history (unlike load()). The same promise until then.
   */
  get settling(): Promise<unknown> | undefined {
    if (this.pending === undefined || this.stream?.paused === true) return undefined;
    if (this.nextSettle === undefined) {
      let resolve: () => void = () => undefined;
      const promise = new Promise<void>((r) => (resolve = r));
      this.nextSettle = { promise, resolve };
      this.pending.then(() => this.settled(), () => this.settled());
    }
    return this.nextSettle.promise;
  }

  /** The complete history: a paged source is asked for every page left. Concurrent calls share the fetch. */
  async load(): Promise<DescribedEvents> {
    for (;;) {
      if (this.loaded) return this.loaded;
      const pending = this.start();
      this.stream?.wantAll();
      const value = await pending; // this generation's failure rejects here
      if (value) return value;
      // forget() meanwhile: the answer was an older generation's; load the current one.
    }
  }

  /**
   * The events shown so far and the next page (or `wanted` events, if more), as soon as they have
   * arrived, or the source paused, or the history is complete; rejects like load() when the fetch fails
   * before that, and with that failure until forget() (load() fetches again). It does not ask for the
   * whole history.
   */
  async arrived(wanted = 0): Promise<ArrivedEvents> {
    for (;;) {
      if (this.loaded) return { ...this.loaded, complete: true, paused: false };
      // The rows show a failure (with Retry, which forgets it) rather than fetch again on the refresh
      // that the failure itself causes: a page that keeps failing would be read in a loop, unseen.
      if (this.failure !== undefined && this.pending === undefined) throw this.failure;
      const generation = this.generation;
      const whole = this.start();
      const stream = this.stream;
      const count = Math.max(wanted, this.shownCount, this.pageSize());
      // A paused source reads on when “Load more” asks (showMore), not whenever the rows are redrawn.
      if (stream !== undefined && !stream.paused) stream.want(count);
      if ((this.early?.events.length ?? 0) < count && !stream?.paused) {
        await Promise.race([whole, new Promise<void>((resolve) => this.waiters.push({ count, resolve }))]);
      }
      if (generation !== this.generation) continue; // forget() meanwhile: what has arrived of the new one
      // Read again after the wait (TypeScript keeps the narrowing from before it).
      const loaded = this.loaded as DescribedEvents | undefined;
      if (loaded) return { ...loaded, complete: true, paused: false };
      if (this.early) return { ...this.early, complete: false, paused: this.stream?.paused ?? false };
      const value = await whole; // nothing arrived early: the whole history, or its failure
      if (value) return { ...value, complete: true, paused: false };
    }
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
    this.settled();
    this.generation++;
    this.stream?.abandon();
    this.loaded = undefined;
    this.pending = undefined;
    this.failure = undefined;
    this.shownCount = 0;
    this.early = undefined;
    this.stream = undefined;
    this.describe = eventDescriber();
    this.release();
  }

  /** This generation's fetch: started on first use, with a stream that wants the shown events. */
  private start(): Promise<DescribedEvents | undefined> {
    if (this.pending) return this.pending;
    const generation = this.generation;
    const current = (): boolean => generation === this.generation;
    this.shownCount = Math.max(this.shownCount, this.pageSize());
    const stream = new HistoryStream(
      this.shownCount,
      (events) => {
        if (current()) this.arrive(events);
      },
      () => {
        if (!current()) return;
        this.release(); // paused: what arrived is all there is until more is wanted
        this.settled();
      },
    );
    this.stream = stream;
    const pending = this.fetch(stream).then(
      (events) => {
        if (!current()) return undefined;
        this.loaded = this.complete(events);
        this.failure = undefined;
        this.shownCount = Math.max(this.shownCount, this.pageSize());
        this.pending = undefined;
        this.release();
        return this.loaded;
      },
      (error: unknown) => {
        if (!current()) return undefined;
        this.failure = error;
        this.pending = undefined;
        this.early = undefined;
        this.stream = undefined;
        this.describe = eventDescriber();
        this.release();
        throw error;
      },
    );
    // Its callers see a failure; a fetch nobody waits on any more (a paused read that then failed) must
    // not be an unhandled rejection.
    pending.catch(() => undefined);
    this.pending = pending;
    return pending;
  }

  private settled(): void {
    const settle = this.nextSettle;
    this.nextSettle = undefined;
    settle?.resolve();
  }

  /** More events arrived (a longer prefix of the same list): describe only the new ones, append them. */
  private arrive(events: readonly WorkflowEvent[]): void {
    const early = (this.early ??= { events: [], kinds: [], details: [] });
    const from = early.events.length;
    const added = this.describe(events.slice(from));
    // Appended in place: a paged source offers every page, and copying the lists each time would cost
    // the square of the history's length.
    for (let i = 0; i < added.length; i++) {
      early.events.push(events[from + i]);
      early.kinds.push(added[i].kind);
      early.details.push(added[i].detail);
    }
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
