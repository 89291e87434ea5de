/**
 * Stuck on the Executions view's own rows, outside Group by Problem: the running executions the view
 * lists are read by the ProblemReader (its cache, its bound on concurrency, the backend's attempt
 * counts) once the list has been shown, never before, and a row found stuck says so as its answer
 * arrives. A history that cannot be read marks nothing (the reader logs it). Nothing is read while
 * `mistralWorkflows.problems.detectStuck` is off, unless the Stuck filter asks. No `vscode` import.
 */
import type { Execution } from '../api';
import type { Log } from '../common/log';
import { stuckText, type Problem } from '../incidents';
import type { ExecutionNode } from '../tree/executionNode';
import { isStillGoing, type CancellableProgress, type ProblemReader } from './problemReader';

interface StuckRowsDeps {
  reader: Pick<ProblemReader, 'read'>;
  /** `mistralWorkflows.problems.detectStuck`. */
  enabled(): boolean;
  /** Where the reads show: the view's own progress (no Cancel: they were not asked for; a refresh stops them). */
  progress: CancellableProgress;
  describeError(error: unknown): string;
  log: Pick<Log, 'warn'>;
}

/** Who hears of a detection: each row whose mark changed, then the end of the pass. */
export interface StuckListener {
  changed(row: ExecutionNode): void;
  settled(): void;
}

export class StuckRows {
  /** Rows whose history is being read, and rows judged since the last `reset`. */
  private readonly judging = new Set<ExecutionNode>();
  private judged = new WeakSet<ExecutionNode>();
  /** Bumped by `reset`, so that answers about rows from before it change nothing. */
  private generation = 0;
  private abort = new AbortController();

  constructor(private readonly deps: StuckRowsDeps) {}

  /**
   * Reads, in the background, the running rows among `rows` not judged since the last `reset`; `scope`
   * names the workspace. `asked`: the Stuck filter wants them even when detection is off.
   */
  detect(rows: readonly ExecutionNode[], scope: string, asked: boolean, listener: StuckListener): void {
    if (!asked && !this.deps.enabled()) return;
    const toJudge = rows.filter((n) => isStillGoing(n.execution) && !this.judged.has(n) && !this.judging.has(n));
    if (toJudge.length === 0) return;
    const generation = this.generation;
    const signal = this.abort.signal;
    const read = new Map(toJudge.map((n) => [n.executionId, { node: n, execution: n.execution }]));
    for (const node of toJudge) this.judging.add(node);
    const mark = (executionId: string, problem: Problem | undefined): void => {
      const row = read.get(executionId);
      if (row === undefined || generation !== this.generation || !sameRun(row.node.execution, row.execution)) return;
      const text = problem?.stuck === undefined ? undefined : stuckText(problem.stuck, { now: new Date() });
      if (text === row.node.stuck) return;
      row.node.stuck = text;
      listener.changed(row.node);
    };
    void this.deps.reader.read(toJudge.map((n) => n.execution), scope, {
      progress: (title, task) => this.deps.progress(title, (report) => task(report, signal)),
      purpose: 'to find the stuck ones',
      answered: (execution, problem) => mark(execution.executionId, problem),
    }).then(
      (reading) => {
        for (const id of read.keys()) mark(id, reading.problems.get(id));
      },
      (error: unknown) => {
        // Not shown: nobody asked for it, and a row is simply not marked. Once per pass, in the log.
        if (!signal.aborted) this.deps.log.warn('problems', `Could not look for stuck executions: ${this.deps.describeError(error)}`);
      },
    ).finally(() => {
      if (generation !== this.generation) return;
      // A row forgotten meanwhile (its run changed) is left to the next pass.
      for (const node of toJudge) if (this.judging.delete(node)) this.judged.add(node);
      listener.settled();
    });
  }

  /** Whether this row's history is being read for it. */
  isJudging(row: ExecutionNode): boolean {
    return this.judging.has(row);
  }

  /** The row's run changed: it is judged again on the next `detect`. */
  forget(row: ExecutionNode): void {
    this.judged.delete(row);
    this.judging.delete(row);
  }

  /** A refresh or a change of view: reads under way stop, every row is judged again. */
  reset(): void {
    this.generation++;
    this.abort.abort();
    this.abort = new AbortController();
    this.judging.clear();
    this.judged = new WeakSet();
  }
}

function sameRun(now: Execution, read: Execution): boolean {
  return now === read || (now.runId === read.runId && now.status === read.status);
}
