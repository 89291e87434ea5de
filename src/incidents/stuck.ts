/**
 * A RUNNING execution that is not getting anywhere, seen for what it is: its workflow task fails again
 * and again (a bug in the workflow code, a non-deterministic change deployed under running runs), or an
 * activity has been retrying for many attempts. Such a run looks healthy in a list of statuses.
 */
import { pendingWork, shortText, type PendingAttempts, type PendingWork, type WorkflowEvent } from '../api';
import { failingWorkflowTask, workflowTaskCause, workflowTaskMessage } from './workflowTask';

export interface WorkflowTaskStuck {
  kind: 'workflowTask';
  /** The first failure of the current streak: since when the run has made no progress. */
  since: Date | undefined;
  /** The pending workflow task's attempt, from describe; the history never counts them. */
  attempt: number | undefined;
  /** The task-failed cause without its prefix (`NON_DETERMINISTIC_ERROR`); undefined for a time-out. */
  cause: string | undefined;
  /** The latest failure's message, whole. */
  message: string | undefined;
  /** The workflow code no longer replays its own history: a reset (or a versioned fix) is the way out. */
  nonDeterministic: boolean;
  /** The task timed out rather than failed (the worker never answered). */
  timedOut: boolean;
}

interface ActivityRetrying {
  kind: 'activityRetrying';
  /** The activity type. */
  name: string | undefined;
  activityId: string | undefined;
  attempt: number;
  lastFailure: string | undefined;
  /** When the activity was scheduled, when the history shows it. */
  since: Date | undefined;
}

export type Stuck = WorkflowTaskStuck | ActivityRetrying;

export interface StuckOptions {
  /** An open activity at this attempt or later is retrying (default 5). */
  retryingAttempts?: number;
}

const DEFAULT_RETRYING_ATTEMPTS = 5;
/** Temporal's own marks of non-determinism: the Core SDKs' code and the Go and Java SDKs' wording. */
const NONDETERMINISM = /\[TMPRL1100\]|non-?determinis/i;

/**
 * Whether a running execution is stuck: its workflow task failing since its last completion, else an
 * open activity at `retryingAttempts` or more (from describe's pending activities when given, else
 * from the history). Undefined when neither holds, or when the history shows the run closed.
 */
export function readStuck(history: readonly WorkflowEvent[], describe?: PendingAttempts, options: StuckOptions = {}): Stuck | undefined {
  const work = pendingWork(history);
  if (work.closed) return undefined;
  const streak = failingWorkflowTask(history);
  if (streak !== undefined) {
    const cause = workflowTaskCause(streak.latest);
    const message = workflowTaskMessage(streak.latest);
    return {
      kind: 'workflowTask',
      since: streak.first.time,
      attempt: describe?.pendingWorkflowTask?.attempt,
      cause,
      message,
      nonDeterministic: cause === 'NON_DETERMINISTIC_ERROR' || (message !== undefined && NONDETERMINISM.test(message)),
      timedOut: streak.latest.type === 'WORKFLOW_TASK_TIMED_OUT',
    };
  }
  return retryingActivity(work, describe, options.retryingAttempts ?? DEFAULT_RETRYING_ATTEMPTS);
}

/** The open activity with the most attempts, when it has at least `threshold`. */
function retryingActivity(work: PendingWork, describe: PendingAttempts | undefined, threshold: number): ActivityRetrying | undefined {
  let found: ActivityRetrying | undefined;
  if (describe?.pendingActivities !== undefined) {
    for (const pending of describe.pendingActivities) {
      const attempt = pending.attempt ?? 1;
      if (attempt < threshold || (found !== undefined && attempt <= found.attempt)) continue;
      const seen = work.activities.find((a) => a.activityId === pending.activityId);
      found = { kind: 'activityRetrying', name: pending.activityType, activityId: pending.activityId, attempt, lastFailure: pending.lastFailureMessage ?? seen?.lastFailure, since: seen?.since };
    }
    return found;
  }
  for (const pending of work.activities) {
    const attempt = pending.attempt ?? 1;
    if (attempt < threshold || (found !== undefined && attempt <= found.attempt)) continue;
    found = { kind: 'activityRetrying', name: pending.name, activityId: pending.activityId, attempt, lastFailure: pending.lastFailure, since: pending.since };
  }
  return found;
}

interface StuckTextOptions {
  /** Today, for the default format: a time on another day shows its date too. */
  now?: Date;
  /** How a time reads; the default is UTC (`10:42 UTC`, `2024-06-24 17:07 UTC`), whatever the machine's zone. */
  formatTime?: (time: Date, now: Date | undefined) => string;
}

/**
 * The sentence for a row or a notification: `workflow task failing since 10:42 UTC (attempt 37):
 * [TMPRL1100] Nondeterminism error: …`, `activity ChargeCard retrying since 09:15 UTC (attempt 12): card
 * declined`. The message is its first line, shortened.
 */
export function stuckText(stuck: Stuck, options: StuckTextOptions = {}): string {
  const format = options.formatTime ?? utcTime;
  const since = stuck.since === undefined ? '' : ` since ${format(stuck.since, options.now)}`;
  const attempt = stuck.attempt === undefined ? '' : ` (attempt ${stuck.attempt})`;
  if (stuck.kind === 'activityRetrying') {
    const what = stuck.name === undefined ? 'activity' : `activity ${stuck.name}`;
    return `${what} retrying${since}${attempt}${detail(shortText(stuck.lastFailure))}`;
  }
  const verb = stuck.timedOut ? 'timing out' : 'failing';
  return `workflow task ${verb}${since}${attempt}${detail(workflowTaskDetail(stuck))}`;
}

function detail(text: string | undefined): string {
  return text === undefined ? '' : `: ${text}`;
}

/** The message (first line, shortened), or the cause in words; non-determinism named when it is not. */
function workflowTaskDetail(stuck: WorkflowTaskStuck): string | undefined {
  const text = shortText(stuck.message) ?? stuck.cause?.toLowerCase().split('_').join(' ');
  if (!stuck.nonDeterministic || (text !== undefined && NONDETERMINISM.test(text))) return text;
  return text === undefined ? 'non-determinism' : `non-determinism: ${text}`;
}

function utcTime(time: Date, now: Date | undefined): string {
  const iso = time.toISOString();
  const clock = iso.slice(11, 16);
  const sameDay = now !== undefined && now.toISOString().slice(0, 10) === iso.slice(0, 10);
  return sameDay ? `${clock} UTC` : `${iso.slice(0, 10)} ${clock} UTC`;
}
