/**
 * The in-memory store's events as the platform's stream payloads (`StreamEventSsePayload`).
 *
 * Every event of every run of an execution has a broker sequence: its 1-based position in the runs'
 * events laid end to end (oldest run first). Runs only ever grow at the end and a reset starts a new
 * run after the old one's last event, so a sequence never changes meaning.
 *
 * The payload's `data` is one of the published event schemas; history events with no published
 * counterpart (workflow tasks, signals, timers, updates...) are sent as CUSTOM_TASK_IN_PROGRESS with
 * `custom_task_type` = the history event type, and TERMINATED as CANCELED (no terminated schema
 * exists). `metadata` always names the history event and run.
 */
import type { StreamPayload } from './backend';
import { attr, events, type Execution, type Run, type SandboxEvent } from './model';

export interface Sequenced {
  seq: number;
  run: Run;
  event: SandboxEvent;
}

export function sequenced(execution: Execution): Sequenced[] {
  const out: Sequenced[] = [];
  for (const run of execution.runs) for (const event of events(run)) out.push({ seq: out.length + 1, run, event });
  return out;
}

export function ssePayload(execution: Execution, { seq, run, event }: Sequenced): StreamPayload {
  const [eventType, attributes] = streamEvent(run, event);
  return {
    stream: `workflow-executions.${execution.executionId}`,
    timestamp: new Date(event.timeMs).toISOString(),
    data: {
      event_id: `${run.runId}:${event.eventId}`,
      event_timestamp: event.timeMs * 1_000_000,
      root_workflow_exec_id: execution.executionId,
      parent_workflow_exec_id: null,
      continued_run_id: null,
      first_execution_run_id: run.runId,
      schedule_id: null,
      workflow_exec_id: execution.executionId,
      workflow_run_id: run.runId,
      workflow_name: execution.workflowName,
      event_type: eventType,
      attributes,
    },
    workflow_context: {
      namespace: 'default',
      workflow_name: execution.workflowName,
      workflow_exec_id: execution.executionId,
      parent_workflow_exec_id: null,
      root_workflow_exec_id: execution.executionId,
    },
    metadata: { history_event_id: event.eventId, history_event_type: event.type, run_id: run.runId },
    broker_sequence: seq,
  };
}

const json = (value: unknown): { type: 'json'; value: unknown } => ({ type: 'json', value: value ?? null });
const text = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);

/** The published event type and attributes for a history event. */
function streamEvent(run: Run, event: SandboxEvent): [string, Record<string, unknown>] {
  const a = event.attributes;
  const taskId = String(event.eventId);
  switch (event.type) {
    case 'WORKFLOW_EXECUTION_STARTED':
      return [event.type, { task_id: taskId, workflow_name: text(attr(a, 'workflow_type.name'), ''), input: json(a.input), attempt: 1 }];
    case 'WORKFLOW_EXECUTION_COMPLETED':
      return [event.type, { task_id: taskId, result: json(a.result) }];
    case 'WORKFLOW_EXECUTION_FAILED':
      return [event.type, { task_id: taskId, failure: { message: text(attr(a, 'failure.message'), 'Workflow failed') } }];
    case 'WORKFLOW_EXECUTION_TIMED_OUT':
      return ['WORKFLOW_EXECUTION_FAILED', { task_id: taskId, failure: { message: 'Workflow execution timed out' } }];
    case 'WORKFLOW_EXECUTION_CANCELED':
      return [event.type, { task_id: taskId, reason: typeof a.details === 'string' ? a.details : null }];
    case 'WORKFLOW_EXECUTION_TERMINATED':
      return ['WORKFLOW_EXECUTION_CANCELED', { task_id: taskId, reason: `Terminated: ${text(a.reason, 'no reason given')}` }];
    case 'WORKFLOW_TASK_FAILED':
      return [event.type, { task_id: taskId, failure: { message: text(attr(a, 'failure.message'), text(a.cause, 'Workflow task failed')) } }];
    case 'WORKFLOW_TASK_TIMED_OUT':
      return [event.type, { task_id: taskId, timeout_type: text(a.timeout_type, 'START_TO_CLOSE') }];
    case 'ACTIVITY_TASK_STARTED':
    case 'ACTIVITY_TASK_COMPLETED':
    case 'ACTIVITY_TASK_FAILED':
      return activityEvent(run, event);
    default:
      return ['CUSTOM_TASK_IN_PROGRESS', { custom_task_id: `history-${event.eventId}`, custom_task_type: event.type, payload: json(a) }];
  }
}

function activityEvent(run: Run, event: SandboxEvent): [string, Record<string, unknown>] {
  const scheduledId = event.attributes.scheduled_event_id;
  const scheduled = events(run).find((e) => e.eventId === scheduledId);
  const base = {
    task_id: text(scheduled?.attributes.activity_id, String(scheduledId)),
    activity_name: text(scheduled && attr(scheduled.attributes, 'activity_type.name'), 'activity'),
  };
  if (event.type === 'ACTIVITY_TASK_STARTED') return [event.type, { ...base, input: json(scheduled?.attributes.input) }];
  if (event.type === 'ACTIVITY_TASK_COMPLETED') return [event.type, { ...base, result: json(event.attributes.result) }];
  const attempt = scheduled ? events(run).find((e) => e.type === 'ACTIVITY_TASK_STARTED' && e.attributes.scheduled_event_id === scheduledId)?.attributes.attempt : undefined;
  return [event.type, { ...base, attempt: typeof attempt === 'number' ? attempt : 1, failure: { message: text(attr(event.attributes, 'failure.message'), 'Activity failed') } }];
}
