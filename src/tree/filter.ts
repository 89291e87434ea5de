// The Executions view's filter. Pure (no `vscode` import).

export interface ExecutionFilter {
  statuses: string[];
  workflow?: string;
  search?: string;
  /** A query in the backend's own language (a Temporal visibility query), for backends that have one. */
  query?: string;
  /**
   * The picker's "Stuck" entry: running executions whose workflow task keeps failing or whose activity
   * keeps retrying. Like the statuses beside it, it adds executions (see `listedStatuses`).
   */
  stuck?: boolean;
}

export const NO_FILTER: ExecutionFilter = { statuses: [] };

const RUNNING = 'RUNNING';

export function isFiltered(filter: ExecutionFilter): boolean {
  return filter.statuses.length > 0 || !!filter.workflow || !!filter.search || !!filter.query || filter.stuck === true;
}

/**
 * The statuses the list asks the backend for (undefined: all). Stuck is read from histories, not
 * listed, so it asks for RUNNING and the view keeps the running rows found stuck (`shownOnlyIfStuck`).
 * The picker's entries each add executions, as checked statuses do: FAILED + Stuck is the failed ones
 * and the stuck running ones (what someone triaging expects to see together), and RUNNING + Stuck is
 * every running one, the stuck ones marked, since RUNNING already names them all.
 */
export function listedStatuses(filter: ExecutionFilter): string[] | undefined {
  if (filter.stuck === true && !filter.statuses.includes(RUNNING)) return [...filter.statuses, RUNNING];
  return filter.statuses.length > 0 ? filter.statuses : undefined;
}

/** Whether a listed row of this status is there only for the Stuck entry: shown once found stuck, else not. */
export function shownOnlyIfStuck(filter: ExecutionFilter, status: string | null): boolean {
  return filter.stuck === true && (status === null || !filter.statuses.includes(status));
}

/** For the view's description: `FAILED, RUNNING, stuck · workflow: order-fulfillment · “acme”`. */
export function describeFilter(filter: ExecutionFilter): string {
  const parts: string[] = [];
  const entries = filter.stuck === true ? [...filter.statuses, 'stuck'] : filter.statuses;
  if (entries.length > 0) parts.push(entries.join(', '));
  if (filter.workflow) parts.push(`workflow: ${filter.workflow}`);
  if (filter.search) parts.push(`“${filter.search}”`);
  if (filter.query) parts.push(`query: ${filter.query}`);
  return parts.join(' · ');
}

/** A stored filter may come from an older version or a hand edit: keep what is well-formed. */
export function parseFilter(raw: unknown): ExecutionFilter {
  if (typeof raw !== 'object' || raw === null) return NO_FILTER;
  const { statuses, workflow, search, query, stuck } = raw as Record<string, unknown>;
  const filter: ExecutionFilter = {
    statuses: Array.isArray(statuses) ? statuses.filter((s): s is string => typeof s === 'string') : [],
    workflow: typeof workflow === 'string' && workflow.trim() ? workflow.trim() : undefined,
    search: typeof search === 'string' && search.trim() ? search.trim() : undefined,
  };
  if (typeof query === 'string' && query.trim()) filter.query = query.trim();
  if (stuck === true) filter.stuck = true;
  return filter;
}
