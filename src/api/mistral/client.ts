/**
 * Mistral's Workflows API (`/v1/workflows`): the client the extension uses for a Mistral workspace. Reads retry (see http.ts), writes never do; every
 * failure is a WorkflowsApiError. Wire bodies are turned into the model in types.ts here and nowhere else.
 */
import type { Dispatcher } from 'undici';
import { MAX_RUN_PAGES, RUN_PAGE_SIZE, type BackendCapabilities, type GetHistoryOptions, type WorkflowBackend } from '../backend';
import { Agent } from '../undici';
import { HistoryFormatError, normalizeHistory } from '../history';
import { HttpCall, HttpTransport, shapeError, transportSettings, type AnswerSource, type TransportOptions } from '../http';
import type { StreamExecutionOptions, StreamMessage } from '../liveEvents';
import type { ResetCode, ResetCodeFormat, ResetCodeRequest } from '../resetCode';
import { Execution, ExecutionPage, ListExecutionsQuery, ResetRequest, WorkflowEvent } from '../types';
import { newestFirst, parseExecution, parseExecutionPage } from './parse';
import { mistralResetCode } from './resetCode';
import { streamExecution } from './stream';

export interface WorkflowsClientOptions extends TransportOptions {
  /** The workspace's key, sent as `Authorization: Bearer <key>`. */
  apiKey: string;
}


const DEFAULT_USER_AGENT = 'mistral-workflows-vscode';
/** An unreadable answer, to a write too, is a plain parse error here (not outcomeUnknown), as it has always been. */
const MISTRAL_ANSWER: AnswerSource = { name: 'The server', unreadableWriteApplied: false };
const EXECUTIONS = '/v1/workflows/executions/';

const enc = encodeURIComponent;

export const MISTRAL_CAPABILITIES: BackendCapabilities = { rawListQuery: false, resetRequestId: false, extraResetTargets: [], liveEvents: 'stream' };

/** Mistral's Workflows API: the extension's first backend. */
export class WorkflowsClient implements WorkflowBackend {
  readonly capabilities = MISTRAL_CAPABILITIES;

  private readonly http: HttpTransport;
  /** Streams hold a connection each for minutes: their own dispatcher, so they never starve the reads' pool. */
  private streamDispatcher: Dispatcher | undefined;

  constructor(private readonly options: WorkflowsClientOptions) {
    this.http = new HttpTransport(transportSettings(options, { apiKey: options.apiKey, userAgent: DEFAULT_USER_AGENT }));
  }

  async listExecutions(query: ListExecutionsQuery, signal?: AbortSignal): Promise<ExecutionPage> {
    const q = new URLSearchParams();
    for (const s of query.status ?? []) q.append('status', s); // repeated key, as the API expects
    if (query.workflow) q.set('workflow_identifier', query.workflow);
    if (query.search) q.set('search', query.search);
    if (query.pageSize !== undefined) q.set('page_size', String(query.pageSize));
    if (query.pageToken) q.set('next_page_token', query.pageToken);
    const call: HttpCall = { method: 'GET', path: '/v1/workflows/runs', query: q, expectJson: true, signal };
    const page = parseExecutionPage(await this.http.call(call));
    if (!page) throw shapeError(call, 'a list of executions', MISTRAL_ANSWER);
    return page;
  }

  /** Every run of one execution (rows sharing its execution_id after resets), newest first. */
  async listRuns(executionId: string, signal?: AbortSignal): Promise<Execution[]> {
    const runs: Execution[] = [];
    const seenTokens = new Set<string>();
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_RUN_PAGES; page++) {
      const result = await this.listExecutions({ search: executionId, pageSize: RUN_PAGE_SIZE, pageToken }, signal);
      // search matches loosely (names, prefixes): keep exact matches only.
      for (const e of result.executions) if (e.executionId === executionId) runs.push(e);
      pageToken = result.nextPageToken;
      if (pageToken === undefined || seenTokens.has(pageToken)) break;
      seenTokens.add(pageToken);
    }
    return newestFirst(runs);
  }

  getExecution(executionId: string, signal?: AbortSignal): Promise<Execution> {
    return this.readExecution(`${EXECUTIONS}${enc(executionId)}`, executionId, signal);
  }

  getRun(runId: string, signal?: AbortSignal): Promise<Execution> {
    return this.readExecution(`/v1/workflows/runs/${enc(runId)}`, undefined, signal);
  }

  async getHistory(executionId: string, options?: GetHistoryOptions, signal?: AbortSignal): Promise<WorkflowEvent[]> {
    const path = options?.runId !== undefined
      ? `/v1/workflows/runs/${enc(options.runId)}/history`
      : `${EXECUTIONS}${enc(executionId)}/history`;
    const stream = options?.stream;
    const call: HttpCall = {
      method: 'GET', path, query: new URLSearchParams({ decode_payloads: 'true' }), expectJson: true, signal,
      sink: stream ? () => stream.sink() : undefined,
    };
    if (!stream) return historyOf(call, await this.http.call(call));
    try {
      return (await this.http.call(call)) as WorkflowEvent[];
    } catch (e) {
      if (e instanceof HistoryFormatError) throw shapeError(call, 'an event history', MISTRAL_ANSWER, e);
      throw e;
    }
  }

  async getTraceEvents(executionId: string, signal?: AbortSignal): Promise<{ execution: Execution; events: WorkflowEvent[] }> {
    const call: HttpCall = {
      method: 'GET',
      path: `${EXECUTIONS}${enc(executionId)}/trace/events`,
      query: new URLSearchParams({ include_internal_events: 'true', merge_same_id_events: 'false' }),
      expectJson: true,
      signal,
    };
    const body = await this.http.call(call);
    const execution = parseExecution(body, executionId);
    if (!execution) throw shapeError(call, 'an execution with events', MISTRAL_ANSWER);
    return { execution, events: historyOf(call, body) };
  }

  resetAsCode(request: ResetCodeRequest, format: ResetCodeFormat): ResetCode {
    return mistralResetCode(this.options.baseUrl, request, format);
  }

  /** Never retried: a reset sent twice would reset twice. On `outcomeUnknown`, read the execution back. */
  async reset(request: ResetRequest, signal?: AbortSignal): Promise<void> {
    await this.http.call({
      method: 'POST',
      path: `${EXECUTIONS}${enc(request.executionId)}/reset`,
      // All four fields, always: the server's defaults for the exclusions are not documented.
      body: {
        event_id: request.eventId,
        reason: request.reason,
        exclude_signals: request.excludeSignals,
        exclude_updates: request.excludeUpdates,
      },
      expectJson: false,
      resetEventId: request.eventId,
      signal,
    });
  }

  async terminate(executionId: string, signal?: AbortSignal): Promise<void> {
    await this.http.call({ method: 'POST', path: `${EXECUTIONS}${enc(executionId)}/terminate`, expectJson: false, signal });
  }

  async cancel(executionId: string, signal?: AbortSignal): Promise<void> {
    await this.http.call({ method: 'POST', path: `${EXECUTIONS}${enc(executionId)}/cancel`, expectJson: false, signal });
  }

  async signal(executionId: string, name: string, input?: unknown, signal?: AbortSignal): Promise<void> {
    await this.http.call({
      method: 'POST',
      path: `${EXECUTIONS}${enc(executionId)}/signals`,
      body: input === undefined ? { name } : { name, input },
      expectJson: false,
      signal,
    });
  }

  /**
   * Runs a query handler of the execution's latest run (`__stack_trace` is the engine's own: where the
   * workflow's code is waiting). Not retried: a query may be slow, and the user can run it again.
   */
  async query(executionId: string, name: string, input?: unknown, signal?: AbortSignal): Promise<unknown> {
    const call: HttpCall = {
      method: 'POST',
      path: `${EXECUTIONS}${enc(executionId)}/queries`,
      body: input === undefined ? { name } : { name, input },
      expectJson: true,
      signal,
    };
    const body = await this.http.call(call);
    if (typeof body !== 'object' || body === null || !('result' in body)) throw shapeError(call, 'a query result', MISTRAL_ANSWER);
    return body.result;
  }

  /** The execution's live events (SSE), reconnecting with Last-Event-ID; see stream.ts for the rules. */
  streamExecution(executionId: string, options: StreamExecutionOptions = {}): AsyncIterable<StreamMessage> {
    const url = new URL(this.options.baseUrl);
    this.streamDispatcher ??= this.options.dispatcher ?? new Agent({ keepAliveTimeout: 1_000 });
    return streamExecution({
      origin: url.origin,
      prefix: url.pathname.replace(/\/+$/, ''),
      apiKey: this.options.apiKey,
      userAgent: this.options.userAgent ?? DEFAULT_USER_AGENT,
      connectTimeoutMs: this.options.timeoutMs ?? 30_000,
      dispatcher: this.streamDispatcher,
    }, executionId, options);
  }

  /** Closes the connections this client created (an injected dispatcher is the caller's to close). */
  async close(): Promise<void> {
    const streams = this.options.dispatcher === undefined ? this.streamDispatcher : undefined;
    this.streamDispatcher = undefined;
    // destroy, not close: close would wait for open streams to end, which they never do by themselves.
    await Promise.all([this.http.close(), streams?.destroy()]);
  }

  private async readExecution(path: string, fallbackId: string | undefined, signal?: AbortSignal): Promise<Execution> {
    const call: HttpCall = { method: 'GET', path, expectJson: true, signal };
    const execution = parseExecution(await this.http.call(call), fallbackId);
    if (!execution) throw shapeError(call, 'an execution', MISTRAL_ANSWER);
    return execution;
  }
}

function historyOf(call: HttpCall, body: unknown): WorkflowEvent[] {
  try {
    return normalizeHistory(body);
  } catch (e) {
    if (e instanceof HistoryFormatError) throw shapeError(call, 'an event history', MISTRAL_ANSWER, e);
    throw e;
  }
}
