import { describeEvents, WorkflowEvent } from '../api';
import type { EventKind } from '../api';

export interface DescribedEvents {
  events: WorkflowEvent[];
  kinds: EventKind[];
  details: (string | undefined)[];
}

/**
 * The history of one run as the tree shows it: fetched once (one request, however long), then shown a
 * page at a time. Concurrent expansions share the one request. `forget()` starts a new generation: an
 * answer to an older request is dropped (its waiters get the current history instead), so a slow old
 * answer can never overwrite a newer one.
 */
export class RunHistory {
  private generation = 0;
  private loaded: DescribedEvents | undefined;
  private pending: Promise<DescribedEvents> | undefined;
  private failure: unknown;
  private shownCount = 0;

  constructor(
    private readonly fetch: () => Promise<WorkflowEvent[]>,
    private readonly pageSize: () => number,
  ) {}

  get value(): DescribedEvents | undefined {
    return this.loaded;
  }

  get error(): unknown {
    return this.failure;
  }

  /** How many events the tree shows now (a multiple of the page size, at most all). */
  get shown(): number {
    return Math.min(this.shownCount, this.loaded?.events.length ?? 0);
  }

  async load(): Promise<DescribedEvents> {
    if (this.loaded) return this.loaded;
    const generation = this.generation;
    this.pending ??= this.fetch().then(
      (events) => {
        if (generation !== this.generation) return this.load();
        const described = describeEvents(events);
        this.loaded = { events, kinds: described.map((d) => d.kind), details: described.map((d) => d.detail) };
        this.failure = undefined;
        this.shownCount = this.pageSize();
        this.pending = undefined;
        return this.loaded;
      },
      (error: unknown) => {
        if (generation !== this.generation) return this.load();
        this.failure = error;
        this.pending = undefined;
        throw error;
      },
    );
    return this.pending;
  }

  showMore(): void {
    this.shownCount = this.shown + this.pageSize();
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
  }
}
