// The words of the reset flow. Pure (no `vscode` import): what the user is told before a destructive
// action is unit-tested.
import type { ResetImpact } from '../api';
import { attr } from '../api';
import type { WorkflowEvent } from '../api/types';
import { oneLine } from '../common/text';
import type { WorkspaceConfig } from '../config/workspaceList';
import { formatTime } from '../tree/labels';

const MAX_REASON_LENGTH = 1024;

export interface ResetChoices {
  reason: string;
  excludeSignals: boolean;
  excludeUpdates: boolean;
  /** One per confirmation: the user's Retry of the same choices sends the same id. */
  requestId?: string;
}

/** The inline message for a reason being typed, or undefined when it is acceptable. */
export function validateReason(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed.length === 0) return 'A reason is required: it is recorded in the execution’s history for auditing.';
  if (trimmed.length > MAX_REASON_LENGTH) {
    return `The reason is ${trimmed.length} characters long; the limit is ${MAX_REASON_LENGTH}.`;
  }
  return undefined;
}

/** What a reset's prompts say of the workspace it goes to. */
export type ResetWorkspace = Pick<WorkspaceConfig, 'name' | 'kind' | 'baseUrl' | 'production' | 'namespace'>;

export function confirmationMessage(workflowName: string, point: WorkflowEvent, workspace: ResetWorkspace): string {
  return `Reset “${workflowName}” to event ${point.idText}? The current run in the workspace “${workspace.name}” will be terminated and everything after this point is lost.`;
}

/** The workspace a reset goes to, as the confirmation names it: kind, name, where, and whether it is production. */
export function workspaceLine(workspace: ResetWorkspace): string {
  const kind = workspace.kind === 'temporal' ? `Temporal cluster, namespace ${workspace.namespace ?? 'default'}` : 'Mistral';
  return `Workspace: “${workspace.name}” (${kind}, ${workspace.baseUrl})${workspace.production ? ' — PRODUCTION' : ''}`;
}

/**
 * Why a reset stopped without sending: the connection it was started on is no longer the active one.
 * `what` names what was not sent (“the reset of exec-1”, “the batch reset”).
 */
export function workspaceChangedMessage(started: ResetWorkspace, active: ResetWorkspace, what: string): string {
  if (active.name !== started.name) {
    return `The active workspace changed from “${started.name}” to “${active.name}” before ${what} was sent. Nothing was sent: a reset goes only to the workspace it was started in. Switch back to “${started.name}” to reset there.`;
  }
  return `The connection to the workspace “${started.name}” changed (its base URL, API key or settings) before ${what} was sent. Nothing was sent: start the reset again.`;
}

/** The confirmation's detail: where, what is kept, what is discarded, what runs again. */
export function confirmationDetail(
  execution: { executionId: string; workflowName: string; runId?: string },
  impact: ResetImpact,
  choices: ResetChoices,
  workspace: ResetWorkspace,
): string {
  const lines = [
    workspaceLine(workspace),
    `Execution: ${execution.workflowName} (${execution.executionId})`,
    `Reset point: event ${impact.point.idText} ${impact.point.type}, ${formatTime(impact.point.time)}`,
    `The current run${execution.runId ? ` ${execution.runId}` : ''} will be terminated. A new run starts from this point and replays with the latest deployed code.`,
    '',
    `Discarded: ${plural(impact.discardedEventCount, 'event')} after event ${impact.point.idText}.`,
    `Activities that will run again: ${activityList(impact)}`,
    `Signals after this point: ${namedList(impact.signalsAfter, 'signal_name')}${fate(impact.signalsAfter.length, choices.excludeSignals)}`,
    `Updates after this point: ${namedList(impact.updatesAfter, 'accepted_request.input.name')}${fate(impact.updatesAfter.length, choices.excludeUpdates)}`,
    '',
    `Reason: ${oneLine(choices.reason, 300)}`,
  ];
  return lines.join('\n');
}

export function optionLabels(impact: ResetImpact): { signals: string; updates: string } {
  return {
    signals: `Exclude signals received after this point (${impact.signalsAfter.length})`,
    updates: `Exclude updates received after this point (${impact.updatesAfter.length})`,
  };
}

function activityList(impact: ResetImpact): string {
  if (impact.activitiesToRerun.length === 0) return 'none';
  const shown = impact.activitiesToRerun.slice(0, 8).map((a) => (a.count > 1 ? `${a.name} (×${a.count})` : a.name));
  const more = impact.activitiesToRerun.length - shown.length;
  return shown.join(', ') + (more > 0 ? `, and ${more} more` : '');
}

function namedList(events: WorkflowEvent[], namePath: string): string {
  if (events.length === 0) return 'none';
  const names = [...new Set(events.map((e) => String(attr(e, namePath) ?? e.type)))].slice(0, 5);
  return `${events.length} (${names.join(', ')}${names.length < new Set(events.map((e) => attr(e, namePath))).size ? ', …' : ''})`;
}

function fate(count: number, excluded: boolean): string {
  if (count === 0) return '';
  return excluded ? ' — will be EXCLUDED (not re-applied)' : ' — will be re-applied';
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}
