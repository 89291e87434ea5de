/**
 * The sandbox's seed read by the extension's own incidents core (src/incidents), through the client
 * and the normalisation a Mistral workspace uses: failures written as Temporal writes them (the
 * activity's failure as the cause of "Activity task failed"), the incidents the seed is designed to
 * hold, and the stuck runs, RUNNING as the service shows them. Both history shapes that carry nested
 * failures (seed and temporal) must read the same.
 */
import * as assert from 'node:assert/strict';
import { attrText, type Execution, type WorkflowEvent } from '../../../src/api';
import { WorkflowsClient } from '../../../src/api/mistral';
import { groupProblems, problemOf, readFailure, readStuck, type Problem, type ProblemGroup, type WorkflowTaskStuck } from '../../../src/incidents';
import { MemoryState } from '../../../sandbox/memory-state';
import { MemoryStore } from '../../../sandbox/memory-store';
import { latestRun } from '../../../sandbox/model';
import { DEMO, STUCK_BUILD, STUCK_MESSAGE, startSandbox, type Sandbox } from '../../../sandbox/server';
import { callJson, W, type WirePage } from '../helpers/sandbox-http';

const PROBLEM_STATUSES = new Set(['FAILED', 'TIMED_OUT', 'RUNNING']);
const WEDGED: readonly string[] = [DEMO.stuck, DEMO.stuckSecond, DEMO.stuckThird];

interface Seeded {
  rows: Execution[];
  histories: Map<string, WorkflowEvent[]>;
  problems: Problem[];
  groups: ProblemGroup[];
}

/** Every row of the seed, the history of each one that may have a problem, and its problems grouped. */
async function readSeed(client: WorkflowsClient): Promise<Seeded> {
  const rows = (await client.listExecutions({ pageSize: 1000 })).executions;
  const histories = new Map<string, WorkflowEvent[]>();
  const problems: Problem[] = [];
  for (const row of rows) {
    if (row.status === null || !PROBLEM_STATUSES.has(row.status)) continue;
    const history = await client.getHistory(row.executionId, { runId: row.runId });
    histories.set(row.executionId, history);
    const found = problemOf(row, history);
    if (found !== undefined) problems.push(found);
  }
  return { rows, histories, problems, groups: groupProblems(problems) };
}

/** A group as a line: workflow · step · error type · masked message · count (stuck). */
function line(g: ProblemGroup): string {
  const step = g.step === undefined ? 'unreadable' : [g.step.kind, g.step.name].filter((p) => p !== undefined).join(' ');
  return `${g.workflowName} · ${step} · ${g.errorType ?? '-'} · ${g.maskedMessage ?? g.unreadable ?? '-'} · ${g.count}${g.stuckCount > 0 ? ` (${g.stuckCount} stuck)` : ''}`;
}

function history(seeded: Seeded, id: string): WorkflowEvent[] {
  const found = seeded.histories.get(id);
  assert.ok(found, `the history of ${id} was read`);
  return found;
}

function workflowTaskStuck(events: readonly WorkflowEvent[]): WorkflowTaskStuck {
  const stuck = readStuck(events);
  assert.equal(stuck?.kind, 'workflowTask', JSON.stringify(stuck));
  return stuck;
}

describe('sandbox seed: incidents, as the extension reads them', () => {
  let sandbox: Sandbox;
  let client: WorkflowsClient;
  const seeds = new Map<'seed' | 'temporal', Seeded>();

  before(async () => {
    sandbox = await startSandbox({ port: 0 });
    client = new WorkflowsClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, retryBaseDelayMs: 1, maxRetryDelayMs: 20 });
    for (const shape of ['seed', 'temporal'] as const) {
      sandbox.setHistoryShape(shape);
      seeds.set(shape, await readSeed(client));
    }
    sandbox.setHistoryShape('seed');
  });

  after(async () => {
    await client.close();
    await sandbox.close();
  });

  function seeded(shape: 'seed' | 'temporal' = 'seed'): Seeded {
    const found = seeds.get(shape);
    assert.ok(found, `the seed was read in the ${shape} shape`);
    return found;
  }

  it('groups the seed into the incidents it was designed with, largest first', () => {
    assert.deepEqual(seeded().groups.map(line), [
      'order-fulfillment · workflowTask · NON_DETERMINISTIC_ERROR · [TMPRL1100] Nondeterminism error: Activity type of scheduled event <value> does not match activity type of activity command <value> · 3 (3 stuck)',
      'customer-onboarding · activity send_welcome_email · InactiveRecipientError · [<n>] You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: <value>. · 3',
      'invoice-sync · activity convert_currency · RateUnavailableError · no EUR rate for <value> on <time> · 3',
      'order-fulfillment · activity create_shipment · KeyError · <value> · 2',
      'invoice-sync · activity push_to_ledger · ConnectionResetError · [Errno <n>] Connection reset by peer · 1',
      'customer-onboarding · workflowTask · WORKFLOW_WORKER_UNHANDLED_FAILURE · <value> object is not subscriptable · 1 (1 stuck)',
      'customer-onboarding · workflow · Timeout · workflow execution timed out · 1',
      'refund-processor · activity issue_refund · InvalidRequestError · Charge ch_<id> has already been refunded. · 1',
      "nightly-report · activity notify_slack · SlackApiError · The request to the Slack API failed. (url: https://slack.com/api/chat.postMessage) The server responded with: {<value>: False, <value>: <value>} · 1",
      'customer-onboarding · activity provision_workspace · TimeoutError · workspace for customer <value> not ready after <duration> · 1',
      'document-ingestion · activity chunk_document · ValueError · chunk <n> of page <n> is empty after cleaning · 1',
      'invoice-sync · activity compute_tax · LookupError · no VAT rate for country <value> under regime <value> · 1',
    ]);
  });

  it('reads the same incidents from the temporal history shape', () => {
    assert.deepEqual(seeded('temporal').groups.map(line), seeded().groups.map(line));
    assert.deepEqual(seeded('temporal').groups.map((g) => g.executionIds), seeded().groups.map((g) => g.executionIds));
  });

  it('masks only the values: one incident holds different messages', () => {
    const byStep = (name: string): ProblemGroup => {
      const group = seeded().groups.find((g) => g.step?.name === name);
      assert.ok(group, `a group fails in ${name}`);
      return group;
    };
    for (const name of ['convert_currency', 'send_welcome_email']) {
      const messages = seeded().problems.filter((p) => byStep(name).executionIds.includes(p.executionId)).map((p) => p.exampleMessage);
      assert.equal(new Set(messages).size, messages.length, `${name}: ${JSON.stringify(messages)}`);
    }
    assert.ok(byStep('create_shipment').executionIds.includes(DEMO.failed), 'the demo failure is one of its incident');
  });

  it("reads DEMO.failed's step, error type and message from the failure's cause, as Temporal writes it", () => {
    const events = history(seeded(), DEMO.failed);
    const closing = events.at(-1);
    assert.equal(closing?.eventId, 42);
    assert.equal(closing?.type, 'WORKFLOW_EXECUTION_FAILED');
    const reading = readFailure({ workflowName: 'order-fulfillment', executionId: DEMO.failed, status: 'FAILED' }, events);
    assert.ok(reading.recognised, JSON.stringify(reading));
    assert.deepEqual([reading.step, reading.errorType, reading.message], [{ kind: 'activity', name: 'create_shipment' }, 'KeyError', "'shipping_address'"]);
  });

  it('sees the three runs wedged by one deploy as stuck on non-determinism, oldest first', () => {
    const group = seeded().groups[0];
    assert.deepEqual(group.executionIds, WEDGED);
    for (const id of WEDGED) {
      const row = seeded().rows.find((r) => r.executionId === id);
      assert.equal(row?.status, 'RUNNING', id);
      const events = history(seeded(), id);
      assert.deepEqual(events.slice(-5).map((e) => e.type), ['WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_FAILED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED']);
      const stuck = workflowTaskStuck(events);
      assert.deepEqual([stuck.cause, stuck.nonDeterministic, stuck.timedOut, stuck.message], ['NON_DETERMINISTIC_ERROR', true, false, STUCK_MESSAGE], id);
      assert.equal(stuck.since?.getTime(), events.at(-3)?.time?.getTime(), 'stuck since its workflow task failed');
      const builds = (type: string): string[] => [...new Set(events.filter((e) => e.type === type).map((e) => attrText(e, 'worker_version.build_id') ?? '?'))];
      assert.deepEqual([builds('WORKFLOW_TASK_COMPLETED'), builds('WORKFLOW_TASK_FAILED')], [[STUCK_BUILD.before], [STUCK_BUILD.deployed]], 'run on one build, failed by the next');
    }
  });

  it('sees the run stuck on a bug in its workflow code as stuck, not on non-determinism', () => {
    const stuck = workflowTaskStuck(history(seeded(), DEMO.stuckOnBug));
    assert.deepEqual([stuck.cause, stuck.nonDeterministic, stuck.message], ['WORKFLOW_WORKER_UNHANDLED_FAILURE', false, "'NoneType' object is not subscriptable"]);
  });

  it('seeds no RETRYING_AFTER_ERROR run; the run between activity attempts is RUNNING, and not stuck', async () => {
    assert.equal(seeded().rows.filter((r) => r.status === 'RETRYING_AFTER_ERROR').length, 0);
    const open = seeded().rows.filter((r) => r.status === 'RUNNING');
    const betweenAttempts = open.filter((r) => history(seeded(), r.executionId).at(-1)?.type === 'ACTIVITY_TASK_SCHEDULED');
    assert.equal(betweenAttempts.length, 1, 'the run once seeded as RETRYING_AFTER_ERROR');
    const stuckIds = seeded().problems.filter((p) => p.stuck !== undefined).map((p) => p.executionId);
    assert.deepEqual(new Set(stuckIds), new Set([...WEDGED, DEMO.stuckOnBug]));
    const page = await callJson<WirePage>(sandbox, `${W}/runs?status=RETRYING_AFTER_ERROR`);
    assert.deepEqual(page.executions, [], 'the status is still a valid filter');
  });
});

describe('sandbox: a RETRYING_AFTER_ERROR run, if a store has one', () => {
  it('is served with that status, listed under it and open to signals', async () => {
    const state = new MemoryState({ seed: 42, now: Date.UTC(2026, 1, 1, 12), completionDelayMs: 50, executions: 35 });
    const execution = state.executions.find((e) => e.workflowName === 'order-fulfillment' && latestRun(e).status === 'RUNNING' && !WEDGED.includes(e.executionId));
    assert.ok(execution, 'a running order');
    latestRun(execution).status = 'RETRYING_AFTER_ERROR';
    const sandbox = await startSandbox({ port: 0, store: () => new MemoryStore(state) });
    const client = new WorkflowsClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, retryBaseDelayMs: 1, maxRetryDelayMs: 20 });
    try {
      const listed = await client.listExecutions({ status: ['RETRYING_AFTER_ERROR'], pageSize: 100 });
      assert.deepEqual(listed.executions.map((e) => [e.executionId, e.status, e.endTime]), [[execution.executionId, 'RETRYING_AFTER_ERROR', undefined]]);
      await client.signal(execution.executionId, 'priority_changed', { priority: 'express' });
      const events = await client.getHistory(execution.executionId);
      assert.ok(events.some((e) => e.type === 'WORKFLOW_EXECUTION_SIGNALED'), 'the signal was taken: the run is open');
    } finally {
      await client.close();
      await sandbox.close();
    }
  });
});
