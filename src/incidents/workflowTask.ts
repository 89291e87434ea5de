/**
 * A workflow task that keeps failing: the WORKFLOW_TASK_FAILED / _TIMED_OUT events after the last
 * WORKFLOW_TASK_COMPLETED. Temporal retries such a task without end and writes only its first failed
 * attempt to the history (the attempt count lives in describe's pending workflow task), so the streak
 * is usually one event however long the run has been wedged.
 */
import { attrText, enumNamer, isResetMarker, type WorkflowEvent } from '../api';

interface WorkflowTaskStreak {
  /** The streak's first failure (or time-out): when the run stopped making progress. */
  readonly first: WorkflowEvent;
  /** Its latest one: what the worker says now. */
  readonly latest: WorkflowEvent;
}

const workflowTaskFailedCause = enumNamer('WORKFLOW_TASK_FAILED_CAUSE_');
const timeoutType = enumNamer('TIMEOUT_TYPE_');

/**
 * The failing streak among `events[0..end)`, undefined when a workflow task completed after the last
 * failure (or none failed). A reset marker (the WORKFLOW_TASK_FAILED a reset writes into the new run)
 * is a fresh start, not a failure: the streak stops there.
 */
export function failingWorkflowTask(events: readonly WorkflowEvent[], end = events.length): WorkflowTaskStreak | undefined {
  let first: WorkflowEvent | undefined;
  let latest: WorkflowEvent | undefined;
  for (let i = Math.min(end, events.length) - 1; i >= 0; i--) {
    const event = events[i];
    const t = event.type;
    if (t === 'WORKFLOW_TASK_COMPLETED' || (t === 'WORKFLOW_TASK_FAILED' && isResetMarker(event))) break;
    if (t === 'WORKFLOW_TASK_FAILED' || t === 'WORKFLOW_TASK_TIMED_OUT') {
      latest ??= event;
      first = event;
    }
  }
  return first === undefined || latest === undefined ? undefined : { first, latest };
}

/** A WORKFLOW_TASK_FAILED's cause without its prefix (`NON_DETERMINISTIC_ERROR`), however it was spelt. */
export function workflowTaskCause(event: WorkflowEvent): string | undefined {
  const cause = event.type === 'WORKFLOW_TASK_FAILED' ? attrText(event, 'cause') : undefined;
  return cause === undefined ? undefined : workflowTaskFailedCause(cause);
}

/**
 * What the worker said: a failed task's `failure.message`; for a task that timed out (no failure to
 * carry) the time-out's kind, `workflow task timed out (START_TO_CLOSE)`.
 */
export function workflowTaskMessage(event: WorkflowEvent): string | undefined {
  if (event.type === 'WORKFLOW_TASK_TIMED_OUT') {
    const kind = attrText(event, 'timeout_type');
    return kind === undefined ? 'workflow task timed out' : `workflow task timed out (${timeoutType(kind)})`;
  }
  return attrText(event, 'failure.message');
}
