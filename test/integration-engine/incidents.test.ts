/**
 * An incident on the real engine, grouped by problem in VS Code: 40 demo orders, of which 20 fail on
 * the demo's bug in create_shipment, 5 fail in validate_order (orders without items), 10 running ones
 * are wedged by a non-deterministic deploy (the worker restarts with a workflow that schedules another
 * activity first; a signal makes each replay its history and fail), and 5 stay healthy. Group by
 * Problem must show three groups with what the engine itself reports (its histories' failures and its
 * describe's attempts), on the suite's Mistral workspace (the sandbox's API over the engine) and on a
 * Temporal workspace straight on the engine. Other files' orders share the namespace, so a group's
 * members are checked one by one against the engine rather than counted blind.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../src/commands/ids';
import type { Services } from '../../src/services';
import type { ExecutionNode } from '../../src/tree/executionNode';
import type { ProblemGroupNode } from '../../src/tree/problemNode';
import type { TreeNode } from '../../src/tree/node';
import { TASK_QUEUE } from '../../sandbox/engine/sandbox';
import { eventually } from '../helpers/eventually';
import { extensionApi } from '../integration/helpers/env';
import { backToEngineSandbox, deployDemoCode, editWorkflowFile, ENGINE, run, untilEngineStatus, useEngineEnv, type EngineEnv } from './helpers';

/** The non-deterministic deploy: the workflow now schedules an activity its running histories never had. */
const DETERMINISTIC = '        await validate_order(order)\n';
const NON_DETERMINISTIC = '        await send_email(order["order_id"], "order_received")\n        await validate_order(order)\n';
const TEMPORAL_WORKSPACE = 'incident-temporal';

/** What the engine's own history says a closed run failed on (read from its JSON, not by the extension). */
interface EngineFailure {
  activity: string | undefined;
  type: string | undefined;
  message: string | undefined;
}

/** What the engine's own history says of a running run's latest workflow task, when it failed since it last completed. */
interface EngineWedge {
  cause: string;
  message: string;
}

type Raw = Record<string, unknown>;
const obj = (value: unknown): Raw => (typeof value === 'object' && value !== null ? (value as Raw) : {});
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

async function engineFailure(env: EngineEnv, id: string): Promise<EngineFailure> {
  const raw = (await env.temporal.historyAll(id)).map(obj);
  const closing = raw.find((e) => 'workflowExecutionFailedEventAttributes' in e);
  assert.ok(closing, `${id}: the engine's history closes with a failure`);
  const failure = obj(obj(closing.workflowExecutionFailedEventAttributes).failure);
  const cause = obj(failure.cause);
  return {
    activity: str(obj(obj(failure.activityFailureInfo).activityType).name),
    type: str(obj(cause.applicationFailureInfo).type),
    message: str(cause.message),
  };
}

async function engineWedge(env: EngineEnv, id: string): Promise<EngineWedge | undefined> {
  const raw = (await env.temporal.historyAll(id)).map(obj);
  const lastTask = raw.filter((e) => 'workflowTaskCompletedEventAttributes' in e || 'workflowTaskFailedEventAttributes' in e).at(-1);
  if (lastTask === undefined || !('workflowTaskFailedEventAttributes' in lastTask)) return undefined;
  const attributes = obj(lastTask.workflowTaskFailedEventAttributes);
  return { cause: String(attributes.cause), message: str(obj(attributes.failure).message) ?? '' };
}

/** The extension runs from its bundle, so its classes are not the test's: a group is told by its context value. */
const isGroup = (node: TreeNode): node is ProblemGroupNode => /^problem\b/.test(node.contextValue ?? '');

const order = (id: string, items: string[]): unknown[] => [{ order: { order_id: id, items, total: 3, address: { city: 'Paris' } } }];

describe('On the real engine, an incident: 40 orders grouped by problem as the engine reports them', function () {
  this.timeout(300_000);
  const world = useEngineEnv();
  let env: EngineEnv;
  let services: Services;
  const tag = randomUUID().slice(0, 8);
  const ids = (what: string, n: number): string[] => Array.from({ length: n }, (_, i) => `incident-${tag}-${what}-${i + 1}`);
  const shipment = ids('ship', 20);
  const validation = ids('empty', 5);
  const wedged = ids('wedged', 10);
  const healthy = ids('healthy', 5);
  let deployed = false;

  before(async function () {
    this.timeout(600_000);
    env = world();
    services = (await extensionApi()).services;
    await deployDemoCode('buggy');
    const start = (id: string, items: string[]): Promise<unknown> => env.temporal.start(id, { workflowType: 'order-fulfillment', taskQueue: TASK_QUEUE, input: order(id, items) });
    await Promise.all([...shipment, ...wedged, ...healthy].map((id) => start(id, ['pen'])));
    await Promise.all(validation.map((id) => start(id, [])));
    // Approved, the 20 reach create_shipment and its bug; the 5 without items fail before they wait.
    await Promise.all(shipment.map((id) => env.temporal.signal(id, 'approve', { input: [{ by: 'warehouse' }] })));
    for (const id of [...shipment, ...validation]) await untilEngineStatus(env, id, 'FAILED');
    // The 15 others wait for their approval, each with its workflow task completed (a reset point).
    for (const id of [...wedged, ...healthy]) {
      await eventually(`${id} to wait for its approval`, async () => ((await env.temporal.historyAll(id)).map(obj).filter((e) => 'activityTaskCompletedEventAttributes' in e).length === 2 ? true : undefined), 60_000);
    }
    await editWorkflowFile('orders.py', DETERMINISTIC, NON_DETERMINISTIC);
    deployed = true;
    // A signal gives each of the 10 a workflow task: the restarted worker replays it on the new code and fails.
    await Promise.all(wedged.map((id) => env.temporal.signal(id, 'add_note', { input: [{ note: 'ring twice' }] })));
    for (const id of wedged) await eventually(`${id} to be wedged`, async () => ((await engineWedge(env, id)) === undefined ? undefined : true), 90_000);
  });

  after(async function () {
    this.timeout(120_000);
    await run(COMMAND_IDS.showAllExecutions);
    await services.keys.clear(TEMPORAL_WORKSPACE);
    await backToEngineSandbox(services);
    await vscode.workspace.getConfiguration('mistralWorkflows').update('executionsPageSize', 50, vscode.ConfigurationTarget.Global);
    for (const id of [...wedged, ...healthy]) await env.temporal.terminate(id, { reason: 'incident test done' }).catch(() => undefined);
    if (deployed) await editWorkflowFile('orders.py', NON_DETERMINISTIC, DETERMINISTIC);
  });

  /** The view grouped by problem over every order-fulfillment execution: its group rows. */
  async function groups(): Promise<ProblemGroupNode[]> {
    await vscode.workspace.getConfiguration('mistralWorkflows').update('executionsPageSize', 1000, vscode.ConfigurationTarget.Global);
    services.tree.setFilter({ statuses: [], workflow: 'order-fulfillment' });
    await run(COMMAND_IDS.groupByProblem);
    services.tree.refreshAll();
    const roots = await services.tree.getChildren();
    assert.ok(roots.some(isGroup), `the view shows problem groups (its rows: ${roots.map((r) => r.id).join(', ')})`);
    return roots.filter(isGroup);
  }

  function groupOf(rows: readonly ProblemGroupNode[], id: string): ProblemGroupNode {
    const found = rows.find((g) => g.executions.some((e) => e.executionId === id));
    assert.ok(found, `${id} is in a group (groups: ${rows.map((g) => g.group.key).join(' | ')})`);
    return found;
  }

  /** Every member of the group of `ours` is ours or failed, per the engine, the same way. */
  async function assertFailureGroup(rows: readonly ProblemGroupNode[], ours: readonly string[], step: string, type: string): Promise<void> {
    const group = groupOf(rows, ours[0]);
    const members = new Set(group.executions.map((e) => e.executionId));
    for (const id of ours) assert.ok(members.has(id), `${id} is in the ${step} group`);
    for (const id of members) {
      const failure = await engineFailure(env, id);
      assert.deepEqual([failure.activity, failure.type], [step, type], `${id}: the engine says it failed in ${step} with ${type}`);
    }
    assert.equal(group.group.count, members.size);
    assert.deepEqual([group.group.step?.kind, group.group.step?.name, group.group.errorType], ['activity', step, type]);
    const latest = await engineFailure(env, group.group.latest.executionId);
    assert.equal(group.group.latest.exampleMessage, latest.message, 'the latest example is the engine’s own message');
  }

  async function assertWedgedGroup(rows: readonly ProblemGroupNode[]): Promise<ExecutionNode[]> {
    const group = groupOf(rows, wedged[0]);
    const members = new Set(group.executions.map((e) => e.executionId));
    for (const id of wedged) assert.ok(members.has(id), `${id} is in the wedged group`);
    assert.equal(group.group.step?.kind, 'workflowTask');
    assert.equal(group.group.stuckCount, members.size, 'every member is stuck');
    for (const id of members) {
      const wedge = await engineWedge(env, id);
      assert.ok(wedge, `${id}: the engine's history ends with a failed workflow task`);
      assert.equal(wedge.cause, 'WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR', `${id}: the engine names it non-determinism`);
    }
    const latest = await engineWedge(env, group.group.latest.executionId);
    assert.equal(group.group.latest.exampleMessage, latest?.message, 'the latest failure’s message, as the engine wrote it');
    assert.match(group.getTreeItem().description as string, new RegExp(`${members.size} stuck`));
    return group.executions.filter((e) => wedged.includes(e.executionId));
  }

  function assertHealthyUngrouped(rows: readonly ProblemGroupNode[]): void {
    for (const id of healthy) assert.ok(!rows.some((g) => g.executions.some((e) => e.executionId === id)), `${id} (healthy) is in no group`);
  }

  it('on the Mistral workspace: the shipment bug, the validation failures and the wedged runs are three groups', async () => {
    const rows = await groups();
    await assertFailureGroup(rows, shipment, 'create_shipment', 'KeyError');
    await assertFailureGroup(rows, validation, 'validate_order', 'ValueError');
    const stuckRows = await assertWedgedGroup(rows);
    for (const row of stuckRows) {
      const wedge = await engineWedge(env, row.executionId);
      assert.match(row.stuck ?? '', /^workflow task failing since /, `${row.executionId}: its row says it is stuck`);
      assert.ok(row.stuck?.includes(wedge?.message.split('\n')[0].slice(0, 40) ?? '?'), `${row.executionId}: its row quotes the engine’s message (${row.stuck})`);
    }
    assertHealthyUngrouped(rows);
  });

  it('on a Temporal workspace: the same three groups, and the attempts the engine’s describe counts', async () => {
    const config = vscode.workspace.getConfiguration('mistralWorkflows');
    await config.update('workspaces', [{ name: 'sandbox', baseUrl: ENGINE.api, production: false }, { name: TEMPORAL_WORKSPACE, kind: 'temporal', baseUrl: ENGINE.temporal, namespace: ENGINE.namespace }], vscode.ConfigurationTarget.Global);
    await config.update('activeWorkspace', TEMPORAL_WORKSPACE, vscode.ConfigurationTarget.Global);
    services.connection.invalidate('test: a Temporal workspace on the incident');
    const rows = await groups();
    await assertFailureGroup(rows, shipment, 'create_shipment', 'KeyError');
    await assertFailureGroup(rows, validation, 'validate_order', 'ValueError');
    const stuckRows = await assertWedgedGroup(rows);
    for (const row of stuckRows) {
      const attempt = Number(/\(attempt (\d+)\)/.exec(row.stuck ?? '')?.[1]);
      const now = (await env.temporal.describe(row.executionId)).pendingWorkflowTask?.attempt ?? 0;
      assert.ok(attempt >= 2 && attempt <= now, `${row.executionId}: the attempt on its row (${row.stuck}) is the engine’s (${now} now)`);
    }
    assertHealthyUngrouped(rows);
  });
});
