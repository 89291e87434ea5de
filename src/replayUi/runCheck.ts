/**
 * Runs "Check Workflow Code Against History" for one run: only in a trusted folder (it runs the
 * user's own workflow code), with the interpreter interpreterFor picks, over the history read once
 * from the server, under the configured time limit, cancellable from its progress notification.
 * The result is kept in `checks` so that the tree and the reset flow can show it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../services';
import { UserCancelled, UserFacingError } from '../common/errors';
import { inertLinks } from '../common/notificationText';
import { checkReplay, checkSummary, redactResult, REPLAY_SCRIPT, type CheckedRun } from '../replay';
import { interpreterFor } from './findInterpreter';

export interface CheckTarget {
  executionId: string;
  /** The run checked (its marks apply to it only). */
  runId: string | undefined;
  /** The latest run: its history is read by execution id; an earlier run's by its run id. */
  latest: boolean;
  workflowName: string;
}

export type CheckDeps = Pick<Services, 'connection' | 'log' | 'context' | 'settings' | 'checks' | 'definitions'>;

const TRUST_ACTION = { title: 'Manage Workspace Trust', command: 'workbench.trust.manage' };

function assertCanCheck(): void {
  if (!vscode.workspace.isTrusted) {
    throw new UserFacingError(
      'The replay check runs your workflow code on this machine, so it runs only in a trusted folder. Trust this folder, then check again.',
      [TRUST_ACTION],
    );
  }
  if (!vscode.workspace.workspaceFolders?.length) {
    throw new UserFacingError('Open the folder that holds your workflow code (its Python files), then check again.');
  }
}

export async function runReplayCheck(deps: CheckDeps, target: CheckTarget): Promise<CheckedRun> {
  assertCanCheck();
  if (!target.workflowName) throw new UserFacingError(`Execution ${target.executionId} names no workflow type, so there is no code to check.`);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: inertLinks(`Checking your workflow code against ${target.executionId}…`), cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      const subscription = token.onCancellationRequested(() => abort.abort(new UserCancelled()));
      try {
        return await check(deps, target, abort.signal);
      } finally {
        subscription.dispose();
      }
    },
  );
}

async function check(deps: CheckDeps, target: CheckTarget, signal: AbortSignal): Promise<CheckedRun> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const [interpreter, dirs, events] = await Promise.all([
    interpreterFor(folders[0]),
    workflowFolders(deps, target.workflowName, folders),
    deps.connection.client().then((client) => client.getHistory(target.executionId, target.latest || target.runId === undefined ? undefined : { runId: target.runId }, signal)),
  ]);
  if (events.length === 0) throw new UserFacingError(`The history of ${target.executionId} is empty: there is nothing to replay.`);
  const ran = await checkReplay({
    python: interpreter.command,
    script: deps.context.asAbsolutePath(REPLAY_SCRIPT),
    // The events as the server sent them, oldest first: the replayer reads Temporal's own JSON.
    historyJson: JSON.stringify({ events: events.map((e) => e.raw) }),
    workflowName: target.workflowName,
    dirs,
    timeoutMs: deps.settings.replayCheckTimeoutMs(),
    signal,
  });
  const result = redactResult(ran, (text) => deps.log.redact(text));
  const checked: CheckedRun = { executionId: target.executionId, runId: target.runId, workflowName: target.workflowName, result, interpreter, dirs, checkedAt: new Date(), events };
  deps.checks.set(checked);
  const detail = result.outcome === 'failed' ? `${result.kind}: ${result.message}` : '';
  deps.log.info('replay', `Checked ${target.executionId} (${events.length} events) with ${interpreter.description}: ${checkSummary(checked)}. ${detail}`.trim());
  return checked;
}

/**
 * The folders to load: where the workspace defines the workflow (its imports, such as activities,
 * sit beside it), else every workspace folder (the script then says which classes it found).
 */
async function workflowFolders(deps: Pick<Services, 'definitions'>, workflowName: string, folders: readonly vscode.WorkspaceFolder[]): Promise<string[]> {
  const { definitions } = await deps.definitions.find('workflow', workflowName);
  const found = new Set(definitions.map((d) => path.dirname(d.uri.fsPath)));
  return found.size > 0 ? [...found] : folders.map((f) => f.uri.fsPath);
}

