import * as vscode from 'vscode';
import { type WorkflowBackend } from '../api';
import { WorkflowsClient } from '../api/mistral';
import { TemporalBackend, TemporalClient } from '../api/temporal';
import { ApiKeys, KeySource } from '../auth/apiKeys';
import { Log } from '../common/log';
import { UserFacingError } from '../common/errors';
import { SECTION, Settings, WorkspaceConfig } from './settings';
import { loadTemporalTls } from './temporalTls';
import { baseUrlProblem, envKeyOriginAllowed } from './workspaceList';
import { COMMAND_IDS, CONTEXT_KEYS } from '../commands/ids';

type ConnectionState =
  | { kind: 'ready'; workspace: WorkspaceConfig; client: WorkflowBackend; keySource: KeySource | undefined }
  | { kind: 'missingKey'; workspace: WorkspaceConfig }
  | { kind: 'badBaseUrl'; workspace: WorkspaceConfig; problem: string }
  /**
   * The key may not go to the workspace's origin until the user allows it: a stored key whose base URL
   * moved since it was last used (`from`), or MISTRAL_API_KEY (environment, .env) for an origin that is
   * neither Mistral's API nor this machine (no `from`).
   */
  | { kind: 'originChanged'; workspace: WorkspaceConfig; from: string | undefined; to: string; source: KeySource };

const KEY_ORIGINS = 'mistralWorkflows.keyOrigins';

/** What a build read of the key: nothing yet, or the key (undefined when there was none). */
type KeyRead = { read: false } | { read: true; key: string | undefined };

/**
 * The client for the active workspace. Rebuilt when the workspace, its base URL, the timeout or its key
 * changes, and only then: a settings write or another workspace's key arriving late must not reload the
 * tree from the server it already uses. A key is only ever handed to the client of the workspace it
 * belongs to, and a switch closes the old client at once, so nothing reaches the old server afterwards.
 */
export class Connection implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private state: Promise<ConnectionState> | undefined;
  /** The settings `state` was built from (see `settingsKey`). */
  private builtFor: string | undefined;
  /** The client of `state` once it is built, so that a switch can close it synchronously. */
  private readyClient: WorkflowBackend | undefined;
  /** The key `state`'s build read, once it has read one. */
  private keyRead: KeyRead = { read: false };
  /** Key changes are looked at one after another, each against the key the client uses. */
  private keyCheck: Promise<void> = Promise.resolve();

  constructor(
    private readonly settings: Settings,
    private readonly keys: ApiKeys,
    private readonly log: Log,
    /** Where each workspace's stored key was last sent (origins only, never keys). */
    private readonly memory: vscode.Memento,
  ) {
    this.disposables.push(
      keys.onDidChange((e) => {
        if (e.workspace !== undefined && e.workspace !== this.currentWorkspace().name) return;
        this.keyCheck = this.keyCheck.then(() => this.keyChanged());
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(SECTION) || this.state === undefined) return;
        if (this.settingsKey() !== this.builtFor) this.invalidate('settings changed');
      }),
    );
  }

  currentWorkspace(): WorkspaceConfig {
    return this.settings.activeWorkspace();
  }

  current(): Promise<ConnectionState> {
    if (this.state === undefined) {
      this.keyRead = { read: false };
      const state = this.build(this.keyRead);
      this.state = state;
      this.builtFor = this.settingsKey();
      state.then((s) => {
        if (s.kind !== 'ready') return;
        if (this.state === state) this.readyClient = s.client;
        else void s.client.close(); // invalidated while it was being built
      }, () => undefined);
    }
    return this.state;
  }

  /** The ready client, or an error that tells the user what to do. */
  async client(): Promise<WorkflowBackend> {
    return (await this.ready()).client;
  }

  /** The ready client with the workspace it was built for, or an error that tells the user what to do. */
  async ready(): Promise<{ workspace: WorkspaceConfig; client: WorkflowBackend }> {
    const state = await this.current();
    if (state.kind === 'ready') return { workspace: state.workspace, client: state.client };
    if (state.kind === 'missingKey') {
      throw new UserFacingError(`No API key is set for the workspace “${state.workspace.name}”.`, [
        { title: 'Set API Key', command: COMMAND_IDS.setApiKey },
      ]);
    }
    if (state.kind === 'originChanged') {
      throw new UserFacingError(
        state.from === undefined
          ? `The workspace “${state.workspace.name}” points at ${state.to}. The API key from the ${state.source} is not sent there until you allow it.`
          : `The base URL of the workspace “${state.workspace.name}” changed from ${state.from} to ${state.to}. Its stored API key is not sent there until you allow it.`,
        [{ title: 'Allow…', command: COMMAND_IDS.allowKeyOrigin }],
      );
    }
    throw new UserFacingError(`Workspace “${state.workspace.name}”: ${state.problem}`, [
      { title: 'Open Settings', command: 'workbench.action.openSettings', args: [`${SECTION}.workspaces`] },
    ]);
  }

  /** Resolves once every key change heard so far has been compared with the key in use. */
  keyChecked(): Promise<void> {
    return this.keyCheck;
  }

  /**
   * Whether `client` is still the active workspace's client: false once a switch, a key or a settings
   * change closed it, even before the configuration event that rebuilds the connection has arrived.
   */
  isActive(client: WorkflowBackend): boolean {
    return client === this.readyClient && this.settingsKey() === this.builtFor;
  }

  keyOrigin(workspaceName: string): string | undefined {
    return this.memory.get<Record<string, string>>(KEY_ORIGINS, {})[workspaceName];
  }

  /** Records that the key of `workspaceName` (stored, or from the environment or .env) may be sent to `origin`. */
  async rememberKeyOrigin(workspaceName: string, origin: string): Promise<void> {
    const origins = { ...this.memory.get<Record<string, string>>(KEY_ORIGINS, {}), [workspaceName]: origin };
    await this.memory.update(KEY_ORIGINS, origins);
  }

  /**
   * Drops the client and closes it before anyone hears of the change: from here on it refuses new
   * requests and cancels its reads in flight (a write in flight is let finish: its answer matters).
   * Listeners (the tree reloads from the first page) hear it synchronously.
   */
  invalidate(why: string): void {
    this.closeClient();
    this.log.info('connection', `Reconnecting: ${why}.`);
    this.changed.fire();
  }

  /**
   * SecretStorage tells of a change some time after it was made, and also when a key was cleared and
   * stored back (a test's set-up, Set API Key with the same key): only a key that differs from the one
   * the state was built with reconnects, and so reloads the tree from its first page.
   */
  private async keyChanged(): Promise<void> {
    const state = this.state;
    if (state === undefined) return; // nothing built yet: the next build reads the key as it is then
    const read = this.keyRead;
    await state.catch(() => undefined); // a build under way: compare with what it read
    if (this.state !== state) return; // rebuilt meanwhile, from the key as it was then
    if (read.read) {
      const workspace = this.currentWorkspace();
      // A key that cannot be read now counts as changed: reconnecting says why.
      const now = await this.keys.resolve(workspace.name, { storedOnly: workspace.kind === 'temporal' }).then((r) => ({ key: r?.key }), () => undefined);
      if (this.state !== state || (now !== undefined && now.key === read.key)) return;
    }
    this.invalidate('API key changed');
  }

  dispose(): void {
    this.closeClient();
    for (const d of this.disposables) d.dispose();
  }

  private closeClient(): void {
    void this.readyClient?.close().catch(() => undefined);
    this.readyClient = undefined;
    this.state = undefined;
    this.builtFor = undefined;
  }

  /** What the connection depends on in the settings: the active workspace entry, the timeout and compression. */
  private settingsKey(): string {
    return JSON.stringify([this.settings.activeWorkspace(), this.settings.requestTimeoutMs(), this.settings.compression()]);
  }

  private async build(keyRead: KeyRead): Promise<ConnectionState> {
    const workspace = this.settings.activeWorkspace();
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.activeWorkspace, workspace.name);
    const problem = baseUrlProblem(workspace.baseUrl);
    if (problem) {
      this.log.warn('connection', `Workspace “${workspace.name}”: ${problem}`);
      await this.setKeyState('badBaseUrl');
      return { kind: 'badBaseUrl', workspace, problem };
    }
    const resolved = await this.keys.resolve(workspace.name, { storedOnly: workspace.kind === 'temporal' });
    Object.assign(keyRead, { read: true, key: resolved?.key });
    if (workspace.kind === 'temporal') return this.buildTemporal(workspace, resolved);
    if (!resolved) {
      this.log.info('connection', `Workspace “${workspace.name}” (${workspace.baseUrl}): no API key found.`);
      await this.setKeyState('missing');
      return { kind: 'missingKey', workspace };
    }
    this.log.addSecret(resolved.key);
    const moved = await this.keyOriginGuard(workspace, resolved);
    if (moved) return moved;
    const from = resolved.file ? `${resolved.source} ${resolved.file}` : resolved.source;
    this.log.info('connection', `Workspace “${workspace.name}” (${workspace.baseUrl}): using the API key from the ${from}.`);
    await this.setKeyState('present');
    const client = new WorkflowsClient({
      baseUrl: workspace.baseUrl,
      apiKey: resolved.key,
      timeoutMs: this.settings.requestTimeoutMs(),
      userAgent: 'mistral-workflows-vscode',
      compression: this.settings.compression(),
    });
    return { kind: 'ready', workspace, client, keySource: resolved.source };
  }

  /**
   * A Temporal cluster: the key is optional (a self-hosted cluster may have none; Temporal Cloud takes
   * one as a Bearer token), the TLS files are read here (temporalTls.ts), and anything wrong with them is
   * a settings problem the view shows, not a failed request.
   */
  private async buildTemporal(workspace: WorkspaceConfig, resolved: { key: string; source: KeySource } | undefined): Promise<ConnectionState> {
    const loaded = await loadTemporalTls(workspace);
    if (loaded.kind === 'problem') return this.settingsProblem(workspace, loaded.problem);
    if (resolved) {
      this.log.addSecret(resolved.key);
      const moved = await this.keyOriginGuard(workspace, resolved);
      if (moved) return moved;
    }
    const how = [resolved ? `the API key from the ${resolved.source}` : 'no API key', ...loaded.summary].join(', ');
    this.log.info('connection', `Workspace “${workspace.name}” (Temporal ${workspace.baseUrl}, namespace ${workspace.namespace ?? 'default'}): using ${how}.`);
    await this.setKeyState('present');
    const client = new TemporalClient({
      baseUrl: workspace.baseUrl,
      namespace: workspace.namespace ?? 'default',
      apiKey: resolved?.key,
      timeoutMs: this.settings.requestTimeoutMs(),
      tls: loaded.tls,
      compression: this.settings.compression(),
    });
    return { kind: 'ready', workspace, client: new TemporalBackend(client), keySource: resolved?.source };
  }

  /**
   * A stored key goes only to the origin it was given for: a moved base URL waits for the user.
   * MISTRAL_API_KEY (environment, .env) goes to Mistral's API and this machine, and elsewhere only to
   * an origin the user allowed for this workspace (envKeyOriginAllowed).
   */
  private async keyOriginGuard(workspace: WorkspaceConfig, resolved: { source: KeySource }): Promise<ConnectionState | undefined> {
    const origin = new URL(workspace.baseUrl).origin;
    const known = this.keyOrigin(workspace.name);
    if (resolved.source !== 'secret storage') {
      if (known === origin || envKeyOriginAllowed(origin)) return undefined;
      this.log.warn('connection', `Workspace “${workspace.name}” points at ${origin}; waiting for the user to allow the key from the ${resolved.source} there.`);
      await this.setKeyState('originChanged');
      return { kind: 'originChanged', workspace, from: undefined, to: origin, source: resolved.source };
    }
    if (known !== undefined && known !== origin) {
      this.log.warn('connection', `Workspace “${workspace.name}”: base URL moved from ${known} to ${origin}; waiting for the user to allow the stored key there.`);
      await this.setKeyState('originChanged');
      return { kind: 'originChanged', workspace, from: known, to: origin, source: resolved.source };
    }
    if (known === undefined) await this.rememberKeyOrigin(workspace.name, origin);
    return undefined;
  }

  private async settingsProblem(workspace: WorkspaceConfig, problem: string): Promise<ConnectionState> {
    this.log.warn('connection', `Workspace “${workspace.name}”: ${problem}`);
    await this.setKeyState('badBaseUrl');
    return { kind: 'badBaseUrl', workspace, problem };
  }

  private async setKeyState(state: 'missing' | 'present' | 'badBaseUrl' | 'originChanged'): Promise<void> {
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.keyState, state);
  }
}
