/**
 * The Workflows API routes. Each handler validates like FastAPI would, asks the store to act or read
 * and returns a Reply; sending it (and any fault mangling) is server.ts's job. The validation, the
 * error bodies and the reset records are the API's, so they live here, the same for every store.
 */
import type { HistoryShape, JsonText, Outcome, SandboxStore } from './store';
import { issue, json, laxInt, notFoundExecution, notRunning, plainError, validationError, type Reply, type ValidationIssue } from './errors';
import { listBody, parseListQuery } from './listing';
import { bodyObject, type ApiRequest, type RequestBody } from './request';
import { workerRoute, type WorkerRouteContext } from './worker-routes';

/** A reset the API accepted (204), as `sandbox.resets` and `GET /_sandbox/resets` list them. */
export interface ResetRecord {
  executionId: string;
  eventId: number;
  reason: string | null;
  excludeSignals: boolean;
  excludeUpdates: boolean;
  oldRunId: string;
  newRunId: string;
  time: number;
}

interface RouteContext extends WorkerRouteContext {
  store: SandboxStore;
  /** One of the store's `historyShapes`. */
  historyShape: () => HistoryShape;
  /** Accepted resets are appended here. */
  resets: ResetRecord[];
}

const UUID = /^(urn:uuid:)?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export async function route(req: ApiRequest, ctx: RouteContext): Promise<Reply> {
  const [first, id, ...rest] = req.segments;
  const tail = rest.join('/');
  const get = req.method === 'GET';
  const post = req.method === 'POST';
  const { store } = ctx;
  const worker = workerRoute(req, ctx);
  if (worker) return worker;

  if (first === 'runs' && id === undefined) return get ? listRuns(req, ctx) : plainError(405);
  if (first === 'runs' && id !== undefined && (tail === '' || tail === 'history')) {
    if (!get) return plainError(405);
    if (!UUID.test(id)) return validationError([issue.uuid(['path', 'run_id'], id)]);
    if (tail === 'history') return jsonText(await store.history({ runId: id }, ctx.historyShape()));
    const run = await store.run(id);
    return run ? json(200, run) : notFoundExecution();
  }
  if (first !== 'executions' || id === undefined) return plainError(404);

  const known = ['', 'history', 'trace/events', 'stream', 'reset', 'terminate', 'cancel', 'signals', 'updates', 'queries'];
  if (!known.includes(tail)) return plainError(404);
  const readOnly = tail === '' || tail === 'history' || tail === 'trace/events' || tail === 'stream';
  if (readOnly ? !get : !post) return plainError(405);
  switch (tail) {
    case '': {
      const execution = await store.execution(id);
      return execution ? json(200, execution) : notFoundExecution();
    }
    case 'history':
      return jsonText(await store.history({ executionId: id }, ctx.historyShape()));
    case 'trace/events':
      return store.traceEvents ? jsonText(await store.traceEvents(id)) : plainError(404);
    case 'stream':
      return (await store.execution(id)) ? streamReply(req, id) : notFoundExecution();
    case 'reset':
      return reset(req, ctx, id);
    case 'terminate':
      return done(await store.terminate(id, 'Terminated via API'), () => ({ status: 204 }));
    case 'cancel':
      return done(await store.cancel(id), () => ({ status: 204 }));
    default:
      return interact(tail, req, store, id);
  }
}

/** A body the store wrote; undefined = no such execution or run. */
function jsonText(body: JsonText | undefined): Reply {
  return body === undefined ? notFoundExecution() : { status: 200, body, contentType: 'application/json' };
}

/** The reply for a store's outcome: `ok` for done, the API's errors for the refusals. */
function done<T>(outcome: Outcome<T>, ok: (value: T) => Reply): Reply {
  if (outcome.kind === 'not_found') return notFoundExecution();
  if (outcome.kind === 'not_running') return notRunning(outcome.status);
  return ok(outcome.value);
}

const EVENT_SOURCES = ['DATABASE', 'LIVE', 'HYBRID'];

/** The stream itself is served by server.ts (stream.ts); here only the query is validated. */
function streamReply(req: ApiRequest, executionId: string): Reply {
  const source = req.query.get('event_source');
  if (source !== null && !EVENT_SOURCES.includes(source)) {
    return validationError([{ type: 'enum', loc: ['query', 'event_source'], msg: "Input should be 'DATABASE', 'LIVE' or 'HYBRID'", input: source, ctx: { expected: "'DATABASE', 'LIVE' or 'HYBRID'" } }]);
  }
  return { status: 200, streamExecutionId: executionId };
}

async function listRuns(req: ApiRequest, ctx: RouteContext): Promise<Reply> {
  const query = parseListQuery(req.query);
  if (Array.isArray(query)) return validationError(query);
  return json(200, listBody(query, await ctx.store.listRuns(query)));
}

function resetIssues(body: RequestBody): ValidationIssue[] {
  const { issues, value } = bodyObject(body);
  if (issues.length > 0) return issues;
  if (!('event_id' in value)) issues.push(issue.missing(['body', 'event_id'], value));
  else if (laxInt(value.event_id) === undefined) issues.push(issue.int(['body', 'event_id'], value.event_id));
  if (value.reason !== undefined && value.reason !== null && typeof value.reason !== 'string') issues.push(issue.string(['body', 'reason'], value.reason));
  for (const flag of ['exclude_signals', 'exclude_updates']) {
    if (value[flag] !== undefined && typeof value[flag] !== 'boolean') issues.push(issue.bool(['body', flag], value[flag]));
  }
  return issues;
}

async function reset(req: ApiRequest, ctx: RouteContext, executionId: string): Promise<Reply> {
  // FastAPI validates the body before the handler looks the execution up.
  const issues = resetIssues(req.body);
  if (issues.length > 0) return validationError(issues);
  const body = (req.body as { value: Record<string, unknown> }).value;
  const request = {
    eventId: laxInt(body.event_id) as number,
    reason: typeof body.reason === 'string' ? body.reason : null,
    excludeSignals: body.exclude_signals === true,
    excludeUpdates: body.exclude_updates === true,
  };
  const outcome = await ctx.store.reset(executionId, request);
  if (outcome.kind === 'invalid_event') {
    return json(422, {
      detail: `Invalid event id for reset: ${request.eventId} is not a WORKFLOW_TASK_COMPLETED event of the latest run`,
      code: 'WF_1001',
      valid_reset_events: outcome.validResetEvents,
    });
  }
  return done(outcome, (runs) => {
    ctx.resets.push({ executionId, ...request, ...runs, time: Date.now() });
    return { status: 204 };
  });
}

/** signals / updates / queries: `{ name, input? }`. */
async function interact(tail: string, req: ApiRequest, store: SandboxStore, executionId: string): Promise<Reply> {
  const { issues, value } = bodyObject(req.body);
  if (issues.length === 0 && !('name' in value)) issues.push(issue.missing(['body', 'name'], value));
  else if (issues.length === 0 && typeof value.name !== 'string') issues.push(issue.string(['body', 'name'], value.name));
  // Unlike reset, these answer 404 for an unknown execution before looking at the body.
  if (issues.length > 0) return (await store.execution(executionId)) ? validationError(issues) : notFoundExecution();
  const name = value.name as string;
  if (tail === 'queries') return done(await store.query(executionId, name, value.input), (result) => json(200, { query_name: name, result }));
  if (tail === 'signals') return done(await store.signal(executionId, name, value.input), () => json(202, { message: 'Signal accepted' }));
  return done(await store.update(executionId, name, value.input), (result) => json(200, { update_name: name, result }));
}
