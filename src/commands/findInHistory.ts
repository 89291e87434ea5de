import * as vscode from 'vscode';
import { DEFAULT_SLICE_SIZE, findEvents, parseQuery } from '../api';
import type { EventMatches, FindOptions } from '../api';
import { UserCancelled, UserFacingError } from '../common/errors';
import { ExecutionNode } from '../tree/executionNode';
import type { HistoryRows } from '../tree/historyChildren';
import { TreeNode } from '../tree/node';
import { RunNode } from '../tree/runNodes';
import { pickExecutionId } from './pickExecution';
import type { Services } from '../services';

type FindServices = Pick<Services, 'ui' | 'tree' | 'treeView' | 'log'>;

/** The run whose rows a search applies to: an execution (its latest run) or an earlier run, or what holds its summary row. */
function searchTarget(node: unknown): ExecutionNode | RunNode | undefined {
  let at: unknown = node;
  while (at instanceof TreeNode) {
    if (at instanceof ExecutionNode || at instanceof RunNode) return at;
    at = at.parent;
  }
  return undefined;
}

/**
 * Find in History…: plain text or /regex/ over event types, step names and values. The search runs in
 * slices behind a cancellable progress notification; then the run shows only what matched.
 */
export async function findInHistory(services: FindServices, node?: unknown): Promise<void> {
  const target = searchTarget(node) ?? (await services.tree.openExecution((await pickExecutionId(services, 'Find in History')).trim()));
  const rows = target.rows;
  const name = target instanceof ExecutionNode ? target.execution.workflowName || target.executionId : `run ${target.run.runId ?? ''}`;
  const typed = await services.ui.input({
    title: `Find in History: ${name}`,
    prompt: 'Text (any case), or /regular expression/flags. Matched against event types, step names and values (failures, inputs, results, reasons).',
    placeHolder: 'KeyError, or /timeout|refused/i',
    value: rows.found?.input ?? '',
    validateInput: (text) => {
      const parsed = parseQuery(text);
      return parsed.ok ? undefined : parsed.error;
    },
  });
  if (typed === undefined) throw new UserCancelled();
  const parsed = parseQuery(typed);
  if (!parsed.ok) throw new UserFacingError(parsed.error);
  const value = await rows.history.load();
  const search = (options: FindOptions): Promise<EventMatches> => findEvents(value.events, value.details, parsed.query, options);
  // One slice is over before a notification could be read: only longer searches show one (with Cancel).
  const matches = value.events.length <= DEFAULT_SLICE_SIZE ? await search({}) : await withProgress(`Finding “${typed.trim()}” in ${value.events.length.toLocaleString('en')} events`, search);
  if (matches.aborted) throw new UserCancelled();
  services.log.info('find', `Find “${typed.trim()}” in ${target.id}: ${matches.indexes.length} of ${matches.total} events.`);
  await showFound(services, target, rows, { input: typed.trim(), matches, from: value });
}

/** Clear Find: the run's full history again. */
export async function clearFind(services: FindServices, node?: unknown): Promise<void> {
  const target = searchTarget(node ?? services.treeView.selection[0]);
  if (target === undefined) throw new UserFacingError('Select an execution or run with an active Find in History first.');
  target.rows.setFound(undefined);
  services.tree.refresh(target);
}

async function showFound(services: FindServices, target: ExecutionNode | RunNode, rows: HistoryRows, found: NonNullable<HistoryRows['found']>): Promise<void> {
  rows.setFound(found);
  services.tree.refresh(target);
  // Showing the results is the point; a view that cannot be revealed (hidden, say) still has them.
  await Promise.resolve(services.treeView.reveal(target, { expand: true, select: true, focus: false })).catch((error: unknown) =>
    services.log.warn('find', `Could not reveal the results: ${String(error)}`),
  );
}

/** A cancellable progress notification around a search: Cancel aborts it between two slices. */
function withProgress(title: string, search: (options: FindOptions) => Promise<EventMatches>): Thenable<EventMatches> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort());
    let reported = 0;
    try {
      return await search({
        signal: abort.signal,
        onProgress: (searched, total) => {
          const percent = Math.floor((searched / Math.max(1, total)) * 100);
          progress.report({ increment: percent - reported });
          reported = percent;
        },
      });
    } finally {
      cancelled.dispose();
    }
  });
}
