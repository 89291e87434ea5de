/**
 * The seeded in-memory store behind the SandboxStore interface: looks executions up, turns the
 * model into wire rows and bodies (shapes.ts, stream-events.ts) and lets the MemoryState act.
 */
import {
  HISTORY_SHAPES,
  type FeedBatch,
  type HistoryShape,
  type JsonText,
  type Outcome,
  type ResetOutcome,
  type ResetToApply,
  type RunDetail,
  type RunsPage,
  type RunsQuery,
  type RunTarget,
  type SandboxStore,
} from './store';
import { stringifyExact } from './json';
import { pageOf } from './listing';
import { events as runEvents, isOpen, latestRun, type Execution, type Run } from './model';
import { validResetEventIds } from './reset';
import { DEMO } from './seed';
import { historyBody, runDetail, runRow, traceBody } from './shapes';
import type { MemoryState } from './memory-state';
import { sequenced, ssePayload } from './stream-events';

const NOT_FOUND = { kind: 'not_found' } as const;

/**
 * What `__stack_trace` answers on the real engine (one Python coroutine per line group), made up from
 * the run's last event: the sandbox runs no workflow code, so it says so in the text itself.
 */
function sandboxStackTrace(execution: Execution): string {
  const run = latestRun(execution);
  if (!isOpen(run)) return '';
  const list = runEvents(run);
  const last = list[list.length - 1];
  const module = execution.workflowName.replace(/-/g, '_');
  return [
    `Stack for the sandbox's stand-in of ${execution.workflowName} (run ${run.runId}), made up from its history (no workflow code runs in the sandbox):`,
    `  File "/app/workflows/${module}/workflow.py", line 1, in run`,
    `    await workflow.wait_condition(lambda: self.done)  # waiting since event ${last?.eventId ?? '?'} ${last?.type ?? ''}`.trimEnd(),
  ].join('\n');
}
const DONE: Outcome = { kind: 'done', value: undefined };

export class MemoryStore implements SandboxStore {
  readonly historyShapes = HISTORY_SHAPES;
  readonly defaultHistoryShape: HistoryShape = 'seed';

  constructor(private readonly store: MemoryState) {}

  async listRuns(query: RunsQuery): Promise<RunsPage> {
    const matching: { execution: Execution; run: Run }[] = [];
    for (const execution of this.store.executions) {
      for (const run of execution.runs) if (matches(execution, run, query)) matching.push({ execution, run });
    }
    const { page, more } = pageOf(
      matching,
      ({ execution, run }) => ({
        sortValueMs: query.sortBy === 'start_time' ? run.startMs : run.endMs,
        executionId: execution.executionId,
        runId: run.runId,
      }),
      query,
    );
    return { executions: page.map(({ execution, run }) => runRow(execution, run)), more };
  }

  async execution(executionId: string): Promise<RunDetail | undefined> {
    const execution = this.store.execution(executionId);
    return execution && runDetail(execution);
  }

  async run(runId: string): Promise<RunDetail | undefined> {
    const found = this.store.run(runId);
    return found && runDetail(found.execution, found.run);
  }

  async history(target: RunTarget, shape: HistoryShape): Promise<JsonText | undefined> {
    const found = this.target(target);
    // decode_payloads needs nothing here: the sandbox's payloads are always decoded JSON.
    return found && stringifyExact(historyBody(shape, found.execution, found.run));
  }

  async traceEvents(executionId: string): Promise<JsonText | undefined> {
    const execution = this.store.execution(executionId);
    return execution && stringifyExact(traceBody(execution, latestRun(execution)));
  }

  async reset(executionId: string, request: ResetToApply): Promise<ResetOutcome> {
    const execution = this.store.execution(executionId);
    if (!execution) return NOT_FOUND;
    const valid = validResetEventIds(latestRun(execution));
    if (!valid.includes(request.eventId)) return { kind: 'invalid_event', validResetEvents: valid };
    return { kind: 'done', value: this.store.reset(execution, request) };
  }

  async terminate(executionId: string, reason: string): Promise<Outcome> {
    return this.act(executionId, (execution) => this.store.terminate(execution, reason));
  }

  async cancel(executionId: string): Promise<Outcome> {
    return this.act(executionId, (execution) => this.store.cancel(execution));
  }

  async signal(executionId: string, name: string, input: unknown): Promise<Outcome> {
    return this.act(executionId, (execution) => this.store.signal(execution, name, input));
  }

  async update(executionId: string, name: string, input: unknown): Promise<Outcome<unknown>> {
    const execution = this.store.execution(executionId);
    if (!execution) return NOT_FOUND;
    const result = this.store.update(execution, name, input);
    return result === undefined ? { kind: 'not_running', status: latestRun(execution).status } : { kind: 'done', value: result };
  }

  async query(executionId: string, name: string, _input: unknown): Promise<Outcome<unknown>> {
    const execution = this.store.execution(executionId);
    if (!execution) return NOT_FOUND;
    // The engine's stack-trace query answers with text; the sandbox has no workflow code to trace.
    if (name === '__stack_trace') return { kind: 'done', value: sandboxStackTrace(execution) };
    // The sandbox's workflows answer every other query with their status, closed or not.
    return { kind: 'done', value: { status: latestRun(execution).status } };
  }

  follow(executionId: string, afterSequence: number | undefined, onBatch: (batch: FeedBatch) => void): () => void {
    const execution = this.store.execution(executionId);
    if (!execution) {
      onBatch({ events: [], closed: true });
      return () => undefined;
    }
    let sent = afterSequence ?? sequenced(execution).length;
    const flush = (): void => {
      const all = sequenced(execution);
      const events = all.slice(sent).map((item) => ssePayload(execution, item));
      sent = Math.max(sent, all.length);
      onBatch({ events, closed: !isOpen(latestRun(execution)) });
    };
    const unsubscribe = this.store.onChange((id) => {
      if (id === executionId) flush();
    });
    flush();
    return unsubscribe;
  }

  info(): Record<string, unknown> {
    return { demo: DEMO };
  }

  async close(): Promise<void> {
    this.store.dispose();
  }

  private target(target: RunTarget): { execution: Execution; run: Run } | undefined {
    if ('runId' in target) return this.store.run(target.runId);
    const execution = this.store.execution(target.executionId);
    return execution && { execution, run: latestRun(execution) };
  }

  /** An action the MemoryState refuses (false) when the latest run is not open. */
  private act(executionId: string, action: (execution: Execution) => boolean): Outcome {
    const execution = this.store.execution(executionId);
    if (!execution) return NOT_FOUND;
    return action(execution) ? DONE : { kind: 'not_running', status: latestRun(execution).status };
  }
}

function matches(execution: Execution, run: Run, query: RunsQuery): boolean {
  const workflow = query.workflowIdentifier;
  if (workflow !== undefined && workflow !== execution.workflowName && workflow !== execution.workflowId) return false;
  if (query.search !== undefined && query.search !== '') {
    const s = query.search;
    const hit = execution.workflowName.toLowerCase().includes(s.toLowerCase()) || s === execution.executionId || s === run.runId;
    if (!hit) return false;
  }
  if (query.statuses.length > 0 && !query.statuses.includes(run.status)) return false;
  if (query.deploymentName !== undefined && query.deploymentName !== execution.deploymentName) return false;
  if (query.rootExecutionId !== undefined && query.rootExecutionId !== execution.executionId) return false;
  if (query.startTimeAfterMs !== undefined && run.startMs < query.startTimeAfterMs) return false;
  if (query.startTimeBeforeMs !== undefined && run.startMs > query.startTimeBeforeMs) return false;
  return true;
}
