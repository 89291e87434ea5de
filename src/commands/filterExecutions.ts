import * as vscode from 'vscode';
import { KNOWN_STATUSES } from '../api/types';
import { UserCancelled } from '../common/errors';
import { describeFilter, ExecutionFilter, isFiltered, parseFilter } from '../tree/filter';
import type { Services } from '../services';
import { CONTEXT_KEYS } from './ids';

const FILTER_STATE_KEY = 'mistralWorkflows.filter';

/** Where the filter is kept (the folder's workspaceState), the view whose title shows it, the tree it filters. */
export type FilterServices = Pick<Services, 'context' | 'treeView' | 'tree'>;

/** A line of the first step: a status, or (no status) the Stuck entry. */
interface StatusEntry extends vscode.QuickPickItem {
  status?: string;
}

const STUCK_LABEL = 'Stuck';

/**
 * Status (multi-select, with Stuck among them: see `listedStatuses` for what they mean together), then workflow name, then search text, then (backends with a query language:
 * Temporal) a raw visibility query; Escape at any step changes nothing.
 */
export async function filterExecutions(services: FilterServices & Pick<Services, 'connection' | 'ui'>): Promise<void> {
  const current = services.tree.filter;
  const raw = (await services.connection.client()).capabilities.rawListQuery;
  const steps = raw ? 4 : 3;
  const entries: StatusEntry[] = [
    ...KNOWN_STATUSES.map((status) => ({ label: status, status, picked: current.statuses.includes(status) })),
    { label: STUCK_LABEL, detail: 'running, with a workflow task failing or an activity retrying (their histories are read)', picked: current.stuck === true },
  ];
  const picked = await services.ui.pickMany(entries, { title: `Filter executions (1/${steps}): status`, placeHolder: 'Check the statuses to show (none checked: all)' });
  if (!picked) throw new UserCancelled();
  const workflow = await services.ui.input({
    title: `Filter executions (2/${steps}): workflow name`,
    prompt: 'Only executions of this workflow (exact name). Leave empty for all workflows.',
    value: current.workflow ?? '',
  });
  if (workflow === undefined) throw new UserCancelled();
  const search = await services.ui.input({
    title: `Filter executions (3/${steps}): search`,
    prompt: 'Search by workflow name, display name or id. Leave empty for no search.',
    value: current.search ?? '',
  });
  if (search === undefined) throw new UserCancelled();
  const filter: ExecutionFilter = { statuses: picked.flatMap((p) => p.status ?? []), workflow: workflow.trim() || undefined, search: search.trim() || undefined };
  if (picked.some((p) => p.status === undefined)) filter.stuck = true;
  if (raw) {
    const query = await services.ui.input({
      title: 'Filter executions (4/4): visibility query',
      prompt: 'A Temporal visibility query, combined with the above (e.g. TaskQueue = "orders" AND StartTime > "2026-12-01T00:00:00Z"). Leave empty for none.',
      value: current.query ?? '',
    });
    if (query === undefined) throw new UserCancelled();
    if (query.trim()) filter.query = query.trim();
  }
  await applyFilter(services, filter);
}

/** Sets the filter, remembers it for this folder, and shows it in the view's title. */
export async function applyFilter(services: FilterServices, filter: ExecutionFilter): Promise<void> {
  await services.context.workspaceState.update(FILTER_STATE_KEY, filter);
  showFilter(services.treeView, filter);
  services.tree.setFilter(filter);
}

function showFilter(view: vscode.TreeView<unknown>, filter: ExecutionFilter): void {
  // The title too: VS Code does not draw a view's description when it is alone in its container.
  view.title = isFiltered(filter) ? `Executions (${describeFilter(filter)})` : 'Executions';
  view.description = isFiltered(filter) ? `Filter: ${describeFilter(filter)}` : undefined;
  void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.filtered, isFiltered(filter));
}

/** At activation: the filter this folder had last time. */
export function restoreFilter(services: FilterServices): void {
  const filter = parseFilter(services.context.workspaceState.get(FILTER_STATE_KEY));
  showFilter(services.treeView, filter);
  if (isFiltered(filter)) void applyFilter(services, filter);
}
