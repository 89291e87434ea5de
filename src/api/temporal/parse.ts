/**
 * Temporal's protobuf JSON → the typed subset in types.ts. Tolerant like the Mistral parsers: missing
 * fields stay undefined, unknown enum values are kept (named as enums.ts names them), a row without a
 * workflow id and run id cannot be addressed and is skipped.
 */
import { enumNamer } from '../enums';
import { date, integer, isObject, text, type JsonObject } from '../json';
import { PendingActivity, PendingNexusOperation, TemporalDescription, TemporalExecution, TemporalExecutionPage, WorkflowRef } from './types';

/** One namer per enum prefix; the prefixes are the few literals of the callers, so this stays small. */
const namers = new Map<string, (value: string) => string>();

/**
 * A Temporal enum value sent as text (or a number), named as enums.ts names every enum value:
 * `WORKFLOW_EXECUTION_STATUS_RUNNING` (and `Running`) → `RUNNING`. Undefined when none was sent.
 */
export function enumName(value: unknown, prefix: string): string | undefined {
  const v = text(value);
  if (v === undefined) return undefined;
  let namer = namers.get(prefix);
  if (namer === undefined) {
    namer = enumNamer(prefix);
    namers.set(prefix, namer);
  }
  return namer(v);
}

function ref(v: unknown): WorkflowRef | undefined {
  if (!isObject(v)) return undefined;
  const workflowId = text(v.workflowId);
  const runId = text(v.runId);
  return workflowId !== undefined && runId !== undefined ? { workflowId, runId } : undefined;
}

/** Temporal writes an unset timestamp as year 1 in some places (`runExpirationTime`). */
function time(v: unknown): Date | undefined {
  const d = date(v);
  return d !== undefined && d.getUTCFullYear() > 1 ? d : undefined;
}

/** One `WorkflowExecutionInfo` (a list row, or describe's `workflowExecutionInfo`). */
function parseExecutionInfo(raw: unknown): TemporalExecution | undefined {
  if (!isObject(raw)) return undefined;
  const id = ref(raw.execution);
  if (id === undefined) return undefined;
  const out: TemporalExecution = {
    ...id,
    workflowType: (isObject(raw.type) ? text(raw.type.name) : undefined) ?? '',
    status: enumName(raw.status, 'WORKFLOW_EXECUTION_STATUS_') ?? 'UNSPECIFIED',
  };
  const taskQueue = text(raw.taskQueue);
  if (taskQueue !== undefined) out.taskQueue = taskQueue;
  const startTime = time(raw.startTime);
  if (startTime !== undefined) out.startTime = startTime;
  const closeTime = time(raw.closeTime);
  if (closeTime !== undefined) out.closeTime = closeTime;
  const historyLength = integer(raw.historyLength);
  if (historyLength !== undefined) out.historyLength = historyLength;
  const parent = ref(raw.parentExecution);
  if (parent !== undefined) out.parent = parent;
  const root = ref(raw.rootExecution);
  if (root !== undefined) out.root = root;
  const firstRunId = text(raw.firstRunId);
  if (firstRunId !== undefined) out.firstRunId = firstRunId;
  return out;
}

/** `{ executions, nextPageToken }`; undefined when the body is not that shape. An empty page is `{}`. */
export function parseExecutionPage(body: unknown): TemporalExecutionPage | undefined {
  if (!isObject(body)) return undefined;
  const rows = body.executions ?? [];
  if (!Array.isArray(rows)) return undefined;
  const executions: TemporalExecution[] = [];
  for (const row of rows) {
    const e = parseExecutionInfo(row);
    if (e !== undefined) executions.push(e);
  }
  const token = text(body.nextPageToken);
  return token !== undefined ? { executions, nextPageToken: token } : { executions };
}

function pendingActivity(raw: JsonObject): PendingActivity {
  const out: PendingActivity = {
    activityId: text(raw.activityId) ?? '',
    activityType: (isObject(raw.activityType) ? text(raw.activityType.name) : undefined) ?? '',
    state: enumName(raw.state, 'PENDING_ACTIVITY_STATE_') ?? 'UNSPECIFIED',
  };
  const attempt = integer(raw.attempt);
  if (attempt !== undefined) out.attempt = attempt;
  const failure = isObject(raw.lastFailure) ? text(raw.lastFailure.message) : undefined;
  if (failure !== undefined) out.lastFailureMessage = failure;
  return out;
}

function pendingNexusOperation(raw: JsonObject): PendingNexusOperation {
  const out: PendingNexusOperation = {
    endpoint: text(raw.endpoint) ?? '',
    service: text(raw.service) ?? '',
    operation: text(raw.operation) ?? '',
    state: enumName(raw.state, 'PENDING_NEXUS_OPERATION_STATE_') ?? 'UNSPECIFIED',
  };
  const scheduledEventId = integer(raw.scheduledEventId);
  if (scheduledEventId !== undefined) out.scheduledEventId = scheduledEventId;
  const attempt = integer(raw.attempt);
  if (attempt !== undefined) out.attempt = attempt;
  const failure = isObject(raw.lastAttemptFailure) ? text(raw.lastAttemptFailure.message) : undefined;
  if (failure !== undefined) out.lastAttemptFailureMessage = failure;
  return out;
}

const objects = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);

export function parseDescription(body: unknown): TemporalDescription | undefined {
  if (!isObject(body)) return undefined;
  const execution = parseExecutionInfo(body.workflowExecutionInfo);
  if (execution === undefined) return undefined;
  const out: TemporalDescription = {
    execution,
    pendingActivities: objects(body.pendingActivities).map(pendingActivity),
    pendingNexusOperations: objects(body.pendingNexusOperations).map(pendingNexusOperation),
    raw: body,
  };
  const task = body.pendingWorkflowTask;
  if (isObject(task)) {
    const attempt = integer(task.attempt);
    out.pendingWorkflowTask = {
      state: enumName(task.state, 'PENDING_WORKFLOW_TASK_STATE_') ?? 'UNSPECIFIED',
      ...(attempt !== undefined ? { attempt } : {}),
    };
  }
  return out;
}
