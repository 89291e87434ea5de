/**
 * The sandbox's store over a real Temporal engine: every route of the Workflows API answered from
 * Temporal's HTTP API (src/api/temporal), so what the extension reads and resets is the engine's own
 * state and history. Mapping:
 *   execution id      = Temporal workflow id (one row per run: a reset adds a run under the same id)
 *   workflow_name     = the workflow type; workflow_id = the id the worker registered the name under
 *   deployment_name   = the task queue
 *   /history          = `{"events": [...]}`, the engine's protobuf-JSON events, every page
 *   reset             = one ResetWorkflowExecution with a fresh request id; the point is checked first
 *                       against the latest run's real history (WF_1001 with the valid ids otherwise)
 *   the stream        = the runs' histories polled, events numbered across runs as the memory store does
 */
import { randomUUID } from 'node:crypto';
import { isWorkflowsApiError } from '../../src/api/errors';
import { normalizeHistory } from '../../src/api/history';
import { TemporalClient, decodePayloads, resetPointIds, type TemporalExecution } from '../../src/api/temporal';
import { quote, statusClause } from '../../src/api/temporal/visibility';
import { KNOWN_STATUSES, type WorkflowEvent } from '../../src/api/types';
import type {
  FeedBatch,
  HistoryShape,
  JsonText,
  Outcome,
  ResetOutcome,
  ResetToApply,
  RunDetail,
  RunRow,
  RunStatus,
  RunsPage,
  RunsQuery,
  RunTarget,
  SandboxStore,
} from '../store';
import { pageOf } from '../listing';
import { feedPayload, type FeedEvent } from '../stream-events';
import type { WorkerRegistry } from '../workers';

interface EngineBackendOptions {
  client: TemporalClient;
  workers: WorkerRegistry;
  /** How often a followed execution's history is read again (ms). Default 500. */
  pollMs?: number;
}

const NOT_FOUND = { kind: 'not_found' } as const;
const DONE: Outcome = { kind: 'done', value: undefined };
const OPEN = new Set(['RUNNING']);
/** A listing is read whole (the dev server holds a demo's worth); bounded against a runaway token. */
const LIST_PAGE = 1000;
const MAX_LIST_PAGES = 50;

export class EngineStore implements SandboxStore {
  readonly historyShapes: readonly HistoryShape[] = ['temporal'];
  readonly defaultHistoryShape: HistoryShape = 'temporal';
  private readonly client: TemporalClient;
  private readonly workers: WorkerRegistry;
  private readonly pollMs: number;
  private readonly followers = new Set<() => void>();

  constructor(options: EngineBackendOptions) {
    this.client = options.client;
    this.workers = options.workers;
    this.pollMs = options.pollMs ?? 500;
  }

  async listRuns(query: RunsQuery): Promise<RunsPage> {
    const runs = (await this.allRuns(runsVisibilityQuery(query))).filter((run) => matches(run, query));
    const { page, more } = pageOf(runs, (run) => ({
      sortValueMs: query.sortBy === 'start_time' ? (run.startTime?.getTime() ?? 0) : (run.closeTime?.getTime() ?? null),
      executionId: run.workflowId,
      runId: run.runId,
    }), query);
    return { executions: page.map((run) => this.row(run)), more };
  }

  async execution(executionId: string): Promise<RunDetail | undefined> {
    const run = await this.describe(executionId);
    return run && this.detail(run);
  }

  async run(runId: string): Promise<RunDetail | undefined> {
    const run = await this.findRun(runId);
    return run && this.detail(run);
  }

  async history(target: RunTarget, _shape: HistoryShape): Promise<JsonText | undefined> {
    const run = 'runId' in target ? await this.findRun(target.runId) : await this.describe(target.executionId);
    if (!run) return undefined;
    const events = await this.client.historyAll(run.workflowId, run.runId);
    return JSON.stringify({ events });
  }

  async reset(executionId: string, request: ResetToApply): Promise<ResetOutcome> {
    const latest = await this.describe(executionId);
    if (!latest) return NOT_FOUND;
    const valid = resetPointIds(await this.client.historyAll(executionId, latest.runId));
    if (!valid.includes(request.eventId)) return { kind: 'invalid_event', validResetEvents: valid };
    const { runId } = await this.client.reset(executionId, {
      runId: latest.runId,
      workflowTaskFinishEventId: request.eventId,
      reason: request.reason ?? '',
      requestId: randomUUID(),
      excludeSignals: request.excludeSignals,
      excludeUpdates: request.excludeUpdates,
    });
    return { kind: 'done', value: { oldRunId: latest.runId, newRunId: runId } };
  }

  async terminate(executionId: string, reason: string): Promise<Outcome> {
    return this.whileOpen(executionId, async (run) => {
      await this.client.terminate(executionId, { runId: run.runId, reason });
      return DONE;
    });
  }

  async cancel(executionId: string): Promise<Outcome> {
    return this.whileOpen(executionId, async (run) => {
      await this.client.cancel(executionId, { runId: run.runId, reason: 'Canceled via API' });
      return DONE;
    });
  }

  async signal(executionId: string, name: string, input: unknown): Promise<Outcome> {
    return this.whileOpen(executionId, async (run) => {
      await this.client.signal(executionId, name, { runId: run.runId, input: argsOf(input) });
      return DONE;
    });
  }

  async update(executionId: string, name: string, input: unknown): Promise<Outcome<unknown>> {
    return this.whileOpen(executionId, async (run) => {
      const result = await this.client.update(executionId, name, { runId: run.runId, args: argsOf(input) });
      const outcome = result.outcome;
      if (outcome !== undefined && 'failure' in outcome) return { kind: 'done', value: { error: outcome.failure.message } };
      return { kind: 'done', value: outcome?.success[0] ?? null };
    });
  }

  async query(executionId: string, name: string, input: unknown): Promise<Outcome<unknown>> {
    const run = await this.describe(executionId);
    if (!run) return NOT_FOUND;
    // The engine's built-in queries (`__stack_trace`) take no argument; the worker SDK's handlers take one.
    const args = name.startsWith('__') ? argsOf(input) : [input ?? {}];
    const [result] = await this.client.query(executionId, name, { runId: run.runId, args });
    return { kind: 'done', value: result ?? null };
  }

  follow(executionId: string, afterSequence: number | undefined, onBatch: (batch: FeedBatch) => void): () => void {
    let stopped = false;
    let sent = afterSequence;
    /** Closed runs never change: their events are read once. */
    const closedRuns = new Map<string, FeedEvent[]>();
    const stop = (): void => {
      stopped = true;
      this.followers.delete(stop);
    };
    this.followers.add(stop);
    const tick = async (): Promise<void> => {
      while (!stopped) {
        const runs = (await this.allRuns(`WorkflowId = ${quote(executionId)}`)).sort(byStart);
        const items: { runId: string; events: FeedEvent[] }[] = [];
        for (const run of runs) {
          let events = closedRuns.get(run.runId);
          if (events === undefined) {
            events = feedEvents(normalizeHistory(await this.client.historyAll(executionId, run.runId)));
            if (!OPEN.has(run.status)) closedRuns.set(run.runId, events);
          }
          items.push({ runId: run.runId, events });
        }
        const total = items.reduce((n, r) => n + r.events.length, 0);
        const from = sent ?? total; // no Last-Event-ID: from now on
        const batch = [];
        let seq = 0;
        const workflowName = runs[0]?.workflowType ?? '';
        for (const { runId, events } of items) {
          const byId = new Map(events.map((e) => [e.eventId, e]));
          for (const event of events) {
            seq++;
            if (seq > from) batch.push(feedPayload({ seq, executionId, workflowName, runId, event, byId: (id) => byId.get(id) }));
          }
        }
        sent = Math.max(from, total);
        const latest = runs[runs.length - 1];
        const closed = latest === undefined || !OPEN.has(latest.status);
        if (stopped) return;
        if (batch.length > 0 || closed) onBatch({ events: batch, closed });
        if (closed) return stop();
        await new Promise((resolve) => setTimeout(resolve, this.pollMs));
      }
    };
    tick().catch(() => {
      // The engine went away or answered nonsense: end the stream; the client resumes with Last-Event-ID.
      if (!stopped) onBatch({ events: [], closed: true });
      stop();
    });
    return stop;
  }

  info(): Record<string, unknown> {
    return { engine: true };
  }

  async close(): Promise<void> {
    for (const stop of [...this.followers]) stop();
    await this.client.close();
  }

  /** Every run the visibility query matches, across the server's pages. */
  private async allRuns(query?: string): Promise<TemporalExecution[]> {
    const out: TemporalExecution[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const result = await this.client.listWorkflows({ query, pageSize: LIST_PAGE, nextPageToken: token });
      out.push(...result.executions);
      token = result.nextPageToken;
      if (token === undefined) break;
    }
    return out;
  }

  /** The latest run of an execution; undefined when the engine has no such workflow. */
  private async describe(executionId: string): Promise<TemporalExecution | undefined> {
    try {
      return (await this.client.describe(executionId)).execution;
    } catch (error) {
      if (isWorkflowsApiError(error) && error.problem === 'notFound') return undefined;
      throw error;
    }
  }

  private async findRun(runId: string): Promise<TemporalExecution | undefined> {
    const [run] = await this.allRuns(`RunId = ${quote(runId)}`);
    return run;
  }

  /** Runs `act` on the latest run when it is open; the API's 409 WF_1102 otherwise. */
  private async whileOpen<T>(executionId: string, act: (run: TemporalExecution) => Promise<Outcome<T>>): Promise<Outcome<T>> {
    const run = await this.describe(executionId);
    if (!run) return NOT_FOUND;
    if (!OPEN.has(run.status)) return { kind: 'not_running', status: statusOf(run.status) };
    return act(run);
  }

  private row(run: TemporalExecution): RunRow {
    const start = run.startTime ?? new Date(0);
    return {
      workflow_name: run.workflowType,
      workflow_id: this.workers.workflows().find((w) => w.name === run.workflowType)?.workflowId ?? null,
      deployment_name: run.taskQueue ?? null,
      execution_id: run.workflowId,
      parent_execution_id: run.parent?.workflowId ?? null,
      root_execution_id: run.root?.workflowId ?? run.workflowId,
      run_id: run.runId,
      user_id: null,
      status: statusOf(run.status),
      start_time: start.toISOString(),
      end_time: run.closeTime?.toISOString() ?? null,
      total_duration_ms: run.closeTime ? run.closeTime.getTime() - start.getTime() : null,
    };
  }

  private async detail(run: TemporalExecution): Promise<RunDetail> {
    const row = this.row(run);
    if (row.status !== 'COMPLETED') return { ...row, result: null };
    // The result is the last event's: one page of the history read newest first would do, but the
    // dev server's histories are short; read it whole and take the completion event.
    const events = normalizeHistory(await this.client.historyAll(run.workflowId, run.runId));
    const completed = events.find((e) => e.type === 'WORKFLOW_EXECUTION_COMPLETED');
    const [result] = decodePayloads(completed?.attributes.result);
    return { ...row, result: result ?? null };
  }
}

/** The API's `input` as the workflow's handler arguments: Mistral handlers take one object of named parameters. */
function argsOf(input: unknown): unknown[] {
  return input === undefined || input === null ? [] : [input];
}

/** Temporal's status names are the API's; one the API does not know yet reads as still running. */
function statusOf(status: string): RunStatus {
  return (KNOWN_STATUSES as readonly string[]).includes(status) ? (status as RunStatus) : 'RUNNING';
}

/**
 * The filters the engine can apply itself; the rest (`matches`) are applied to its rows. Not the
 * extension's visibilityQuery: the API's workflow filter matches a type or an id, and it has a task queue.
 */
function runsVisibilityQuery(query: RunsQuery): string | undefined {
  const parts: string[] = [];
  const statuses = statusClause(query.statuses);
  if (statuses) parts.push(statuses);
  if (query.workflowIdentifier !== undefined) {
    const id = quote(query.workflowIdentifier);
    parts.push(`(WorkflowType = ${id} OR WorkflowId = ${id})`);
  }
  if (query.deploymentName !== undefined) parts.push(`TaskQueue = ${quote(query.deploymentName)}`);
  return parts.length > 0 ? parts.join(' AND ') : undefined;
}

function matches(run: TemporalExecution, query: RunsQuery): boolean {
  const search = query.search;
  if (search !== undefined && search !== '') {
    const hit = run.workflowType.toLowerCase().includes(search.toLowerCase()) || search === run.workflowId || search === run.runId;
    if (!hit) return false;
  }
  const start = run.startTime?.getTime() ?? 0;
  if (query.rootExecutionId !== undefined && query.rootExecutionId !== (run.root?.workflowId ?? run.workflowId)) return false;
  if (query.startTimeAfterMs !== undefined && start < query.startTimeAfterMs) return false;
  if (query.startTimeBeforeMs !== undefined && start > query.startTimeBeforeMs) return false;
  return true;
}

function byStart(a: TemporalExecution, b: TemporalExecution): number {
  return (a.startTime?.getTime() ?? 0) - (b.startTime?.getTime() ?? 0);
}

function feedEvents(events: WorkflowEvent[]): FeedEvent[] {
  const out: FeedEvent[] = [];
  for (const e of events) {
    if (e.eventId !== undefined) out.push({ eventId: e.eventId, type: e.type, timeMs: e.time?.getTime() ?? 0, attributes: e.attributes });
  }
  return out;
}
