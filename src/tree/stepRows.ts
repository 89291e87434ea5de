import { groupSteps, isOpenStatus, isStep, resetPointLabel } from '../api';
import type { StepGrouping, StepListEntry, WorkflowEvent } from '../api';
import type { EventNode, EventRowOptions, RunRef } from './eventNode';
import { LoadMoreNode, TreeNode } from './node';
import type { ArrivedEvents, DescribedEvents, RunHistory } from './runHistory';
import { StepNode } from './stepNode';

/** Makes the EventNode of `events[index]` (HistoryRows owns the event data). */
type EventRowFactory = (id: string, parent: TreeNode, index: number, options?: EventRowOptions) => EventNode;

/**
 * The steps view of one run: its steps and the reset points between them, a page at a time. The
 * grouping is made once per history read (one pass), and while the history still arrives, once per
 * round of early events (see arrived); paging is a slice of it. Nodes are kept by id, so that their
 * identity (busy state, marks set on event rows) survives refreshes and the history's arrival: a step's
 * node shows the step of the latest grouping.
 */
export class StepRows {
  private groupedFrom: { events: readonly WorkflowEvent[]; length: number } | undefined;
  private grouped: StepGrouping | undefined;
  private shownCount = 0;
  private readonly rows = new Map<string, { node: StepNode | EventNode; label?: string }>();
  private readonly eventRows = new Map<string, EventNode>();

  constructor(
    private readonly owner: TreeNode,
    private readonly run: RunRef,
    private readonly pageSize: () => number,
    private readonly makeEvent: EventRowFactory,
    private readonly refresh: (node: TreeNode) => void,
  ) {}

  /**
   * The grouping of `value` (the whole history, or the events that have arrived of it), made on first
   * use and whenever it holds other events than the last one grouped.
   */
  grouping(value: DescribedEvents): StepGrouping {
    const from = this.groupedFrom;
    if (this.grouped === undefined || from?.events !== value.events || from.length !== value.events.length) {
      this.grouped = groupSteps(value.events);
      this.groupedFrom = { events: value.events, length: value.events.length };
      this.shownCount = Math.max(this.shownCount, this.pageSize());
    }
    return this.grouped;
  }

  get shown(): number {
    return Math.min(this.shownCount, this.grouped?.entries.length ?? 0);
  }

  /**
   * What the steps shown are made of: the whole history (which this asks for: steps are of all of it),
   * or before it is all in, the events arrived so far as soon as they hold the entries shown. Entries
   * come in the order of their first event, so a prefix's entries are the whole history's first ones;
   * only the steps still open in it may have events to come. Each round asks for as many more events as
   * the entries so far say the rows shown need.
   */
  async arrived(history: Pick<RunHistory, 'load' | 'arrived'>): Promise<ArrivedEvents> {
    history.load().catch(() => undefined); // a failure rejects arrived() below
    let count = this.pageSize();
    for (;;) {
      const value = await history.arrived(count);
      if (value.complete) return value;
      const wanted = Math.max(this.shownCount, this.pageSize());
      const entries = this.grouping(value).entries.length;
      if (entries >= wanted) return value;
      // Nothing more arrives early (the source paused, or its events are only known at the end).
      if (value.events.length < count) return { ...(await history.load()), complete: true, paused: false };
      const perEntry = value.events.length / Math.max(1, entries);
      count = Math.max(2 * count, Math.ceil(perEntry * wanted * 1.1));
    }
  }

  /**
   * The first pages of entries, then “Load more” while there are more. Of a `partial` history (the
   * rest still arriving), the steps still open are shown as such until the rest is in.
   */
  children(value: DescribedEvents, partial = false): TreeNode[] {
    const { entries, stepCount } = this.grouping(value);
    const shown = this.shown;
    const rows: TreeNode[] = entries.slice(0, shown).map((entry) => this.row(entry, partial));
    const more = async (): Promise<void> => {
      this.shownCount = this.shown + this.pageSize();
      this.refresh(this.owner);
    };
    if (partial) {
      const label = `Load ${this.pageSize()} more (${shown.toLocaleString('en')} rows shown, more of the history arriving…)`;
      rows.push(new LoadMoreNode(`${this.owner.id}/steps-more`, this.owner, label, more));
    } else if (shown < entries.length) {
      const next = Math.min(this.pageSize(), entries.length - shown);
      const label = `Load ${next} more (${shown.toLocaleString('en')} of ${entries.length.toLocaleString('en')} rows: ${stepCount.toLocaleString('en')} steps and their reset points)`;
      rows.push(new LoadMoreNode(`${this.owner.id}/steps-more`, this.owner, label, more));
    }
    return rows;
  }

  /**
   * The row of an entry: a StepNode, or an EventNode named “Reset point after …” (so Reset to Here works
   * on it). `partial`: of a history still arriving (an open step may be unfinished or only not yet read).
   */
  row(entry: StepListEntry, partial = false): StepNode | EventNode {
    if (isStep(entry)) {
      const id = `${this.owner.id}/s${entry.eventIndexes[0]}`;
      const kept = this.rows.get(id)?.node;
      const arriving = partial && isOpenStatus(entry.status);
      if (kept instanceof StepNode) {
        kept.show(entry, arriving);
        return kept;
      }
      const node = new StepNode(id, this.owner, this.run, entry, (step) => this.stepEvents(step), arriving);
      this.rows.set(id, { node });
      return node;
    }
    const id = `${this.owner.id}/rp${entry.index}`;
    const label = resetPointLabel(entry);
    const kept = this.rows.get(id);
    if (kept !== undefined && kept.label === label) return kept.node;
    const node = this.makeEvent(id, this.owner, entry.index, { label });
    this.rows.set(id, { node, label });
    return node;
  }

  /** The row that shows `events[index]` in this view, its page shown: a reset point's row or a step's event. */
  rowForEvent(value: DescribedEvents, index: number): EventNode | undefined {
    const grouping = this.grouping(value);
    const owner = grouping.ownerOf(index);
    if (owner === undefined || owner.kind === 'workflowTask') return undefined;
    const size = this.pageSize();
    if (owner.entryIndex >= this.shown) this.shownCount = (Math.floor(owner.entryIndex / size) + 1) * size;
    if (owner.kind === 'resetPoint') return this.row(owner.entry) as EventNode;
    const step = this.row(owner.step) as StepNode;
    return this.stepEvents(step).find((e) => e.index === index);
  }

  /** Every event row made so far (under steps and as reset points), for whoever marks event rows. */
  *eventNodes(): Iterable<EventNode> {
    for (const { node } of this.rows.values()) if (!(node instanceof StepNode)) yield node;
    yield* this.eventRows.values();
  }

  forget(): void {
    this.rows.clear();
    this.eventRows.clear();
    this.grouped = undefined;
    this.groupedFrom = undefined;
    this.shownCount = 0;
  }

  private stepEvents(step: StepNode): EventNode[] {
    return step.step.eventIndexes.map((index) => {
      const id = `${step.id}/e${index}`;
      let node = this.eventRows.get(id);
      if (node === undefined) {
        node = this.makeEvent(id, step, index, { owner: this.owner });
        this.eventRows.set(id, node);
      }
      return node;
    });
  }
}
