/**
 * The "group by problem" bench's sandbox data: 1,000 failed executions over five signatures, each
 * failing in an activity the way a real worker's run fails (workers/samples/order-activity-failed.json):
 * ACTIVITY_TASK_FAILED, then WORKFLOW_EXECUTION_FAILED whose failure is "Activity task failed" with the
 * activity's failure info and the application error as its cause. Every message has variable parts
 * (order numbers, amounts, UUIDs, times, quoted values) that src/incidents/mask.ts masks, so 1,000
 * different messages make exactly five signatures. A store of its own (reads only), so the bench does
 * not depend on the seed, which other work changes.
 */
import { HistoryBuilder } from '../sandbox/history';
import { stringifyExact } from '../sandbox/json';
import { pageOf } from '../sandbox/listing';
import type { Execution, Run } from '../sandbox/model';
import { Random } from '../sandbox/random';
import { historyBody, runDetail, runRow } from '../sandbox/shapes';
import type {
  FeedBatch, HistoryShape, JsonText, Outcome, ResetOutcome, RunDetail, RunsPage, RunsQuery, RunTarget, SandboxStore,
} from '../sandbox/store';

interface Signature {
  workflow: string;
  /** Activities that succeed before the failing one. */
  before: string[];
  activity: string;
  errorType: string;
  message: (r: Random) => string;
}

const SIGNATURES: readonly Signature[] = [
  {
    workflow: 'order-fulfillment',
    before: ['validate_order', 'reserve_inventory', 'charge_payment'],
    activity: 'create_shipment',
    errorType: 'KeyError',
    message: (r) => `no shipping address on order order-${r.int(1000, 99_999)} ('shipping_address' not among its ${r.int(3, 12)} keys)`,
  },
  {
    workflow: 'payment-capture',
    before: ['load_invoice'],
    activity: 'charge_card',
    errorType: 'CardDeclined',
    message: (r) => `card ending ${r.int(1000, 9999)} declined: insufficient funds for ${r.int(5, 900)}.${r.int(10, 99)} EUR`,
  },
  {
    workflow: 'invoice-export',
    before: ['fetch_lines', 'compute_totals'],
    activity: 'render_pdf',
    errorType: 'RenderTimeout',
    message: (r) => `rendering invoice ${r.uuid()} exceeded ${r.int(5, 60)}s at 2026-12-0${r.int(1, 3)}T${r.int(10, 23)}:${r.int(10, 59)}:00Z`,
  },
  {
    workflow: 'inventory-sync',
    before: ['read_catalogue'],
    activity: 'reserve_stock',
    errorType: 'OutOfStock',
    message: (r) => `SKU "sku-${r.int(100, 9999)}" has ${r.int(0, 9)} left, ${r.int(10, 50)} requested`,
  },
  {
    workflow: 'customer-onboarding',
    before: ['create_account', 'provision_workspace'],
    activity: 'send_welcome_email',
    errorType: 'SMTPRecipientsRefused',
    message: (r) => `550 mailbox 'user${r.int(1, 99_999)}@example.com' unavailable (queue id ${r.uuid()})`,
  },
];

export const PROBLEM_SIGNATURES = SIGNATURES.length;

/** A Python traceback's worth of text, as real failures carry (most of a failed history's bytes). */
function stackTrace(activity: string): string {
  const frames = [
    ['temporalio/worker/_activity.py', 359, '_handle_start_activity_task', 'result = await self._execute_activity('],
    ['temporalio/worker/_activity.py', 714, '_execute_activity', 'return await impl.execute_activity(input)'],
    ['mistralai/workflows/core/temporal/context_handler_interceptor.py', 315, 'execute_activity', 'result = await self.next.execute_activity(input)'],
    ['temporalio/worker/_interceptor.py', 132, 'execute_activity', 'return await self.next.execute_activity(input)'],
    ['/app/workflows/activities.py', 36, activity, 'raise error'],
  ] as const;
  return frames.map(([file, line, fn, code]) => `  File "${file}", line ${line}, in ${fn}\n    ${code}\n`).join('\n');
}

/** `count` failed executions, the signatures taking turns, ending over the two days before `now`. */
export function failedExecutions(count: number, now: number, seed = 22): Execution[] {
  const r = new Random(seed);
  const executions: Execution[] = [];
  for (let i = 0; i < count; i++) {
    const sig = SIGNATURES[i % SIGNATURES.length];
    const identity = `1@worker-${r.hex(4)}-${sig.workflow}`;
    const buildId = `build-${r.hex(8)}`;
    const startMs = now - r.int(60_000, 2 * 86_400_000);
    const runId = r.uuid();
    const b = new HistoryBuilder({ rng: r, taskQueue: sig.workflow, identity, buildId }, startMs);
    const input = { order_id: `order-${i}`, items: r.int(1, 5) };
    b.executionStarted(sig.workflow, { input }, runId);
    b.workflowTask();
    for (const name of sig.before) b.activity(name, { input }, { ok: true, name });
    const message = sig.message(r);
    const stack = stackTrace(sig.activity);
    b.activityFailed(sig.activity, { input }, { message, stackTrace: stack, type: sig.errorType, retryState: 'RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED' });
    const scheduled = [...b.events].reverse().find((e) => e.type === 'ACTIVITY_TASK_SCHEDULED');
    const started = [...b.events].reverse().find((e) => e.type === 'ACTIVITY_TASK_STARTED');
    b.push('WORKFLOW_EXECUTION_FAILED', {
      failure: {
        message: 'Activity task failed',
        cause: { message, stack_trace: stack, application_failure_info: { type: sig.errorType } },
        activity_failure_info: {
          scheduled_event_id: String(scheduled?.eventId ?? 0),
          started_event_id: String(started?.eventId ?? 0),
          identity,
          activity_type: { name: sig.activity },
          activity_id: String(scheduled?.attributes.activity_id ?? ''),
          retry_state: 'RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED',
        },
      },
      retry_state: 'RETRY_STATE_RETRY_POLICY_NOT_SET',
      workflow_task_completed_event_id: String(b.lastWorkflowTaskCompleted),
    }, 2);
    const run: Run = { runId, status: 'FAILED', startMs, endMs: b.time, result: null, eventsCache: b.events, buildEvents: null };
    executions.push({
      executionId: r.uuid(),
      workflowName: sig.workflow,
      workflowId: sig.workflow,
      deploymentName: `${sig.workflow}-prod`,
      userId: 'bench',
      taskQueue: sig.workflow,
      worker: { identity, buildId },
      successResult: null,
      plan: [],
      runs: [run],
    });
  }
  return executions;
}

const NOT_FOUND = { kind: 'not_found' } as const;

/** Reads only: lists (by status and workflow), describes and serves histories; every action is 404. */
export class FailedExecutionsStore implements SandboxStore {
  readonly historyShapes: readonly HistoryShape[] = ['seed', 'temporal'];
  readonly defaultHistoryShape: HistoryShape = 'seed';
  private readonly byId = new Map<string, Execution>();
  private readonly byRun = new Map<string, Execution>();
  /** The bodies, written once: the server's share of each read stays small and equal for every contender. */
  private readonly bodies = new Map<string, JsonText>();

  constructor(private readonly executions: readonly Execution[]) {
    for (const e of executions) {
      this.byId.set(e.executionId, e);
      for (const run of e.runs) this.byRun.set(run.runId, e);
    }
  }

  async listRuns(query: RunsQuery): Promise<RunsPage> {
    const rows = this.executions.filter((e) =>
      (query.statuses.length === 0 || query.statuses.includes(e.runs[0].status)) &&
      (query.workflowIdentifier === undefined || query.workflowIdentifier === e.workflowName));
    const { page, more } = pageOf(rows, (e) => ({
      sortValueMs: query.sortBy === 'start_time' ? e.runs[0].startMs : e.runs[0].endMs,
      executionId: e.executionId,
      runId: e.runs[0].runId,
    }), query);
    return { executions: page.map((e) => runRow(e, e.runs[0])), more };
  }

  async execution(executionId: string): Promise<RunDetail | undefined> {
    const e = this.byId.get(executionId);
    return e && runDetail(e);
  }

  async run(runId: string): Promise<RunDetail | undefined> {
    const e = this.byRun.get(runId);
    return e && runDetail(e);
  }

  async history(target: RunTarget, shape: HistoryShape): Promise<JsonText | undefined> {
    const e = 'runId' in target ? this.byRun.get(target.runId) : this.byId.get(target.executionId);
    if (e === undefined) return undefined;
    const key = `${shape}:${e.executionId}`;
    let body = this.bodies.get(key);
    if (body === undefined) {
      body = stringifyExact(historyBody(shape, e, e.runs[0]));
      this.bodies.set(key, body);
    }
    return body;
  }

  async reset(): Promise<ResetOutcome> {
    return NOT_FOUND;
  }

  async terminate(): Promise<Outcome> {
    return NOT_FOUND;
  }

  async cancel(): Promise<Outcome> {
    return NOT_FOUND;
  }

  async signal(): Promise<Outcome> {
    return NOT_FOUND;
  }

  async update(): Promise<Outcome<unknown>> {
    return NOT_FOUND;
  }

  async query(): Promise<Outcome<unknown>> {
    return NOT_FOUND;
  }

  follow(_executionId: string, _after: number | undefined, onBatch: (batch: FeedBatch) => void): () => void {
    onBatch({ events: [], closed: true });
    return () => undefined;
  }

  async close(): Promise<void> {
    this.bodies.clear();
  }
}
