import * as vscode from 'vscode';
import { matchSummary, stepsMatching } from '../api';
import type { EventMatches, StepGrouping } from '../api';
import { FIXED_CONTEXT_VALUES } from './contextValues';
import { oneLine } from '../common/text';
import type { EventNode } from './eventNode';
import { LoadMoreNode, MessageNode, TreeNode } from './node';
import type { DescribedEvents } from './runHistory';
import type { StepNode } from './stepNode';

/** A finished Find in History on one run: what was typed and which events matched. */
export interface FoundEvents {
  input: string;
  matches: EventMatches;
  /** The history searched: a search of an older read of the history is dropped, not shown. */
  from: DescribedEvents;
}

interface FindRowSources {
  eventRow(index: number): EventNode;
  stepRow(entry: StepGrouping['entries'][number]): StepNode | EventNode;
}

/**
 * A run's children while a search is active: a summary row (“37 of 51,200 events match “text””, with
 * Clear Find inline), then only the matching events, or the matching steps in the steps view, a page
 * at a time. The rows are the same nodes the full history shows, so their reset actions are unchanged.
 */
export class FindRows {
  private found: FoundEvents | undefined;
  private shownCount = 0;

  constructor(
    private readonly owner: TreeNode,
    private readonly pageSize: () => number,
    private readonly refresh: (node: TreeNode) => void,
  ) {}

  get active(): FoundEvents | undefined {
    return this.found;
  }

  set(found: FoundEvents | undefined): void {
    this.found = found;
    this.shownCount = this.pageSize();
  }

  children(value: DescribedEvents, grouping: StepGrouping | undefined, sources: FindRowSources): TreeNode[] {
    const found = this.found;
    if (found === undefined) return [];
    const quoted = `“${oneLine(found.input, 60)}”`;
    const total = value.events.length;
    const indexes = found.matches.indexes;
    let summary = `${matchSummary(indexes.length, total, 'event')} ${quoted}`;
    let rows: TreeNode[];
    let count: number;
    const shown = (n: number): number => Math.min(n, this.shownCount);
    if (grouping === undefined) {
      count = indexes.length;
      rows = indexes.slice(0, shown(count)).map((i) => sources.eventRow(i));
    } else {
      const steps = stepsMatching(grouping, found.matches);
      const inTasks = steps.inWorkflowTasks > 0 ? `; ${steps.inWorkflowTasks} in folded workflow tasks` : '';
      summary = `${matchSummary(steps.stepCount, grouping.stepCount, 'step')} ${quoted} (${indexes.length.toLocaleString('en')} events${inTasks})`;
      count = steps.entries.length;
      rows = steps.entries.slice(0, shown(count)).map((entry) => sources.stepRow(entry));
    }
    const head = new MessageNode(`${this.owner.id}/find`, this.owner, summary, {
      icon: new vscode.ThemeIcon('search'),
      tooltip: `${summary}\n\nClear Find (the × on this row) shows the full history again.`,
      contextValue: FIXED_CONTEXT_VALUES.findSummary,
    });
    const out: TreeNode[] = [head, ...rows];
    if (count === 0) {
      out.push(new MessageNode(`${this.owner.id}/find-none`, this.owner, 'Nothing matches. Clear Find shows the full history.', { icon: new vscode.ThemeIcon('info') }));
    } else if (rows.length < count) {
      const next = Math.min(this.pageSize(), count - rows.length);
      out.push(new LoadMoreNode(`${this.owner.id}/find-more`, this.owner, `Load ${next} more (${rows.length.toLocaleString('en')} of ${count.toLocaleString('en')} matches)`, async () => {
        this.shownCount = rows.length + this.pageSize();
        this.refresh(this.owner);
      }));
    }
    return out;
  }
}
