/**
 * A watched execution that gets stuck says so, once: "order-fulfillment (…) is stuck: workflow task
 * failing since 10:42 UTC (attempt 37): [TMPRL1100] Nondeterminism error: …". Its status alone never
 * would: a wedged run stays RUNNING. Checked when live updates refresh a watched run (and when the watch
 * starts), from its history and, where the backend counts them, its attempts. A streak is told once;
 * after the run recovers, a new one is told again. A streak younger than a grace period is checked
 * again when the grace has passed, so a workflow task that fails once and then completes is not news.
 * No `vscode` import: the notification is given.
 */
import type { Execution, WorkflowBackend } from '../api';
import type { Log } from '../common/log';
import { readStuck, stuckText, type Stuck } from '../incidents';

interface StuckWatchDeps {
  client(): Promise<WorkflowBackend>;
  /** `mistralWorkflows.problems.retryingAttempts`: an open activity at this attempt is retrying. */
  retryingAttempts(): number;
  /** Tells the user; `text` is the stuck sentence. */
  notify(execution: Execution, text: string): void;
  log: Pick<Log, 'info' | 'warn'>;
  /** For the tests: the clock, the grace (STUCK_GRACE_MS) and the rate limit (STUCK_CHECK_EVERY_MS). */
  now?: () => number;
  graceMs?: number;
  checkEveryMs?: number;
}

/** A streak this young may still end by itself: looked at again once it is this old. */
const STUCK_GRACE_MS = 30_000;
/** A watched run's history is read at most this often (a polled one is refreshed every few seconds). */
const STUCK_CHECK_EVERY_MS = 10_000;

export class StuckWatch {
  /** The streak each execution was told about (see streakKey). */
  private readonly told = new Map<string, string>();
  private readonly lastCheck = new Map<string, number>();
  private readonly recheck = new Map<string, NodeJS.Timeout>();
  private readonly checking = new Set<string>();

  constructor(private readonly deps: StuckWatchDeps) {}

  /** Looks at a watched, still running execution; `force` skips the rate limit (the watch just started). */
  async check(execution: Execution, force = false): Promise<void> {
    const id = execution.executionId;
    const now = this.now();
    if (this.checking.has(id) || (!force && now - (this.lastCheck.get(id) ?? -Infinity) < (this.deps.checkEveryMs ?? STUCK_CHECK_EVERY_MS))) return;
    this.checking.add(id);
    this.lastCheck.set(id, now);
    try {
      const stuck = await this.read(execution);
      if (stuck === undefined) {
        this.told.delete(id);
        return;
      }
      const age = stuck.since === undefined ? Infinity : this.now() - stuck.since.getTime();
      const grace = this.deps.graceMs ?? STUCK_GRACE_MS;
      if (age < grace) {
        this.later(execution, grace - age);
        return;
      }
      const key = streakKey(stuck);
      if (this.told.get(id) === key) return;
      this.told.set(id, key);
      this.deps.notify(execution, stuckText(stuck, { now: new Date(this.now()) }));
    } catch (error) {
      this.deps.log.warn('live', `Could not tell whether ${id} is stuck: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.checking.delete(id);
    }
  }

  /** The execution is no longer watched (or ended): nothing more is checked or told for it. */
  forget(executionId: string): void {
    this.told.delete(executionId);
    this.lastCheck.delete(executionId);
    clearTimeout(this.recheck.get(executionId));
    this.recheck.delete(executionId);
  }

  dispose(): void {
    for (const id of [...this.recheck.keys()]) this.forget(id);
  }

  private async read(execution: Execution): Promise<Stuck | undefined> {
    const client = await this.deps.client();
    const [history, attempts] = await Promise.all([
      client.getHistory(execution.executionId, execution.runId === undefined ? undefined : { runId: execution.runId }),
      client.pendingAttempts?.(execution.executionId).catch((error: unknown) => {
        this.deps.log.info('live', `Could not describe ${execution.executionId} for its attempts: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }),
    ]);
    return readStuck(history, attempts, { retryingAttempts: this.deps.retryingAttempts() });
  }

  private later(execution: Execution, delayMs: number): void {
    const id = execution.executionId;
    if (this.recheck.has(id)) return;
    const timer = setTimeout(() => {
      this.recheck.delete(id);
      void this.check(execution, true);
    }, delayMs);
    timer.unref?.();
    this.recheck.set(id, timer);
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}

/** One streak: its kind, when it began, and the activity (a retrying activity's attempts grow within it). */
function streakKey(stuck: Stuck): string {
  const activity = stuck.kind === 'activityRetrying' ? stuck.activityId ?? stuck.name ?? '' : '';
  return JSON.stringify([stuck.kind, stuck.since?.toISOString() ?? '', activity]);
}
