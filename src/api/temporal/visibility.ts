/**
 * The list's filter as a Temporal visibility query: statuses, the workflow type, and search text over
 * the workflow id and type. A raw query the user typed ("Query…") is combined with it, in parentheses,
 * so that the filter's parts still apply; the server answers a bad one with its own message.
 */
import type { ListExecutionsQuery } from '../types';

/** The extension's statuses → Temporal's ExecutionStatus values. */
const VISIBILITY_STATUS: Readonly<Record<string, string>> = {
  RUNNING: 'Running',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  CANCELED: 'Canceled',
  TERMINATED: 'Terminated',
  CONTINUED_AS_NEW: 'ContinuedAsNew',
  TIMED_OUT: 'TimedOut',
};

export function visibilityQuery(query: Pick<ListExecutionsQuery, 'status' | 'workflow' | 'search' | 'rawQuery'>): string | undefined {
  const parts: string[] = [];
  const statuses = statusClause(query.status ?? []);
  if (statuses) parts.push(statuses);
  if (query.workflow) parts.push(`WorkflowType = ${quote(query.workflow)}`);
  const search = query.search?.trim();
  if (search) parts.push(`(WorkflowId STARTS_WITH ${quote(search)} OR WorkflowType STARTS_WITH ${quote(search)})`);
  const raw = query.rawQuery?.trim();
  if (raw) parts.push(`(${raw})`);
  return parts.length > 0 ? parts.join(' AND ') : undefined;
}

/** `(ExecutionStatus = 'Running' OR …)` for the extension's statuses; undefined when none of them maps. */
export function statusClause(statuses: readonly string[]): string | undefined {
  const names = statuses.map((s) => VISIBILITY_STATUS[s]).filter((s): s is string => s !== undefined);
  return names.length > 0 ? `(${names.map((s) => `ExecutionStatus = ${quote(s)}`).join(' OR ')})` : undefined;
}

/** A visibility-query string literal: single quotes, with `\` and `'` escaped. */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
