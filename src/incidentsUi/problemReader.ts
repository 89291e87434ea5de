/**
 * Reads the problems of the executions the view lists: the histories of the failed, timed-out and
 * running ones, a few at a time, under a progress the user can cancel. A closed run never changes, so
 * its problem is kept by run id and its history read once per session; a running one is read again
 * on every refresh (it may have got stuck, or unstuck). A history that cannot be read is an "unreadable"
 * problem, never dropped. Running ones are kept only until `forgetRunning` (a refresh). Where the
 * backend reads a history from its end (Temporal), a closed run's last few events are read first: how
 * it ended is usually all its problem needs, and a running one is described first: only one whose
 * workflow task or activity is being retried has its history read. No `vscode` import: the progress is given (see ./progress).
 */
import { enumNamer, type Execution, type PendingAttempts, type WorkflowBackend } from '../api';
import { BoundedMap } from '../common/boundedMap';
import type { Log } from '../common/log';
import { problemOf, type HistoryReading, type Problem } from '../incidents';

/** Runs `task` under a progress the user can cancel (aborting `signal`); `report` says how far it got. */
export type CancellableProgress = <T>(title: string, task: (report: (message: string) => void, signal: AbortSignal) => Promise<T>) => Promise<T>;

interface ProblemReaderDeps {
  client(): Promise<WorkflowBackend>;
  /** How many histories are read at once (`mistralWorkflows.problems.concurrency`). */
  concurrency(): number;
  /** `mistralWorkflows.problems.retryingAttempts`: an open activity at this attempt is retrying. */
  retryingAttempts(): number;
  progress: CancellableProgress;
  describeError(error: unknown): string;
  log: Pick<Log, 'info' | 'warn'>;
}

/** How one `read` shows itself and tells of its answers; the defaults are Group by Problem's. */
interface ReadOptions {
  /** Where the reads' progress shows (default: the reader's own, a notification with Cancel). */
  progress?: CancellableProgress;
  /** What the reads are for, ending the progress's title (default: `to group their problems`). */
  purpose?: string;
  /** Told of each history as it is read (not of those known already): rows can change before the last one is in. */
  answered?: (execution: Execution, problem: Problem | undefined) => void;
}

interface ProblemReading {
  /** By execution id, in the order given; executions without a problem are left out. */
  problems: Map<string, Problem>;
  /** Candidates whose history was not read because the user cancelled. */
  notRead: number;
}

/** A session's worth of closed runs; a Problem is a few strings. */
const MAX_CACHED_PROBLEMS = 10_000;
const executionStatus = enumNamer('WORKFLOW_EXECUTION_STATUS_');
const CLOSED_WITH_PROBLEM: ReadonlySet<string> = new Set(['FAILED', 'TIMED_OUT']);
/**
 * A closed run's last events read before its whole history: the close, the workflow task before it and
 * the failed step's event (the real histories in the fixtures need 4).
 */
export const CLOSING_EVENTS = 8;
/** What problemOf reads as still going (RETRYING_AFTER_ERROR is Mistral's older name). */
const STILL_GOING: ReadonlySet<string> = new Set(['RUNNING', 'RETRYING_AFTER_ERROR']);

export class ProblemReader {
  private readonly closedProblems = new BoundedMap<string, Problem>({ maxEntries: MAX_CACHED_PROBLEMS });
  /** Since the last refresh (undefined: read, not stuck); a page loaded meanwhile does not read them again. */
  private readonly runningProblems = new Map<string, Problem | undefined>();

  constructor(private readonly deps: ProblemReaderDeps) {}

  /** The next `read` reads every running candidate again. */
  forgetRunning(): void {
    this.runningProblems.clear();
  }

  /** The problems of `executions`; `scope` (the workspace) keeps one workspace's runs from another's. */
  async read(executions: readonly Execution[], scope: string, options: ReadOptions = {}): Promise<ProblemReading> {
    const known = new Map<string, Problem>();
    const toRead: Execution[] = [];
    const wanted = new Set<string>();
    for (const execution of executions) {
      const kind = candidateKind(execution);
      if (kind === undefined) continue;
      const cached = this.cached(scope, execution, kind);
      if (cached === 'unknown') {
        toRead.push(execution);
        wanted.add(execution.executionId);
      } else if (cached !== undefined) {
        known.set(execution.executionId, cached);
      }
    }
    const read = toRead.length === 0 ? new Map<string, Problem | undefined>() : await this.readAll(toRead, scope, options);
    const problems = new Map<string, Problem>();
    let notRead = 0;
    for (const execution of executions) {
      const id = execution.executionId;
      const problem = known.get(id) ?? read.get(id);
      if (problem !== undefined) problems.set(id, problem);
      else if (wanted.has(id) && !read.has(id)) {
        notRead++;
        // Cancelled before it was read: a failed run still shows, as not read.
        const unread = problemOf(execution, undefined);
        if (unread !== undefined) problems.set(id, unread);
      }
    }
    return { problems, notRead };
  }

  private readAll(executions: readonly Execution[], scope: string, options: ReadOptions): Promise<Map<string, Problem | undefined>> {
    const title = `Reading the histories of ${executions.length} execution${executions.length === 1 ? '' : 's'} ${options.purpose ?? 'to group their problems'}…`;
    return (options.progress ?? this.deps.progress)(title, async (report, signal) => {
      const results = new Map<string, Problem | undefined>();
      const client = await this.deps.client();
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < executions.length && !signal.aborted) {
          const execution = executions[next++];
          const judged = await this.judge(client, execution, signal);
          if (judged === undefined) continue; // cancelled in flight
          const { problem, answered } = judged;
          results.set(execution.executionId, problem);
          // Only an answer is kept: an error may pass, and the next refresh tries again.
          if (answered) this.keep(scope, execution, problem);
          options.answered?.(execution, problem);
          report(`${results.size} of ${executions.length}`);
        }
      };
      const workers = Math.max(1, Math.min(this.deps.concurrency(), executions.length));
      await Promise.all(Array.from({ length: workers }, worker));
      if (signal.aborted) this.deps.log.info('problems', `Cancelled: ${executions.length - results.size} of ${executions.length} histories not read.`);
      return results;
    });
  }

  /** The problem kept for this run (undefined: a running run read since the refresh, not stuck), or `unknown`. */
  private cached(scope: string, execution: Execution, kind: 'closed' | 'running'): Problem | undefined | 'unknown' {
    if (kind === 'running') {
      const key = runningKey(scope, execution);
      return this.runningProblems.has(key) ? this.runningProblems.get(key) : 'unknown';
    }
    const key = cacheKey(scope, execution);
    return (key === undefined ? undefined : this.closedProblems.get(key)) ?? 'unknown';
  }

  private keep(scope: string, execution: Execution, problem: Problem | undefined): void {
    if (candidateKind(execution) === 'running') {
      this.runningProblems.set(runningKey(scope, execution), problem);
      return;
    }
    const key = cacheKey(scope, execution);
    if (problem !== undefined && key !== undefined) this.closedProblems.set(key, problem);
  }

  /**
   * A running run's attempt counts, where the backend has a describe that counts them (Temporal): the
   * history holds only a streak's first failed workflow task. Without them the run is still judged.
   */
  private async attempts(client: WorkflowBackend, execution: Execution, signal: AbortSignal): Promise<PendingAttempts | undefined> {
    if (client.pendingAttempts === undefined) return undefined;
    try {
      return await client.pendingAttempts(execution.executionId, signal);
    } catch (error) {
      if (!signal.aborted) this.deps.log.warn('problems', `Could not describe ${execution.executionId} for its attempts: ${this.deps.describeError(error)}`);
      return undefined;
    }
  }

  /**
   * One execution's problem; `answered` when the service answered (not an error), so it may be kept.
   * Undefined when cancelled in flight. A running run is described first where the backend counts
   * attempts (Temporal): with no workflow task past its first attempt and no activity retrying, it is
   * not stuck, and its history is not read.
   */
  private async judge(client: WorkflowBackend, execution: Execution, signal: AbortSignal): Promise<{ problem: Problem | undefined; answered: boolean } | undefined> {
    const retryingAttempts = this.deps.retryingAttempts();
    let describe: PendingAttempts | undefined;
    if (candidateKind(execution) === 'running') {
      describe = await this.attempts(client, execution, signal);
      if (signal.aborted) return undefined;
      if (describe !== undefined && !mayBeStuck(describe, retryingAttempts)) return { problem: undefined, answered: true };
    } else {
      const closing = await this.closingProblem(client, execution, signal);
      if (closing !== undefined) return { problem: closing, answered: true };
    }
    const reading = await this.history(client, execution, signal);
    if (reading === undefined) return undefined;
    return { problem: problemOf(execution, reading, { describe, retryingAttempts }), answered: Array.isArray(reading) };
  }

  /**
   * A closed run's problem from its last events alone, where the backend reads a history from its end
   * (Temporal): its closing failure names the step and the error, so the rest need not be read.
   * Undefined when the backend cannot, the read fails or the tail does not tell (then the whole history is read).
   */
  private async closingProblem(client: WorkflowBackend, execution: Execution, signal: AbortSignal): Promise<Problem | undefined> {
    if (client.closingEvents === undefined) return undefined;
    try {
      const problem = problemOf(execution, await client.closingEvents(execution.executionId, execution.runId, CLOSING_EVENTS, signal));
      return problem?.unreadable === undefined ? problem : undefined;
    } catch (error) {
      if (!signal.aborted) this.deps.log.info('problems', `Could not read how ${execution.executionId} ended (${this.deps.describeError(error)}); reading its whole history.`);
      return undefined;
    }
  }

  /** The history, or why it could not be read; undefined when the read was cancelled. */
  private async history(client: WorkflowBackend, execution: Execution, signal: AbortSignal): Promise<HistoryReading | undefined> {
    try {
      return await client.getHistory(execution.executionId, execution.runId === undefined ? undefined : { runId: execution.runId }, signal);
    } catch (error) {
      if (signal.aborted) return undefined;
      const why = this.deps.describeError(error);
      this.deps.log.warn('problems', `Could not read the history of ${execution.executionId}: ${why}`);
      return { historyError: why };
    }
  }
}

/** A describe that shows a workflow task past its first attempt, or an activity at the retrying threshold. */
function mayBeStuck(describe: PendingAttempts, retryingAttempts: number): boolean {
  if ((describe.pendingWorkflowTask?.attempt ?? 1) > 1) return true;
  return (describe.pendingActivities ?? []).some((a) => (a.attempt ?? 1) >= retryingAttempts);
}

/** Still going (RUNNING, or Mistral's older RETRYING_AFTER_ERROR): the runs that can be stuck. */
export function isStillGoing(execution: Execution): boolean {
  return candidateKind(execution) === 'running';
}

function candidateKind(execution: Execution): 'closed' | 'running' | undefined {
  if (execution.status === null) return undefined;
  const status = executionStatus(execution.status);
  if (CLOSED_WITH_PROBLEM.has(status)) return 'closed';
  return STILL_GOING.has(status) ? 'running' : undefined;
}

/** Undefined for a run without a run id: it cannot be told from the next run of its execution, so it is not kept. */
function cacheKey(scope: string, execution: Execution): string | undefined {
  return execution.runId === undefined ? undefined : JSON.stringify([scope, execution.executionId, execution.runId]);
}

/** Kept until the next refresh only, so a run without a run id is fine. */
function runningKey(scope: string, execution: Execution): string {
  return JSON.stringify([scope, execution.executionId, execution.runId ?? '']);
}
