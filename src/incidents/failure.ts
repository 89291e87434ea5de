/**
 * Where and why a closed execution failed, from the Failure its WORKFLOW_EXECUTION_FAILED event
 * carries. Temporal nests failures: the outer ones say where (an activity, a child workflow, a Nexus
 * operation wraps what it failed with), the innermost says why (the application's error type and
 * message, a time-out, a cancel). A failure that names no step was raised by the workflow itself,
 * unless the workflow task that closed the run had just seen a step fail: then that step.
 */
import { attr, attrText, enumNamer, groupSteps, isStep, type Execution, type HistoryStep, type WorkflowEvent } from '../api';
import { failingWorkflowTask, workflowTaskMessage } from './workflowTask';

/** The part of an execution a problem is pinned on. */
type FailedStepKind = 'activity' | 'localActivity' | 'child' | 'update' | 'timer' | 'nexus' | 'workflowTask' | 'workflow';

export interface FailedStep {
  kind: FailedStepKind;
  /** The activity or child workflow type, the update's name, the timer id, `endpoint · service · operation`. */
  name?: string;
}

export interface RecognisedFailure {
  recognised: true;
  step: FailedStep;
  /** The innermost cause's type: `java.io.IOException`, `TooHeavy`, `Timeout: START_TO_CLOSE`, `Canceled`. */
  errorType: string | undefined;
  /** The innermost message there is, whole (mask it to compare). */
  message: string | undefined;
  /** The closing event's time. */
  closedAt: Date | undefined;
}

interface UnrecognisedFailure {
  recognised: false;
  /** Why the failure could not be read, in words for a group's title. */
  reason: string;
}

export type FailureReading = RecognisedFailure | UnrecognisedFailure;

const CLOSING_TYPES: ReadonlySet<string> = new Set([
  'WORKFLOW_EXECUTION_COMPLETED', 'WORKFLOW_EXECUTION_FAILED', 'WORKFLOW_EXECUTION_TIMED_OUT', 'WORKFLOW_EXECUTION_CANCELED',
  'WORKFLOW_EXECUTION_TERMINATED', 'WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
]);
/** Failures nest a few levels; a deeper chain is junk, and reading stops there. */
const MAX_CAUSE_DEPTH = 32;
const timeoutType = enumNamer('TIMEOUT_TYPE_');
/** The step kinds a closing workflow task may have seen fail, as groupSteps names them. */
const FAILING_STEP_KINDS: ReadonlyMap<string, FailedStepKind> = new Map<string, FailedStepKind>([
  ['activity', 'activity'], ['localActivity', 'localActivity'], ['child', 'child'], ['nexus', 'nexus'], ['update', 'update'],
]);

/**
 * Reads the failure of a FAILED or TIMED_OUT execution from its history (in event order, as
 * `normalizeHistory` gives it). Unrecognised, with the reason, when the history does not end in a
 * failure or the failure says nothing (no message and no type anywhere in its chain).
 */
export function readFailure(execution: Execution, history: readonly WorkflowEvent[]): FailureReading {
  const closingIndex = findLastIndex(history, (e) => CLOSING_TYPES.has(e.type));
  if (closingIndex < 0) {
    return { recognised: false, reason: `the history (${history.length} events) has no closing event, though the execution is ${execution.status ?? 'of no status'}` };
  }
  const closing = history[closingIndex];
  if (closing.type === 'WORKFLOW_EXECUTION_TIMED_OUT') return timedOut(history, closingIndex);
  if (closing.type !== 'WORKFLOW_EXECUTION_FAILED') {
    return { recognised: false, reason: `the history ends in ${closing.type}, not in a failure` };
  }
  const chain = causeChain(closing);
  if (chain.length === 0) return { recognised: false, reason: 'the WORKFLOW_EXECUTION_FAILED event carries no failure' };
  const deepest = chain[chain.length - 1];
  const errorType = errorTypeAt(closing, deepest);
  const message = innermostMessage(closing, chain);
  if (errorType === undefined && message === undefined) {
    return { recognised: false, reason: 'the failure has neither a message nor an error type' };
  }
  const step = namedStep(closing, chain) ?? stepSeenFailing(history, closingIndex) ?? { kind: 'workflow' };
  return { recognised: true, step, errorType, message, closedAt: closing.time };
}

/**
 * WORKFLOW_EXECUTION_TIMED_OUT carries no failure. A run whose workflow task was still failing when it
 * timed out was wedged, and the task's failure is the reason: pin it there.
 */
function timedOut(history: readonly WorkflowEvent[], closingIndex: number): RecognisedFailure {
  const closedAt = history[closingIndex].time;
  const streak = failingWorkflowTask(history, closingIndex);
  if (streak !== undefined) {
    return { recognised: true, step: { kind: 'workflowTask' }, errorType: 'Timeout', message: workflowTaskMessage(streak.latest), closedAt };
  }
  return { recognised: true, step: { kind: 'workflow' }, errorType: 'Timeout', message: 'workflow execution timed out', closedAt };
}

/** `failure`, `failure.cause`, `failure.cause.cause`...: the paths of the chain's Failure objects. */
function causeChain(event: WorkflowEvent): string[] {
  const chain: string[] = [];
  for (let path = 'failure'; chain.length < MAX_CAUSE_DEPTH && isFailureObject(attr(event, path)); path += '.cause') chain.push(path);
  return chain;
}

function isFailureObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function present(event: WorkflowEvent, path: string): boolean {
  return isFailureObject(attr(event, path));
}

/** The outermost failure in the chain that names a step. */
function namedStep(event: WorkflowEvent, chain: readonly string[]): FailedStep | undefined {
  for (const path of chain) {
    const activity = `${path}.activity_failure_info`;
    if (present(event, activity)) {
      // A local activity has no ACTIVITY_TASK_SCHEDULED: its failure points at none (absent, or 0).
      const scheduled = attrText(event, `${activity}.scheduled_event_id`);
      const kind = scheduled === undefined || scheduled === '0' ? 'localActivity' : 'activity';
      return withName(kind, attrText(event, `${activity}.activity_type.name`));
    }
    const child = `${path}.child_workflow_execution_failure_info`;
    if (present(event, child)) return withName('child', attrText(event, `${child}.workflow_type.name`));
    const nexus = `${path}.nexus_operation_execution_failure_info`;
    if (present(event, nexus)) {
      // The same `endpoint · service · operation` the steps view names the operation by.
      const parts = ['endpoint', 'service', 'operation'].map((p) => attrText(event, `${nexus}.${p}`)).filter((p): p is string => p !== undefined);
      return withName('nexus', parts.length === 0 ? undefined : parts.join(' · '));
    }
  }
  return undefined;
}

function withName(kind: FailedStepKind, name: string | undefined): FailedStep {
  return name === undefined ? { kind } : { kind, name };
}

/** The kind of error a Failure is: the application's own type, else what kind of Failure it is. */
function errorTypeAt(event: WorkflowEvent, path: string): string | undefined {
  const application = attrText(event, `${path}.application_failure_info.type`);
  if (application !== undefined) return application;
  if (present(event, `${path}.timeout_failure_info`)) {
    const kind = attrText(event, `${path}.timeout_failure_info.timeout_type`);
    return kind === undefined ? 'Timeout' : `Timeout: ${timeoutType(kind)}`;
  }
  if (present(event, `${path}.canceled_failure_info`)) return 'Canceled';
  if (present(event, `${path}.terminated_failure_info`)) return 'Terminated';
  if (present(event, `${path}.server_failure_info`)) return 'ServerFailure';
  if (present(event, `${path}.reset_workflow_failure_info`)) return 'ResetWorkflow';
  if (present(event, `${path}.nexus_handler_failure_info`)) return attrText(event, `${path}.nexus_handler_failure_info.type`) ?? 'NexusHandlerFailure';
  return undefined;
}

/** The deepest message in the chain (wrappers often have none: Java's activity failure says nothing). */
function innermostMessage(event: WorkflowEvent, chain: readonly string[]): string | undefined {
  for (let i = chain.length - 1; i >= 0; i--) {
    const message = attrText(event, `${chain[i]}.message`);
    if (message !== undefined && message.trim() !== '') return message;
  }
  return undefined;
}

/**
 * The step the closing workflow task saw fail: a failed step whose failure came after the workflow
 * task before it completed (a local activity runs inside the closing task itself), the nearest to the
 * close. Anything that failed earlier was handled by the workflow, so it is not why the run failed.
 */
function stepSeenFailing(history: readonly WorkflowEvent[], closingIndex: number): FailedStep | undefined {
  const completed: number[] = [];
  for (let i = closingIndex - 1; i >= 0 && completed.length < 2; i--) if (history[i].type === 'WORKFLOW_TASK_COMPLETED') completed.push(i);
  const windowStart = completed.length === 2 ? completed[1] : -1;
  const grouping = groupSteps(history.slice(0, closingIndex));
  let nearest: { step: HistoryStep; at: number } | undefined;
  for (const entry of grouping.entries) {
    if (!isStep(entry) || (entry.status !== 'failed' && entry.status !== 'timedOut')) continue;
    const kind = FAILING_STEP_KINDS.get(entry.kind);
    const at = entry.eventIndexes[entry.eventIndexes.length - 1];
    if (kind === undefined || at <= windowStart) continue;
    if (nearest === undefined || at > nearest.at) nearest = { step: entry, at };
  }
  if (nearest === undefined) return undefined;
  return withName(FAILING_STEP_KINDS.get(nearest.step.kind) ?? 'workflow', nearest.step.name);
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}
