import { setTimeout as sleep } from 'node:timers/promises';
import * as vscode from 'vscode';
import { attr, isResetMarker, WorkflowsApiError } from '../api';
import type { RequestEnd, WorkflowBackend } from '../api';
import type { Execution } from '../api/types';
import type { Services } from '../services';
import { UserFacingError, userMessage } from '../common/errors';
import { inertLinks } from '../common/notificationText';
import type { WorkspaceConfig } from '../config/workspaceList';
import type { AuditOutcome } from './auditLog';
import { WorkspaceChanged, type ResetBinding } from './binding';
import type { ResetTarget } from './target';
import type { ResetChoices } from './summary';

export type SendOutcome =
  | { kind: 'done'; latest: Execution }
  /** The server refused the reset in so many words (a 4xx): nothing changed. */
  | { kind: 'failed'; error: unknown }
  /** The answer was lost or unclear, and a read-back after the POST had ended shows the reset did not happen. */
  | { kind: 'notSent'; error: unknown };

/** Reading back after a lost answer failed, found someone else's run, or the POST never ended: nobody can tell. */
type Unknown = { kind: 'unknown'; error: unknown };
/** The workspace changed before the POST: nothing was sent, nothing to audit. */
type Stopped = { kind: 'stopped'; error: WorkspaceChanged };

const BUSY = 'Resetting…';
const READ_BACK_INTERVAL_MS = 400;
/** How long to watch for a reset whose answer was lost: about one request timeout, within bounds. */
const MIN_READ_BACK_MS = 2_000;
const MAX_READ_BACK_MS = 10_000;

/** What announcing an applied reset uses: the log, the tree and its view, the notification. */
type AnnounceServices = Pick<Services, 'log' | 'ui' | 'tree' | 'treeView'>;

/** What one reset uses, from the hold on the execution to the announcement (sendReset, announceFound). */
export type SendResetServices = Pick<Services, 'resets' | 'audit' | 'settings'> & AnnounceServices;

/**
 * One POST to the bound workspace, with progress and a spinner on the rows; never retried here. An
 * applied reset is announced while the execution is still held, so that live updates do not rebuild
 * its rows while the new run is being revealed (a reveal of a row the tree just replaced fails).
 */
export async function sendReset(services: SendResetServices, binding: ResetBinding, target: ResetTarget, choices: ResetChoices): Promise<SendOutcome> {
  const executionId = target.execution.executionId;
  const eventId = target.point.eventId;
  if (eventId === undefined) throw new UserFacingError(`Event ${target.point.idText} cannot be a reset point.`);
  binding.ensureActive(`the reset of ${executionId}`);
  const held = await services.resets.hold(executionId, async () => {
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: inertLinks(`Resetting ${target.execution.workflowName} to event ${eventId}…`) },
      () =>
        withBusyRows(services, target, () =>
          postAndVerify(services, binding, target, eventId, choices).catch(
            (error: unknown): Unknown | Stopped => (error instanceof WorkspaceChanged ? { kind: 'stopped', error } : { kind: 'unknown', error }),
          ),
        ),
    );
    if (outcome.kind === 'done') {
      await audit(services, binding.workspace, target, choices, 'applied', { newRunId: outcome.latest.runId });
      await announceSuccess(services, binding, target, outcome.latest);
    }
    return outcome;
  });
  if (!held.ran) {
    throw new UserFacingError(`A reset of ${executionId} is already in progress. Wait for it to finish.`);
  }
  if (held.value.kind === 'stopped') throw held.value.error;
  if (held.value.kind === 'unknown') {
    await audit(services, binding.workspace, target, choices, 'unknown', { error: userMessage(held.value.error) });
    throw held.value.error;
  }
  const outcome = held.value;
  if (outcome.kind !== 'done') {
    await audit(services, binding.workspace, target, choices, outcome.kind === 'notSent' ? 'not applied' : 'failed', { error: userMessage(outcome.error) });
  }
  return outcome;
}

/** A reset found applied by a read-back before sending again: announced under the same hold as a sent one. */
export async function announceFound(services: Pick<Services, 'resets'> & AnnounceServices, binding: ResetBinding, target: ResetTarget, latest: Execution): Promise<void> {
  await services.resets.hold(target.execution.executionId, () => announceSuccess(services, binding, target, latest));
}

/** Appends the attempt to the audit trail (Show Reset History), under the workspace it was sent to. */
export async function audit(
  services: Pick<Services, 'audit'>,
  workspace: Pick<WorkspaceConfig, 'name' | 'baseUrl'>,
  target: ResetTarget,
  choices: ResetChoices,
  outcome: AuditOutcome,
  extra: { newRunId?: string; error?: string; batch?: string },
): Promise<void> {
  await services.audit.record({
    time: new Date().toISOString(),
    workspace: workspace.name,
    baseUrl: workspace.baseUrl,
    executionId: target.execution.executionId,
    workflowName: target.execution.workflowName,
    oldRunId: target.execution.runId,
    eventId: target.point.eventId ?? -1,
    reason: choices.reason,
    excludeSignals: choices.excludeSignals,
    excludeUpdates: choices.excludeUpdates,
    outcome,
    ...extra,
  });
}

/**
 * The POST, on the bound backend and only while it is the active one, then what became of it. An
 * answer that leaves the outcome unknown (lost, late, 5xx) is read back; WorkspaceChanged when the
 * connection moved on before anything was sent.
 */
export async function postAndVerify(
  services: Pick<Services, 'log' | 'settings'>,
  binding: ResetBinding,
  target: ResetTarget,
  eventId: number,
  choices: ResetChoices,
): Promise<SendOutcome> {
  const executionId = target.execution.executionId;
  const what = `the reset of ${executionId}`;
  binding.ensureActive(what);
  services.log.info('reset', `POST reset ${executionId} to event ${eventId} in “${binding.workspace.name}” (exclude signals: ${choices.excludeSignals}, updates: ${choices.excludeUpdates}).`);
  try {
    await binding.backend.reset({ executionId, eventId, runId: target.execution.runId, ...choices });
  } catch (error) {
    if (!(error instanceof WorkflowsApiError) || !error.outcomeUnknown) {
      // A client closed by a switch refuses before sending: say so, not "the connection was closed".
      if (error instanceof WorkflowsApiError && error.kind === 'aborted') binding.ensureActive(what);
      return { kind: 'failed', error };
    }
    services.log.warn('reset', `The answer to the reset of ${executionId} was lost or unclear (${error.kind}${error.status ? ` ${error.status}` : ''}); reading the execution back.`);
    const graceMs = Math.min(MAX_READ_BACK_MS, Math.max(MIN_READ_BACK_MS, services.settings.requestTimeoutMs()));
    return readBack(binding, target, choices, error, graceMs);
  }
  return { kind: 'done', latest: await newestRun(binding.backend, executionId, target.execution.runId) };
}

/**
 * Did a reset whose answer was lost happen? A new run whose reset marker carries our reason says yes.
 * "No" is concluded only from a read that began after the POST itself had ended (a timed-out POST is
 * let run, see `requestEnd`), and not before the watch is over: a gateway's upstream may act late.
 * A POST that never ended leaves the outcome unknown.
 */
async function readBack(binding: ResetBinding, target: ResetTarget, choices: ResetChoices, cause: WorkflowsApiError, graceMs: number): Promise<SendOutcome> {
  const executionId = target.execution.executionId;
  const post: { end?: RequestEnd } = cause.requestEnd === undefined ? { end: 'ended' } : {};
  const ended = (cause.requestEnd ?? Promise.resolve<RequestEnd>('ended')).then((end) => {
    post.end = end;
  });
  const deadline = Date.now() + graceMs;
  for (;;) {
    const endedBefore = post.end;
    let found: ResetEvidence;
    try {
      found = await findOurReset(binding.backend, target, choices);
    } catch (error) {
      const why = binding.isActive()
        ? 'the execution could not be read to check it'
        : `the workspace changed from “${binding.workspace.name}” meanwhile, so the execution could not be read there to check it`;
      throw new UserFacingError(
        `The reset of ${executionId} was sent but no clear answer came back, and ${why}. Look at the execution before resetting again.`,
        [],
        { cause: error },
      );
    }
    if (found.kind === 'ours') return { kind: 'done', latest: found.latest };
    if (found.kind === 'other') {
      throw new UserFacingError(
        `The answer to the reset of ${executionId} was lost, and the execution now has a new run (${found.latest.runId ?? 'unknown'}) that this reset did not start. Review it before resetting again.`,
      );
    }
    if (endedBefore === 'succeeded') return { kind: 'done', latest: await newestRun(binding.backend, executionId, target.execution.runId) };
    if (endedBefore === 'abandoned') {
      throw new UserFacingError(
        `The reset of ${executionId} got no answer, not even a late one, and the execution shows no new run from it so far. It may still be applied: look at the execution before resetting again.`,
        [],
        { cause },
      );
    }
    if (endedBefore === 'ended' && Date.now() >= deadline) return { kind: 'notSent', error: cause };
    await (post.end === undefined ? Promise.race([sleep(READ_BACK_INTERVAL_MS), ended]) : sleep(READ_BACK_INTERVAL_MS));
  }
}

type ResetEvidence = { kind: 'ours' | 'other'; latest: Execution } | { kind: 'none' };

/** Whether the execution has a run started by a reset with these choices from the run we targeted. */
export async function findOurReset(client: WorkflowBackend, target: ResetTarget, choices: ResetChoices): Promise<ResetEvidence> {
  const latest = await client.getExecution(target.execution.executionId);
  if (latest.runId === target.execution.runId) return { kind: 'none' };
  const events = await client.getHistory(target.execution.executionId);
  const ours = events.some(
    (e) => isResetMarker(e) && attr(e, 'failure.message') === choices.reason && attr(e, 'base_run_id') === target.execution.runId,
  );
  return { kind: ours ? 'ours' : 'other', latest };
}

/** The execution after a reset. A real server may create the new run a moment after it answers. */
async function newestRun(client: WorkflowBackend, executionId: string, oldRunId: string | undefined): Promise<Execution> {
  let latest = await client.getExecution(executionId);
  for (let attempt = 0; attempt < 5 && latest.runId === oldRunId; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
    latest = await client.getExecution(executionId);
  }
  return latest;
}

async function withBusyRows<T>(services: Pick<Services, 'tree'>, target: ResetTarget, action: () => Promise<T>): Promise<T> {
  const rows = [target.node, target.pointNode].filter((n) => n !== undefined);
  for (const row of rows) {
    row.busy = BUSY;
    services.tree.refresh(row);
  }
  try {
    return await action();
  } finally {
    for (const row of rows) {
      row.busy = undefined;
      services.tree.refresh(row);
    }
  }
}

/**
 * Refreshes the execution, reveals the new run's reset marker and says so, with a “Show” action. After a
 * switch the tree shows another workspace: it is neither read nor changed, and the message names where.
 */
async function announceSuccess(services: AnnounceServices, binding: ResetBinding, target: ResetTarget, latest: Execution): Promise<void> {
  const executionId = target.execution.executionId;
  services.log.info('reset', `Reset ${executionId} to event ${target.point.idText} in “${binding.workspace.name}”: new run ${latest.runId ?? 'unknown'}.`);
  if (!binding.isActive()) {
    void services.ui.notify('info', `Reset “${target.execution.workflowName}” to event ${target.point.idText} in the workspace “${binding.workspace.name}”. New run: ${latest.runId ?? 'unknown'}.`);
    return;
  }
  const node = services.tree.findExecution(executionId) ?? (await services.tree.openExecution(executionId));
  node.replaceLatest(latest);
  services.tree.refresh(node);
  const reveal = async (focus: boolean): Promise<void> => {
    await services.treeView.reveal(node, { expand: true, select: !focus, focus });
    const events = await node.rows.history.load();
    const marker = events.events.findIndex(isResetMarker);
    const row = await node.rows.nodeAt(marker >= 0 ? marker : events.events.length - 1);
    services.tree.refresh(node);
    if (row) await services.treeView.reveal(row, { select: true, focus });
  };
  await reveal(false).catch((error: unknown) => services.log.warn('reset', `Could not reveal the new run: ${String(error)}`));
  void services.ui
    .notify('info', inertLinks(`Reset “${target.execution.workflowName}” to event ${target.point.idText}. New run: ${latest.runId ?? 'unknown'}.`), 'Show')
    .then((choice) => (choice === 'Show' ? reveal(true) : undefined));
}
