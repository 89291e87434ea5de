/**
 * The Workflows API routes. Each handler validates like FastAPI would, acts on the store and returns
 * a Reply; sending it (and any fault mangling) is server.ts's job.
 */
import { issue, json, laxInt, notFoundExecution, notRunning, plainError, validationError, type Reply, type ValidationIssue } from './errors';
import { stringifyExact } from './json';
import { listPage, parseListQuery } from './listing';
import { latestRun, type Execution, type Run } from './model';
import { validResetEventIds } from './reset';
import { historyBody, runDetail, traceBody, type HistoryShape } from './shapes';
import type { Store } from './store';

export type RequestBody =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'invalid'; position: number; message: string };

export interface ApiRequest {
  method: string;
  /** Decoded path segments after /v1/workflows. */
  segments: string[];
  query: URLSearchParams;
  body: RequestBody;
}

export interface RouteContext {
  store: Store;
  historyShape: () => HistoryShape;
}

const UUID = /^(urn:uuid:)?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function route(req: ApiRequest, ctx: RouteContext): Reply {
  const [first, id, ...rest] = req.segments;
  const tail = rest.join('/');
  const get = req.method === 'GET';
  const post = req.method === 'POST';

  if (first === 'runs' && id === undefined) return get ? listRuns(req, ctx) : plainError(405);
  if (first === 'runs' && id !== undefined && (tail === '' || tail === 'history')) {
    if (!get) return plainError(405);
    if (!UUID.test(id)) return validationError([issue.uuid(['path', 'run_id'], id)]);
    const found = ctx.store.run(id);
    if (!found) return notFoundExecution();
    return tail === '' ? json(200, runDetail(found.execution, found.run)) : history(ctx, found.execution, found.run);
  }
  if (first !== 'executions' || id === undefined) return plainError(404);

  const known = ['', 'history', 'trace/events', 'stream', 'reset', 'terminate', 'cancel', 'signals', 'updates', 'queries'];
  if (!known.includes(tail)) return plainError(404);
  const readOnly = tail === '' || tail === 'history' || tail === 'trace/events' || tail === 'stream';
  if (readOnly ? !get : !post) return plainError(405);
  const execution = ctx.store.execution(id);
  if (!execution) {
    // FastAPI validates the body before the handler looks the execution up.
    const issues = tail === 'reset' ? resetIssues(req.body) : [];
    return issues.length > 0 ? validationError(issues) : notFoundExecution();
  }
  switch (tail) {
    case '':
      return json(200, runDetail(execution));
    case 'history':
      return history(ctx, execution, latestRun(execution));
    case 'trace/events':
      return { status: 200, body: stringifyExact(traceBody(execution, latestRun(execution))), contentType: 'application/json' };
    case 'stream':
      return streamReply(req, execution);
    case 'reset':
      return reset(req, ctx, execution);
    case 'terminate':
      return ctx.store.terminate(execution, 'Terminated via API') ? { status: 204 } : notRunning(latestRun(execution).status);
    case 'cancel':
      return ctx.store.cancel(execution) ? { status: 204 } : notRunning(latestRun(execution).status);
    default:
      return interact(tail, req, ctx, execution);
  }
}

const EVENT_SOURCES = ['DATABASE', 'LIVE', 'HYBRID'];

/** The stream itself is served by server.ts (stream.ts); here only the query is validated. */
function streamReply(req: ApiRequest, execution: Execution): Reply {
  const source = req.query.get('event_source');
  if (source !== null && !EVENT_SOURCES.includes(source)) {
    return validationError([{ type: 'enum', loc: ['query', 'event_source'], msg: "Input should be 'DATABASE', 'LIVE' or 'HYBRID'", input: source, ctx: { expected: "'DATABASE', 'LIVE' or 'HYBRID'" } }]);
  }
  return { status: 200, streamExecutionId: execution.executionId };
}

function listRuns(req: ApiRequest, ctx: RouteContext): Reply {
  const query = parseListQuery(req.query);
  if (Array.isArray(query)) return validationError(query);
  return json(200, listPage(ctx.store.executions, query));
}

function history(ctx: RouteContext, execution: Execution, run: Run): Reply {
  // decode_payloads is accepted and ignored: the sandbox's payloads are always decoded JSON.
  return { status: 200, body: stringifyExact(historyBody(ctx.historyShape(), execution, run)), contentType: 'application/json' };
}

function bodyObject(body: RequestBody): { issues: ValidationIssue[]; value: Record<string, unknown> } {
  if (body.kind === 'invalid') return { issues: [issue.json(body.position, body.message)], value: {} };
  if (body.kind === 'none') return { issues: [issue.missing(['body'], null)], value: {} };
  const v = body.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return { issues: [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: v }], value: {} };
  }
  return { issues: [], value: v as Record<string, unknown> };
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

function reset(req: ApiRequest, ctx: RouteContext, execution: Execution): Reply {
  const issues = resetIssues(req.body);
  if (issues.length > 0) return validationError(issues);
  const body = (req.body as { value: Record<string, unknown> }).value;
  const eventId = laxInt(body.event_id) as number;
  const valid = validResetEventIds(latestRun(execution));
  if (!valid.includes(eventId)) {
    return json(422, {
      detail: `Invalid event id for reset: ${eventId} is not a WORKFLOW_TASK_COMPLETED event of the latest run`,
      code: 'WF_1001',
      valid_reset_events: valid,
    });
  }
  ctx.store.reset(execution, {
    eventId,
    reason: typeof body.reason === 'string' ? body.reason : null,
    excludeSignals: body.exclude_signals === true,
    excludeUpdates: body.exclude_updates === true,
  });
  return { status: 204 };
}

/** signals / updates / queries: `{ name, input? }`. */
function interact(tail: string, req: ApiRequest, ctx: RouteContext, execution: Execution): Reply {
  const { issues, value } = bodyObject(req.body);
  if (issues.length === 0 && !('name' in value)) issues.push(issue.missing(['body', 'name'], value));
  else if (issues.length === 0 && typeof value.name !== 'string') issues.push(issue.string(['body', 'name'], value.name));
  if (issues.length > 0) return validationError(issues);
  const name = value.name as string;
  const run = latestRun(execution);
  if (tail === 'queries') return json(200, { query_name: name, result: { status: run.status } });
  if (tail === 'signals') {
    return ctx.store.signal(execution, name, value.input) ? json(202, { message: 'Signal accepted' }) : notRunning(run.status);
  }
  const result = ctx.store.update(execution, name, value.input);
  return result === undefined ? notRunning(run.status) : json(200, { update_name: name, result });
}
