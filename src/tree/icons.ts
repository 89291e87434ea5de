import * as vscode from 'vscode';
import type { EventKind } from '../api';
import type { ExecutionStatus } from '../api/types';
import type { StepStatus } from '../api/stepRules';
import type { ReplayMarkKind } from '../replay';

const STATUS_ICONS: Record<string, [icon: string, color: string]> = {
  RUNNING: ['sync', 'charts.blue'],
  COMPLETED: ['pass', 'testing.iconPassed'],
  FAILED: ['error', 'testing.iconFailed'],
  CANCELED: ['circle-slash', 'disabledForeground'],
  TERMINATED: ['debug-stop', 'charts.orange'],
  CONTINUED_AS_NEW: ['arrow-circle-right', 'charts.purple'],
  TIMED_OUT: ['watch', 'charts.orange'],
  RETRYING_AFTER_ERROR: ['debug-restart', 'charts.yellow'],
};

export function statusIcon(status: ExecutionStatus): vscode.ThemeIcon {
  const known = status ? STATUS_ICONS[status] : undefined;
  if (!known) return new vscode.ThemeIcon('question', new vscode.ThemeColor('disabledForeground'));
  return new vscode.ThemeIcon(known[0], new vscode.ThemeColor(known[1]));
}

const KIND_ICONS: Record<EventKind, string> = {
  workflow: 'symbol-class',
  workflowTask: 'gear',
  activity: 'symbol-method',
  timer: 'clock',
  signal: 'bell',
  update: 'edit',
  child: 'type-hierarchy-sub',
  nexus: 'plug',
  marker: 'bookmark',
  customTask: 'tasklist',
  other: 'circle-small',
};

/** An icon per kind of event; failures in the error colour so they stand out in a long history. */
export function eventIcon(kind: EventKind, type: string): vscode.ThemeIcon {
  if (/FAILED|TIMED_OUT|TERMINATED/.test(type)) {
    return new vscode.ThemeIcon(KIND_ICONS[kind], new vscode.ThemeColor('testing.iconFailed'));
  }
  if (type === 'WORKFLOW_TASK_COMPLETED') {
    return new vscode.ThemeIcon('debug-stackframe-dot', new vscode.ThemeColor('charts.green'));
  }
  return new vscode.ThemeIcon(KIND_ICONS[kind]);
}

export const BUSY_ICON = new vscode.ThemeIcon('loading~spin');

/** A running execution that is stuck: its row, and Group by Problem's groups with stuck members. */
export const STUCK_ICON = new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('testing.iconFailed'));

const REPLAY_ICONS: Record<ReplayMarkKind, [icon: string, color: string]> = {
  safe: ['pass-filled', 'testing.iconPassed'],
  failsAgain: ['circle-slash', 'testing.iconFailed'],
  divergesHere: ['warning', 'list.warningForeground'],
};

/** What a replay check says about an event: safe to reset to, the new run would fail again, diverges here. */
export function replayIcon(kind: ReplayMarkKind): vscode.ThemeIcon {
  const [icon, color] = REPLAY_ICONS[kind];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}

const STEP_ICONS: Record<StepStatus, [icon: string, color: string]> = {
  scheduled: ['clock', 'charts.blue'],
  running: ['sync', 'charts.blue'],
  cancelRequested: ['circle-slash', 'charts.orange'],
  completed: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  timedOut: ['watch', 'testing.iconFailed'],
  canceled: ['circle-slash', 'disabledForeground'],
  terminated: ['debug-stop', 'testing.iconFailed'],
  continuedAsNew: ['arrow-circle-right', 'charts.purple'],
  rejected: ['close', 'testing.iconFailed'],
};

/** A step's status in the steps view, coloured like the execution statuses above. */
export function stepIcon(status: StepStatus): vscode.ThemeIcon {
  const [icon, color] = STEP_ICONS[status];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}
