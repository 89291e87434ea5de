/**
 * A reset is bound to the workspace it was started in. The backend and the workspace are taken once,
 * when the flow starts; every request of the reset (the POST, the read-back, the server's valid points)
 * goes through that backend, the confirmation and the audit name that workspace, and a switch (or a
 * new key, base URL or timeout, which replace the client) stops the reset before anything more is sent.
 * The old client is closed by then (connection.ts), so reaching it would fail anyway, but with a
 * message about a closed connection instead of one about the switch.
 */
import * as vscode from 'vscode';
import type { WorkflowBackend } from '../api';
import { UserFacingError } from '../common/errors';
import type { UserInput } from '../common/ui';
import type { Connection } from '../config/connection';
import type { WorkspaceConfig } from '../config/workspaceList';
import { workspaceChangedMessage } from './summary';

export interface ResetBinding {
  readonly workspace: WorkspaceConfig;
  readonly backend: WorkflowBackend;
  /** Whether `backend` is still the active workspace's client. */
  isActive(): boolean;
  /** Why `what` must not be sent (WorkspaceChanged) once `backend` is no longer active; else undefined. */
  changed(what: string): WorkspaceChanged | undefined;
  /** Throws `changed(what)`, if any. */
  ensureActive(what: string): void;
}

/** The reset stopped before sending `what`: the connection it was started on is no longer the active one. */
export class WorkspaceChanged extends UserFacingError {
  constructor(message: string) {
    super(message);
    this.name = 'WorkspaceChanged';
  }
}

const COPY_REASON = 'Copy Reason';

/** The stop message, not awaited (the command ends), with the typed reason one click away. */
export function offerReasonCopy(services: { ui: UserInput }, message: string, reason: string): void {
  void services.ui.notify('error', message, COPY_REASON).then(async (choice) => {
    if (choice === COPY_REASON) await vscode.env.clipboard.writeText(reason);
  });
}

/** The active workspace and its ready client, now (or the connection's own error: no key, bad URL). */
export async function bindToWorkspace(connection: Pick<Connection, 'ready' | 'isActive' | 'currentWorkspace'>): Promise<ResetBinding> {
  const { workspace, client } = await connection.ready();
  const isActive = (): boolean => connection.isActive(client);
  const changed = (what: string): WorkspaceChanged | undefined =>
    isActive() ? undefined : new WorkspaceChanged(workspaceChangedMessage(workspace, connection.currentWorkspace(), what));
  return {
    workspace,
    backend: client,
    isActive,
    changed,
    ensureActive: (what) => {
      const stop = changed(what);
      if (stop) throw stop;
    },
  };
}
