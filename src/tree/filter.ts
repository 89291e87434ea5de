// The Executions view's filter. Pure (no `vscode` import).

export interface ExecutionFilter {
  statuses: string[];
  workflow?: string;
  search?: string;
  /** A query in the backend's own language (a Temporal visibility query), for backends that have one. */
  query?: string;
}

export const NO_FILTER: ExecutionFilter = { statuses: [] };

export function isFiltered(filter: ExecutionFilter): boolean {
  return filter.statuses.length > 0 || !!filter.workflow || !!filter.search || !!filter.query;
}

/** For the view's description: `FAILED, RUNNING · workflow: order-fulfillment · “acme”`. */
export function describeFilter(filter: ExecutionFilter): string {
  const parts: string[] = [];
  if (filter.statuses.length > 0) parts.push(filter.statuses.join(', '));
  if (filter.workflow) parts.push(`workflow: ${filter.workflow}`);
  if (filter.search) parts.push(`“${filter.search}”`);
  if (filter.query) parts.push(`query: ${filter.query}`);
  return parts.join(' · ');
}

/** A stored filter may come from an older version or a hand edit: keep what is well-formed. */
export function parseFilter(raw: unknown): ExecutionFilter {
  if (typeof raw !== 'object' || raw === null) return NO_FILTER;
  const { statuses, workflow, search, query } = raw as Record<string, unknown>;
  const filter: ExecutionFilter = {
    statuses: Array.isArray(statuses) ? statuses.filter((s): s is string => typeof s === 'string') : [],
    workflow: typeof workflow === 'string' && workflow.trim() ? workflow.trim() : undefined,
    search: typeof search === 'string' && search.trim() ? search.trim() : undefined,
  };
  if (typeof query === 'string' && query.trim()) filter.query = query.trim();
  return filter;
}
