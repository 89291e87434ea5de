import * as vscode from 'vscode';
import { isResetPoint, isResetTarget } from '../api';
import type { EventKind } from '../api';
import type { WorkflowEvent } from '../api/types';
import { replayMarkOf, type CheckedRun, type ReplayMark } from '../replay';
import { eventContextValue, type ContextValue } from './contextValues';
import { BUSY_ICON, eventIcon, replayIcon } from './icons';
import { eventLabel, formatTime, keyAttributes } from './labels';
import { tooltip } from './markdown';
import { TreeNode } from './node';
import { COMMAND_IDS } from '../commands/ids';

/** Which run an event belongs to. Only events of the latest run can be reset points. */
export interface RunRef {
  executionId: string;
  runId: string | undefined;
  latest: boolean;
  /** The run's replay check, if one ran: its marks show on the reset points. */
  check?: () => CheckedRun | undefined;
  /** Event types beyond WORKFLOW_TASK_COMPLETED the backend accepts as reset points (Temporal's). */
  extraResetTargets?: () => readonly string[];
}

/** A row that shows an event under another name, or below a step rather than directly under its run. */
export interface EventRowOptions {
  /** Shown instead of `12 WORKFLOW_TASK_COMPLETED` (the steps view's “Reset point after …”). */
  label?: string;
  /** The run's node (ExecutionNode or RunNode) when `parent` is a step row; default: `parent`. */
  owner?: TreeNode;
}

export class EventNode extends TreeNode {
  /** A temporary description (e.g. “Resetting…”) shown with a spinner while an action runs. */
  busy: string | undefined;

  constructor(
    id: string,
    parent: TreeNode,
    readonly run: RunRef,
    readonly event: WorkflowEvent,
    readonly kind: EventKind,
    readonly detail: string | undefined,
    readonly index: number,
    private readonly options: EventRowOptions = {},
  ) {
    super(id, parent);
  }

  /** The node of the run this event belongs to, whatever row it sits under. */
  get owner(): TreeNode {
    return this.options.owner ?? this.parent ?? this;
  }

  get label(): string {
    return this.options.label ?? eventLabel(this.event);
  }

  get resettable(): boolean {
    return this.run.latest && (isResetPoint(this.event) || this.extraTarget);
  }

  /** A workflow-task event other than COMPLETED that this backend accepts as a reset point. */
  get extraTarget(): boolean {
    return this.run.latest && !isResetPoint(this.event) && isResetTarget(this.event, this.run.extraResetTargets?.() ?? []);
  }

  /** What the run's replay check says about this event, if it ran. */
  get replayMark(): ReplayMark | undefined {
    return replayMarkOf(this.run.check?.(), this.event);
  }

  /** `event +activity +latest +resettable +replaySafe`: matched by regex in the menus' `when` clauses. */
  get contextValue(): ContextValue {
    return eventContextValue({ kind: this.kind, latest: this.run.latest, resettable: this.resettable, replayMark: this.replayMark?.kind });
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    const mark = this.replayMark;
    const description = [this.detail, mark?.text, this.extraTarget ? 'Temporal reset target' : undefined].filter(Boolean).join(' · ');
    item.id = this.id;
    item.description = this.busy ?? description;
    item.iconPath = this.busy ? BUSY_ICON : mark ? replayIcon(mark.kind) : eventIcon(this.kind, this.event.type);
    item.contextValue = this.contextValue;
    item.command = { command: COMMAND_IDS.showEventDetails, title: 'Show Event Details', arguments: [this] };
    // Named by the event either way: `Event 16 WORKFLOW_TASK_COMPLETED …` finds the row in both views.
    const named = this.options.label === undefined ? '' : ` ${this.options.label}`;
    item.accessibilityInformation = { label: `Event ${eventLabel(this.event)}${named} ${description}`.trim() };
    return item;
  }

  override resolveTooltip(): vscode.MarkdownString {
    const rows: [string, string | undefined][] = [
      ['Time', formatTime(this.event.time)],
      ['Run', this.run.latest ? `${this.run.runId ?? '—'} (latest)` : this.run.runId],
      ['Detail', this.detail],
      ...keyAttributes(this.event.attributes),
    ];
    if (this.extraTarget) rows.push(['Reset point', 'Temporal also resets to this workflow-task event: the new run redoes that task. Right-click → Reset to Here…']);
    else if (this.resettable) rows.push(['Reset point', 'right-click → Reset to Here…']);
    const mark = this.replayMark;
    if (mark) rows.push(['Replay check', mark.text]);
    if (this.options.label !== undefined) rows.unshift(['Event', eventLabel(this.event)]);
    return tooltip(this.label, rows);
  }
}
