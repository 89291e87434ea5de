/**
 * Running and failed executions of one workflow, for the CodeLens. Pure (no `vscode` import).
 *
 * `/runs` lists one row per run, so an execution reset after it failed has a FAILED row and a newer
 * one. Rows are grouped by execution id and only each execution's newest row counts. Only RUNNING and
 * FAILED rows are asked for (bounded, cheap): an execution whose failed run was reset and has since
 * completed still shows its old FAILED row alone, and counts as failed. Rare, and accepted.
 */
import type { Execution, ExecutionPage, ListExecutionsQuery } from '../api/types';

interface ExecutionCounts {
  running: number;
  failed: number;
  /** More rows than the pages read: the counts are lower bounds. */
  capped: boolean;
}

interface ExecutionLister {
  listExecutions(query: ListExecutionsQuery, signal?: AbortSignal): Promise<ExecutionPage>;
}

const PAGE_SIZE = 1000;
const MAX_PAGES = 5;

export async function countExecutions(lister: ExecutionLister, workflow: string, signal?: AbortSignal): Promise<ExecutionCounts> {
  const newest = new Map<string, Execution>();
  const seenTokens = new Set<string>();
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await lister.listExecutions({ workflow, status: ['RUNNING', 'FAILED'], pageSize: PAGE_SIZE, pageToken }, signal);
    for (const row of result.executions) {
      const known = newest.get(row.executionId);
      if (!known || (row.startTime?.getTime() ?? 0) > (known.startTime?.getTime() ?? 0)) newest.set(row.executionId, row);
    }
    pageToken = result.nextPageToken;
    if (pageToken === undefined || seenTokens.has(pageToken)) {
      pageToken = undefined;
      break;
    }
    seenTokens.add(pageToken);
  }
  const latest = [...newest.values()];
  return {
    running: latest.filter((e) => e.status === 'RUNNING').length,
    failed: latest.filter((e) => e.status === 'FAILED').length,
    capped: pageToken !== undefined,
  };
}

export function countsTitle(counts: ExecutionCounts): string {
  const n = (value: number): string => `${value}${counts.capped ? '+' : ''}`;
  return `Executions: ${n(counts.running)} running · ${n(counts.failed)} failed`;
}
