import * as vscode from 'vscode';
import { WorkflowsClient } from '../api';
import { ApiKeys, KeySource } from '../auth/apiKeys';
import { Log } from '../common/log';
import { UserFacingError } from '../common/errors';
import { SECTION, Settings, WorkspaceConfig } from './settings';
import { baseUrlProblem } from './workspaceList';

export type ConnectionState =
  | { kind: 'ready'; workspace: WorkspaceConfig; client: WorkflowsClient; keySource: KeySource }
  | { kind: 'missingKey'; workspace: WorkspaceConfig }
  | { kind: 'badBaseUrl'; workspace: WorkspaceConfig; problem: string }
  /** The workspace's base URL moved to another origin since its stored key was last used there. */
  | { kind: 'originChanged'; workspace: WorkspaceConfig; from: string; to: string };

const KEY_ORIGINS = 'mistralWorkflows.keyOrigins';

/**
 * The client for the active workspace. Rebuilt when the workspace, its base URL, the timeout or its key
 * changes; a key is only ever handed to the client of the workspace it belongs to.
 */
export class Connection implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private state: Promise<ConnectionState> | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly keys: ApiKeys,
    private readonly log: Log,
    /** Where each workspace's stored key was last sent (origins only, never keys). */
    private readonly memory: vscode.Memento,
  ) {
    this.disposables.push(
      keys.onDidChange(() => this.invalidate('API key changed')),
      vscode.workspace.onDidChangeConfiguration((e) => {
        // Live updates' settings do not change where or how we connect (and reconnecting would refresh the view).
        if (e.affectsConfiguration(SECTION) && !e.affectsConfiguration(`${SECTION}.liveUpdates`)) this.invalidate('settings changed');
      }),
    );
  }

  currentWorkspace(): WorkspaceConfig {
    return this.settings.activeWorkspace();
  }

  current(): Promise<ConnectionState> {
    this.state ??= this.build();
    return this.state;
  }

  /** The ready client, or an error that tells the user what to do. */
  async client(): Promise<WorkflowsClient> {
    const state = await this.current();
    if (state.kind === 'ready') return state.client;
    if (state.kind === 'missingKey') {
      throw new UserFacingError(`No API key is set for the workspace “${state.workspace.name}”.`, [
        { title: 'Set API Key', command: 'mistralWorkflows.setApiKey' },
      ]);
    }
    if (state.kind === 'originChanged') {
      throw new UserFacingError(
        `The base URL of the workspace “${state.workspace.name}” changed from ${state.from} to ${state.to}. Its stored API key is not sent there until you allow it.`,
        [{ title: 'Allow…', command: 'mistralWorkflows.allowKeyOrigin' }],
      );
    }
    throw new UserFacingError(`Workspace “${state.workspace.name}”: ${state.problem}`, [
      { title: 'Open Settings', command: 'workbench.action.openSettings', args: [`${SECTION}.workspaces`] },
    ]);
  }

  keyOrigin(workspaceName: string): string | undefined {
    return this.memory.get<Record<string, string>>(KEY_ORIGINS, {})[workspaceName];
  }

  /** Records that the stored key of `workspaceName` may be sent to `origin`. */
  async rememberKeyOrigin(workspaceName: string, origin: string): Promise<void> {
    const origins = { ...this.memory.get<Record<string, string>>(KEY_ORIGINS, {}), [workspaceName]: origin };
    await this.memory.update(KEY_ORIGINS, origins);
  }

  /** Drops the client; listeners (the tree reloads from the first page) hear it synchronously. */
  invalidate(why: string): void {
    const old = this.state;
    this.state = undefined;
    void old?.then((s) => (s.kind === 'ready' ? s.client.close() : undefined)).catch(() => undefined);
    this.log.info('connection', `Reconnecting: ${why}.`);
    this.changed.fire();
  }

  dispose(): void {
    void this.state?.then((s) => (s.kind === 'ready' ? s.client.close() : undefined)).catch(() => undefined);
    for (const d of this.disposables) d.dispose();
  }

  private async build(): Promise<ConnectionState> {
    const workspace = this.settings.activeWorkspace();
    await vscode.commands.executeCommand('setContext', 'mistralWorkflows.activeWorkspace', workspace.name);
    const problem = baseUrlProblem(workspace.baseUrl);
    if (problem) {
      this.log.warn('connection', `Workspace “${workspace.name}”: ${problem}`);
      await this.setKeyState('badBaseUrl');
      return { kind: 'badBaseUrl', workspace, problem };
    }
    const resolved = await this.keys.resolve(workspace.name);
    if (!resolved) {
      this.log.info('connection', `Workspace “${workspace.name}” (${workspace.baseUrl}): no API key found.`);
      await this.setKeyState('missing');
      return { kind: 'missingKey', workspace };
    }
    this.log.addSecret(resolved.key);
    const origin = new URL(workspace.baseUrl).origin;
    if (resolved.source === 'secret storage') {
      const known = this.keyOrigin(workspace.name);
      if (known !== undefined && known !== origin) {
        this.log.warn('connection', `Workspace “${workspace.name}”: base URL moved from ${known} to ${origin}; waiting for the user to allow the stored key there.`);
        await this.setKeyState('originChanged');
        return { kind: 'originChanged', workspace, from: known, to: origin };
      }
      if (known === undefined) await this.rememberKeyOrigin(workspace.name, origin);
    }
    const from = resolved.file ? `${resolved.source} ${resolved.file}` : resolved.source;
    this.log.info('connection', `Workspace “${workspace.name}” (${workspace.baseUrl}): using the API key from the ${from}.`);
    await this.setKeyState('present');
    const client = new WorkflowsClient({
      baseUrl: workspace.baseUrl,
      apiKey: resolved.key,
      timeoutMs: this.settings.requestTimeoutMs(),
      userAgent: 'mistral-workflows-vscode',
    });
    return { kind: 'ready', workspace, client, keySource: resolved.source };
  }

  private async setKeyState(state: 'missing' | 'present' | 'badBaseUrl' | 'originChanged'): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'mistralWorkflows.keyState', state);
  }
}
