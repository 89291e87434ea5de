// Text for the steps view. Pure (no `vscode` import) so the wording is unit-tested.
import { STATUS_WORDS } from '../api/stepLabels';
import type { HistoryStep } from '../api/step';
import type { StepStatus } from '../api/stepRules';
import { formatDuration, formatTime, oneLine } from './labels';

const FAILED_STATUSES: ReadonlySet<StepStatus> = new Set(['failed', 'timedOut', 'rejected', 'terminated']);

/** The statuses a step row marks `+failed` (menus and the error colour). */
export function isFailedStatus(status: StepStatus): boolean {
  return FAILED_STATUSES.has(status);
}

/** `failed · 1.2 s · attempt 5 · KeyError: 'shipping_address'`: what a step row shows after its name. */
export function stepDescription(step: HistoryStep): string {
  const parts: string[] = [STATUS_WORDS[step.status]];
  if (step.durationMs !== undefined) parts.push(formatDuration(step.durationMs));
  if (step.attempts !== undefined && step.attempts > 1) parts.push(`attempt ${step.attempts}`);
  const why = step.failure ?? step.reason;
  if (why !== undefined) parts.push(oneLine(why, 100));
  return parts.filter(Boolean).join(' · ');
}

/** The step row's tooltip lines (label, value); the failure whole, not cut to one line. */
export function stepTooltipRows(step: HistoryStep): [string, string | undefined][] {
  return [
    ['Status', STATUS_WORDS[step.status]],
    ['Events', step.firstEventId === step.lastEventId ? `${step.firstEventId ?? '—'}` : `${step.firstEventId ?? '—'}–${step.lastEventId ?? '—'} (${step.eventIndexes.length})`],
    ['Started', step.startTime ? formatTime(step.startTime) : undefined],
    ['Ended', step.endTime ? formatTime(step.endTime) : undefined],
    ['Duration', step.durationMs === undefined ? undefined : formatDuration(step.durationMs)],
    ['Attempts', step.attempts === undefined ? undefined : String(step.attempts)],
    ['Failure', step.failure],
    ['Reason', step.reason],
  ];
}
