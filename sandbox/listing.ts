/**
 * GET /v1/workflows/runs: filters, ordering and keyset paging. One row per run, like the platform
 * may answer, so an execution reset twice shows three rows sharing its execution_id.
 */
import { issue, laxInt, type ValidationIssue } from './errors';
import { STATUSES, type Execution, type Run } from './model';
import { runRow } from './shapes';

type SortBy = 'start_time' | 'end_time';
type Order = 'asc' | 'desc';

/** Where the previous page ended: the last row's sort value and ids (null sort value = still open). */
interface Cursor {
  v: 1;
  s: SortBy;
  o: Order;
  k: number | null;
  e: string;
  r: string;
}

export interface ListQuery {
  workflow?: string;
  search?: string;
  statuses: string[];
  deployment?: string;
  rootExecutionId?: string;
  startAfter?: number;
  startBefore?: number;
  sortBy: SortBy;
  order: Order;
  pageSize: number;
  cursor?: Cursor;
}

const q = (name: string): string[] => ['query', name];

export function parseListQuery(params: URLSearchParams): ListQuery | ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const one = (name: string): string | undefined => params.getAll(name).at(-1);

  const statuses = params.getAll('status');
  statuses.forEach((s, i) => {
    if (!(STATUSES as readonly string[]).includes(s)) issues.push(issue.enumeration([...q('status'), i], s, STATUSES));
  });

  const sortBy = one('sort_by') ?? 'start_time';
  if (sortBy !== 'start_time' && sortBy !== 'end_time') issues.push(issue.enumeration(q('sort_by'), sortBy, ['start_time', 'end_time']));
  const order = one('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') issues.push(issue.enumeration(q('order'), order, ['asc', 'desc']));

  let pageSize = 50;
  const rawSize = one('page_size');
  if (rawSize !== undefined) {
    const n = laxInt(rawSize);
    if (n === undefined) issues.push(issue.int(q('page_size'), rawSize));
    else if (n < 1) issues.push(issue.ge(q('page_size'), rawSize, 1));
    else if (n > 1000) issues.push(issue.le(q('page_size'), rawSize, 1000));
    else pageSize = n;
  }

  const time = (name: string): number | undefined => {
    const raw = one(name);
    if (raw === undefined || raw === '') return undefined;
    const ms = Date.parse(raw);
    if (Number.isNaN(ms)) issues.push({ type: 'datetime_from_date_parsing', loc: q(name), msg: 'Input should be a valid datetime or date, invalid character in year', input: raw });
    return ms;
  };
  const startAfter = time('start_time_after');
  const startBefore = time('start_time_before');

  let cursor: Cursor | undefined;
  const token = one('next_page_token');
  if (token !== undefined && token !== '') {
    cursor = decodeCursor(token);
    if (!cursor || cursor.s !== sortBy || cursor.o !== order) {
      issues.push(issue.value(q('next_page_token'), token, 'Invalid next_page_token'));
    }
  }

  if (issues.length > 0) return issues;
  return {
    workflow: one('workflow_identifier'),
    search: one('search'),
    statuses,
    deployment: one('deployment_name'),
    rootExecutionId: one('root_execution_id'),
    startAfter,
    startBefore,
    sortBy: sortBy as SortBy,
    order: order as Order,
    pageSize,
    cursor,
  };
}

interface Row {
  execution: Execution;
  run: Run;
  key: number | null;
}

export function listPage(all: Execution[], query: ListQuery): { executions: Record<string, unknown>[]; next_page_token: string | null } {
  const rows: Row[] = [];
  for (const execution of all) {
    for (const run of execution.runs) {
      if (!matches(execution, run, query)) continue;
      rows.push({ execution, run, key: query.sortBy === 'start_time' ? run.startMs : run.endMs });
    }
  }
  const cmp = (a: Pick<Row, 'key'> & { e: string; r: string }, b: Pick<Row, 'key'> & { e: string; r: string }): number => {
    // Open runs have no end time: they sort as the newest.
    const ka = a.key ?? Number.POSITIVE_INFINITY;
    const kb = b.key ?? Number.POSITIVE_INFINITY;
    if (ka !== kb) return (ka < kb ? -1 : 1) * (query.order === 'asc' ? 1 : -1);
    if (a.e !== b.e) return a.e < b.e ? -1 : 1;
    return a.r === b.r ? 0 : a.r < b.r ? -1 : 1;
  };
  const keyed = rows.map((r) => ({ ...r, e: r.execution.executionId, r: r.run.runId }));
  keyed.sort(cmp);
  const cursor = query.cursor;
  const start = cursor ? keyed.findIndex((r) => cmp(r, { key: cursor.k, e: cursor.e, r: cursor.r }) > 0) : 0;
  const page = start < 0 ? [] : keyed.slice(start, start + query.pageSize);
  const more = start >= 0 && start + query.pageSize < keyed.length;
  const last = page[page.length - 1];
  return {
    executions: page.map((r) => runRow(r.execution, r.run)),
    next_page_token: more && last ? encodeCursor({ v: 1, s: query.sortBy, o: query.order, k: last.key, e: last.e, r: last.r }) : null,
  };
}

function matches(execution: Execution, run: Run, query: ListQuery): boolean {
  if (query.workflow !== undefined && query.workflow !== execution.workflowName && query.workflow !== execution.workflowId) return false;
  if (query.search !== undefined && query.search !== '') {
    const s = query.search;
    const hit =
      execution.workflowName.toLowerCase().includes(s.toLowerCase()) || s === execution.executionId || s === run.runId;
    if (!hit) return false;
  }
  if (query.statuses.length > 0 && !query.statuses.includes(run.status)) return false;
  if (query.deployment !== undefined && query.deployment !== execution.deploymentName) return false;
  if (query.rootExecutionId !== undefined && query.rootExecutionId !== execution.executionId) return false;
  if (query.startAfter !== undefined && run.startMs < query.startAfter) return false;
  if (query.startBefore !== undefined && run.startMs > query.startBefore) return false;
  return true;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(token: string): Cursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor> | null;
    if (
      c &&
      c.v === 1 &&
      (c.s === 'start_time' || c.s === 'end_time') &&
      (c.o === 'asc' || c.o === 'desc') &&
      (c.k === null || typeof c.k === 'number') &&
      typeof c.e === 'string' &&
      typeof c.r === 'string'
    ) {
      return c as Cursor;
    }
  } catch {
    // fall through: not base64url JSON
  }
  return undefined;
}
