/**
 * A replay check that ran, and what it says about each event and reset point of the run it checked:
 * the marks the tree shows, the sentence the reset confirmation shows. Pure.
 */
import { isResetPoint, type WorkflowEvent } from '../api';
import { BoundedMap } from '../common/boundedMap';
import { oneLine } from '../common/text';
import type { PickedInterpreter } from './interpreter';
import type { ReplayResult, ReplayVerdict } from './result';

export interface CheckedRun {
  executionId: string;
  /** The run whose history was checked; marks apply to it only. */
  runId: string | undefined;
  workflowName: string;
  result: ReplayResult;
  interpreter: PickedInterpreter;
  /** The folders whose Python files were loaded. */
  dirs: readonly string[];
  checkedAt: Date;
  /** The history the check read (oldest first). */
  events: readonly WorkflowEvent[];
}

/** safe: a reset here replays; failsAgain: the new run would fail again; divergesHere: the event the code disagrees with. */
export type ReplayMarkKind = 'safe' | 'failsAgain' | 'divergesHere';

export interface ReplayMark {
  kind: ReplayMarkKind;
  /** Short, for the row's description. */
  text: string;
}

export function verdictOf(check: CheckedRun | undefined): ReplayVerdict | undefined {
  return check === undefined || check.result.outcome === 'failed' ? undefined : check.result;
}

/** The mark for one event of the checked run, or undefined (not a reset point, or no verdict). */
export function replayMarkOf(check: CheckedRun | undefined, event: WorkflowEvent): ReplayMark | undefined {
  const verdict = verdictOf(check);
  if (verdict === undefined || event.eventId === undefined) return undefined;
  if (verdict.outcome === 'diverges' && event.eventId === verdict.eventId) return { kind: 'divergesHere', text: 'your code diverges here' };
  if (!isResetPoint(event)) return undefined;
  if (verdict.outcome === 'clean' || event.eventId < verdict.eventId) return { kind: 'safe', text: 'replays with your code' };
  return { kind: 'failsAgain', text: 'the new run would fail again' };
}

/** One line for the execution row: `replays cleanly`, `diverges at event 12`, `check failed`. */
export function checkSummary(check: CheckedRun): string {
  switch (check.result.outcome) {
    case 'clean':
      return 'replays cleanly';
    case 'diverges':
      return `diverges at event ${check.result.eventId}`;
    case 'failed':
      return 'replay check failed';
  }
}

/**
 * What the reset confirmation says about resetting to `point` with the current code. A reset to P
 * keeps events 1..P-1: the new run replays those with the code, then goes on.
 */
export function verdictForPoint(check: CheckedRun, point: WorkflowEvent): { warning: boolean; text: string } {
  const kept = Math.max(0, (point.eventId ?? 1) - 1);
  const keptText = `the kept ${kept.toLocaleString('en')} event${kept === 1 ? '' : 's'}`;
  const result = check.result;
  if (result.outcome === 'failed') return { warning: true, text: `The replay check could not run: ${result.message}` };
  if (result.outcome === 'clean') return { warning: false, text: `Replay check: your current code replays ${keptText} cleanly (the whole history replays).` };
  if ((point.eventId ?? Infinity) < result.eventId) {
    return { warning: false, text: `Replay check: your current code replays ${keptText} cleanly; it diverges later, at event ${result.eventId}, which the new run decides anew.` };
  }
  return {
    warning: true,
    text: `Warning: your code diverges at event ${result.eventId}, before this point: the new run would fail again. (${oneLine(result.message, 240)})`,
  };
}

/** Checks kept: each holds the history it read, up to 51,200 events. */
export const MAX_CHECKS = 20;
/** Events kept across all checks (four of the longest histories): the latest check is kept whatever its size. */
export const MAX_CHECKED_EVENTS = 200_000;

/**
 * The latest check of each execution; a check of an older run says nothing about the new one. Only the
 * most recently used checks are kept (set, or read by the tree's rows and the reset flow): beyond
 * MAX_CHECKS or MAX_CHECKED_EVENTS the oldest is let go, and its execution shows no marks until checked again.
 */
export class CheckedRuns {
  private readonly byExecution = new BoundedMap<string, CheckedRun>({ maxEntries: MAX_CHECKS, maxWeight: MAX_CHECKED_EVENTS, weigh: (c) => c.events.length });

  get(executionId: string, runId: string | undefined): CheckedRun | undefined {
    const check = this.byExecution.get(executionId);
    return check !== undefined && check.runId === runId ? check : undefined;
  }

  set(check: CheckedRun): void {
    this.byExecution.set(check.executionId, check);
  }

  forget(executionId: string): void {
    this.byExecution.delete(executionId);
  }
}
