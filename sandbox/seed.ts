/**
 * The deterministic demo data: ~45 executions over six workflows, every status but the deprecated
 * RETRYING_AFTER_ERROR, plus special executions with fixed ids (DEMO) that tests and the demo rely on.
 * Failures are written the way Temporal writes them, and fall into incidents: an activity fails the
 * same way in every execution it fails in (sandbox/catalog.ts), and a bad deploy wedges three runs.
 * Same seed + same `now` = same data.
 */
import { pythonTrace, WORKFLOW_FRAMES, WORKFLOWS, workflowDef, type WorkflowDef } from './catalog';
import { buildBigRun } from './seed-big';
import { HistoryBuilder, type WorkerContext } from './history';
import { type Execution, type PlannedActivity, type Run, type RunStatus, type SandboxEvent } from './model';
import { Random } from './random';
import { applyReset, completeResetRun, resumeResetRun } from './reset';

/** Stable ids of the special executions (the same for every seed). */
export const DEMO = {
  /** order-fulfillment, FAILED on `KeyError: 'shipping_address'`; 2 signals and 1 update after WFT 10/16. */
  failed: '6f1c2a9e-3b7d-4e58-9a41-0c2d8e7f5b13',
  /** customer-onboarding, RUNNING, waiting on a 24 h timer (event 21); a signal at 17. */
  running: 'b4e7d2c1-8a36-4f09-b5e2-7d1a9c3f6e80',
  /** invoice-sync with 3 runs: two TERMINATED by past resets, the latest COMPLETED. */
  reset: '2d9a7f4b-c1e8-4b63-8f05-e6a3b9d2c471',
  /** document-ingestion, COMPLETED, exactly 51,200 events (the platform's cap), built on first read. */
  big: '9e3b5c7a-4d21-4f8e-a6b9-1c7e2f5d8a04',
  /** refund-processor, RUNNING: an activity retrying (attempt 3), an open 2 h timer and a running child workflow. */
  pending: 'c7a1e5d3-2f48-4b9e-8d61-5e0b3a9f7c24',
  /**
   * order-fulfillment, RUNNING and stuck: its workflow task fails on non-determinism since
   * `STUCK_BUILD` was deployed (event 28), and is retried (29, 30) to no end. The oldest of three.
   */
  stuck: '3b8e6f2a-9c14-4d7b-a5e0-8f2c1d6b4a97',
  /** order-fulfillment, RUNNING, wedged by the same deploy as `stuck`: the same incident. */
  stuckSecond: 'e05a9d3c-6b72-4f18-9e4d-2c7a5b1f8e36',
  /** order-fulfillment, RUNNING, wedged by the same deploy as `stuck`, the latest to be. */
  stuckThird: '71c4b8e9-2d5f-4a06-b3e8-9f1a6c2d7e54',
  /** customer-onboarding, RUNNING and stuck on a bug in its workflow code: a TypeError fails every workflow task. */
  stuckOnBug: 'a9d27c5e-4f81-4b3a-8c6d-0e5b7f2a1c93',
} as const;

/** The deploy that wedged DEMO.stuck and its two siblings, and the build they had been running on. */
export const STUCK_BUILD = { before: 'order-fulfillment@1.7.4', deployed: 'order-fulfillment@1.8.0' } as const;

/** What the Python SDK (sdk-core) says when `STUCK_BUILD.deployed` replays the runs it wedged. */
export const STUCK_MESSAGE =
  "[TMPRL1100] Nondeterminism error: Activity type of scheduled event 'create_shipment' does not match activity type of activity command 'verify_address'";

/** The reasons of the seeded resets of DEMO.reset, oldest first. */
export const DEMO_RESET_REASONS = [
  'Deployed fix for rounding bug (#412)',
  'Deployed fix for EU tax rounding on credit notes (#419)',
] as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface SeedContext {
  rng: Random;
  now: number;
  workflowIds: Map<string, string>;
  users: string[];
}

export function seedExecutions(seed: number, now: number, generic = 35): Execution[] {
  const rng = new Random(seed);
  const ctx: SeedContext = {
    rng,
    now,
    workflowIds: new Map(WORKFLOWS.map((w) => [w.name, rng.uuid()])),
    users: [rng.uuid(), rng.uuid(), rng.uuid(), rng.uuid()],
  };
  const list = [demoFailed(ctx), demoRunning(ctx), demoReset(ctx), demoBig(ctx), continuedAsNew(ctx)];
  // Every status at least once, then mostly COMPLETED like a real workspace.
  const endings: Ending[] = ['FAILED', 'RUNNING', 'CANCELED', 'TERMINATED', 'TIMED_OUT', 'BETWEEN_ATTEMPTS'];
  for (let i = 0; i < generic; i++) {
    const ending = i < endings.length ? endings[i] : rng.pick<Ending>(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED', 'FAILED', 'RUNNING']);
    list.push(ordinary(ctx, i, ending));
  }
  // Last, so that the random draws of every execution above stay what they were.
  list.push(demoPending(ctx));
  list.push(...demoStuck(ctx));
  return list;
}

function newExecution(ctx: SeedContext, def: WorkflowDef, executionId: string, key: string): Execution {
  const { rng } = ctx;
  const plan: PlannedActivity[] = def.activities.map((a) => ({
    name: a.name,
    input: a.input(rng, key),
    result: a.result(rng, key),
  }));
  return {
    executionId,
    workflowName: def.name,
    workflowId: ctx.workflowIds.get(def.name) ?? rng.uuid(),
    deploymentName: rng.pick(def.deployments),
    userId: rng.pick(ctx.users),
    taskQueue: `${def.name}-queue`,
    worker: { identity: `1@${def.name}-worker-${rng.hex(5)}`, buildId: `${def.name}@1.${rng.int(2, 9)}.${rng.int(0, 20)}` },
    successResult: def.result(key),
    plan,
    runs: [],
  };
}

function worker(ctx: SeedContext, e: Execution, buildId = e.worker.buildId): WorkerContext {
  return { rng: ctx.rng, taskQueue: e.taskQueue, identity: e.worker.identity, buildId };
}

function closedRun(runId: string, status: RunStatus, list: SandboxEvent[], result: unknown = null): Run {
  const open = status === 'RUNNING' || status === 'RETRYING_AFTER_ERROR'; // the latter read if ever given, never seeded
  return {
    runId,
    status,
    startMs: list[0].timeMs,
    endMs: open ? null : list[list.length - 1].timeMs,
    result,
    eventsCache: list,
    buildEvents: null,
  };
}

/** Moves a history back in time so that it ends before `limit` (builders may overshoot `now`). */
function fitBefore(list: SandboxEvent[], limit: number): void {
  const overshoot = list[list.length - 1].timeMs - limit;
  if (overshoot > 0) for (const e of list) e.timeMs -= overshoot;
}

function demoFailed(ctx: SeedContext): Execution {
  const def = workflowDef('order-fulfillment');
  const key = 'ord_7Q2M9KX4';
  const e = newExecution(ctx, def, DEMO.failed, key);
  const runId = ctx.rng.uuid();
  const [validate, reserve, charge, ship] = e.plan;
  const b = new HistoryBuilder(worker(ctx, e), ctx.now - 2 * HOUR - 17 * MINUTE - 23_417);
  b.executionStarted(def.name, def.input(key), runId); // 1
  b.workflowTask(); // 2-4
  b.activity(validate.name, validate.input, validate.result); // 5-7, WFT 8-10
  b.activity(reserve.name, reserve.input, reserve.result); // 11-13, WFT 14-16
  b.signal('address_updated', { street: '12 rue de la Paix', city: 'Paris', postal_code: '75002' }); // 17
  b.workflowTask(); // 18-20
  b.update('set_delivery_window', { window: 'evening' }, { success: { accepted: true } }); // WFT 21-23, 24, 25
  b.activity(charge.name, charge.input, charge.result); // 26-28, WFT 29-31
  b.signal('priority_changed', { priority: 'express' }); // 32
  b.workflowTask(); // 33-35
  const shipFailed = b.activityFailed(ship.name, ship.input, failureSpec(def, ship.name, key, 0, 0)); // 36-38, WFT 39-41: KeyError: 'shipping_address'
  b.workflowFailedBy(shipFailed); // 42: "Activity task failed", caused by the KeyError
  fitBefore(b.events, ctx.now - 2 * HOUR);
  e.runs.push(closedRun(runId, 'FAILED', b.events));
  return e;
}

function demoRunning(ctx: SeedContext): Execution {
  const def = workflowDef('customer-onboarding');
  const key = 'cus_4f8a2c91d0';
  const e = newExecution(ctx, def, DEMO.running, key);
  const runId = ctx.rng.uuid();
  const b = new HistoryBuilder(worker(ctx, e), ctx.now - 25 * MINUTE - 41_062);
  b.executionStarted(def.name, def.input(key), runId);
  b.workflowTask();
  for (const a of e.plan.slice(0, 2)) b.activity(a.name, a.input, a.result);
  b.signal('kyc_document_uploaded', { document: 'passport.pdf' });
  b.workflowTask();
  b.timerStarted('wait_for_manual_review', '86400s');
  fitBefore(b.events, ctx.now - MINUTE);
  e.runs.push(closedRun(runId, 'RUNNING', b.events));
  return e;
}

/** Waiting on three things at once, as Pending shows them: a retrying activity, a timer and a child workflow. */
function demoPending(ctx: SeedContext): Execution {
  const def = workflowDef('refund-processor');
  const key = 'rf_9c2e71ab';
  const e = newExecution(ctx, def, DEMO.pending, key);
  const runId = ctx.rng.uuid();
  const [load, fraud] = e.plan;
  const b = new HistoryBuilder(worker(ctx, e), ctx.now - 12 * MINUTE - 8_211);
  b.executionStarted(def.name, def.input(key), runId); // 1
  b.workflowTask(); // 2-4
  b.activity(load.name, load.input, load.result); // 5-7, WFT 8-10
  const decided = b.lastWorkflowTaskCompleted;
  const scheduled = b.activityScheduled(fraud.name, fraud.input); // 11
  b.timerStarted('refund_sla', '7200s'); // 12
  const child = b.push('START_CHILD_WORKFLOW_EXECUTION_INITIATED', {
    workflow_id: `notify-${key}`,
    workflow_type: { name: 'customer-notification' },
    task_queue: { name: e.taskQueue },
    input: { refund_id: key, channel: 'email' },
    workflow_task_completed_event_id: decided,
  }); // 13
  b.push('CHILD_WORKFLOW_EXECUTION_STARTED', {
    initiated_event_id: child.eventId,
    workflow_execution: { workflow_id: `notify-${key}`, run_id: ctx.rng.uuid() },
    workflow_type: { name: 'customer-notification' },
  }, 400); // 14
  b.workflowTask(); // 15-17
  // The attempt in flight, with the failure of the one before (as the engine's describe reports it).
  b.push('ACTIVITY_TASK_STARTED', {
    scheduled_event_id: scheduled.eventId,
    attempt: 3,
    identity: e.worker.identity,
    last_failure: { message: 'fraud-score service unavailable (HTTP 503)', application_failure_info: { type: 'ServiceUnavailable' } },
  }, 90_000); // 18
  fitBefore(b.events, ctx.now - 30_000);
  e.runs.push(closedRun(runId, 'RUNNING', b.events));
  return e;
}

/**
 * Runs wedged on their workflow task, as the service shows them: RUNNING, with nothing to say so in
 * their status. Three orders were shipping when `STUCK_BUILD.deployed` (a verify_address step added
 * before create_shipment, unversioned) went out: the new worker cannot replay them. And an onboarding
 * whose workflow code raises a TypeError on the answer of verify_identity.
 */
function demoStuck(ctx: SeedContext): Execution[] {
  const deployedAt = ctx.now - 47 * MINUTE - 12_480;
  const orders = [
    { id: DEMO.stuck, key: 'ord_3HW8Q2ZT', startedBefore: 6 * MINUTE + 3_914, failsAfter: MINUTE + 41_306 },
    { id: DEMO.stuckSecond, key: 'ord_8KD4N7RA', startedBefore: 3 * MINUTE + 27_550, failsAfter: 4 * MINUTE + 5_112 },
    { id: DEMO.stuckThird, key: 'ord_5VX1M9PC', startedBefore: MINUTE + 12_208, failsAfter: 7 * MINUTE + 48_027 },
  ];
  return [...orders.map((o) => wedgedOrder(ctx, o.id, o.key, deployedAt - o.startedBefore, deployedAt + o.failsAfter)), stuckOnBug(ctx)];
}

/** An order run on `STUCK_BUILD.before` up to create_shipment, whose next workflow task (at `failsAtMs`) the new build fails. */
function wedgedOrder(ctx: SeedContext, executionId: string, key: string, startMs: number, failsAtMs: number): Execution {
  const def = workflowDef('order-fulfillment');
  const e = newExecution(ctx, def, executionId, key);
  const runId = ctx.rng.uuid();
  const [validate, reserve, charge, ship] = e.plan;
  const b = new HistoryBuilder(worker(ctx, e, STUCK_BUILD.before), startMs);
  b.executionStarted(def.name, def.input(key), runId); // 1
  b.workflowTask(); // 2-4
  for (const a of [validate, reserve, charge]) b.activity(a.name, a.input, a.result); // 5-22
  const shipping = b.activityScheduled(ship.name, ship.input); // 23
  const started = b.activityStarted(shipping.eventId); // 24
  // Booking the carrier takes minutes: the deploy went out meanwhile.
  b.time = Math.max(b.time, failsAtMs - 1_000);
  b.push('ACTIVITY_TASK_COMPLETED', { scheduled_event_id: shipping.eventId, started_event_id: started.eventId, result: ship.result }); // 25
  // Replayed by the new build: its verify_address command meets the create_shipment of event 23.
  const deployed = new HistoryBuilder(worker(ctx, e, STUCK_BUILD.deployed), 0, b.events);
  deployed.workflowTaskFailing('NON_DETERMINISTIC_ERROR', { message: STUCK_MESSAGE }); // 26-28, retried 29-30
  e.worker.buildId = STUCK_BUILD.deployed;
  e.runs.push(closedRun(runId, 'RUNNING', b.events));
  return e;
}

function stuckOnBug(ctx: SeedContext): Execution {
  const def = workflowDef('customer-onboarding');
  const key = 'cus_7e21b94c05';
  const e = newExecution(ctx, def, DEMO.stuckOnBug, key);
  const runId = ctx.rng.uuid();
  const [create, verify] = e.plan;
  const b = new HistoryBuilder(worker(ctx, e), ctx.now - 2 * HOUR - 31 * MINUTE - 9_254);
  b.executionStarted(def.name, def.input(key), runId); // 1
  b.workflowTask(); // 2-4
  b.activity(create.name, create.input, create.result); // 5-7, WFT 8-10
  const verifying = b.activityScheduled(verify.name, verify.input); // 11
  const started = b.activityStarted(verifying.eventId); // 12
  // The provider answered without a document section, which the workflow code does not expect.
  b.push('ACTIVITY_TASK_COMPLETED', { scheduled_event_id: verifying.eventId, started_event_id: started.eventId, result: { verified: true, document: null } }, 6_212); // 13
  const error = "TypeError: 'NoneType' object is not subscriptable";
  b.workflowTaskFailing('WORKFLOW_WORKER_UNHANDLED_FAILURE', {
    message: "'NoneType' object is not subscriptable",
    type: 'TypeError',
    stackTrace: pythonTrace('/app/workflows/customer_onboarding/workflow.py', 57, 'run', 'country = identity["document"]["country"]', error, WORKFLOW_FRAMES),
  }); // 14-16, retried 17-18
  fitBefore(b.events, ctx.now - 2 * HOUR);
  e.runs.push(closedRun(runId, 'RUNNING', b.events));
  return e;
}

/** Two past resets: each earlier run was stuck retrying a buggy activity until a fix was deployed. */
function demoReset(ctx: SeedContext): Execution {
  const def = workflowDef('invoice-sync');
  const key = 'batch-4127';
  const e = newExecution(ctx, def, DEMO.reset, key);
  const [fetch, convert, tax] = e.plan;
  const t0 = ctx.now - 30 * HOUR - 7 * MINUTE - 12_345;
  const run1 = ctx.rng.uuid();
  const b = new HistoryBuilder(worker(ctx, e, `${def.name}@2.3.0`), t0);
  b.executionStarted(def.name, def.input(key), run1); // 1
  b.workflowTask(); // 2-4
  b.activity(fetch.name, fetch.input, fetch.result); // 5-7, WFT 8-10
  b.activityScheduled(convert.name, convert.input); // 11: retrying (decimal rounding bug)
  e.runs.push(closedRun(run1, 'RUNNING', b.events));

  const run2 = ctx.rng.uuid();
  const common = { excludeSignals: false, excludeUpdates: false };
  const t1 = t0 + 3 * HOUR;
  applyReset(e, { ...common, eventId: 10, reason: DEMO_RESET_REASONS[0], nowMs: t1, newRunId: run2, ctx: worker(ctx, e, `${def.name}@2.3.1`) });
  const b2 = resumeResetRun(e.runs[1], worker(ctx, e, `${def.name}@2.3.1`), t1 + 2000);
  b2.activity(convert.name, convert.input, convert.result);
  const point2 = b2.lastWorkflowTaskCompleted;
  b2.activityScheduled(tax.name, tax.input); // retrying: the next bug

  const t2 = t1 + 2 * HOUR;
  const fixed = worker(ctx, e, `${def.name}@2.3.2`);
  const run3 = applyReset(e, { ...common, eventId: point2, reason: DEMO_RESET_REASONS[1], nowMs: t2, newRunId: ctx.rng.uuid(), ctx: fixed });
  completeResetRun(e, run3, fixed, t2 + 1500);
  e.worker.buildId = `${def.name}@2.3.2`;
  return e;
}

function demoBig(ctx: SeedContext): Execution {
  const def = workflowDef('document-ingestion');
  const e = newExecution(ctx, def, DEMO.big, 'doc_bulk_2026_archive');
  e.plan = [];
  const runId = ctx.rng.uuid();
  const start = ctx.now - 50 * HOUR - 3 * MINUTE - 8_765;
  const bigSeed = ctx.rng.int(1, 2 ** 31);
  const { endMs, build } = buildBigRun({
    seed: bigSeed,
    startMs: start,
    runId,
    workflowName: def.name,
    worker: { taskQueue: e.taskQueue, identity: e.worker.identity, buildId: e.worker.buildId },
  });
  e.runs.push({
    runId,
    status: 'COMPLETED',
    startMs: start,
    endMs,
    result: e.successResult,
    eventsCache: null,
    buildEvents: build,
  });
  return e;
}

/** A nightly report that continued as new once: two rows sharing one execution id. */
function continuedAsNew(ctx: SeedContext): Execution {
  const def = workflowDef('nightly-report');
  const key = '2026-01-20';
  const e = newExecution(ctx, def, ctx.rng.uuid(), key);
  const run1 = ctx.rng.uuid();
  const run2 = ctx.rng.uuid();
  const b = new HistoryBuilder(worker(ctx, e), ctx.now - 20 * HOUR - 54_321);
  b.executionStarted(def.name, def.input(key), run1);
  b.workflowTask();
  b.activity(e.plan[0].name, e.plan[0].input, e.plan[0].result);
  b.continuedAsNew(run2, { ...(def.input(key) as object), resume_from: 'render' });
  e.runs.push(closedRun(run1, 'CONTINUED_AS_NEW', b.events));
  const b2 = new HistoryBuilder(worker(ctx, e), b.time + 50);
  b2.executionStarted(def.name, def.input(key), run2);
  b2.workflowTask();
  for (const a of e.plan.slice(1)) b2.activity(a.name, a.input, a.result);
  b2.completed(e.successResult);
  e.runs.push(closedRun(run2, 'COMPLETED', b2.events, e.successResult));
  return e;
}

/** The failure of activity `name` of `def` in the execution with key `key` (see ActivityFailure), with its traceback. */
function failureSpec(def: WorkflowDef, name: string, key: string, n: number, m: number): { message: string; type: string; stackTrace: string } {
  const failure = def.activities.find((a) => a.name === name)?.failure;
  if (failure === undefined) throw new Error(`${def.name} has no activity ${name}`);
  const message = failure.message(key, n, m);
  const file = `/app/workflows/${def.name.replace(/-/g, '_')}/activities.py`;
  return { message, type: failure.type, stackTrace: pythonTrace(file, failure.line, name, failure.code, `${failure.type}: ${message}`) };
}

/**
 * How a generic execution ends: its status, or BETWEEN_ATTEMPTS, RUNNING with its activity failing
 * and retried (Temporal writes no attempt before the last, so the history ends at its SCHEDULED).
 * That one was seeded as RETRYING_AFTER_ERROR, the status Mistral deprecated: the service shows such
 * a run as RUNNING.
 */
type Ending = Exclude<RunStatus, 'RETRYING_AFTER_ERROR'> | 'BETWEEN_ATTEMPTS';

/** An ordinary execution ending as `ending` says after a random number of activities. */
function ordinary(ctx: SeedContext, index: number, ending: Ending): Execution {
  const { rng } = ctx;
  const def = rng.pick(WORKFLOWS);
  const key = def.key(rng);
  const e = newExecution(ctx, def, rng.uuid(), key);
  const runId = rng.uuid();
  const status: RunStatus = ending === 'BETWEEN_ATTEMPTS' ? 'RUNNING' : ending;
  const open = status === 'RUNNING';
  // Open runs started minutes ago; closed ones are spread over the last ~6 days, newest first.
  const start = open
    ? ctx.now - rng.int(3 * MINUTE, 55 * MINUTE)
    : ctx.now - 40 * MINUTE - index * 4 * HOUR - rng.int(0, 3 * HOUR);
  const b = new HistoryBuilder(worker(ctx, e), start);
  b.executionStarted(def.name, def.input(key), runId);
  b.workflowTask();
  const stopAt = status === 'COMPLETED' ? e.plan.length : rng.int(1, e.plan.length - 1);
  e.plan.slice(0, stopAt).forEach((a, i) => {
    b.activity(a.name, a.input, a.result);
    if (i === 0 && def.signals.length > 0 && rng.chance(0.3)) {
      b.signal(rng.pick(def.signals), { requested_by: 'ops@example.com' });
      b.workflowTask();
    }
  });
  const next = e.plan[stopAt];
  switch (ending) {
    case 'COMPLETED':
      b.completed(e.successResult);
      break;
    case 'FAILED': {
      // Two draws, where the seed once drew a random failure and its line: every execution after keeps its data.
      const n = rng.int(0, 9999);
      const m = rng.int(20, 240);
      const failure = failureSpec(def, next.name, key, n, m);
      b.workflowFailedBy(b.activityFailed(next.name, next.input, { ...failure, retryState: 'RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED' }, 5));
      break;
    }
    case 'RUNNING':
      b.activityStarted(b.activityScheduled(next.name, next.input).eventId);
      break;
    case 'BETWEEN_ATTEMPTS':
      b.activityScheduled(next.name, next.input); // failing attempts are not written until the last one
      break;
    case 'CANCELED':
      b.push('WORKFLOW_EXECUTION_CANCEL_REQUESTED', { cause: 'Canceled from the console', identity: 'api@mistral-workflows' }, rng.int(1000, 90_000));
      b.workflowTask();
      b.canceled({ reason: 'Canceled from the console' });
      break;
    case 'TERMINATED':
      b.activityScheduled(next.name, next.input);
      b.terminated('Stuck on upstream outage; terminated by on-call');
      break;
    case 'TIMED_OUT':
      b.activityStarted(b.activityScheduled(next.name, next.input).eventId);
      b.timedOut(HOUR);
      break;
    default:
      throw new Error(`generic executions cannot be ${ending}`);
  }
  fitBefore(b.events, open ? ctx.now - 20_000 : ctx.now - 5 * MINUTE);
  e.runs.push(closedRun(runId, status, b.events, status === 'COMPLETED' ? e.successResult : null));
  return e;
}
