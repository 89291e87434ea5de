/**
 * A client for Temporal's HTTP API (what `temporal server start-dev --http-port` and Temporal clusters
 * serve under `/api/v1`), on the same transport as the Mistral client: reads retry (UNAVAILABLE,
 * RESOURCE_EXHAUSTED, dropped connections), writes never do, every failure is a WorkflowsApiError
 * with a neutral `problem` and Temporal's `grpcCode`. Request and answer bodies are protobuf JSON
 * (camelCase, int64 as strings); see workers/README.md for the exact bodies checked on the engine.
 */
import { randomUUID } from 'node:crypto';
import type { TlsSettings } from '../tls';
import { HttpCall, HttpTransport, shapeError, transportSettings, type AnswerSource, type TransportOptions } from '../http';
import { isObject, text } from '../json';
import { temporalError } from './errors';
import { enumName, parseDescription, parseExecutionPage } from './parse';
import { decodePayloads } from './payloads';
import { HistoryPage, TemporalDescription, TemporalExecutionPage, UpdateOutcome } from './types';

/** `timeoutMs` is per attempt: keep it above the server's long polls (updates). */
export interface TemporalClientOptions extends TransportOptions {
  namespace: string;
  /** Sent as `Authorization: Bearer <key>`; none by default (a dev server needs none). */
  apiKey?: string;
  /** Recorded by the server on signals, updates, terminations and cancellations. */
  identity?: string;
  /** TLS: a client certificate and key (PEM) for mTLS, a private CA (PEM) to trust, a server name. */
  tls?: TlsSettings;
}

interface ListWorkflowsOptions {
  /** A visibility query, e.g. `WorkflowType='order' AND ExecutionStatus='Running'`. */
  query?: string;
  pageSize?: number;
  nextPageToken?: string;
}

export interface HistoryOptions {
  runId?: string;
  maximumPageSize?: number;
  nextPageToken?: string;
  /** Long-poll: the server answers when the run has new events after `nextPageToken` (or closes). */
  waitNewEvent?: boolean;
}

interface HistoryAllOptions {
  maximumPageSize?: number;
  /** Stop (with an error) after this many pages. Default 2000. */
  maxPages?: number;
  signal?: AbortSignal;
}

interface HistoryPagesOptions extends Omit<HistoryAllOptions, 'maximumPageSize'> {
  /**
   * The page size to ask for, or a function asked before each page (undefined: the server's largest),
   * for a reader that wants small pages at first and everything left later. The server takes a
   * different size on each page of the same read (checked on the engine).
   */
  maximumPageSize?: number | (() => number | undefined);
}

interface TemporalResetOptions {
  /** The run to reset; default the current run. */
  runId?: string;
  /** A WORKFLOW_TASK_COMPLETED (Temporal also takes _STARTED, _FAILED, _TIMED_OUT) event id of that run. */
  workflowTaskFinishEventId: number | string;
  reason: string;
  /** Required by the server. It does NOT de-duplicate resets on it (workers/README.md): never resend. */
  requestId: string;
  excludeSignals: boolean;
  excludeUpdates: boolean;
}

interface StartWorkflowOptions {
  workflowType: string;
  taskQueue: string;
  /** One payload per element; Mistral workflows take one object of named parameters. */
  input?: unknown[];
  requestId?: string;
  /** A protobuf duration, e.g. `"60s"`. */
  executionTimeout?: string;
}

interface SignalOptions {
  runId?: string;
  input?: unknown[];
  requestId?: string;
}

interface UpdateOptions {
  runId?: string;
  args?: unknown[];
  /** Default a random UUID. */
  updateId?: string;
}

interface QueryOptions {
  runId?: string;
  args?: unknown[];
}

interface CloseOptions {
  runId?: string;
  reason?: string;
}

const DEFAULT_TEMPORAL_IDENTITY = 'mistral-workflows-vscode';
const DEFAULT_MAX_PAGES = 2000;
const UPDATE_COMPLETED = 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED';
/** On a write, the server said yes but its answer is unreadable: applied, result unknown: read back. */
const TEMPORAL_ANSWER: AnswerSource = { name: 'Temporal', unreadableWriteApplied: true };

const enc = encodeURIComponent;

export class TemporalClient {
  private readonly http: HttpTransport;
  private readonly identity: string;
  private readonly base: string;
  /** Where it talks, whether with a key, and as whom: what a copied snippet must say too. */
  readonly endpoint: { readonly baseUrl: string; readonly namespace: string; readonly withApiKey: boolean; readonly identity: string };

  constructor(options: TemporalClientOptions) {
    this.identity = options.identity ?? DEFAULT_TEMPORAL_IDENTITY;
    this.base = `/api/v1/namespaces/${enc(options.namespace)}`;
    this.endpoint = { baseUrl: options.baseUrl, namespace: options.namespace, withApiKey: Boolean(options.apiKey), identity: this.identity };
    this.http = new HttpTransport(
      transportSettings(options, {
        apiKey: options.apiKey ?? '',
        userAgent: DEFAULT_TEMPORAL_IDENTITY,
        mapError: temporalError,
        serviceName: 'The Temporal service',
        tls: options.tls,
        tlsHints: true,
      }),
    );
  }

  async listWorkflows(options: ListWorkflowsOptions = {}, signal?: AbortSignal): Promise<TemporalExecutionPage> {
    const q = new URLSearchParams();
    if (options.query) q.set('query', options.query);
    if (options.pageSize !== undefined) q.set('pageSize', String(options.pageSize));
    if (options.nextPageToken) q.set('nextPageToken', options.nextPageToken);
    const call = this.get(`${this.base}/workflows`, q, signal);
    const page = parseExecutionPage(await this.http.call(call));
    if (!page) throw shapeError(call, 'a list of workflow executions', TEMPORAL_ANSWER);
    return page;
  }

  async describe(workflowId: string, runId?: string, signal?: AbortSignal): Promise<TemporalDescription> {
    const call = this.get(this.workflow(workflowId), runQuery(runId), signal);
    const description = parseDescription(await this.http.call(call));
    if (!description) throw shapeError(call, 'a workflow execution description', TEMPORAL_ANSWER);
    return description;
  }

  /** One page of a run's history (the current run's by default), events as the server sent them. */
  async history(workflowId: string, options: HistoryOptions = {}, signal?: AbortSignal): Promise<HistoryPage> {
    const q = runQuery(options.runId);
    if (options.maximumPageSize !== undefined) q.set('maximumPageSize', String(options.maximumPageSize));
    if (options.nextPageToken) q.set('nextPageToken', options.nextPageToken);
    if (options.waitNewEvent) q.set('waitNewEvent', 'true');
    const call = this.get(this.historyPath(workflowId), q, signal);
    return historyPageOf(call, await this.http.call(call));
  }

  /**
   * A run's last `count` events, newest first (GetWorkflowExecutionHistoryReverse's first page): what a
   * closed run ended with, without reading the rest.
   */
  async historyTail(workflowId: string, runId: string | undefined, count: number, signal?: AbortSignal): Promise<unknown[]> {
    const q = runQuery(runId);
    q.set('maximumPageSize', String(count));
    const call = this.get(`${this.historyPath(workflowId)}-reverse`, q, signal);
    return historyPageOf(call, await this.http.call(call)).events.slice(0, count);
  }

  /**
   * Every page of a run's history, concatenated. Pages follow the server's tokens; a token seen twice or
   * more than `maxPages` pages is an error (kind 'parse') rather than a loop or a silently short history.
   */
  async historyAll(workflowId: string, runId?: string, options: HistoryAllOptions = {}): Promise<unknown[]> {
    const events: unknown[] = [];
    for await (const page of this.historyPages(workflowId, runId, options)) {
      for (const e of page.events) events.push(e);
    }
    return events;
  }

  /**
   * The pages of a run's history, one request per page, each sent only when the caller asks for the
   * next one (so a caller can stop, or wait, between pages). Same guards as historyAll.
   */
  async *historyPages(workflowId: string, runId?: string, options: HistoryPagesOptions = {}): AsyncGenerator<HistoryPage, void, undefined> {
    const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
    const size = options.maximumPageSize;
    const seen = new Set<string>();
    let nextPageToken: string | undefined;
    for (let page = 0; ; page++) {
      const maximumPageSize = typeof size === 'function' ? size() : size;
      const result = await this.history(workflowId, { runId, maximumPageSize, nextPageToken }, options.signal);
      nextPageToken = result.nextPageToken;
      // Checked before the page is handed over: its caller may wait for demand before asking for more.
      const repeated = nextPageToken !== undefined && seen.has(nextPageToken);
      if (repeated || (nextPageToken !== undefined && page + 1 >= maxPages)) {
        const call = this.get(this.historyPath(workflowId), runQuery(runId), options.signal);
        throw shapeError(call, repeated ? 'a history whose pages end (a page token came back twice)' : `a history of at most ${maxPages} pages`, TEMPORAL_ANSWER);
      }
      yield result;
      if (nextPageToken === undefined) return;
      seen.add(nextPageToken);
    }
  }

  /** Where a workflow's history is read (also what an error about reading it names). */
  historyPath(workflowId: string): string {
    return `${this.workflow(workflowId)}/history`;
  }

  /** ResetWorkflowExecution. Never retried: a reset sent twice resets twice (the request id does not help). */
  async reset(workflowId: string, options: TemporalResetOptions, signal?: AbortSignal): Promise<{ runId: string }> {
    const call = this.post(this.resetPath(workflowId), resetRequestBody(workflowId, options, this.identity), true, signal);
    return { runId: this.runIdOf(call, await this.http.call(call)) };
  }

  /** Where a reset is sent, below the base URL (also what Copy Reset as curl writes). */
  resetPath(workflowId: string): string {
    return `${this.workflow(workflowId)}/reset`;
  }

  /** StartWorkflowExecution (for seeding and tests). */
  async start(workflowId: string, options: StartWorkflowOptions, signal?: AbortSignal): Promise<{ runId: string }> {
    const body: Record<string, unknown> = {
      workflowType: { name: options.workflowType },
      taskQueue: { name: options.taskQueue },
      requestId: options.requestId ?? randomUUID(),
      identity: this.identity,
    };
    if (options.input !== undefined) body.input = options.input;
    if (options.executionTimeout !== undefined) body.workflowExecutionTimeout = options.executionTimeout;
    const call = this.post(this.workflow(workflowId), body, true, signal);
    return { runId: this.runIdOf(call, await this.http.call(call)) };
  }

  async signal(workflowId: string, signalName: string, options: SignalOptions = {}, signal?: AbortSignal): Promise<void> {
    await this.http.call(this.post(`${this.workflow(workflowId)}/signal/${enc(signalName)}`, {
      workflowExecution: execution(workflowId, options.runId),
      input: options.input ?? [],
      requestId: options.requestId ?? randomUUID(),
      identity: this.identity,
    }, false, signal));
  }

  /** UpdateWorkflowExecution, waiting for the update to complete; results are decoded (see payloads.ts). */
  async update(workflowId: string, updateName: string, options: UpdateOptions = {}, signal?: AbortSignal): Promise<UpdateOutcome> {
    const updateId = options.updateId ?? randomUUID();
    const call = this.post(`${this.workflow(workflowId)}/update/${enc(updateName)}`, {
      workflowExecution: execution(workflowId, options.runId),
      request: { meta: { updateId, identity: this.identity }, input: { name: updateName, args: options.args ?? [] } },
      waitPolicy: { lifecycleStage: UPDATE_COMPLETED },
    }, true, signal);
    const body = await this.http.call(call);
    if (!isObject(body)) throw shapeError(call, 'an update outcome', TEMPORAL_ANSWER);
    const result: UpdateOutcome = { updateId, stage: enumName(body.stage, 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_') ?? 'UNSPECIFIED' };
    const outcome = body.outcome;
    if (isObject(outcome) && isObject(outcome.failure)) {
      result.outcome = { failure: { message: text(outcome.failure.message) ?? '', raw: outcome.failure } };
    } else if (isObject(outcome)) {
      result.outcome = { success: decodePayloads(outcome.success) };
    }
    return result;
  }

  /** QueryWorkflow; the answer's payloads, decoded. A POST, so never retried (it changes nothing, but is rare). */
  async query(workflowId: string, queryType: string, options: QueryOptions = {}, signal?: AbortSignal): Promise<unknown[]> {
    const call = this.post(`${this.workflow(workflowId)}/query/${enc(queryType)}`, {
      execution: execution(workflowId, options.runId),
      query: { queryType, queryArgs: options.args ?? [] },
    }, true, signal);
    const body = await this.http.call(call);
    if (!isObject(body)) throw shapeError(call, 'a query result', TEMPORAL_ANSWER);
    return decodePayloads(body.queryResult);
  }

  async terminate(workflowId: string, options: CloseOptions = {}, signal?: AbortSignal): Promise<void> {
    const body: Record<string, unknown> = { workflowExecution: execution(workflowId, options.runId), identity: this.identity };
    if (options.reason !== undefined) body.reason = options.reason;
    await this.http.call(this.post(`${this.workflow(workflowId)}/terminate`, body, false, signal));
  }

  /** RequestCancelWorkflowExecution: the workflow decides what cancelling means. */
  async cancel(workflowId: string, options: CloseOptions & { requestId?: string } = {}, signal?: AbortSignal): Promise<void> {
    const body: Record<string, unknown> = {
      workflowExecution: execution(workflowId, options.runId),
      requestId: options.requestId ?? randomUUID(),
      identity: this.identity,
    };
    if (options.reason !== undefined) body.reason = options.reason;
    await this.http.call(this.post(`${this.workflow(workflowId)}/cancel`, body, false, signal));
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  private workflow(workflowId: string): string {
    return `${this.base}/workflows/${enc(workflowId)}`;
  }

  private get(path: string, query: URLSearchParams, signal: AbortSignal | undefined): HttpCall {
    return { method: 'GET', path, query, expectJson: true, signal };
  }

  private post(path: string, body: unknown, expectJson: boolean, signal: AbortSignal | undefined): HttpCall {
    return { method: 'POST', path, body, expectJson, signal };
  }

  private runIdOf(call: HttpCall, body: unknown): string {
    const runId = isObject(body) ? text(body.runId) : undefined;
    if (runId === undefined) throw shapeError(call, 'an answer with a run id', TEMPORAL_ANSWER);
    return runId;
  }
}

/** ResetWorkflowExecution's body, as sent (and as Copy Reset as curl writes it). */
export function resetRequestBody(workflowId: string, options: TemporalResetOptions, identity: string): Record<string, unknown> {
  const exclude: string[] = [];
  if (options.excludeSignals) exclude.push('RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL');
  if (options.excludeUpdates) exclude.push('RESET_REAPPLY_EXCLUDE_TYPE_UPDATE');
  return {
    workflowExecution: execution(workflowId, options.runId),
    reason: options.reason,
    workflowTaskFinishEventId: String(options.workflowTaskFinishEventId),
    requestId: options.requestId,
    resetReapplyExcludeTypes: exclude,
    identity,
  };
}

/** A history page's events and next token, from a forward or a reverse read. */
function historyPageOf(call: HttpCall, body: unknown): HistoryPage {
  if (!isObject(body)) throw shapeError(call, 'a page of history events', TEMPORAL_ANSWER);
  // An empty page may come without `history` or without `events`.
  const events = isObject(body.history) ? (body.history.events ?? []) : [];
  if (!Array.isArray(events)) throw shapeError(call, 'a page of history events', TEMPORAL_ANSWER);
  const token = text(body.nextPageToken);
  return token !== undefined ? { events, nextPageToken: token } : { events };
}

function runQuery(runId: string | undefined): URLSearchParams {
  return runId ? new URLSearchParams({ 'execution.runId': runId }) : new URLSearchParams();
}

function execution(workflowId: string, runId: string | undefined): { workflowId: string; runId?: string } {
  return runId ? { workflowId, runId } : { workflowId };
}
