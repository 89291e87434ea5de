/**
 * How each event type takes part in a step: whether it begins one, joins the step an earlier event
 * began (through which back-reference), or is a step by itself; and what the step's status becomes.
 * Updates, markers, workflow tasks and custom tasks need more than a table: steps.ts handles them.
 */

/** What people think of as one thing the workflow did (the steps view shows one row each). */
export type StepKind =
  | 'workflowStarted'
  | 'workflowClosed'
  | 'activity'
  | 'localActivity'
  | 'marker'
  | 'timer'
  | 'child'
  | 'update'
  | 'signal'
  | 'signalExternal'
  | 'cancelRequest'
  | 'cancelExternal'
  | 'searchAttributes'
  | 'nexus'
  | 'customTask'
  | 'reset'
  | 'other';

export type StepStatus =
  | 'scheduled'
  | 'running'
  | 'cancelRequested'
  | 'completed'
  | 'failed'
  | 'timedOut'
  | 'canceled'
  | 'terminated'
  | 'continuedAsNew'
  | 'rejected';

/** Statuses of a step that has not finished: its later events may still come. */
export function isOpenStatus(status: StepStatus): boolean {
  return status === 'scheduled' || status === 'running' || status === 'cancelRequested';
}

export interface StepRule {
  kind: StepKind;
  /** begin: starts a step later events point back to; join: joins one; single: a step of one event. */
  role: 'begin' | 'join' | 'single';
  /** The status the step takes (joins change it only while the step is open); none: unchanged. */
  status?: StepStatus;
  /** join: the attributes that may point at an earlier event of the step, tried in order. */
  refs?: readonly string[];
  /** Later events may point at this joining event (a Nexus cancel request's outcome does). */
  referable?: true;
  /** Where the step's name is, on the event that begins it (or on a later one, if that one has none). */
  namePath?: string;
}

const SCHEDULED_REF = ['scheduled_event_id'] as const;
const STARTED_REF = ['started_event_id'] as const;
const INITIATED_REF = ['initiated_event_id'] as const;

function chain(
  kind: StepKind,
  namePath: string | undefined,
  begin: [type: string, status: StepStatus],
  refs: readonly string[],
  joins: [type: string, status: StepStatus | undefined][],
): [string, StepRule][] {
  const name = namePath === undefined ? {} : { namePath };
  return [
    [begin[0], { kind, role: 'begin', status: begin[1], ...name }],
    ...joins.map(([type, status]): [string, StepRule] => [type, { kind, role: 'join', refs, ...name, ...(status ? { status } : {}) }]),
  ];
}

function single(type: string, kind: StepKind, status: StepStatus, namePath?: string): [string, StepRule] {
  return [type, { kind, role: 'single', status, ...(namePath === undefined ? {} : { namePath }) }];
}

export const STEP_RULES: ReadonlyMap<string, StepRule> = new Map<string, StepRule>([
  ...chain('activity', 'activity_type.name', ['ACTIVITY_TASK_SCHEDULED', 'scheduled'], SCHEDULED_REF, [
    ['ACTIVITY_TASK_STARTED', 'running'],
    ['ACTIVITY_TASK_COMPLETED', 'completed'],
    ['ACTIVITY_TASK_FAILED', 'failed'],
    ['ACTIVITY_TASK_TIMED_OUT', 'timedOut'],
    ['ACTIVITY_TASK_CANCEL_REQUESTED', 'cancelRequested'],
    ['ACTIVITY_TASK_CANCELED', 'canceled'],
    ['ACTIVITY_PROPERTIES_MODIFIED_EXTERNALLY', undefined],
  ]),
  ...chain('timer', 'timer_id', ['TIMER_STARTED', 'running'], STARTED_REF, [
    ['TIMER_FIRED', 'completed'],
    ['TIMER_CANCELED', 'canceled'],
  ]),
  ...chain('child', 'workflow_type.name', ['START_CHILD_WORKFLOW_EXECUTION_INITIATED', 'scheduled'], INITIATED_REF, [
    ['START_CHILD_WORKFLOW_EXECUTION_FAILED', 'failed'],
    ['CHILD_WORKFLOW_EXECUTION_STARTED', 'running'],
    ['CHILD_WORKFLOW_EXECUTION_COMPLETED', 'completed'],
    ['CHILD_WORKFLOW_EXECUTION_FAILED', 'failed'],
    ['CHILD_WORKFLOW_EXECUTION_CANCELED', 'canceled'],
    ['CHILD_WORKFLOW_EXECUTION_TIMED_OUT', 'timedOut'],
    ['CHILD_WORKFLOW_EXECUTION_TERMINATED', 'terminated'],
  ]),
  ...chain('signalExternal', 'signal_name', ['SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED', 'scheduled'], INITIATED_REF, [
    ['EXTERNAL_WORKFLOW_EXECUTION_SIGNALED', 'completed'],
    ['SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED', 'failed'],
  ]),
  ...chain('cancelExternal', 'workflow_execution.workflow_id', ['REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED', 'scheduled'], INITIATED_REF, [
    ['EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED', 'completed'],
    ['REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED', 'failed'],
  ]),
  // Named `endpoint · service · operation` (steps.ts), as the events are.
  ...chain('nexus', undefined, ['NEXUS_OPERATION_SCHEDULED', 'scheduled'], SCHEDULED_REF, [
    ['NEXUS_OPERATION_STARTED', 'running'],
    ['NEXUS_OPERATION_COMPLETED', 'completed'],
    ['NEXUS_OPERATION_FAILED', 'failed'],
    ['NEXUS_OPERATION_CANCELED', 'canceled'],
    ['NEXUS_OPERATION_TIMED_OUT', 'timedOut'],
  ]),
  ['NEXUS_OPERATION_CANCEL_REQUESTED', { kind: 'nexus', role: 'join', refs: SCHEDULED_REF, status: 'cancelRequested', referable: true }],
  ['NEXUS_OPERATION_CANCEL_REQUEST_COMPLETED', { kind: 'nexus', role: 'join', refs: ['requested_event_id', 'scheduled_event_id'] }],
  ['NEXUS_OPERATION_CANCEL_REQUEST_FAILED', { kind: 'nexus', role: 'join', refs: ['requested_event_id', 'scheduled_event_id'] }],
  single('WORKFLOW_EXECUTION_STARTED', 'workflowStarted', 'completed', 'workflow_type.name'),
  single('WORKFLOW_EXECUTION_COMPLETED', 'workflowClosed', 'completed'),
  single('WORKFLOW_EXECUTION_FAILED', 'workflowClosed', 'failed'),
  single('WORKFLOW_EXECUTION_TIMED_OUT', 'workflowClosed', 'timedOut'),
  single('WORKFLOW_EXECUTION_CANCELED', 'workflowClosed', 'canceled'),
  single('WORKFLOW_EXECUTION_TERMINATED', 'workflowClosed', 'terminated'),
  single('WORKFLOW_EXECUTION_CONTINUED_AS_NEW', 'workflowClosed', 'continuedAsNew'),
  single('WORKFLOW_EXECUTION_SIGNALED', 'signal', 'completed', 'signal_name'),
  single('WORKFLOW_EXECUTION_CANCEL_REQUESTED', 'cancelRequest', 'completed'),
  single('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES', 'searchAttributes', 'completed'),
]);

/** Where a single-event step keeps a reason worth showing (the failure text is read apart). */
export const REASON_PATHS: Partial<Record<StepKind, string>> = {
  workflowClosed: 'reason', // TERMINATED
  cancelRequest: 'cause',
};
