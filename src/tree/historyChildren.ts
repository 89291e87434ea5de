import * as vscode from 'vscode';
import { EventNode, RunRef } from './eventNode';
import { actionFor, errorNode, LoadMoreNode, MessageNode, TreeNode } from './node';
import { RunHistory } from './runHistory';
import { TreeServices } from './services';

/**
 * The event rows of one run (one page more each time “Load more” is clicked), shared by the latest run
 * under an execution and by its earlier runs. Nodes are kept so that their identity (and any busy
 * state) survives refreshes.
 */
export class HistoryRows {
  private readonly nodes = new Map<number, EventNode>();

  constructor(
    private readonly owner: TreeNode,
    readonly history: RunHistory,
    readonly run: RunRef,
    private readonly services: TreeServices,
  ) {}

  async children(): Promise<TreeNode[]> {
    let value;
    try {
      value = await this.history.load();
    } catch (error) {
      return [
        errorNode(
          `${this.owner.id}/error`,
          this.owner,
          `Could not load the history: ${this.services.describeError(error)}`,
          actionFor(error, { command: 'mistralWorkflows.retryNode', title: 'Retry', arguments: [this.owner] }),
        ),
      ];
    }
    const shown = this.history.shown;
    const rows: TreeNode[] = [];
    for (let index = 0; index < shown; index++) rows.push(this.node(index));
    if (value.events.length === 0) {
      rows.push(new MessageNode(`${this.owner.id}/empty`, this.owner, 'No events in this run.', { icon: new vscode.ThemeIcon('info') }));
    } else if (shown < value.events.length) {
      const next = Math.min(this.services.eventsPageSize(), value.events.length - shown);
      rows.push(
        new LoadMoreNode(
          `${this.owner.id}/more`,
          this.owner,
          `Load ${next} more (${shown.toLocaleString('en')} of ${value.events.length.toLocaleString('en')} events)`,
          async () => {
            this.history.showMore();
            this.services.refresh(this.owner);
          },
        ),
      );
    }
    return rows;
  }

  /** The node of the event at `index`, shown (its page loaded) so that it can be revealed. */
  async nodeAt(index: number): Promise<EventNode | undefined> {
    const value = await this.history.load();
    if (index < 0 || index >= value.events.length) return undefined;
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
      const value = this.history.value;
      if (!value) throw new Error('History not loaded');
      node = new EventNode(
        `${this.owner.id}/e${index}`,
        this.owner,
        this.run,
        value.events[index],
        value.kinds[index],
        value.details[index],
        index,
      );
      this.nodes.set(index, node);
    }
    return node;
  }

  forget(): void {
    this.nodes.clear();
    this.history.forget();
  }
}
