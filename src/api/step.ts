/**
 * The pieces of a steps view: a step (an activity with all its events, a timer, a signal...), a reset
 * point between steps, and a folded workflow task. `groupSteps` (steps.ts) makes them in one pass.
 */
import { isOpenStatus, StepKind, StepStatus } from './stepRules';
import { WorkflowEvent } from './types';

export interface HistoryStep {
  readonly kind: StepKind;
  /** The activity type, timer id, signal, update or child workflow type...; undefined when none is known. */
  readonly name: string | undefined;
  readonly status: StepStatus;
  /** Indexes of the step's events in the history, in event order; the first one began the step. */
  readonly eventIndexes: readonly number[];
  readonly firstEventId: number | undefined;
  readonly lastEventId: number | undefined;
  /** An activity's attempt, from its ACTIVITY_TASK_STARTED event; undefined before it started. */
  readonly attempts: number | undefined;
  /** The step's failure (whole), or a retrying activity's last failure. */
  readonly failure: string | undefined;
  /** A reset's reason, a termination's reason, a cancel request's cause. */
  readonly reason: string | undefined;
  /** The first event's time. Times are read on demand: grouping parses none. */
  readonly startTime: Date | undefined;
  /** The last event's time, once the step is finished. */
  readonly endTime: Date | undefined;
  readonly durationMs: number | undefined;
}

/** A completed workflow task, shown between steps as "Reset point after <step>". */
export interface ResetPointEntry {
  readonly kind: 'resetPoint';
  readonly eventId: number;
  /** Index of the WORKFLOW_TASK_COMPLETED event in the history. */
  readonly index: number;
  readonly event: WorkflowEvent;
  /** The step just before it in the list; undefined when no step precedes it. */
  readonly afterStep: HistoryStep | undefined;
}

/** The steps view's rows: steps and reset points, in the order of their first event. */
export type StepListEntry = HistoryStep | ResetPointEntry;

export type WorkflowTaskOutcome = 'open' | 'completed' | 'failed' | 'timedOut' | 'reset';

/**
 * A workflow task's events other than the ones shown: SCHEDULED, STARTED and its end (FAILED,
 * TIMED_OUT) when that is not a reset point or a reset marker, which are entries of their own.
 */
export interface WorkflowTaskGroup {
  readonly eventIndexes: readonly number[];
  readonly outcome: WorkflowTaskOutcome;
}

export function isStep(entry: StepListEntry): entry is HistoryStep {
  return entry.kind !== 'resetPoint';
}

/** A step while it is being grouped; read through `HistoryStep` afterwards. */
export class Step implements HistoryStep {
  readonly #events: readonly WorkflowEvent[];
  readonly eventIndexes: number[];
  readonly firstEventId: number | undefined;
  lastEventId: number | undefined;
  name: string | undefined = undefined;
  attempts: number | undefined = undefined;
  failure: string | undefined = undefined;
  reason: string | undefined = undefined;

  constructor(
    events: readonly WorkflowEvent[],
    readonly kind: StepKind,
    public status: StepStatus,
    /** Where the step is in the list of entries. */
    readonly entryIndex: number,
    index: number,
    event: WorkflowEvent,
  ) {
    this.#events = events;
    this.eventIndexes = [index];
    this.firstEventId = event.eventId;
    this.lastEventId = event.eventId;
  }

  get startTime(): Date | undefined {
    return this.#events[this.eventIndexes[0]]?.time;
  }

  get endTime(): Date | undefined {
    return isOpenStatus(this.status) ? undefined : this.#events[this.eventIndexes[this.eventIndexes.length - 1]]?.time;
  }

  get durationMs(): number | undefined {
    const start = this.startTime;
    const end = this.endTime;
    return start === undefined || end === undefined ? undefined : end.getTime() - start.getTime();
  }
}
