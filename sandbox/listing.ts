/**
 * GET /v1/workflows/runs, the API's part: query validation, the order and keyset paging every store
 * follows, and the page token. One row per run, like the platform may answer, so an execution reset
 * twice shows three rows sharing its execution_id. Which runs match is each store's own business.
 */
import type { RunKey, RunRow, RunsPage, RunsQuery } from './store';
import { issue, laxInt, type ValidationIssue } from './errors';
import { STATUSES, type RunStatus } from './model';

type SortBy = RunsQuery['sortBy'];
type Order = RunsQuery['order'];

/** Where the previous page ended: the last row's sort value and ids (null sort value = still open). */
interface Cursor {
  v: 1;
  s: SortBy;
  o: Order;
  k: number | null;
  e: string;
  r: string;
}

const q = (name: string): string[] => ['query', name];

export function parseListQuery(params: URLSearchParams): RunsQuery | ValidationIssue[] {
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
    workflowIdentifier: one('workflow_identifier'),
    search: one('search'),
    statuses: statuses as RunStatus[],
    deploymentName: one('deployment_name'),
    rootExecutionId: one('root_execution_id'),
    startTimeAfterMs: startAfter,
    startTimeBeforeMs: startBefore,
    sortBy: sortBy as SortBy,
    order: order as Order,
    pageSize,
    after: cursor && { sortValueMs: cursor.k, executionId: cursor.e, runId: cursor.r },
  };
}

/**
 * The API's order and keyset paging over any store's runs: sorted by the query's sort value (open
 * runs have no end time and count as the newest), ties broken by execution id then run id; the page
 * starts strictly after `query.after`. Sort values are the rows' times in whole milliseconds, as the
 * wire rows write them (the routes rebuild the page token from the last row).
 */
export function pageOf<T>(items: T[], key: (item: T) => RunKey, query: Pick<RunsQuery, 'order' | 'pageSize' | 'after'>): { page: T[]; more: boolean } {
  const cmp = (a: RunKey, b: RunKey): number => {
    const ka = a.sortValueMs ?? Number.POSITIVE_INFINITY;
    const kb = b.sortValueMs ?? Number.POSITIVE_INFINITY;
    if (ka !== kb) return (ka < kb ? -1 : 1) * (query.order === 'asc' ? 1 : -1);
    if (a.executionId !== b.executionId) return a.executionId < b.executionId ? -1 : 1;
    return a.runId === b.runId ? 0 : a.runId < b.runId ? -1 : 1;
  };
  const keyed = items.map((item) => ({ item, key: key(item) }));
  keyed.sort((a, b) => cmp(a.key, b.key));
  const after = query.after;
  const start = after ? keyed.findIndex((r) => cmp(r.key, after) > 0) : 0;
  const page = start < 0 ? [] : keyed.slice(start, start + query.pageSize);
  return { page: page.map((r) => r.item), more: start >= 0 && start + query.pageSize < keyed.length };
}

/** The wire page: rows plus the token for the rows after the last one (null on the last page). */
export function listBody(query: RunsQuery, page: RunsPage): { executions: RunRow[]; next_page_token: string | null } {
  const last = page.executions[page.executions.length - 1];
  if (!page.more || !last) return { executions: page.executions, next_page_token: null };
  const time = query.sortBy === 'start_time' ? last.start_time : last.end_time;
  const cursor: Cursor = { v: 1, s: query.sortBy, o: query.order, k: time === null ? null : Date.parse(time), e: last.execution_id, r: last.run_id };
  return { executions: page.executions, next_page_token: encodeCursor(cursor) };
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
