/**
 * The live state: seeded executions plus what requests did to them (resets, terminations, signals).
 * Routes call it after validating the request; it never sees HTTP.
 */
import { randomUUID } from 'node:crypto';
import { HistoryBuilder, type WorkerContext } from './history';
import { events, isOpen, latestRun, type Execution, type Run } from './model';
import { Random } from './random';
import { applyReset, completeResetRun } from './reset';
import { seedExecutions } from './seed';

interface StoreOptions {
  seed: number;
  now: number;
  completionDelayMs: number;
  /** Ordinary executions to seed besides the special ones. */
  executions: number;
}

export class MemoryState {
  readonly executions: Execution[];
  private readonly byId = new Map<string, Execution>();
  private readonly byRun = new Map<string, { execution: Execution; run: Run }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Live events draw their request ids from here; separate from the seed so seeding stays stable. */
  private readonly rng: Random;
  /** Told the execution id whenever events are appended to one of its runs (streams follow this). */
  private readonly listeners = new Set<(executionId: string) => void>();

  constructor(private readonly options: StoreOptions) {
    this.executions = seedExecutions(options.seed, options.now, options.executions);
    this.rng = new Random(options.seed ^ 0x5eed);
    for (const execution of this.executions) {
      this.byId.set(execution.executionId, execution);
      for (const run of execution.runs) this.byRun.set(run.runId, { execution, run });
    }
  }

  execution(id: string): Execution | undefined {
    return this.byId.get(id);
  }

  run(runId: string): { execution: Execution; run: Run } | undefined {
    return this.byRun.get(runId);
  }

  /** Calls `listener` after every change to an execution's events; returns the unsubscribe. */
  onChange(listener: (executionId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(execution: Execution): void {
    for (const listener of [...this.listeners]) listener(execution.executionId);
  }

  private worker(execution: Execution): WorkerContext {
    return {
      rng: this.rng,
      taskQueue: execution.taskQueue,
      identity: execution.worker.identity,
      buildId: execution.worker.buildId,
      gapScale: 0.05, // live events land within milliseconds of "now"
    };
  }

  /** Resets the latest run (the caller validated `eventId`) and schedules the new run's completion. */
  reset(
    execution: Execution,
    body: { eventId: number; reason: string | null; excludeSignals: boolean; excludeUpdates: boolean },
  ): { oldRunId: string; newRunId: string } {
    const oldRunId = latestRun(execution).runId;
    const now = Date.now();
    const ctx = this.worker(execution);
    const run = applyReset(execution, { ...body, nowMs: now, newRunId: randomUUID(), ctx });
    this.byRun.set(run.runId, { execution, run });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      completeResetRun(execution, run, ctx, Date.now());
      this.changed(execution);
    }, this.options.completionDelayMs);
    this.timers.add(timer);
    this.changed(execution);
    return { oldRunId, newRunId: run.runId };
  }

  /** Ends the latest run; false when it is not running. */
  terminate(execution: Execution, reason: string | null): boolean {
    const run = latestRun(execution);
    if (!isOpen(run)) return false;
    new HistoryBuilder(this.worker(execution), Date.now(), events(run)).terminated(reason, Date.now());
    this.close(run, 'TERMINATED');
    this.changed(execution);
    return true;
  }

  cancel(execution: Execution): boolean {
    const run = latestRun(execution);
    if (!isOpen(run)) return false;
    const b = this.builder(execution, run);
    b.push('WORKFLOW_EXECUTION_CANCEL_REQUESTED', { cause: 'Canceled via API', identity: 'api@mistral-workflows' });
    if (!run.replay) b.workflowTask();
    b.canceled({ reason: 'Canceled via API' });
    this.close(run, 'CANCELED');
    this.changed(execution);
    return true;
  }

  signal(execution: Execution, name: string, input: unknown): boolean {
    const run = latestRun(execution);
    if (!isOpen(run)) return false;
    const b = this.builder(execution, run);
    b.signal(name, input ?? null, 'api@mistral-workflows', 0);
    // A reset run already has a workflow task waiting; otherwise the signal schedules one.
    if (!run.replay) b.workflowTask();
    this.changed(execution);
    return true;
  }

  update(execution: Execution, name: string, input: unknown): unknown {
    const run = latestRun(execution);
    if (!isOpen(run)) return undefined;
    const b = this.builder(execution, run);
    const updateId = this.rng.uuid();
    if (!run.replay) b.workflowTask();
    const accepted = b.updateAccepted(updateId, name, input ?? null);
    const result = { accepted: true, update_id: updateId };
    b.updateCompleted(updateId, accepted.eventId, { success: result });
    this.changed(execution);
    return result;
  }

  /** Clears pending completions (the sandbox is closing). */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.listeners.clear();
  }

  private builder(execution: Execution, run: Run): HistoryBuilder {
    const b = new HistoryBuilder(this.worker(execution), Date.now(), events(run));
    b.time = Math.max(b.time, Date.now());
    return b;
  }

  private close(run: Run, status: 'TERMINATED' | 'CANCELED'): void {
    run.status = status;
    run.endMs = Math.max(Date.now(), events(run)[events(run).length - 1].timeMs);
    run.result = null;
    delete run.replay;
  }
}
