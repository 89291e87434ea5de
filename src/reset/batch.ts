import * as vscode from 'vscode';
import { firstResetPoint, lastResetPoint } from '../api';
import type { Services } from '../services';
import { UserCancelled, UserFacingError, userMessage } from '../common/errors';
import { inertLinks } from '../common/notificationText';
import type { ExecutionNode } from '../tree/executionNode';
import { bindToWorkspace, offerReasonCopy, WorkspaceChanged, type ResetBinding } from './binding';
import { askReason } from './prompts';
import { audit, postAndVerify } from './send';
import { workspaceLine, type ResetChoices, type ResetWorkspace } from './summary';

type BatchPoint = 'first' | 'last';

/** What one execution of the batch uses: the hold, the POST and its read-back, the audit, the tree. */
type ResetOneServices = Pick<Services, 'resets' | 'log' | 'settings' | 'audit' | 'tree'>;

/** What the batch uses: the prompts and the connection it binds to, and what each reset uses. */
export type BatchResetServices = Pick<Services, 'ui' | 'connection'> & ResetOneServices;

export interface BatchResult {
  executionId: string;
  workflowName: string;
  /** 'unknown': sent, but whether it was applied could not be told (look at it before resetting again). */
  outcome: 'reset' | 'failed' | 'unknown' | 'skipped' | 'not attempted';
  detail: string;
}

interface PointItem extends vscode.QuickPickItem {
  point: BatchPoint;
}

/**
 * Several executions reset to their first or last workflow task with one reason and the same
 * options: one confirmation (typed in production), then one reset at a time with progress and Cancel,
 * then a summary of what succeeded and what failed, and why. Each reset is sent at most once.
 */
export async function runBatchReset(
  services: BatchResetServices,
  nodes: readonly ExecutionNode[],
  cancellation?: vscode.CancellationToken,
): Promise<BatchResult[]> {
  if (nodes.length === 0) throw new UserFacingError('No executions to reset: select some in the Executions view, or load some first.');
  const { ui } = services;
  // Taken now, as for one reset (flow.ts): the batch goes to this workspace, with its guard, or nowhere.
  const binding = await bindToWorkspace(services.connection);
  const point = await ui.pickOne<PointItem>(
    [
      { label: 'Last workflow task', description: 'redo only what came after each execution’s last completed workflow task', point: 'last' },
      { label: 'First workflow task', description: 'replay each execution from its start', point: 'first' },
    ],
    { title: `Reset ${nodes.length} executions: reset point` },
  );
  if (!point) throw new UserCancelled();
  const reason = await askReason(ui);
  const options = await ui.pickMany(
    [
      { label: 'Exclude signals received after the reset point', option: 'signals' as const },
      { label: 'Exclude updates received after the reset point', option: 'updates' as const },
    ],
    { title: `Reset ${nodes.length} executions: options`, placeHolder: 'Checked: left out of each new run (per execution)' },
  );
  if (!options) throw new UserCancelled();
  const choices: ResetChoices = {
    reason,
    excludeSignals: options.some((o) => o.option === 'signals'),
    excludeUpdates: options.some((o) => o.option === 'updates'),
  };
  try {
    await confirmBatch(services, binding.workspace, nodes, point.point, choices);
    binding.ensureActive('the batch reset');
  } catch (error) {
    if (!(error instanceof WorkspaceChanged)) throw error;
    services.log.warn('reset', error.message);
    offerReasonCopy(services, error.message, reason);
    throw new UserCancelled(); // said above, with the reason to copy
  }
  const batchId = `batch-${Date.now().toString(36)}`;
  let stopped: WorkspaceChanged | undefined;
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Resetting ${nodes.length} executions`, cancellable: true },
    async (progress, token) => {
      const out: BatchResult[] = [];
      for (const [i, node] of nodes.entries()) {
        stopped ??= binding.changed('the rest of the batch reset');
        if (stopped) {
          out.push(result(node, 'not attempted', `not sent: the workspace “${binding.workspace.name}” is no longer the active one`));
          continue;
        }
        if (token.isCancellationRequested || cancellation?.isCancellationRequested) {
          out.push(result(node, 'not attempted', 'cancelled before its turn'));
          continue;
        }
        progress.report({ message: inertLinks(`${i + 1} of ${nodes.length}: ${node.execution.workflowName}`), increment: 100 / nodes.length });
        const one = await resetOne(services, binding, node, point.point, choices, batchId);
        if (one instanceof WorkspaceChanged) {
          stopped = one;
          out.push(result(node, 'not attempted', `not sent: the workspace “${binding.workspace.name}” is no longer the active one`));
        } else {
          out.push(one);
        }
      }
      return out;
    },
  );
  await summarise(services, results, stopped);
  return results;
}

async function confirmBatch(
  services: Pick<Services, 'ui'>,
  workspace: ResetWorkspace,
  nodes: readonly ExecutionNode[],
  point: BatchPoint,
  choices: ResetChoices,
): Promise<void> {
  const listed = nodes.slice(0, 10).map((n) => `• ${n.execution.workflowName} (${n.executionId}) — ${n.execution.status ?? 'UNKNOWN'}`);
  if (nodes.length > 10) listed.push(`• and ${nodes.length - 10} more`);
  const detail = [
    workspaceLine(workspace),
    '',
    ...listed,
    '',
    `Each execution's current run is terminated and a new run starts from its ${point} completed workflow task; everything after that point is discarded and replays with the latest deployed code.`,
    `Signals after the point: ${choices.excludeSignals ? 'EXCLUDED' : 're-applied'}. Updates after the point: ${choices.excludeUpdates ? 'EXCLUDED' : 're-applied'}.`,
    `Reason: ${choices.reason}`,
  ].join('\n');
  const message = `Reset ${nodes.length} executions to their ${point} workflow task? Their current runs in the workspace “${workspace.name}” will be terminated.`;
  if (!(await services.ui.confirm(message, detail, `Reset ${nodes.length}`))) {
    throw new UserCancelled();
  }
  if (!workspace.production) return;
  const expected = `reset ${nodes.length}`;
  const typed = await services.ui.input({
    title: `Production workspace “${workspace.name}”: confirm the batch reset`,
    prompt: `Type “${expected}” to reset ${nodes.length} executions.`,
    placeHolder: expected,
    validateInput: (value) => (value.trim() === expected ? undefined : `Type “${expected}” exactly to confirm.`),
  });
  if (typed?.trim() !== expected) throw new UserCancelled();
}

/** One execution of the batch; WorkspaceChanged (returned, not thrown) when it was not sent because of a switch. */
async function resetOne(
  services: ResetOneServices,
  binding: ResetBinding,
  node: ExecutionNode,
  point: BatchPoint,
  choices: ResetChoices,
  batch: string,
): Promise<BatchResult | WorkspaceChanged> {
  const client = binding.backend;
  const held = await services.resets.hold(node.executionId, async (): Promise<BatchResult | WorkspaceChanged> => {
    binding.ensureActive(`the reset of ${node.executionId}`);
    // Read the execution as it is now: the tree may be minutes old.
    const [execution, events] = await Promise.all([client.getExecution(node.executionId), client.getHistory(node.executionId)]);
    const target = point === 'first' ? firstResetPoint(events) : lastResetPoint(events);
    if (target?.eventId === undefined) return result(node, 'skipped', 'no completed workflow task to reset to');
    const resetTarget = { execution, events, point: target, node };
    let outcome;
    try {
      outcome = await postAndVerify(services, binding, resetTarget, target.eventId, choices);
    } catch (error) {
      if (error instanceof WorkspaceChanged) return error; // nothing sent: nothing to audit
      await audit(services, binding.workspace, resetTarget, choices, 'unknown', { error: userMessage(error), batch });
      return result(node, 'unknown', userMessage(error));
    }
    if (outcome.kind === 'done') {
      await audit(services, binding.workspace, resetTarget, choices, 'applied', { newRunId: outcome.latest.runId, batch });
      if (binding.isActive()) {
        node.replaceLatest(outcome.latest);
        services.tree.refresh(node);
      }
      return result(node, 'reset', `to event ${target.idText}; new run ${outcome.latest.runId ?? 'unknown'}`);
    }
    await audit(services, binding.workspace, resetTarget, choices, outcome.kind === 'notSent' ? 'not applied' : 'failed', { error: userMessage(outcome.error), batch });
    return result(node, 'failed', userMessage(outcome.error));
  }).catch((error: unknown) => ({ ran: true as const, value: error instanceof WorkspaceChanged ? error : result(node, 'failed', userMessage(error)) }));
  return held.ran ? held.value : result(node, 'skipped', 'another reset of it was in progress');
}

function result(node: ExecutionNode, outcome: BatchResult['outcome'], detail: string): BatchResult {
  return { executionId: node.executionId, workflowName: node.execution.workflowName, outcome, detail };
}

async function summarise(services: Pick<Services, 'log' | 'ui'>, results: BatchResult[], stopped: WorkspaceChanged | undefined): Promise<void> {
  const count = (o: BatchResult['outcome']): number => results.filter((r) => r.outcome === o).length;
  const parts = [`${count('reset')} of ${results.length} executions reset`];
  if (count('failed')) parts.push(`${count('failed')} failed`);
  if (count('unknown')) parts.push(`${count('unknown')} unknown (look at them before resetting again)`);
  if (count('skipped')) parts.push(`${count('skipped')} skipped`);
  if (count('not attempted')) parts.push(`${count('not attempted')} not attempted (${stopped ? 'the workspace changed' : 'cancelled'})`);
  if (stopped) services.log.warn('reset', stopped.message);
  const lines = results.map((r) => `${r.outcome.toUpperCase().padEnd(13)} ${r.workflowName} (${r.executionId}): ${r.detail}`);
  services.log.info('reset', `Batch reset: ${parts.join(', ')}.\n${lines.join('\n')}`);
  const level = count('reset') === results.length ? 'info' : 'warning';
  const said = `Batch reset: ${parts.join(', ')}.${stopped ? ` ${stopped.message}` : ''}`;
  void services.ui.notify(level, said, 'Show Details').then(async (choice) => {
    if (choice !== 'Show Details') return;
    const document = await vscode.workspace.openTextDocument({ content: `Batch reset\n\n${lines.join('\n')}\n`, language: 'plaintext' });
    await vscode.window.showTextDocument(document, { preview: true });
  });
}
