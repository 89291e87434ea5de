/**
 * Reset semantics, shared by the live endpoint and the seed (which "replays" past resets so seeded
 * histories look exactly like ones made through the API). See the API reference, "Reset semantics".
 */
import { HistoryBuilder, type WorkerContext } from './history';
import {
  attr,
  events,
  latestRun,
  type Execution,
  type PlannedActivity,
  type ReplayPlan,
  type Run,
  type SandboxEvent,
} from './model';

interface ResetParams {
  eventId: number;
  reason: string | null;
  excludeSignals: boolean;
  excludeUpdates: boolean;
  nowMs: number;
  newRunId: string;
  ctx: WorkerContext;
}

/** The events a reset may target: the WORKFLOW_TASK_COMPLETED events of the latest run. */
export function validResetEventIds(run: Run): number[] {
  return events(run)
    .filter((e) => e.type === 'WORKFLOW_TASK_COMPLETED')
    .map((e) => e.eventId);
}

/**
 * Terminates the latest run and starts a new one holding the events up to the reset point, the
 * RESET_WORKFLOW marker, a new workflow task and the re-applied signals/updates. The caller has
 * checked that `eventId` is valid. Returns the new run (status RUNNING).
 */
export function applyReset(execution: Execution, p: ResetParams): Run {
  const old = latestRun(execution);
  const oldEvents = events(old);
  const pointIndex = oldEvents.findIndex((e) => e.eventId === p.eventId);
  if (pointIndex < 0) throw new Error(`event ${p.eventId} is not in run ${old.runId}`);
  const point = oldEvents[pointIndex];
  const after = oldEvents.slice(pointIndex + 1);

  // The old run ends here whatever its state was: the sandbox always terminates it (see README).
  const oldBuilder = new HistoryBuilder(p.ctx, p.nowMs, oldEvents);
  oldBuilder.terminated(p.reason, p.nowMs, 'history-reset');
  old.status = 'TERMINATED';
  old.endMs = p.nowMs;
  old.result = null;
  delete old.replay; // a pending completion of the old run must not fire any more

  const copied: SandboxEvent[] = structuredClone(oldEvents.slice(0, pointIndex + 1));
  const b = new HistoryBuilder(p.ctx, p.nowMs, copied);
  b.time = Math.max(b.time, p.nowMs);
  b.push('WORKFLOW_TASK_FAILED', {
    scheduled_event_id: attr(point.attributes, 'scheduled_event_id'),
    started_event_id: attr(point.attributes, 'started_event_id'),
    cause: 'RESET_WORKFLOW',
    failure: { message: p.reason ?? '' },
    base_run_id: old.runId,
    new_run_id: p.newRunId,
    identity: 'history-reset',
  });
  const scheduled = b.workflowTaskScheduled();

  const replay: ReplayPlan = { scheduledEventId: scheduled.eventId, updates: [] };
  for (const e of after) {
    if (e.type === 'WORKFLOW_EXECUTION_SIGNALED' && !p.excludeSignals) {
      b.push(e.type, structuredClone(e.attributes), 1);
    } else if (e.type === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED' && !p.excludeUpdates) {
      const updateId = String(attr(e.attributes, 'accepted_request.meta.update_id'));
      const accepted = b.push(e.type, structuredClone(e.attributes), 1);
      const done = after.find(
        (c) => c.type === 'WORKFLOW_EXECUTION_UPDATE_COMPLETED' && attr(c.attributes, 'meta.update_id') === updateId,
      );
      replay.updates.push({
        updateId,
        acceptedEventId: accepted.eventId,
        outcome: done ? done.attributes.outcome : { success: null },
      });
    }
  }

  const run: Run = {
    runId: p.newRunId,
    status: 'RUNNING',
    startMs: p.nowMs,
    endMs: null,
    result: null,
    eventsCache: b.events,
    buildEvents: null,
    replay,
  };
  execution.runs.push(run);
  return run;
}

/**
 * Runs the workflow task the reset scheduled (and completes the re-applied updates) on a run made by
 * applyReset. Returns the builder so the caller can write what the new code does next.
 */
export function resumeResetRun(run: Run, ctx: WorkerContext, nowMs: number): HistoryBuilder {
  const replay = run.replay;
  if (!replay) throw new Error(`run ${run.runId} was not started by a reset`);
  const b = new HistoryBuilder(ctx, nowMs, events(run));
  b.time = Math.max(b.time, nowMs);
  b.workflowTaskRun(replay.scheduledEventId);
  for (const u of replay.updates) b.updateCompleted(u.updateId, u.acceptedEventId, u.outcome);
  return b;
}

/** Planned activities the run has not completed yet (those after the reset point run again). */
function remainingActivities(execution: Execution, run: Run): PlannedActivity[] {
  const byId = new Map(events(run).map((e) => [e.eventId, e]));
  const done = new Set(
    events(run)
      .filter((e) => e.type === 'ACTIVITY_TASK_COMPLETED')
      .map((e) => attr(byId.get(Number(e.attributes.scheduled_event_id))?.attributes ?? {}, 'activity_type.name')),
  );
  return execution.plan.filter((a) => !done.has(a.name));
}

/** The happy ending of a reset run: the fix took effect, every remaining activity succeeds. */
export function completeResetRun(execution: Execution, run: Run, ctx: WorkerContext, nowMs: number): void {
  if (!run.replay || run.status !== 'RUNNING') return;
  const todo = remainingActivities(execution, run);
  const b = resumeResetRun(run, ctx, nowMs);
  for (const a of todo) b.activity(a.name, a.input, a.result, ctx.rng.int(1, 5));
  b.completed(execution.successResult);
  run.status = 'COMPLETED';
  run.endMs = b.time;
  run.result = execution.successResult;
  delete run.replay;
}
