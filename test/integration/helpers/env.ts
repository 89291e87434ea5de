import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { focusViewCommand, VIEW_IDS } from '../../../src/commands/ids';
import type { ExtensionApi } from '../../../src/extension';
import type { Services } from '../../../src/services';
import type { EventNode } from '../../../src/tree/eventNode';
import type { ExecutionNode } from '../../../src/tree/executionNode';
import type { LoadMoreNode, TreeNode } from '../../../src/tree/node';
import type { EarlierRunsNode, RunNode } from '../../../src/tree/runNodes';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox/server';
import { MAX_TREE_STREAMS } from '../../../src/live/liveUpdates';
import { isOpen } from '../../../src/live/status';
import { eventually } from '../../helpers/eventually';
import { ScriptedUi } from './scriptedUi';

export const EXTENSION_ID = 'mistral-workflows-vscode.mistral-workflows';
export const WORKSPACE = 'sandbox';

/**
 * The key every suite uses: distinctive, so that the secrets check (zz-secrets.test.ts) can look for it
 * in everything the extension wrote.
 */
export const TEST_API_KEY = `mwf-test-key-${process.pid}-${Date.now().toString(36)}`;

export interface TestEnv {
  sandbox: Sandbox;
  services: Services;
  ui: ScriptedUi;
}

export async function extensionApi(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi | undefined>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
  const api = await extension.activate();
  assert.ok(api, 'the extension exports its services in ExtensionMode.Test');
  return api;
}

/** A fresh sandbox, the extension pointed at it with its key in SecretStorage, and a scripted user. */
export async function setUpEnv(options: SandboxOptions & { production?: boolean; pageSize?: number } = {}): Promise<TestEnv> {
  const sandbox = await startSandbox({ completionDelayMs: 400, apiKey: TEST_API_KEY, ...options });
  const { services, ui } = await pointAt(sandbox.baseUrl, sandbox.apiKey, options);
  return { sandbox, services, ui };
}

/**
 * Points the extension at a Workflows API (its only workspace, the key in SecretStorage as “Set API
 * Key…” stores it), with a scripted user, no filter and the tree reloaded.
 */
export function pointAt(baseUrl: string, apiKey: string, options: { production?: boolean; pageSize?: number } = {}): Promise<{ services: Services; ui: ScriptedUi }> {
  return pointAtWorkspace({ baseUrl }, apiKey, options);
}

/** What a test's workspace entry says beyond its name: a Mistral one by default, or a Temporal one. */
export interface WorkspaceEntry {
  baseUrl: string;
  kind?: 'mistral' | 'temporal';
  namespace?: string;
}

/** As pointAt, for any kind of workspace (the entry's fields go into the settings as they are). */
export async function pointAtWorkspace(entry: WorkspaceEntry, apiKey: string, options: { production?: boolean; pageSize?: number } = {}): Promise<{ services: Services; ui: ScriptedUi }> {
  const { services } = await extensionApi();
  const config = vscode.workspace.getConfiguration('mistralWorkflows');
  await config.update('workspaces', [{ name: WORKSPACE, ...entry, production: options.production ?? false }], vscode.ConfigurationTarget.Global);
  await config.update('activeWorkspace', WORKSPACE, vscode.ConfigurationTarget.Global);
  await config.update('executionsPageSize', options.pageSize ?? 50, vscode.ConfigurationTarget.Global);
  await setKeyHeard(services, WORKSPACE, apiKey);
  // As “Set API Key…” does: the key was given for this base URL.
  await services.connection.rememberKeyOrigin(WORKSPACE, new URL(entry.baseUrl).origin);
  const ui = new ScriptedUi();
  services.ui = ui;
  await services.context.workspaceState.update('mistralWorkflows.filter', undefined);
  services.tree.setFilter({ statuses: [] });
  services.connection.invalidate('test set-up');
  services.tree.refreshAll();
  return { services, ui };
}

/** How long SecretStorage may take to tell of a change the test made (it says so a moment later). */
const KEY_ECHO_MS = 10_000;

/**
 * Stores `key` for `workspace` (undefined: clears it) and returns once the connection has heard of the
 * change and compared it with the key it uses. SecretStorage tells of a change a moment after it was
 * made: without this, the echo of one test's set-up or tear-down can arrive in the middle of the next
 * test, and its reconnect reloads the tree there (an extra page read that the test did not cause).
 */
export async function setKeyHeard(services: Pick<Services, 'keys' | 'connection'>, workspace: string, key: string | undefined): Promise<void> {
  const stored = (await services.keys.resolve(workspace, { storedOnly: true }))?.key;
  const change = (): Promise<void> => (key === undefined ? services.keys.clear(workspace) : services.keys.store(workspace, key));
  if (stored === key?.trim()) {
    await change(); // nothing changes, so there may be no echo to wait for; an echo would find the same key
    return;
  }
  let subscription: vscode.Disposable | undefined;
  let timer: NodeJS.Timeout | undefined;
  const heard = new Promise<void>((resolve, reject) => {
    subscription = services.keys.onDidChange((e) => {
      if (e.workspace === undefined || e.workspace === workspace) resolve();
    });
    timer = setTimeout(() => reject(new Error(`SecretStorage did not tell of the key change of “${workspace}” within ${KEY_ECHO_MS} ms`)), KEY_ECHO_MS);
  });
  try {
    await change();
    await heard;
  } finally {
    subscription?.dispose();
    clearTimeout(timer);
  }
  await services.connection.keyChecked();
}

export async function tearDownEnv(env: TestEnv | undefined): Promise<void> {
  if (!env) return;
  await setKeyHeard(env.services, WORKSPACE, undefined);
  await env.sandbox.close();
}

/** Shows the Executions view (only a visible view follows what it shows) and lists the executions. */
export async function showView(env: TestEnv): Promise<void> {
  await vscode.commands.executeCommand(focusViewCommand(VIEW_IDS.executions));
  await eventually('the Executions view to be visible', async () => (env.services.treeView.visible ? true : undefined));
  await roots(env);
}

/**
 * Shows the view and waits until the extension is quiet: no editor asking CodeLens counts, the first
 * page listed, and each running execution it shows followed by a stream that `sandbox` is serving.
 * Tests that count requests start from here, so that they count only what they cause.
 */
export async function showAndSettle(env: TestEnv, sandbox: Sandbox = env.sandbox): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await showView(env);
  const expected = Math.min(MAX_TREE_STREAMS, env.services.tree.executions.filter((n) => isOpen(n.execution.status)).length);
  await eventually(`${expected} running executions to be followed by streams`, async () => {
    const following = [...env.services.liveUpdates.following.values()];
    const settled = following.length === expected && following.every((how) => how === 'stream') && sandbox.openStreams() === expected;
    return settled ? true : undefined;
  });
}

export async function roots(env: TestEnv): Promise<TreeNode[]> {
  return env.services.tree.getChildren();
}

export async function children(env: TestEnv, node: TreeNode): Promise<TreeNode[]> {
  return env.services.tree.getChildren(node);
}

export function label(node: TreeNode): string {
  const item = node.getTreeItem();
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

export function description(node: TreeNode): string {
  const d = node.getTreeItem().description;
  return typeof d === 'string' ? d : '';
}

// The tree's classes live in the extension's bundle, not in these compiled test modules, so
// `instanceof` cannot work here: nodes are told apart by their contextValue, as VS Code's menus do.
export function kindOf(node: TreeNode): string {
  return (node.getTreeItem().contextValue ?? '').split(' ')[0];
}
export const isExecution = (n: TreeNode): n is ExecutionNode => kindOf(n) === 'execution';
export const isEvent = (n: TreeNode): n is EventNode => kindOf(n) === 'event';
export const isEarlierRuns = (n: TreeNode): n is EarlierRunsNode => kindOf(n) === 'earlierRuns';
export const isRun = (n: TreeNode): n is RunNode => kindOf(n) === 'run';
export const isLoadMore = (n: TreeNode): n is LoadMoreNode => kindOf(n) === 'loadMore';
export const isMessage = (n: TreeNode): boolean => kindOf(n) === 'message';
