/**
 * A Temporal cluster (self-hosted or Temporal Cloud) as a WorkflowBackend, over its HTTP API:
 *   execution id = workflow id; one list row per run (the tree folds them by id);
 *   list        = a visibility query built from the filter (visibility.ts), paged by the server's tokens;
 *   history     = every server page of the run, oldest first; with a stream, the first page at once
 *                 and each next one only when the stream wants more (pagedHistory.ts);
 *   reset       = ResetWorkflowExecution with the caller's request id (one per confirmed reset), only
 *                 of the run that is still the latest; an event the server refuses, or one of a run
 *                 that is no longer the latest, comes back as problem 'invalidResetPoint' with the
 *                 latest run's valid ids;
 *   live events = long polls of the history (waitNewEvent), one message per new page of events; an
 *                 answer at once with nothing new backs off, a token that comes back stops (longPoll.ts).
 */
import { randomUUID } from 'node:crypto';
import { MAX_RUN_PAGES, RUN_PAGE_SIZE, type BackendCapabilities, type GetHistoryOptions, type PendingAttempts, type WorkflowBackend } from '../backend';
import { isWorkflowsApiError, WorkflowsApiError } from '../errors';
import { normalizeHistory } from '../history';
import { resetPointMessage } from '../httpErrors';
import type { StreamExecutionOptions, StreamMessage } from '../liveEvents';
import type { Execution, ExecutionPage, ListExecutionsQuery, ResetRequest, WorkflowEvent } from '../types';
import { TemporalClient } from './client';
import { followHistory, REAL_TIMING, type LongPollTiming } from './longPoll';
import { readPagedHistory } from './pagedHistory';
import { temporalResetCode } from './resetCode';
import type { ResetCode, ResetCodeFormat, ResetCodeRequest } from '../resetCode';
import { resetPointIds } from './resetPoints';
import type { TemporalExecution } from './types';
import { quote, visibilityQuery } from './visibility';

export const TEMPORAL_CAPABILITIES: BackendCapabilities = {
  rawListQuery: true,
  resetRequestId: true,
  extraResetTargets: ['WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_FAILED', 'WORKFLOW_TASK_TIMED_OUT'],
  liveEvents: 'longPoll',
};

export class TemporalBackend implements WorkflowBackend {
  readonly capabilities = TEMPORAL_CAPABILITIES;

  /** `timing`: the long poll's clock and pause (tests inject theirs). */
  constructor(private readonly client: TemporalClient, private readonly timing: LongPollTiming = REAL_TIMING) {}

  async listExecutions(query: ListExecutionsQuery, signal?: AbortSignal): Promise<ExecutionPage> {
    const page = await this.client.listWorkflows({ query: visibilityQuery(query), pageSize: query.pageSize, nextPageToken: query.pageToken }, signal);
    const executions = page.executions.map(executionOf);
    return page.nextPageToken ? { executions, nextPageToken: page.nextPageToken } : { executions };
  }

  async listRuns(executionId: string, signal?: AbortSignal): Promise<Execution[]> {
    const runs: Execution[] = [];
    let nextPageToken: string | undefined;
    for (let page = 0; page < MAX_RUN_PAGES; page++) {
      const result = await this.client.listWorkflows({ query: `WorkflowId = ${quote(executionId)}`, pageSize: RUN_PAGE_SIZE, nextPageToken }, signal);
      runs.push(...result.executions.map(executionOf));
      nextPageToken = result.nextPageToken;
      if (!nextPageToken) break;
    }
    return runs.sort((a, b) => (b.startTime?.getTime() ?? 0) - (a.startTime?.getTime() ?? 0));
  }

  async getExecution(executionId: string, signal?: AbortSignal): Promise<Execution> {
    return executionOf((await this.client.describe(executionId, undefined, signal)).execution);
  }

  async pendingAttempts(executionId: string, signal?: AbortSignal): Promise<PendingAttempts> {
    const { pendingWorkflowTask, pendingActivities } = await this.client.describe(executionId, undefined, signal);
    return { pendingWorkflowTask, pendingActivities };
  }

  async getHistory(executionId: string, options?: GetHistoryOptions, signal?: AbortSignal): Promise<WorkflowEvent[]> {
    if (options?.stream) return readPagedHistory(this.client, executionId, options.runId, options.stream, signal);
    const events = await this.client.historyAll(executionId, options?.runId, { signal });
    return normalizeHistory({ history: { events } });
  }

  async closingEvents(executionId: string, runId: string | undefined, count: number, signal?: AbortSignal): Promise<WorkflowEvent[]> {
    const newestFirst = await this.client.historyTail(executionId, runId, count, signal);
    return normalizeHistory({ history: { events: newestFirst.reverse() } });
  }

  /** One answer payload, as Mistral's API answers (`__stack_trace` takes no argument). */
  async query(executionId: string, name: string, input?: unknown, signal?: AbortSignal): Promise<unknown> {
    const results = await this.client.query(executionId, name, { args: input === undefined ? [] : [input] }, signal);
    return results.length <= 1 ? results[0] : results;
  }

  async reset(request: ResetRequest, signal?: AbortSignal): Promise<void> {
    await this.ensureLatestRun(request, signal);
    try {
      await this.client.reset(request.executionId, {
        runId: request.runId,
        workflowTaskFinishEventId: request.eventId,
        reason: request.reason,
        requestId: request.requestId ?? randomUUID(),
        excludeSignals: request.excludeSignals,
        excludeUpdates: request.excludeUpdates,
      }, signal);
    } catch (error) {
      throw isWorkflowsApiError(error) && error.problem === 'invalidArgument' ? await this.invalidPoint(request, error) : error;
    }
  }

  /**
   * Temporal resets any run it is given, the latest or not: a reset from a stale tree would silently
   * start over from an older run and discard the newer one (someone else's reset, a continue-as-new).
   * The product resets the latest run only, so a point of another run is refused here, like Mistral's
   * API refuses it (WF_1001), with the latest run's points. (Between this read and the reset another
   * run could still start: Temporal has no conditional reset.)
   */
  private async ensureLatestRun(request: ResetRequest, signal?: AbortSignal): Promise<void> {
    if (request.runId === undefined) return;
    const latest = (await this.client.describe(request.executionId, undefined, signal)).execution.runId;
    if (latest === request.runId) return;
    const valid = await this.validPoints(request.executionId, latest, signal);
    throw new WorkflowsApiError({
      kind: 'http',
      message: `${resetPointMessage(request.eventId, valid)} (run ${request.runId} is no longer the latest: ${latest} is)`,
      method: 'POST',
      path: this.client.resetPath(request.executionId),
      problem: 'invalidResetPoint',
      validResetEvents: valid,
    });
  }

  /** Temporal says only "invalid argument": read the run's history for the points it accepts. */
  private async invalidPoint(request: ResetRequest, cause: WorkflowsApiError): Promise<WorkflowsApiError> {
    const valid = await this.validPoints(request.executionId, request.runId);
    if (valid !== undefined && valid.includes(request.eventId)) return cause; // refused for another reason
    return new WorkflowsApiError({
      kind: 'http',
      message: `${resetPointMessage(request.eventId, valid)} (Temporal: ${cause.message})`,
      method: cause.method,
      path: cause.path,
      status: cause.status,
      grpcCode: cause.grpcCode,
      problem: 'invalidResetPoint',
      validResetEvents: valid,
      cause,
    });
  }

  /** A run's reset points, for a refusal's message; undefined if they cannot be read (the refusal is what matters). */
  private async validPoints(executionId: string, runId: string | undefined, signal?: AbortSignal): Promise<number[] | undefined> {
    try {
      return resetPointIds(await this.client.historyAll(executionId, runId, { signal }));
    } catch {
      return undefined;
    }
  }

  resetAsCode(request: ResetCodeRequest, format: ResetCodeFormat): ResetCode {
    return temporalResetCode({ ...this.client.endpoint, resetPath: this.client.resetPath(request.executionId) }, request, format);
  }

  /** Long polls of the current run's history: a message per page of new events, until it closes (longPoll.ts). */
  streamExecution(executionId: string, options: StreamExecutionOptions = {}): AsyncIterable<StreamMessage> {
    return followHistory(this.client, executionId, options, this.timing);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** A Temporal run as the extension's Execution. */
function executionOf(run: TemporalExecution): Execution {
  const start = run.startTime?.getTime();
  const end = run.closeTime?.getTime();
  return {
    workflowName: run.workflowType,
    executionId: run.workflowId,
    runId: run.runId,
    status: run.status,
    deploymentName: run.taskQueue,
    startTime: run.startTime,
    endTime: run.closeTime,
    totalDurationMs: start !== undefined && end !== undefined ? end - start : undefined,
    parentExecutionId: run.parent?.workflowId,
    rootExecutionId: run.root?.workflowId,
  };
}
