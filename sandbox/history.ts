/**
 * Writes coherent Temporal-style histories: every activity is scheduled by a completed workflow task,
 * started and closed; workflow tasks are scheduled/started/completed between them. The seed and the
 * reset logic both use it, so a reset run looks exactly like a seeded one.
 */
import type { Attributes, SandboxEvent } from './model';
import type { Random } from './random';

export interface WorkerContext {
  rng: Random;
  taskQueue: string;
  /** The worker's identity, e.g. `1@worker-7f9c-order-fulfillment`. */
  identity: string;
  buildId: string;
  /** Multiplies the random gaps between events: live reset runs use a small one so they finish "now". */
  gapScale?: number;
}

interface FailureSpec {
  message: string;
  stackTrace: string;
  type: string;
  retryState?: string;
}

/** A WORKFLOW_TASK_FAILED's cause, bare as the sandbox writes enums (`WORKFLOW_TASK_FAILED_CAUSE_` dropped). */
type WorkflowTaskFailedCause = 'NON_DETERMINISTIC_ERROR' | 'WORKFLOW_WORKER_UNHANDLED_FAILURE';

/** What the worker reports when a workflow task fails: the SDK's message, and the exception's type and trace when it has one. */
interface WorkflowTaskFailure {
  message: string;
  type?: string;
  stackTrace?: string;
}

export class HistoryBuilder {
  readonly events: SandboxEvent[];
  /** The time of the last event written (ms). */
  time: number;
  private lastWftCompleted = 0;
  private activitySeq = 0;

  constructor(
    private readonly ctx: WorkerContext,
    startMs: number,
    existing: SandboxEvent[] = [],
  ) {
    this.events = existing;
    this.time = existing.length > 0 ? existing[existing.length - 1].timeMs : startMs;
    for (const e of existing) {
      if (e.type === 'WORKFLOW_TASK_COMPLETED') this.lastWftCompleted = e.eventId;
      if (e.type === 'ACTIVITY_TASK_SCHEDULED') this.activitySeq++;
    }
  }

  get lastEventId(): number {
    return this.events.length === 0 ? 0 : this.events[this.events.length - 1].eventId;
  }

  get lastWorkflowTaskCompleted(): number {
    return this.lastWftCompleted;
  }

  /** Appends one event `gapMs` after the previous one. */
  push(type: string, attributes: Attributes, gapMs = 0): SandboxEvent {
    this.time += gapMs;
    const event = { eventId: this.lastEventId + 1, type, timeMs: this.time, attributes };
    this.events.push(event);
    return event;
  }

  private gap(min: number, max: number): number {
    return Math.round(this.ctx.rng.int(min, max) * (this.ctx.gapScale ?? 1));
  }

  executionStarted(workflowName: string, input: unknown, runId: string): void {
    this.push('WORKFLOW_EXECUTION_STARTED', {
      workflow_type: { name: workflowName },
      task_queue: { name: this.ctx.taskQueue },
      input,
      attempt: 1,
      first_execution_run_id: runId,
      original_execution_run_id: runId,
      identity: 'api@mistral-workflows',
    });
  }

  workflowTaskScheduled(attempt = 1): SandboxEvent {
    return this.push(
      'WORKFLOW_TASK_SCHEDULED',
      { task_queue: { name: this.ctx.taskQueue }, start_to_close_timeout: '10s', attempt },
      this.gap(1, 30),
    );
  }

  workflowTaskStarted(scheduledId: number): SandboxEvent {
    return this.push(
      'WORKFLOW_TASK_STARTED',
      { scheduled_event_id: scheduledId, identity: this.ctx.identity, request_id: this.ctx.rng.uuid() },
      this.gap(3, 40),
    );
  }

  /** Starts and completes the workflow task scheduled at `scheduledId`; returns the COMPLETED id. */
  workflowTaskRun(scheduledId: number): number {
    const started = this.workflowTaskStarted(scheduledId);
    const completed = this.push(
      'WORKFLOW_TASK_COMPLETED',
      {
        scheduled_event_id: scheduledId,
        started_event_id: started.eventId,
        identity: this.ctx.identity,
        worker_version: { build_id: this.ctx.buildId },
      },
      this.gap(5, 60),
    );
    this.lastWftCompleted = completed.eventId;
    return completed.eventId;
  }

  /** A full workflow task (scheduled, started, completed); returns the COMPLETED event id. */
  workflowTask(): number {
    return this.workflowTaskRun(this.workflowTaskScheduled().eventId);
  }

  /**
   * A workflow task that the worker fails (scheduled, started, failed), then its retry, scheduled and
   * started. Temporal retries a failing task without end but writes only the first failure of the
   * streak: every later attempt fails unseen, so the history ends at the retry's STARTED for good.
   */
  workflowTaskFailing(cause: WorkflowTaskFailedCause, failure: WorkflowTaskFailure): SandboxEvent {
    const scheduled = this.workflowTaskScheduled();
    const started = this.workflowTaskStarted(scheduled.eventId);
    const failed = this.push(
      'WORKFLOW_TASK_FAILED',
      {
        scheduled_event_id: scheduled.eventId,
        started_event_id: started.eventId,
        cause,
        failure: {
          message: failure.message,
          ...(failure.stackTrace === undefined ? {} : { stack_trace: failure.stackTrace }),
          ...(failure.type === undefined ? {} : { application_failure_info: { type: failure.type } }),
        },
        identity: this.ctx.identity,
        worker_version: { build_id: this.ctx.buildId },
      },
      this.gap(5, 60),
    );
    this.workflowTaskStarted(this.workflowTaskScheduled(2).eventId);
    return failed;
  }

  activityScheduled(name: string, input: unknown): SandboxEvent {
    this.activitySeq++;
    return this.push(
      'ACTIVITY_TASK_SCHEDULED',
      {
        activity_id: String(this.activitySeq),
        activity_type: { name },
        task_queue: { name: this.ctx.taskQueue },
        input,
        workflow_task_completed_event_id: this.lastWftCompleted,
      },
      this.gap(1, 5),
    );
  }

  activityStarted(scheduledId: number, attempt = 1): SandboxEvent {
    return this.push(
      'ACTIVITY_TASK_STARTED',
      { scheduled_event_id: scheduledId, attempt, identity: this.ctx.identity },
      this.gap(5, 200),
    );
  }

  /** An activity that runs and succeeds, followed by the workflow task that handles its result. */
  activity(name: string, input: unknown, result: unknown, durationMs?: number): number {
    const scheduled = this.activityScheduled(name, input);
    const started = this.activityStarted(scheduled.eventId);
    this.push(
      'ACTIVITY_TASK_COMPLETED',
      { scheduled_event_id: scheduled.eventId, started_event_id: started.eventId, result },
      durationMs ?? this.gap(80, 4000),
    );
    return this.workflowTask();
  }

  /**
   * An activity that fails for good (after `attempt` attempts), followed by the workflow task that
   * sees it; returns the ACTIVITY_TASK_FAILED event (`workflowFailedBy` fails the run with it).
   */
  activityFailed(name: string, input: unknown, failure: FailureSpec, attempt = 1): SandboxEvent {
    const scheduled = this.activityScheduled(name, input);
    const started = this.activityStarted(scheduled.eventId, attempt);
    const failed = this.push(
      'ACTIVITY_TASK_FAILED',
      {
        scheduled_event_id: scheduled.eventId,
        started_event_id: started.eventId,
        failure: {
          message: failure.message,
          stack_trace: failure.stackTrace,
          application_failure_info: { type: failure.type },
        },
        identity: this.ctx.identity,
        retry_state: failure.retryState ?? 'RETRY_STATE_NON_RETRYABLE_FAILURE',
      },
      this.gap(50, 900),
    );
    this.workflowTask();
    return failed;
  }

  timerStarted(timerId: string, timeout: string): SandboxEvent {
    return this.push('TIMER_STARTED', { timer_id: timerId, start_to_fire_timeout: timeout }, this.gap(1, 5));
  }

  timerFired(timer: SandboxEvent, afterMs: number): number {
    this.push('TIMER_FIRED', { timer_id: timer.attributes.timer_id, started_event_id: timer.eventId }, afterMs);
    return this.workflowTask();
  }

  signal(name: string, input: unknown, identity = 'api@mistral-workflows', gapMs?: number): SandboxEvent {
    return this.push(
      'WORKFLOW_EXECUTION_SIGNALED',
      { signal_name: name, input, identity },
      gapMs ?? this.gap(200, 20_000),
    );
  }

  /** An update accepted and completed by the next workflow task. */
  update(name: string, args: unknown, outcome: unknown): number {
    const updateId = this.ctx.rng.uuid();
    const scheduled = this.workflowTaskScheduled();
    const completedWft = this.workflowTaskRun(scheduled.eventId);
    const accepted = this.updateAccepted(updateId, name, args);
    this.updateCompleted(updateId, accepted.eventId, outcome);
    return completedWft;
  }

  updateAccepted(updateId: string, name: string, args: unknown): SandboxEvent {
    return this.push(
      'WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
      {
        protocol_instance_id: updateId,
        accepted_request: { meta: { update_id: updateId }, input: { name, args } },
      },
      this.gap(1, 3),
    );
  }

  updateCompleted(updateId: string, acceptedEventId: number, outcome: unknown): SandboxEvent {
    return this.push(
      'WORKFLOW_EXECUTION_UPDATE_COMPLETED',
      { meta: { update_id: updateId }, accepted_event_id: acceptedEventId, outcome },
      this.gap(1, 3),
    );
  }

  marker(name: string): SandboxEvent {
    return this.push('MARKER_RECORDED', { marker_name: name }, this.gap(1, 3));
  }

  completed(result: unknown): void {
    this.push(
      'WORKFLOW_EXECUTION_COMPLETED',
      { result, workflow_task_completed_event_id: this.lastWftCompleted },
      this.gap(1, 5),
    );
  }

  /**
   * The run fails because the workflow let an activity's failure through, written as Temporal writes
   * it (workers/samples/order-activity-failed.json): the SDK's "Activity task failed" wrapper says
   * which activity (`activity_failure_info`), its `cause` is the activity's own failure, whole.
   */
  workflowFailedBy(activityFailed: SandboxEvent): void {
    const a = activityFailed.attributes;
    const scheduled = this.events.find((e) => e.eventId === a.scheduled_event_id);
    if (activityFailed.type !== 'ACTIVITY_TASK_FAILED' || scheduled === undefined) {
      throw new Error(`event ${activityFailed.eventId} is not the failure of an activity of this history`);
    }
    this.push(
      'WORKFLOW_EXECUTION_FAILED',
      {
        failure: {
          message: 'Activity task failed',
          cause: structuredClone(a.failure),
          activity_failure_info: {
            scheduled_event_id: a.scheduled_event_id,
            started_event_id: a.started_event_id,
            identity: a.identity,
            activity_type: structuredClone(scheduled.attributes.activity_type),
            activity_id: scheduled.attributes.activity_id,
            retry_state: a.retry_state,
          },
        },
        retry_state: 'RETRY_STATE_RETRY_POLICY_NOT_SET',
        workflow_task_completed_event_id: this.lastWftCompleted,
      },
      this.gap(1, 5),
    );
  }

  terminated(reason: string | null, atMs?: number, identity = 'api@mistral-workflows'): void {
    if (atMs !== undefined) this.time = Math.max(this.time, atMs);
    this.push('WORKFLOW_EXECUTION_TERMINATED', { reason, identity }, atMs === undefined ? this.gap(1000, 60_000) : 0);
  }

  canceled(details: unknown): void {
    this.push('WORKFLOW_EXECUTION_CANCELED', { details }, this.gap(1, 5));
  }

  timedOut(afterMs: number): void {
    this.push('WORKFLOW_EXECUTION_TIMED_OUT', { retry_state: 'RETRY_STATE_TIMEOUT' }, afterMs);
  }

  continuedAsNew(newRunId: string, input: unknown): void {
    this.push(
      'WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
      { new_execution_run_id: newRunId, input, workflow_task_completed_event_id: this.lastWftCompleted },
      this.gap(1, 5),
    );
  }
}
