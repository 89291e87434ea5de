import * as vscode from 'vscode';
import { clampInt, clampNumber, compressionOption, DEFAULT_WORKSPACE, parseWorkspaces, WorkspaceConfig } from './workspaceList';

export type { WorkspaceConfig };

export const SECTION = 'mistralWorkflows';

/** Typed access to the extension's settings: the only place that reads `mistralWorkflows.*`. */
export class Settings {
  /**
   * The configured workspaces. In an untrusted folder, values from the folder's own settings are
   * ignored (VS Code does this for restrictedConfigurations too; we do not rely on it alone), so a
   * cloned repository cannot point your key at its own server.
   */
  workspaces(): WorkspaceConfig[] {
    const config = vscode.workspace.getConfiguration(SECTION);
    const raw = vscode.workspace.isTrusted
      ? config.get<unknown>('workspaces')
      : config.inspect<unknown>('workspaces')?.globalValue;
    const parsed = parseWorkspaces(raw);
    return parsed.length > 0 ? parsed : [DEFAULT_WORKSPACE];
  }

  /** The workspace chosen in `activeWorkspace`; in an untrusted folder, by the user's own value only (as `workspaces`). */
  activeWorkspace(): WorkspaceConfig {
    const all = this.workspaces();
    const config = vscode.workspace.getConfiguration(SECTION);
    const wanted = vscode.workspace.isTrusted ? config.get<string>('activeWorkspace', '') : (config.inspect<string>('activeWorkspace')?.globalValue ?? '');
    return all.find((w) => w.name === wanted) ?? all[0];
  }

  /**
   * Appends a workspace where the list the user sees comes from: the folder's settings when they set
   * it (and the folder is trusted), else the user's, starting from what they had (or the default).
   */
  async addWorkspace(entry: WorkspaceConfig): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const inspected = config.inspect<unknown[]>('workspaces');
    const inFolder = inspected?.workspaceValue !== undefined && vscode.workspace.isTrusted;
    const current = (inFolder ? inspected?.workspaceValue : inspected?.globalValue) ?? [DEFAULT_WORKSPACE];
    const stored: Record<string, unknown> = { name: entry.name, baseUrl: entry.baseUrl, production: entry.production };
    if (entry.kind === 'temporal') Object.assign(stored, { kind: 'temporal', namespace: entry.namespace ?? 'default' });
    await config.update('workspaces', [...current, stored], inFolder ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
  }

  async setActiveWorkspace(name: string): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    // Keep the choice where the user keeps the setting; a user-level choice by default.
    const inspected = config.inspect<string>('activeWorkspace');
    const target =
      inspected?.workspaceValue !== undefined && vscode.workspace.isTrusted
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
    await config.update('activeWorkspace', name, target);
  }

  executionsPageSize(): number {
    return clampInt(this.get('executionsPageSize', 50), 1, 1000);
  }

  eventsPageSize(): number {
    return clampInt(this.get('eventsPageSize', 500), 10, 10000);
  }

  requestTimeoutMs(): number {
    return Math.round(clampNumber(this.get('requestTimeoutSeconds', 30), 1, 600) * 1000);
  }

  /**
   * Whether the clients ask for compressed answers: `auto` (not from a loopback host), or the user's
   * `always` (a tunnel to a remote cluster) / `never`, as the clients' `on` / `off`.
   */
  compression(): 'auto' | 'on' | 'off' {
    return compressionOption(this.get<unknown>('compression', 'auto'));
  }

  /** Live runs: follow running executions' event streams (polling when a stream cannot be used). */
  liveUpdatesEnabled(): boolean {
    return this.get<unknown>('liveUpdates.enabled', true) !== false;
  }

  livePollIntervalMs(): number {
    return Math.round(clampNumber(this.get('liveUpdates.pollIntervalSeconds', 10), 2, 3600) * 1000);
  }

  /** How long one replay check may run before it is stopped. */
  replayCheckTimeoutMs(): number {
    return Math.round(clampNumber(this.get('replayCheck.timeoutSeconds', 60), 5, 600) * 1000);
  }

  /** Run the replay check by itself before a reset's confirmation, when the folder defines the workflow. */
  replayCheckBeforeReset(): boolean {
    return this.get<unknown>('replayCheck.beforeReset', true) !== false;
  }

  /** Group by Problem: how many histories are read at once. */
  problemsConcurrency(): number {
    return clampInt(this.get('problems.concurrency', 4), 1, 16);
  }

  /** Stuck runs: an open activity at this attempt or later is shown as retrying. */
  problemsRetryingAttempts(): number {
    return clampInt(this.get('problems.retryingAttempts', 5), 2, 1000);
  }

  /**
   * Stuck on the plain view's rows: each listed running execution's history read on every refresh,
   * after the list is shown. The Stuck filter and Group by Problem read them even when this is off.
   */
  problemsDetectStuck(): boolean {
    return this.get<unknown>('problems.detectStuck', true) !== false;
  }

  private get<T>(key: string, fallback: T): T {
    return vscode.workspace.getConfiguration(SECTION).get<T>(key, fallback);
  }
}
