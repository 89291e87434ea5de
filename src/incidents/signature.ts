/**
 * One execution's problem and its signature: workflow name + the step it failed in + error type + the
 * message with its variable parts masked. Executions with the same signature are one incident.
 * Nothing is dropped: a failed run whose history could not be read, or whose failure has a shape this
 * does not know, gets a signature that says why, so it is grouped with its kind instead of vanishing.
 */
import { enumNamer, type Execution, type PendingAttempts, type WorkflowEvent } from '../api';
import { readFailure, type FailedStep } from './failure';
import { maskMessage } from './mask';
import { readStuck, type Stuck, type StuckOptions } from './stuck';

export interface Problem {
  /** The signature: equal keys, same incident. A stable string (JSON of its parts). */
  key: string;
  workflowName: string;
  executionId: string;
  runId: string | undefined;
  /** Undefined when the problem could not be read (see `unreadable`). */
  step: FailedStep | undefined;
  errorType: string | undefined;
  maskedMessage: string | undefined;
  /** This execution's message, unmasked. */
  exampleMessage: string | undefined;
  /** Mistral's `deployment_name`. */
  deployment: string | undefined;
  /** When it happened: the end time of a closed run, when a stuck run stopped making progress. */
  at: Date | undefined;
  /** Set for a RUNNING execution that is stuck. */
  stuck?: Stuck;
  /** Why the problem could not be read: the history's error, or the failure's unknown shape. */
  unreadable?: string;
}

/** A history as read, or why it could not be. */
export type HistoryReading = readonly WorkflowEvent[] | { historyError: string };

interface ProblemOptions extends StuckOptions {
  /** The execution's describe answer, for the attempt counts of a running one. */
  describe?: PendingAttempts;
}

const executionStatus = enumNamer('WORKFLOW_EXECUTION_STATUS_');
const CLOSED_WITH_PROBLEM: ReadonlySet<string> = new Set(['FAILED', 'TIMED_OUT']);
/** RETRYING_AFTER_ERROR is Mistral's deprecated name for a run still going after an error. */
const STILL_GOING: ReadonlySet<string> = new Set(['RUNNING', 'RETRYING_AFTER_ERROR']);

/**
 * The problem of a failed, timed-out or stuck execution; undefined for one that has none (completed,
 * canceled, terminated, continued as new, or running and not stuck). `history` undefined: not read,
 * which a failed execution reports as unreadable and a running one is judged without (describe only).
 */
export function problemOf(execution: Execution, history: HistoryReading | undefined, options: ProblemOptions = {}): Problem | undefined {
  const status = execution.status === null ? undefined : executionStatus(execution.status);
  const closed = status !== undefined && CLOSED_WITH_PROBLEM.has(status);
  if (!closed && (status === undefined || !STILL_GOING.has(status))) return undefined;
  if (history !== undefined && !isEventList(history)) return unreadable(execution, `its history could not be read: ${history.historyError}`);
  if (closed) {
    if (history === undefined) return unreadable(execution, 'its history was not read');
    const failure = readFailure(execution, history);
    if (!failure.recognised) return unreadable(execution, `its failure could not be read: ${failure.reason}`);
    return problem(execution, failure.step, failure.errorType, failure.message, execution.endTime ?? failure.closedAt);
  }
  const stuck = readStuck(history ?? [], options.describe, options);
  if (stuck === undefined) return undefined;
  const found = stuck.kind === 'workflowTask'
    ? problem(execution, { kind: 'workflowTask' }, stuck.cause, stuck.message, stuck.since)
    : problem(execution, stuck.name === undefined ? { kind: 'activity' } : { kind: 'activity', name: stuck.name }, undefined, stuck.lastFailure, stuck.since);
  return { ...found, stuck };
}

function isEventList(history: HistoryReading): history is readonly WorkflowEvent[] {
  return Array.isArray(history);
}

function problem(execution: Execution, step: FailedStep, errorType: string | undefined, message: string | undefined, at: Date | undefined): Problem {
  const maskedMessage = message === undefined ? undefined : maskMessage(message);
  return {
    key: JSON.stringify([execution.workflowName, step.kind, step.name ?? '', errorType ?? '', maskedMessage ?? '']),
    ...common(execution, at),
    step,
    errorType,
    maskedMessage,
    exampleMessage: message,
  };
}

/** A group of its own per workflow and reason (masked: the same error about other runs is one reason). */
function unreadable(execution: Execution, reason: string): Problem {
  return {
    key: JSON.stringify([execution.workflowName, 'unreadable', maskMessage(reason)]),
    ...common(execution, execution.endTime ?? execution.startTime),
    step: undefined,
    errorType: undefined,
    maskedMessage: undefined,
    exampleMessage: undefined,
    unreadable: reason,
  };
}

function common(execution: Execution, at: Date | undefined): Pick<Problem, 'workflowName' | 'executionId' | 'runId' | 'deployment' | 'at'> {
  return { workflowName: execution.workflowName, executionId: execution.executionId, runId: execution.runId, deployment: execution.deploymentName, at };
}
