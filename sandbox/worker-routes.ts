/**
 * The routes the Mistral worker SDK (mistralai-workflows 3.16) calls, as workers/README.md records them:
 * `whoami` tells a worker where the engine is, `register` / `heartbeat` keep its workflows known,
 * `executions/register` runs at the start of every run, `events` (and `events/batch`) are its progress
 * reports. They are the same for every store: they need only the engine's address and the registry.
 */
import { issue, json, plainError, validationError, type Reply, type ValidationIssue } from './errors';
import { bodyObject, type ApiRequest } from './request';
import type { Definition, EngineAddress, WorkerRegistry } from './workers';

export interface WorkerRouteContext {
  workers: WorkerRegistry;
  /** Absent: whoami is 404, and workers use their own TEMPORAL_* settings. */
  engine?: EngineAddress;
}

type Handler = (req: ApiRequest, ctx: WorkerRouteContext) => Reply;

const ROUTES: Record<string, { method: 'GET' | 'POST'; handle: Handler }> = {
  'workers/whoami': { method: 'GET', handle: whoami },
  register: { method: 'POST', handle: register },
  'workers/heartbeat': { method: 'POST', handle: heartbeat },
  'executions/register': { method: 'POST', handle: registerExecution },
  events: { method: 'POST', handle: (req, ctx) => events(req, ctx, false) },
  'events/batch': { method: 'POST', handle: (req, ctx) => events(req, ctx, true) },
};

/** The reply to a worker request, or undefined when the request is not one. */
export function workerRoute(req: ApiRequest, ctx: WorkerRouteContext): Reply | undefined {
  const path = req.segments.join('/');
  const found = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
  if (!found) return undefined;
  // GET /executions/register is GET /executions/{execution_id}: an execution called "register".
  if (path === 'executions/register' && req.method !== 'POST') return undefined;
  return req.method === found.method ? found.handle(req, ctx) : plainError(405);
}

function whoami(_req: ApiRequest, ctx: WorkerRouteContext): Reply {
  if (!ctx.engine) return plainError(404); // the SDK warns and keeps its local settings
  return json(200, {
    scheduler_url: ctx.engine.grpcAddress,
    namespace: ctx.engine.namespace,
    tls: false,
    // v1 events: the sandbox has no /v2 event routes (the SDK's default would be v2).
    features: { upload_graph: false, events_api_version: 'v1' },
  });
}

function register(req: ApiRequest, ctx: WorkerRouteContext): Reply {
  const { issues, value } = bodyObject(req.body);
  if (issues.length === 0) issues.push(...fieldIssues(value, ['body'], { definitions: 'list', deployment_name: 'string', worker_name: 'string' }));
  if (issues.length === 0) {
    (value.definitions as unknown[]).forEach((d, i) => {
      const loc = ['body', 'definitions', i];
      if (d === null || typeof d !== 'object' || Array.isArray(d)) issues.push(issue.dict(loc, d));
      else issues.push(...fieldIssues(d as Record<string, unknown>, loc, { input_schema: 'dict', name: 'string', task_queue: 'string' }));
    });
  }
  if (issues.length > 0) return validationError(issues);
  const registered = ctx.workers.register(value.deployment_name as string, value.worker_name as string, value.definitions as Definition[]);
  return json(200, {
    has_conflicts: false,
    workflow_registration_ids: registered.map((w) => w.registrationId),
    // workflow_version_id is the deprecated name of the registration id; the SDK's model still requires it.
    workflow_registration_refs: registered.map((w) => ({ workflow_id: w.workflowId, workflow_registration_id: w.registrationId, workflow_version_id: w.registrationId })),
    warnings: [],
  });
}

function heartbeat(req: ApiRequest): Reply {
  const issues = objectIssues(req, { deployment_name: 'string', worker_name: 'string' });
  return issues.length > 0 ? validationError(issues) : json(200, { all_active: true });
}

function registerExecution(req: ApiRequest, ctx: WorkerRouteContext): Reply {
  const required = { temporal_workflow_id: 'string', temporal_run_id: 'string', workflow_name: 'string', task_queue: 'string', execution_token_hash: 'string' } as const;
  const issues = objectIssues(req, required);
  if (issues.length > 0) return validationError(issues);
  const body = (req.body as { value: Record<string, string | null | undefined> }).value;
  const executionId = body.temporal_workflow_id as string;
  const created = ctx.workers.registerExecution({
    executionId,
    runId: body.temporal_run_id as string,
    workflowName: body.workflow_name as string,
    taskQueue: body.task_queue as string,
    parentExecutionId: body.temporal_parent_workflow_id ?? null,
    rootExecutionId: body.temporal_root_workflow_id ?? null,
  });
  return json(200, { execution_id: executionId, created, metadata_status: 'ok' });
}

function events(req: ApiRequest, ctx: WorkerRouteContext, batch: boolean): Reply {
  const issues = objectIssues(req, batch ? { events: 'list' } : { event: 'dict' });
  if (issues.length > 0) return validationError(issues);
  if (!batch) {
    ctx.workers.countEvents(1);
    return json(200, { status: 'success', message: null });
  }
  const received = (req.body as { value: { events: unknown[] } }).value.events.length;
  ctx.workers.countEvents(received);
  return json(200, { status: 'success', events_received: received, message: null });
}

type FieldType = 'string' | 'list' | 'dict';

function objectIssues(req: ApiRequest, fields: Record<string, FieldType>): ValidationIssue[] {
  const { issues, value } = bodyObject(req.body);
  return issues.length > 0 ? issues : fieldIssues(value, ['body'], fields);
}

/** Pydantic's errors for required fields: missing, or not of the type. */
function fieldIssues(value: Record<string, unknown>, loc: (string | number)[], fields: Record<string, FieldType>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [name, type] of Object.entries(fields)) {
    const v = value[name];
    const at = [...loc, name];
    if (!(name in value)) issues.push(issue.missing(at, value));
    else if (type === 'string' && typeof v !== 'string') issues.push(issue.string(at, v));
    else if (type === 'list' && !Array.isArray(v)) issues.push(issue.list(at, v));
    else if (type === 'dict' && (v === null || typeof v !== 'object' || Array.isArray(v))) issues.push(issue.dict(at, v));
  }
  return issues;
}
