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
import { readPath } from '../src/api/attributes';
import type { StreamPayload } from './store';
import { events, type Execution, type Run } from './model';

/**
 * A history event as both stores have it: the in-memory model's events, and the engine's events read
 * through normalizeHistory. Attributes may be snake_case or camelCase (readPath reads either).
 */
export interface FeedEvent {
  eventId: number;
  type: string;
  timeMs: number;
  attributes: Record<string, unknown>;
}

/** One event of one run, with what the payload names: the execution and its workflow. */
interface FeedItem {
  seq: number;
  executionId: string;
  workflowName: string;
  runId: string;
  event: FeedEvent;
  /** The run's events by id (an activity's STARTED/COMPLETED name the SCHEDULED event). */
  byId: (eventId: number) => FeedEvent | undefined;
}

interface Sequenced {
  seq: number;
  run: Run;
  event: FeedEvent;
}

export function sequenced(execution: Execution): Sequenced[] {
  const out: Sequenced[] = [];
  for (const run of execution.runs) for (const event of events(run)) out.push({ seq: out.length + 1, run, event });
  return out;
}

/** The in-memory store's item: its runs' events are in the model. */
export function ssePayload(execution: Execution, { seq, run, event }: Sequenced): StreamPayload {
  const list = events(run);
  return feedPayload({
    seq, executionId: execution.executionId, workflowName: execution.workflowName, runId: run.runId, event,
    byId: (id) => list.find((e) => e.eventId === id),
  });
}

export function feedPayload(item: FeedItem): StreamPayload {
  const { seq, event } = item;
  const execution = { executionId: item.executionId, workflowName: item.workflowName };
  const run = { runId: item.runId };
  const [eventType, attributes] = streamEvent(item);
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

const attr = readPath;

/** The published event type and attributes for a history event. */
function streamEvent(item: FeedItem): [string, Record<string, unknown>] {
  const { event } = item;
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
    case 'WORKFLOW_EXECUTION_CANCELED': {
      const details = attr(a, 'details');
      return [event.type, { task_id: taskId, reason: typeof details === 'string' ? details : null }];
    }
    case 'WORKFLOW_EXECUTION_TERMINATED':
      return ['WORKFLOW_EXECUTION_CANCELED', { task_id: taskId, reason: `Terminated: ${text(attr(a, 'reason'), 'no reason given')}` }];
    case 'WORKFLOW_TASK_FAILED':
      return [event.type, { task_id: taskId, failure: { message: text(attr(a, 'failure.message'), text(attr(a, 'cause'), 'Workflow task failed')) } }];
    case 'WORKFLOW_TASK_TIMED_OUT':
      return [event.type, { task_id: taskId, timeout_type: text(attr(a, 'timeout_type'), 'START_TO_CLOSE') }];
    case 'ACTIVITY_TASK_STARTED':
    case 'ACTIVITY_TASK_COMPLETED':
    case 'ACTIVITY_TASK_FAILED':
      return activityEvent(item);
    default:
      return ['CUSTOM_TASK_IN_PROGRESS', { custom_task_id: `history-${event.eventId}`, custom_task_type: event.type, payload: json(a) }];
  }
}

function activityEvent({ event, byId }: FeedItem): [string, Record<string, unknown>] {
  const scheduledId = Number(attr(event.attributes, 'scheduled_event_id'));
  const scheduled = byId(scheduledId);
  const base = {
    task_id: text(scheduled && attr(scheduled.attributes, 'activity_id'), String(scheduledId)),
    activity_name: text(scheduled && attr(scheduled.attributes, 'activity_type.name'), 'activity'),
  };
  if (event.type === 'ACTIVITY_TASK_STARTED') return [event.type, { ...base, input: json(scheduled && attr(scheduled.attributes, 'input')) }];
  if (event.type === 'ACTIVITY_TASK_COMPLETED') return [event.type, { ...base, result: json(attr(event.attributes, 'result')) }];
  // The STARTED event follows the SCHEDULED one (Temporal writes it when the attempt ends).
  const started = byId(Number(attr(event.attributes, 'started_event_id')));
  const attempt = Number(started ? attr(started.attributes, 'attempt') : 1);
  return [event.type, { ...base, attempt: Number.isInteger(attempt) && attempt > 0 ? attempt : 1, failure: { message: text(attr(event.attributes, 'failure.message'), 'Activity failed') } }];
}
