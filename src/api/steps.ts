/**
 * A history as steps, the way people think of it: one entry per activity (with its retries), timer,
 * child workflow, update, signal, marker...; workflow tasks fold away, and each completed one stays as
 * a reset point between the steps. One pass over the events, back-references resolved through Maps
 * (51,200 events cost about what describeEvents costs); no event time is parsed while grouping.
 */
import { attr, attrText } from './attributes';
import { failureText, isResetMarker, updateIdOf, updateName } from './describe';
import { integer, isObject } from './json';
import { nexusOperationName } from './nexus';
import { isResetPoint } from './resetPoints';
import { HistoryStep, ResetPointEntry, Step, StepListEntry, WorkflowTaskGroup, WorkflowTaskOutcome } from './step';
import { causeText, isLocalActivityMarker, localActivityType, searchAttributeNames } from './stepNames';
import { resetPointBefore, StepResetPoint } from './stepReset';
import { isOpenStatus, REASON_PATHS, STEP_RULES, StepKind, StepRule, StepStatus } from './stepRules';
import { WorkflowEvent } from './types';

/** Which entry, or which folded workflow task, an event belongs to. */
type EventOwner =
  | { kind: 'step'; entryIndex: number; step: HistoryStep }
  | { kind: 'resetPoint'; entryIndex: number; entry: ResetPointEntry }
  | { kind: 'workflowTask'; groupIndex: number; group: WorkflowTaskGroup };

export interface StepGrouping {
  /** Steps and reset points, in the order of their first event. */
  readonly entries: readonly StepListEntry[];
  /** How many of the entries are steps. */
  readonly stepCount: number;
  /** The folded workflow tasks, in event order. */
  readonly workflowTasks: readonly WorkflowTaskGroup[];
  /** Where `events[index]` went: every event belongs to exactly one owner. */
  ownerOf(index: number): EventOwner | undefined;
}

interface TaskGroup extends WorkflowTaskGroup {
  eventIndexes: number[];
  outcome: WorkflowTaskOutcome;
}

const CLOSING_FAILURES: ReadonlySet<StepStatus> = new Set(['failed', 'timedOut', 'rejected']);

export function groupSteps(events: readonly WorkflowEvent[]): StepGrouping {
  const grouper = new Grouper(events);
  for (let i = 0; i < events.length; i++) grouper.add(events[i], i);
  return grouper.result();
}

class Grouper {
  private readonly entries: StepListEntry[] = [];
  private readonly tasks: TaskGroup[] = [];
  /** Event index → entry index (>= 0) or -(folded workflow task index + 1). */
  private readonly owners: Int32Array;
  /** Events later ones point back to (SCHEDULED, INITIATED, TIMER_STARTED...), by id text. */
  private readonly referable = new Map<string, Step>();
  private readonly updates = new Map<string, Step>();
  private readonly customTasks = new Map<string, Step>();
  /** The workflow task in flight: Temporal has at most one, so its events need no id lookups. */
  private openTask: TaskGroup | undefined;
  private lastStep: Step | undefined;
  private stepCount = 0;

  constructor(private readonly events: readonly WorkflowEvent[]) {
    this.owners = new Int32Array(events.length);
  }

  add(event: WorkflowEvent, index: number): void {
    const t = event.type;
    if (t.startsWith('WORKFLOW_TASK_')) return this.workflowTask(event, index);
    const rule = STEP_RULES.get(t);
    if (rule !== undefined) return this.byRule(rule, event, index);
    if (t.startsWith('WORKFLOW_EXECUTION_UPDATE_')) return this.update(event, index);
    if (t === 'MARKER_RECORDED') return this.marker(event, index);
    if (t.startsWith('CUSTOM_TASK_')) return this.customTask(event, index);
    // An event this table does not know (a newer server's): a step of its own, named by its type.
    this.begin('other', 'completed', event, index).name = t.toLowerCase().split('_').join(' ');
  }

  result(): StepGrouping {
    const { entries, tasks, owners, stepCount } = this;
    return {
      entries,
      stepCount,
      workflowTasks: tasks,
      ownerOf(index: number): EventOwner | undefined {
        if (!Number.isInteger(index) || index < 0 || index >= owners.length) return undefined;
        const at = owners[index];
        if (at < 0) return { kind: 'workflowTask', groupIndex: -at - 1, group: tasks[-at - 1] };
        const entry = entries[at];
        return entry.kind === 'resetPoint' ? { kind: 'resetPoint', entryIndex: at, entry } : { kind: 'step', entryIndex: at, step: entry };
      },
    };
  }

  private begin(kind: StepKind, status: StepStatus, event: WorkflowEvent, index: number): Step {
    const step = new Step(this.events, kind, status, this.entries.length, index, event);
    this.owners[index] = this.entries.length;
    this.entries.push(step);
    this.lastStep = step;
    this.stepCount++;
    return step;
  }

  private join(step: Step, status: StepStatus | undefined, event: WorkflowEvent, index: number): void {
    step.eventIndexes.push(index);
    step.lastEventId = event.eventId;
    this.owners[index] = step.entryIndex;
    if (status !== undefined && isOpenStatus(step.status)) step.status = status;
  }

  private byRule(rule: StepRule, event: WorkflowEvent, index: number): void {
    let step = rule.role === 'join' ? this.referenced(rule, event) : undefined;
    if (step === undefined) {
      // A join whose first event is not in this history (a page of it, a trimmed export) begins a step.
      step = this.begin(rule.kind, rule.status ?? 'running', event, index);
      if (rule.role === 'begin') this.referable.set(event.idText, step);
    } else {
      this.join(step, rule.status, event, index);
    }
    if (rule.referable) this.referable.set(event.idText, step);
    if (step.name === undefined) step.name = rule.namePath === undefined ? nameOf(rule.kind, event) : attrText(event, rule.namePath);
    if (event.type === 'ACTIVITY_TASK_STARTED') {
      step.attempts = integer(attr(event, 'attempt')) ?? step.attempts;
      if ((step.attempts ?? 1) > 1) step.failure = failureText(event, 'last_failure') ?? step.failure;
    }
    if (rule.status !== undefined && CLOSING_FAILURES.has(rule.status)) step.failure = failureText(event) ?? causeText(event) ?? step.failure;
    // The operation goes on (to its outcome or timeout); why it could not be stopped stays readable.
    if (event.type === 'NEXUS_OPERATION_CANCEL_REQUEST_FAILED') step.reason = `cancel refused: ${failureText(event) ?? 'no reason given'}`;
    const reasonPath = rule.role === 'single' ? REASON_PATHS[rule.kind] : undefined;
    if (reasonPath !== undefined) step.reason = attrText(event, reasonPath);
  }

  private referenced(rule: StepRule, event: WorkflowEvent): Step | undefined {
    for (const path of rule.refs ?? []) {
      const id = attrText(event, path);
      const step = id === undefined ? undefined : this.referable.get(id);
      if (step !== undefined && step.kind === rule.kind) return step;
    }
    return undefined;
  }

  /** ADMITTED? → ACCEPTED → COMPLETED, or REJECTED: tied by update id (a reapplied ACCEPTED has nothing else). */
  private update(event: WorkflowEvent, index: number): void {
    const t = event.type;
    const updateId = updateIdOf(event);
    let step = updateId === undefined ? undefined : this.updates.get(updateId);
    if (step === undefined && t === 'WORKFLOW_EXECUTION_UPDATE_COMPLETED') {
      const ref = attrText(event, 'accepted_event_id');
      const found = ref === undefined ? undefined : this.referable.get(ref);
      if (found?.kind === 'update') step = found;
    }
    if (step !== undefined && !isOpenStatus(step.status)) step = undefined; // a later update reusing the id
    const status = updateStatus(event);
    if (step === undefined) {
      step = this.begin('update', status ?? 'running', event, index);
      if (updateId !== undefined) this.updates.set(updateId, step);
    } else {
      this.join(step, status, event, index);
    }
    if (t === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED') this.referable.set(event.idText, step);
    step.name ??= updateName(event);
    if (status === 'rejected') step.failure = failureText(event) ?? step.failure;
    if (status === 'failed') step.failure = failureText(event, 'outcome.failure') ?? step.failure;
  }

  private marker(event: WorkflowEvent, index: number): void {
    const markerName = attrText(event, 'marker_name');
    const local = isLocalActivityMarker(markerName);
    const failed = isObject(attr(event, 'failure'));
    const step = this.begin(local ? 'localActivity' : 'marker', failed ? 'failed' : 'completed', event, index);
    step.name = (local ? localActivityType(event) : undefined) ?? markerName;
    if (failed) step.failure = failureText(event);
  }

  private customTask(event: WorkflowEvent, index: number): void {
    const taskId = attrText(event, 'custom_task_id');
    const status = customTaskStatus(event.type);
    const open = taskId === undefined ? undefined : this.customTasks.get(taskId);
    let step: Step;
    if (open !== undefined && isOpenStatus(open.status)) {
      step = open;
      this.join(step, status, event, index);
    } else {
      step = this.begin('customTask', status, event, index);
      if (taskId !== undefined) this.customTasks.set(taskId, step);
    }
    step.name ??= attrText(event, 'name') ?? attrText(event, 'task_name') ?? attrText(event, 'custom_task_type');
    if (status === 'failed') step.failure = failureText(event) ?? step.failure;
  }

  private workflowTask(event: WorkflowEvent, index: number): void {
    const t = event.type;
    const eventId = event.eventId;
    if (t === 'WORKFLOW_TASK_COMPLETED' && eventId !== undefined && isResetPoint(event)) {
      this.closeTask('completed');
      this.owners[index] = this.entries.length;
      this.entries.push({ kind: 'resetPoint', eventId, index, event, afterStep: this.lastStep });
      return;
    }
    if (t === 'WORKFLOW_TASK_FAILED' && isResetMarker(event)) {
      this.closeTask('reset');
      const step = this.begin('reset', 'completed', event, index);
      step.reason = failureText(event) ?? attrText(event, 'reason');
      return;
    }
    let task = this.openTask;
    if (task === undefined || t === 'WORKFLOW_TASK_SCHEDULED') {
      task = { eventIndexes: [], outcome: 'open' };
      this.tasks.push(task);
      this.openTask = task;
    }
    task.eventIndexes.push(index);
    this.owners[index] = -this.tasks.length;
    if (t === 'WORKFLOW_TASK_COMPLETED') this.closeTask('completed');
    else if (t === 'WORKFLOW_TASK_FAILED') this.closeTask('failed');
    else if (t === 'WORKFLOW_TASK_TIMED_OUT') this.closeTask('timedOut');
  }

  private closeTask(outcome: WorkflowTaskOutcome): void {
    if (this.openTask !== undefined) this.openTask.outcome = outcome;
    this.openTask = undefined;
  }
}

function nameOf(kind: StepKind, event: WorkflowEvent): string | undefined {
  if (kind === 'nexus') return nexusOperationName(event);
  return kind === 'searchAttributes' ? searchAttributeNames(event) : undefined;
}

function updateStatus(event: WorkflowEvent): StepStatus | undefined {
  switch (event.type) {
    case 'WORKFLOW_EXECUTION_UPDATE_ADMITTED':
      return 'scheduled';
    case 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED':
      return 'running';
    case 'WORKFLOW_EXECUTION_UPDATE_REJECTED':
      return 'rejected';
    case 'WORKFLOW_EXECUTION_UPDATE_COMPLETED':
      return isObject(attr(event, 'outcome.failure')) ? 'failed' : 'completed';
    default:
      return undefined;
  }
}

function customTaskStatus(type: string): StepStatus {
  if (type.endsWith('_COMPLETED')) return 'completed';
  if (type.endsWith('_FAILED')) return 'failed';
  if (type.endsWith('_TIMED_OUT')) return 'timedOut';
  if (type.endsWith('_CANCELED')) return 'canceled';
  return 'running';
}

interface StepsPage {
  entries: StepListEntry[];
  /** Where the next page starts; undefined on the last page. */
  next: number | undefined;
}

/** Entries `from` to `from + count`: paging is a slice, the grouping is made once. */
export function stepsPage(entries: readonly StepListEntry[], from: number, count: number): StepsPage {
  const start = Math.max(0, Math.floor(from));
  const end = Math.min(entries.length, start + Math.max(0, Math.floor(count)));
  return { entries: entries.slice(start, end), next: end < entries.length ? end : undefined };
}

/**
 * "Reset to before this step": the reset point before the step's first event, as `resetPointBefore`
 * finds it (the workflow task that decided the step, else the last one before it). Undefined for the
 * steps it does not cover (see STEP_KINDS) and when there is no completed workflow task before it.
 */
export function beforeStepResetPoint(events: readonly WorkflowEvent[], step: HistoryStep): StepResetPoint | undefined {
  const first = step.eventIndexes[0];
  return first === undefined ? undefined : resetPointBefore(events, first);
}
