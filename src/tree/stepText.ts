// Text for the steps view and the Pending rows. Pure (no `vscode` import) so the wording is unit-tested.
import { STATUS_WORDS } from '../api/stepLabels';
import type { HistoryStep } from '../api/step';
import type { StepStatus } from '../api/stepRules';
import type { PendingActivity, PendingChild, PendingNexusOperation, PendingTimer, PendingUpdate, PendingSignal, PendingWork } from '../api/pending';
import { oneLine } from '../common/text';
import { formatDuration, formatTime, relativeTime } from './labels';

const FAILED_STATUSES: ReadonlySet<StepStatus> = new Set(['failed', 'timedOut', 'rejected', 'terminated']);

/** The statuses a step row marks `+failed` (menus and the error colour). */
export function isFailedStatus(status: StepStatus): boolean {
  return FAILED_STATUSES.has(status);
}

/** After the description of a step still open while the rest of the history arrives: its end may be in it. */
export const ARRIVING = 'more of the history arriving…';

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

function count(n: number, one: string, many: string): string | undefined {
  return n === 0 ? undefined : `${n} ${n === 1 ? one : many}`;
}

/** `Pending: 2 activities, 1 timer, 1 child workflow`; when empty, whether a workflow task or the workflow itself is waiting. */
export function pendingSummary(work: PendingWork): string {
  const parts = [
    count(work.activities.length, 'activity', 'activities'),
    count(work.timers.length, 'timer', 'timers'),
    count(work.children.length, 'child workflow', 'child workflows'),
    count(work.updates.length, 'update', 'updates'),
    count(work.signals.length, 'signal sent', 'signals sent'),
    count(work.nexusOperations.length, 'Nexus operation', 'Nexus operations'),
  ].filter((p): p is string => p !== undefined);
  if (work.closed) return 'Pending: nothing (the run is closed)';
  if (parts.length > 0) return `Pending: ${parts.join(', ')}`;
  return work.workflowTask ? 'Pending: a workflow task (the worker has yet to run it)' : 'Pending: nothing scheduled (the workflow waits for a signal, an update or a condition)';
}

export interface PendingLine {
  label: string;
  description: string;
  kind: 'activity' | 'timer' | 'child' | 'update' | 'signal' | 'nexus';
}

const since = (date: Date | undefined, now: number): string | undefined => (date === undefined ? undefined : `since ${relativeTime(date, now)}`);
const join = (parts: (string | undefined)[]): string => parts.filter((p): p is string => p !== undefined && p !== '').join(' · ');

function activityLine(a: PendingActivity, now: number): PendingLine {
  const state = a.state === 'cancelRequested' ? 'cancel requested' : a.state;
  return {
    kind: 'activity',
    label: `activity ${a.name ?? a.activityId ?? '?'}`,
    description: join([
      state,
      a.attempt === undefined ? undefined : `attempt ${a.attempt}`,
      since(a.since, now),
      a.lastFailure === undefined ? undefined : `last failure: ${oneLine(a.lastFailure, 100)}`,
    ]),
  };
}

function timerLine(t: PendingTimer, now: number): PendingLine {
  const fires = t.fireTime === undefined ? 'fire time unknown' : `fires ${relativeTime(t.fireTime, now)} (${formatTime(t.fireTime)})`;
  return { kind: 'timer', label: `timer ${t.timerId ?? '?'}`, description: join([fires, since(t.since, now)]) };
}

function childLine(c: PendingChild, now: number): PendingLine {
  return {
    kind: 'child',
    label: `child workflow ${c.workflowType ?? c.workflowId ?? '?'}`,
    description: join([c.state, c.workflowId, since(c.since, now)]),
  };
}

function updateLine(u: PendingUpdate, now: number): PendingLine {
  return { kind: 'update', label: `update ${u.name ?? '?'}`, description: join(['accepted, not completed', since(u.since, now)]) };
}

function signalLine(s: PendingSignal, now: number): PendingLine {
  return { kind: 'signal', label: `signal ${s.signalName ?? '?'}`, description: join([`sent to ${s.workflowId ?? '?'}, not acknowledged`, since(s.since, now)]) };
}

function nexusLine(n: PendingNexusOperation, now: number): PendingLine {
  const state = n.state === 'cancelRequested' ? 'cancel requested' : n.state;
  return { kind: 'nexus', label: `Nexus operation ${n.step.name ?? '?'}`, description: join([state, since(n.since, now)]) };
}

/** One line per pending item, activities first (what a stuck workflow most often waits on). */
export function pendingLines(work: PendingWork, now: number = Date.now()): PendingLine[] {
  return [
    ...work.activities.map((a) => activityLine(a, now)),
    ...work.timers.map((t) => timerLine(t, now)),
    ...work.children.map((c) => childLine(c, now)),
    ...work.updates.map((u) => updateLine(u, now)),
    ...work.signals.map((s) => signalLine(s, now)),
    ...work.nexusOperations.map((n) => nexusLine(n, now)),
  ];
}
