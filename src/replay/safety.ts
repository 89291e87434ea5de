/**
 * Which reset points a replay verdict makes safe. Pure, over normalised events.
 *
 * A reset to point P keeps events 1..P-1 and runs the current code from there: the code replays the
 * kept events, then decides anew. So P is safe when the code replays cleanly, or when P comes before
 * the first event the code disagrees with; at or after that event the new run fails again.
 */
import { eventKind, isResetPoint, resetPointBefore, type EventKind, type WorkflowEvent } from '../api';
import type { ReplayVerdict } from './result';

type PointSafety = 'safe' | 'failsAgain';

interface ResetPointSafety {
  point: WorkflowEvent;
  safety: PointSafety;
}

interface SafePoint {
  point: WorkflowEvent;
  /** Why this one, in a sentence for the user. */
  why: string;
}

export function safetyOfResetPoints(events: readonly WorkflowEvent[], verdict: ReplayVerdict): ResetPointSafety[] {
  return events.filter(isResetPoint).map((point) => ({ point, safety: isSafe(point, verdict) ? 'safe' : 'failsAgain' }));
}

function isSafe(point: WorkflowEvent, verdict: ReplayVerdict): boolean {
  return verdict.outcome === 'clean' || (point.eventId ?? Infinity) < verdict.eventId;
}

/**
 * The point "Reset to Last Safe Point" takes: the latest safe one that also puts the run's first
 * failed step (an activity or child workflow that failed or timed out) back in front of the workflow.
 * A later point would keep that failure, and the new run would fail on it again, even with the code
 * fixed. Undefined when no point qualifies.
 */
export function lastSafePoint(events: readonly WorkflowEvent[], verdict: ReplayVerdict): SafePoint | undefined {
  const failed = firstFailedStep(events);
  const limit = failed === undefined ? undefined : resetPointBefore(events, failed)?.point.eventId ?? 0;
  const points = safetyOfResetPoints(events, verdict).filter((p) => p.safety === 'safe' && (limit === undefined || (p.point.eventId ?? Infinity) <= limit));
  const last = points.at(-1)?.point;
  if (last === undefined) return undefined;
  const why = [
    verdict.outcome === 'clean' ? 'your code replays the whole history cleanly' : `your code diverges at event ${verdict.eventId}, after it`,
    failed === undefined ? undefined : `it comes before the failed step at event ${events[failed].idText}`,
  ].filter((s) => s !== undefined);
  return { point: last, why: `Event ${last.idText} is the latest safe reset point: ${why.join('; ')}.` };
}

const FAILING_KINDS: readonly EventKind[] = ['activity', 'child'];

/** The index of the first activity or child-workflow failure or timeout, else undefined. */
function firstFailedStep(events: readonly WorkflowEvent[]): number | undefined {
  const i = events.findIndex((e) => FAILING_KINDS.includes(eventKind(e.type)) && /_(FAILED|TIMED_OUT)$/.test(e.type));
  return i < 0 ? undefined : i;
}
