import * as vscode from 'vscode';
import { EventNode, EventRowOptions, RunRef } from './eventNode';
import { FindRows, FoundEvents } from './findRows';
import { moreLabel } from './labels';
import { actionFor, errorNode, LoadMoreNode, MessageNode, TreeNode } from './node';
import { ArrivedEvents, DescribedEvents, RunHistory } from './runHistory';
import { TreeServices } from './services';
import { StepRows } from './stepRows';
import { COMMAND_IDS } from '../commands/ids';

/**
 * The rows of one run, shared by the latest run under an execution and by its earlier runs: its events
 * (one page more each time “Load more” is clicked), or its steps (stepRows.ts) in the steps view, or
 * only what a search found (findRows.ts). Nodes are kept so that their identity (and any busy state)
 * survives refreshes.
 */
export class HistoryRows {
  private readonly nodes = new Map<number, EventNode>();
  readonly steps: StepRows;
  private readonly find: FindRows;
  /** The load whose end refreshes the rows (see refreshWhenComplete). */
  private watched: Promise<unknown> | undefined;

  constructor(
    private readonly owner: TreeNode,
    readonly history: RunHistory,
    readonly run: RunRef,
    private readonly services: TreeServices,
  ) {
    const pageSize = (): number => services.eventsPageSize();
    const refresh = (node: TreeNode): void => services.refresh(node);
    this.steps = new StepRows(owner, run, pageSize, (id, parent, index, options) => this.makeNode(id, parent, index, options), refresh);
    this.find = new FindRows(owner, pageSize, refresh);
  }

  get stepsShown(): boolean {
    return this.services.historyMode() === 'steps';
  }

  /** The active search, if any (the owner's row shows `+searching` and offers Clear Find). */
  get found(): FoundEvents | undefined {
    const found = this.find.active;
    return found !== undefined && found.from === this.history.value ? found : undefined;
  }

  setFound(found: FoundEvents | undefined): void {
    this.find.set(found);
  }

  async children(): Promise<TreeNode[]> {
    let value: DescribedEvents | ArrivedEvents;
    try {
      // Events, and steps: the first page while the rest of a long history streams in (steps read it
      // all, see StepRows.arrived). Search results are of the whole history, so they wait for it.
      // The loaded history itself (not a copy): the steps view keeps its grouping and paging per history.
      if (this.find.active !== undefined) value = await this.history.load();
      else value = this.stepsShown ? await this.steps.arrived(this.history) : await this.history.arrived();
    } catch (error) {
      return [
        errorNode(
          `${this.owner.id}/error`,
          this.owner,
          `Could not load the history: ${this.services.describeError(error)}`,
          actionFor(error, { command: COMMAND_IDS.retryNode, title: 'Retry', arguments: [this.owner] }),
        ),
      ];
    }
    if (this.found !== undefined) {
      return this.find.children(value, this.stepsShown ? this.steps.grouping(value) : undefined, {
        eventRow: (index) => this.node(index),
        stepRow: (entry) => this.steps.row(entry),
      });
    }
    if (value.events.length > 0 && this.stepsShown) {
      const partial = 'complete' in value && !value.complete;
      if (partial) this.refreshWhenComplete();
      return this.steps.children(value, partial);
    }
    return this.eventChildren(value);
  }

  private eventChildren(value: DescribedEvents | ArrivedEvents): TreeNode[] {
    const complete = !('complete' in value) || value.complete;
    const paused = 'paused' in value && value.paused;
    const shown = this.history.shown;
    const rows: TreeNode[] = [];
    for (let index = 0; index < shown; index++) rows.push(this.node(index));
    if (!complete) this.refreshWhenComplete();
    if (value.events.length === 0) {
      rows.push(new MessageNode(`${this.owner.id}/empty`, this.owner, 'No events in this run.', { icon: new vscode.ThemeIcon('info') }));
    } else if (shown < value.events.length || !complete) {
      rows.push(
        new LoadMoreNode(
          `${this.owner.id}/more`,
          this.owner,
          moreLabel(shown, value.events.length, complete ? 'complete' : paused ? 'paused' : 'arriving', this.services.eventsPageSize()),
          async () => {
            this.history.showMore();
            this.services.refresh(this.owner);
          },
        ),
      );
    }
    return rows;
  }

  /**
   * The row of the event at `index` in the view shown (its page loaded) so that it can be revealed: the
   * event's own row, or in the steps view its reset point's row or its row under its step.
   */
  async nodeAt(index: number): Promise<EventNode | undefined> {
    const value = await this.history.load();
    if (index < 0 || index >= value.events.length) return undefined;
    if (this.stepsShown && this.found === undefined) return this.steps.rowForEvent(value, index);
    this.history.showThrough(index);
    return this.node(index);
  }

  /** The node shown for `eventId`, if that event is loaded. */
  async nodeFor(eventId: number): Promise<EventNode | undefined> {
    const value = await this.history.load();
    return this.nodeAt(value.events.findIndex((e) => e.eventId === eventId));
  }

  private node(index: number): EventNode {
    let node = this.nodes.get(index);
    if (!node) {
      node = this.makeNode(`${this.owner.id}/e${index}`, this.owner, index);
      this.nodes.set(index, node);
    }
    return node;
  }

  private makeNode(id: string, parent: TreeNode, index: number, options?: EventRowOptions): EventNode {
    // What has arrived so far: the first page shows while the rest of the body streams in.
    const value = this.history.current;
    if (!value) throw new Error('History not loaded');
    return new EventNode(id, parent, this.run, value.events[index], value.kinds[index], value.details[index], index, options);
  }

  /** Every event row made so far, in both views (the steps view's reset points and steps' events too). */
  *eventNodes(): Iterable<EventNode> {
    yield* this.nodes.values();
    yield* this.steps.eventNodes();
  }

  /**
   * Once the rest of the history is in, the “Load more” row learns the total; if it fails instead, the
   * refresh shows the error and Retry. Once per load, however often the rows are asked for meanwhile.
   */
  private refreshWhenComplete(): void {
    // Watched, not asked for: a paused source (a server's next page) stays paused until Load more; its
    // pause is what the rows then show.
    const whole = this.history.settling;
    if (whole === undefined || whole === this.watched) return;
    this.watched = whole;
    const refresh = (): void => {
      if (this.watched === whole) this.services.refresh(this.owner);
    };
    whole.then(refresh, refresh);
  }

  forget(): void {
    this.watched = undefined;
    this.nodes.clear();
    this.steps.forget();
    this.find.set(undefined);
    this.history.forget();
  }
}
