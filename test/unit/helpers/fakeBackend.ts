/**
 * A WorkflowBackend over fixed data: one page of executions and a history (or an error) per execution
 * id, each read after `delayMs` (aborted by its signal). It counts what the tests assert on: history
 * reads per id, and how many are in flight at once.
 */
import type { PendingAttempts, StreamMessage, WorkflowBackend } from '../../../src/api';
import type { GetHistoryOptions } from '../../../src/api/backend';
import type { ResetCode } from '../../../src/api/resetCode';
import type { Execution, ExecutionPage, ListExecutionsQuery, WorkflowEvent } from '../../../src/api/types';
import { sleep } from '../../../src/common/sleep';

export class FakeBackend implements WorkflowBackend {
  readonly capabilities = { rawListQuery: false, resetRequestId: false, extraResetTargets: [], liveEvents: 'longPoll' as const };
  readonly reads: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  listCalls = 0;
  /** Called as each history read starts, with how many have started. */
  onRead: (started: number) => void = () => undefined;

  constructor(
    public executions: Execution[],
    readonly histories: Map<string, WorkflowEvent[] | Error>,
    readonly delayMs = 5,
  ) {}

  /**
   * Installs a describe that counts attempts (as Temporal's does), answering from `answers` (an Error
   * is thrown); `described` records what was asked.
   */
  countAttempts(answers: Map<string, PendingAttempts | Error>): string[] {
    const described: string[] = [];
    this.pendingAttempts = (executionId: string): Promise<PendingAttempts> => {
      described.push(executionId);
      const answer = answers.get(executionId) ?? {};
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    };
    return described;
  }

  pendingAttempts?: (executionId: string) => Promise<PendingAttempts>;

  /**
   * Installs a read of a run's last events (as Temporal's reverse history), the tail of `histories`;
   * `failing` ids throw instead. Returns what was asked: execution id, run id, count.
   */
  readFromEnd(failing: ReadonlySet<string> = new Set()): { executionId: string; runId: string | undefined; count: number }[] {
    const asked: { executionId: string; runId: string | undefined; count: number }[] = [];
    this.closingEvents = (executionId: string, runId: string | undefined, count: number): Promise<WorkflowEvent[]> => {
      asked.push({ executionId, runId, count });
      const history = this.histories.get(executionId);
      if (failing.has(executionId) || history instanceof Error) return Promise.reject(new Error('HTTP 503'));
      return Promise.resolve((history ?? []).slice(-count));
    };
    return asked;
  }

  closingEvents?: (executionId: string, runId: string | undefined, count: number) => Promise<WorkflowEvent[]>;

  readsOf(executionId: string): number {
    return this.reads.filter((id) => id === executionId).length;
  }

  /** The statuses each list asked for (undefined: all), in order. */
  readonly listedStatuses: (string[] | undefined)[] = [];

  /** The one page, of the statuses asked for (all when none are), as a server filters them. */
  listExecutions(query: ListExecutionsQuery = {}): Promise<ExecutionPage> {
    this.listCalls++;
    this.listedStatuses.push(query.status);
    const wanted = query.status;
    return Promise.resolve({ executions: wanted === undefined ? this.executions : this.executions.filter((e) => e.status !== null && wanted.includes(e.status)) });
  }

  /** The run id each history read asked for (undefined: the latest run), in order. */
  readonly readRuns: (string | undefined)[] = [];

  async getHistory(executionId: string, options?: GetHistoryOptions, signal?: AbortSignal): Promise<WorkflowEvent[]> {
    this.reads.push(executionId);
    this.readRuns.push(options?.runId);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.onRead(this.reads.length);
    try {
      if (!(await sleep(this.delayMs, signal))) throw new Error('aborted');
      const history = this.histories.get(executionId);
      if (history instanceof Error) throw history;
      return history ?? [];
    } finally {
      this.inFlight--;
    }
  }

  getExecution(executionId: string): Promise<Execution> {
    const found = this.executions.find((e) => e.executionId === executionId);
    return found === undefined ? Promise.reject(new Error(`no ${executionId}`)) : Promise.resolve(found);
  }

  listRuns(executionId: string): Promise<Execution[]> {
    return this.getExecution(executionId).then((e) => [e]);
  }

  query(): Promise<unknown> {
    return Promise.reject(new Error('not in the fake'));
  }

  reset(): Promise<void> {
    return Promise.reject(new Error('not in the fake'));
  }

  resetAsCode(): ResetCode {
    throw new Error('not in the fake');
  }

  streamExecution(): AsyncIterable<StreamMessage> {
    throw new Error('not in the fake');
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
