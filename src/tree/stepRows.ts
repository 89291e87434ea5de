import { groupSteps, isStep, resetPointLabel } from '../api';
import type { StepGrouping, StepListEntry } from '../api';
import type { EventNode, EventRowOptions, RunRef } from './eventNode';
import { LoadMoreNode, TreeNode } from './node';
import type { DescribedEvents } from './runHistory';
import { StepNode } from './stepNode';

/** Makes the EventNode of `events[index]` (HistoryRows owns the event data). */
export type EventRowFactory = (id: string, parent: TreeNode, index: number, options?: EventRowOptions) => EventNode;

/**
 * The steps view of one run: its steps and the reset points between them, a page at a time. The
 * grouping is made once per loaded history (one pass); paging is a slice of it. Nodes are kept by
 * entry so that their identity (busy state, marks set on event rows) survives refreshes.
 */
export class StepRows {
  private groupedFrom: DescribedEvents | undefined;
  private grouped: StepGrouping | undefined;
  private shownCount = 0;
  private readonly rows = new Map<StepListEntry, StepNode | EventNode>();
  private readonly eventRows = new Map<string, EventNode>();

  constructor(
    private readonly owner: TreeNode,
    private readonly run: RunRef,
    private readonly pageSize: () => number,
    private readonly makeEvent: EventRowFactory,
    private readonly refresh: (node: TreeNode) => void,
  ) {}

  /** The grouping of `value`, made on first use and whenever the history was read again. */
  grouping(value: DescribedEvents): StepGrouping {
    if (this.groupedFrom !== value || this.grouped === undefined) {
      this.forget();
      this.grouped = groupSteps(value.events);
      this.groupedFrom = value;
      this.shownCount = this.pageSize();
    }
    return this.grouped;
  }

  get shown(): number {
    return Math.min(this.shownCount, this.grouped?.entries.length ?? 0);
  }

  /** The first pages of entries, then “Load more” while there are more. */
  children(value: DescribedEvents): TreeNode[] {
    const { entries, stepCount } = this.grouping(value);
    const shown = this.shown;
    const rows: TreeNode[] = entries.slice(0, shown).map((entry) => this.row(entry));
    if (shown < entries.length) {
      const next = Math.min(this.pageSize(), entries.length - shown);
      const label = `Load ${next} more (${shown.toLocaleString('en')} of ${entries.length.toLocaleString('en')} rows: ${stepCount.toLocaleString('en')} steps and their reset points)`;
      rows.push(new LoadMoreNode(`${this.owner.id}/steps-more`, this.owner, label, async () => {
        this.shownCount = this.shown + this.pageSize();
        this.refresh(this.owner);
      }));
    }
    return rows;
  }

  /** The row of an entry: a StepNode, or an EventNode named “Reset point after …” (so Reset to Here works on it). */
  row(entry: StepListEntry): StepNode | EventNode {
    let node = this.rows.get(entry);
    if (node === undefined) {
      node = isStep(entry)
        ? new StepNode(`${this.owner.id}/s${entry.eventIndexes[0]}`, this.owner, this.run, entry, (step) => this.stepEvents(step))
        : this.makeEvent(`${this.owner.id}/rp${entry.index}`, this.owner, entry.index, { label: resetPointLabel(entry) });
      this.rows.set(entry, node);
    }
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
    for (const node of this.rows.values()) if (!(node instanceof StepNode)) yield node;
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
