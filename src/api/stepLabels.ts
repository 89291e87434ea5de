/** Words for steps, as the steps view and its search results show them. */
import { shortText } from './describe';
import { HistoryStep, ResetPointEntry } from './step';
import { StepKind, StepStatus } from './stepRules';

const KIND_WORDS: Record<StepKind, string> = {
  workflowStarted: 'workflow started',
  workflowClosed: 'workflow',
  activity: 'activity',
  localActivity: 'local activity',
  marker: 'marker',
  timer: 'timer',
  child: 'child workflow',
  update: 'update',
  signal: 'signal',
  signalExternal: 'signal sent',
  cancelRequest: 'cancel requested',
  cancelExternal: 'cancel sent',
  searchAttributes: 'search attributes',
  nexus: 'Nexus operation',
  customTask: 'custom task',
  reset: 'reset',
  other: 'event',
};

export const STATUS_WORDS: Record<StepStatus, string> = {
  scheduled: 'scheduled',
  running: 'running',
  cancelRequested: 'cancel requested',
  completed: 'completed',
  failed: 'failed',
  timedOut: 'timed out',
  canceled: 'canceled',
  terminated: 'terminated',
  continuedAsNew: 'continued as new',
  rejected: 'rejected',
};

/** `activity charge_card`, `timer 2`, `workflow failed`, `reset`, `workflow properties modified` (an unknown event). */
export function stepLabel(step: HistoryStep): string {
  if (step.kind === 'workflowClosed') return step.status === 'continuedAsNew' ? 'continued as new' : `workflow ${STATUS_WORDS[step.status]}`;
  const name = shortText(step.name);
  if (step.kind === 'other') return name ?? KIND_WORDS.other;
  return name === undefined ? KIND_WORDS[step.kind] : `${KIND_WORDS[step.kind]} ${name}`;
}

/** `Reset point after activity charge_card`; `Reset point` when no step comes before it. */
export function resetPointLabel(entry: ResetPointEntry): string {
  return entry.afterStep === undefined ? 'Reset point' : `Reset point after ${stepLabel(entry.afterStep)}`;
}
