/**
 * Wire bodies: execution rows and the three history shapes described in sandbox/README.md. Bodies
 * that may hold nanosecond timestamps contain BigInt values: write them with stringifyExact().
 */
import type { HistoryShape, RunDetail, RunRow } from './store';
import { iso, unixNano } from './json';
import { events, latestRun, type Attributes, type Execution, type Run, type SandboxEvent } from './model';

/** A row of /runs (WorkflowExecutionWithoutResultResponse): one run of an execution. */
export function runRow(execution: Execution, run: Run): RunRow {
  return {
    workflow_name: execution.workflowName,
    workflow_id: execution.workflowId,
    deployment_name: execution.deploymentName,
    execution_id: execution.executionId,
    parent_execution_id: null,
    root_execution_id: execution.executionId,
    run_id: run.runId,
    user_id: execution.userId,
    status: run.status,
    start_time: iso(run.startMs),
    end_time: run.endMs === null ? null : iso(run.endMs),
    total_duration_ms: run.endMs === null ? null : run.endMs - run.startMs,
  };
}

/** WorkflowExecutionResponse: the row plus `result`. */
export function runDetail(execution: Execution, run: Run = latestRun(execution)): RunDetail {
  return { ...runRow(execution, run), result: run.status === 'COMPLETED' ? run.result : null };
}

export function historyBody(shape: HistoryShape, execution: Execution, run: Run): unknown {
  const list = events(run);
  switch (shape) {
    case 'temporal':
      return { events: list.map(temporalEvent) };
    case 'seed':
      return { events: list.map(seedEvent) };
    case 'trace':
      return traceBody(execution, run);
  }
}

/** WorkflowExecutionTraceEventsResponse (also the `trace` history shape). */
export function traceBody(execution: Execution, run: Run): RunDetail & { events: Record<string, unknown>[] } {
  return { ...runDetail(execution, run), events: events(run).map(traceEvent) };
}

function seedEvent(e: SandboxEvent): Record<string, unknown> {
  return { event_id: e.eventId, event_type: e.type, event_time: iso(e.timeMs), attributes: e.attributes };
}

function temporalEvent(e: SandboxEvent): Record<string, unknown> {
  return {
    eventId: String(e.eventId),
    eventTime: iso(e.timeMs),
    eventType: `EVENT_TYPE_${e.type}`,
    [`${camel(e.type.toLowerCase())}EventAttributes`]: camelKeys(e.attributes, true),
  };
}

function traceEvent(e: SandboxEvent): Record<string, unknown> {
  return {
    type: 'EVENT',
    name: e.type,
    id: String(e.eventId),
    timestamp_unix_nano: unixNano(e.timeMs, e.eventId),
    attributes: flatten(e.attributes),
    internal: false,
  };
}

function camel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** Payload values (workflow data) keep their own keys; only Temporal's attribute names are camelCased. */
const PAYLOAD_KEYS = new Set(['result', 'args', 'details', 'outcome']);

function camelKeys(value: unknown, topLevel: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => camelKeys(v, false));
  if (value === null || typeof value !== 'object') return value;
  const out: Attributes = {};
  for (const [k, v] of Object.entries(value)) {
    const payload = PAYLOAD_KEYS.has(k) || (topLevel && k === 'input');
    out[camel(k)] = payload ? v : camelKeys(v, false);
  }
  return out;
}

/** Trace attribute values are scalars or arrays of scalars: objects become dotted keys, the rest JSON text. */
function flatten(attributes: Attributes, prefix = '', out: Attributes = {}): Attributes {
  for (const [k, v] of Object.entries(attributes)) {
    const key = prefix + k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) {
      flatten(v as Attributes, `${key}.`, out);
    } else if (Array.isArray(v)) {
      out[key] = v.every((x) => x === null || typeof x !== 'object') ? v : JSON.stringify(v);
    } else if (v !== null && typeof v === 'object') {
      out[key] = '{}';
    } else {
      out[key] = v;
    }
  }
  return out;
}
