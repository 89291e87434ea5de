/**
 * The engine suite's world: the extension pointed at the engine sandbox that
 * test/runEngineIntegration.ts started, a client of the engine's own HTTP API to assert what the
 * engine reports (never the sandbox's bookkeeping), and the workflow files the worker runs.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isResetMarker, normalizeHistory, type WorkflowEvent } from '../../src/api';
import { TemporalClient } from '../../src/api/temporal';
import type { CommandId } from '../../src/commands/ids';
import type { Services } from '../../src/services';
import { TASK_QUEUE } from '../../sandbox/engine/sandbox';
import type { EventNode } from '../../src/tree/eventNode';
import type { ExecutionNode } from '../../src/tree/executionNode';
import { eventually } from '../helpers/eventually';
import { isEvent, pointAt } from '../integration/helpers/env';
import type { ScriptedUi } from '../integration/helpers/scriptedUi';

function required(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is set (run this suite with node out/test/runEngineIntegration.js)`);
  return value;
}

export const ENGINE = {
  api: required('MISTRAL_WF_ENGINE_API'),
  apiKey: required('MISTRAL_WF_ENGINE_API_KEY'),
  temporal: required('MISTRAL_WF_ENGINE_TEMPORAL'),
  namespace: required('MISTRAL_WF_ENGINE_NAMESPACE'),
  workflows: required('MISTRAL_WF_ENGINE_WORKFLOWS'),
  temporalWorkflows: required('MISTRAL_WF_ENGINE_TEMPORAL_WORKFLOWS'),
};

/** After a suite on another workspace: back to the engine sandbox's Mistral API, the engine suites' own. */
export async function backToEngineSandbox(services: Services): Promise<void> {
  const config = vscode.workspace.getConfiguration('mistralWorkflows');
  await config.update('workspaces', [{ name: 'sandbox', baseUrl: ENGINE.api, production: false }], vscode.ConfigurationTarget.Global);
  await config.update('activeWorkspace', 'sandbox', vscode.ConfigurationTarget.Global);
  services.connection.invalidate('test: back to the engine sandbox');
}

export interface EngineEnv {
  services: Services;
  ui: ScriptedUi;
  /** The engine's own HTTP API. */
  temporal: TemporalClient;
}

async function setUpEngineEnv(): Promise<EngineEnv> {
  const { services, ui } = await pointAt(ENGINE.api, ENGINE.apiKey);
  return { services, ui, temporal: new TemporalClient({ baseUrl: ENGINE.temporal, namespace: ENGINE.namespace }) };
}

async function tearDownEngineEnv(env: EngineEnv | undefined): Promise<void> {
  await env?.temporal.close();
  await admin('DELETE', 'faults');
}

/** In a `describe`: sets the world up before its tests and down after them; call the result for it. */
export function useEngineEnv(): () => EngineEnv {
  let env: EngineEnv | undefined;
  before(async () => {
    env = await setUpEngineEnv();
  });
  after(async () => tearDownEngineEnv(env));
  return () => {
    assert.ok(env, 'the engine suite is set up');
    return env;
  };
}

/** The sandbox's admin endpoints (fault switch, what workers registered). */
export async function admin(method: string, what: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${ENGINE.api}/_sandbox/${what}`, {
    method,
    headers: { authorization: `Bearer ${ENGINE.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} /_sandbox/${what}: ${res.status}`);
  return res.status === 204 ? undefined : res.json();
}

/** The id of the worker's latest registration of the demo workflow: a restarted worker registers anew. */
async function registration(): Promise<string | undefined> {
  const { workflows } = (await admin('GET', 'workers')) as { workflows: { name: string; registrationId: string }[] };
  return workflows.find((w) => w.name === 'order-fulfillment')?.registrationId;
}

/**
 * Edits a workflow file the way a developer does, in the folder VS Code has open (what the replay
 * check reads), and deploys it: the same edit in the folder the worker runs and watches (it restarts).
 * Waits until the restarted worker has registered again, i.e. runs the new code.
 */
export async function editWorkflowFile(file: string, from: string, to: string): Promise<void> {
  const opened = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const copies = [path.join(ENGINE.workflows, file), ...(opened ? [path.join(opened, 'workflows', file)] : [])];
  const before = await registration();
  for (const full of copies.reverse()) {
    const text = fs.readFileSync(full, 'utf8');
    assert.ok(text.includes(from), `${full} contains ${from}`);
    fs.writeFileSync(full, text.replace(from, to));
  }
  await eventually('the worker to restart with the edited file', async () => {
    const now = await registration();
    return now !== undefined && now !== before ? true : undefined;
  }, 60_000);
}

/** The demo's bug and its one-line fix (see workers/demo-workflows/activities.py). */
export const DEMO_BUG = 'order["shipping_address"]';
export const DEMO_FIX = 'order["address"]';

/** A workflow file as the worker runs it. */
const workerFile = (name: string): string => fs.readFileSync(path.join(ENGINE.workflows, name), 'utf8');

/** The developer's fix of the demo's bug: the code must be the buggy one. */
export const fixTheBug = (): Promise<void> => editWorkflowFile('activities.py', DEMO_BUG, DEMO_FIX);

/**
 * The code a file's story starts from, whatever files ran before it (no file may depend on another's
 * order): `buggy` deploys the bug again where an earlier file left it fixed, `fixed` fixes it.
 */
export async function deployDemoCode(code: 'buggy' | 'fixed'): Promise<void> {
  const [from, to] = code === 'buggy' ? [DEMO_FIX, DEMO_BUG] : [DEMO_BUG, DEMO_FIX];
  if (workerFile('activities.py').includes(from)) await editWorkflowFile('activities.py', from, to);
}

/** The latest run's id and events, as the engine reports them. */
export async function latestRun(env: EngineEnv, workflowId: string): Promise<{ runId: string; status: string; raw: unknown[]; events: WorkflowEvent[] }> {
  const { execution } = await env.temporal.describe(workflowId);
  const raw = await env.temporal.historyAll(workflowId, execution.runId);
  return { runId: execution.runId, status: execution.status, raw, events: normalizeHistory(raw) };
}

/**
 * Starts an order (with `address`, so it completes once the bug is fixed) and waits until it waits for
 * its approval: validate_order and reserve_inventory done, its last event a completed workflow task.
 */
export async function waitingOrder(env: EngineEnv, prefix: string): Promise<{ id: string; runId: string; events: WorkflowEvent[]; point: number }> {
  const id = `${prefix}-${randomUUID().slice(0, 8)}`;
  await env.temporal.start(id, { workflowType: 'order-fulfillment', taskQueue: TASK_QUEUE, input: [{ order: { order_id: id, items: ['pen'], total: 3, address: { city: 'Paris' } } }] });
  return eventually(`${id} to wait for its approval`, async () => {
    const run = await latestRun(env, id);
    const last = run.events.at(-1);
    const waiting = last?.type === 'WORKFLOW_TASK_COMPLETED' && last.eventId !== undefined && run.events.filter((e) => e.type === 'ACTIVITY_TASK_COMPLETED').length === 2;
    return waiting ? { id, runId: run.runId, events: run.events, point: last.eventId as number } : undefined;
  }, 60_000);
}

/** Waits until the engine reports the latest run of `workflowId` with `status`. */
export async function untilEngineStatus(env: EngineEnv, workflowId: string, status: string): Promise<void> {
  await eventually(`${workflowId} to be ${status}`, async () => ((await env.temporal.describe(workflowId)).execution.status === status ? true : undefined), 60_000);
}

/** The execution's node with its events fresh from the server. */
export async function eventsOf(env: EngineEnv, executionId: string): Promise<{ node: ExecutionNode; events: EventNode[] }> {
  const node = await env.services.tree.openExecution(executionId);
  await env.services.tree.reloadExecution(node);
  const events = (await env.services.tree.getChildren(node)).filter(isEvent);
  return { node, events };
}

export const resetMarkers = (events: readonly WorkflowEvent[]): WorkflowEvent[] => events.filter(isResetMarker);

export { resetSteps } from '../integration/helpers/scriptedUi';

export async function run(command: CommandId, ...args: unknown[]): Promise<void> {
  await vscode.commands.executeCommand(command, ...args);
}
