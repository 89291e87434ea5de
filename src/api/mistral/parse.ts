/**
 * Wire Execution (snake_case JSON) → `Execution`. Tolerant: optional fields may be missing or null,
 * unknown statuses are kept as sent, unreadable dates become undefined. A row without an
 * `execution_id` cannot be addressed by any action, so list parsing skips it instead of failing the page.
 */
import { date, isObject } from '../json';
import { Execution, ExecutionPage } from '../types';

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/**
 * One execution. `fallbackId` (the id that was asked for) fills a missing `execution_id` on
 * single-execution reads. Returns undefined when the value is not an object or has no id at all.
 */
export function parseExecution(raw: unknown, fallbackId?: string): Execution | undefined {
  if (!isObject(raw)) return undefined;
  const executionId = str(raw.execution_id) || fallbackId;
  if (!executionId) return undefined;
  const status = raw.status;
  const out: Execution = {
    workflowName: str(raw.workflow_name) ?? '',
    executionId,
    // The enum is open: keep unknown values; anything not a string (null, missing) is "no status".
    status: typeof status === 'string' && status !== '' ? status : null,
  };
  // Plain assignments, no intermediate arrays: a listing parses thousands of rows.
  const workflowId = str(raw.workflow_id);
  if (workflowId !== undefined) out.workflowId = workflowId;
  const deploymentName = str(raw.deployment_name);
  if (deploymentName !== undefined) out.deploymentName = deploymentName;
  const parentExecutionId = str(raw.parent_execution_id);
  if (parentExecutionId !== undefined) out.parentExecutionId = parentExecutionId;
  const rootExecutionId = str(raw.root_execution_id);
  if (rootExecutionId !== undefined) out.rootExecutionId = rootExecutionId;
  const runId = str(raw.run_id);
  if (runId !== undefined) out.runId = runId;
  const userId = str(raw.user_id);
  if (userId !== undefined) out.userId = userId;
  const startTime = date(raw.start_time);
  if (startTime !== undefined) out.startTime = startTime;
  const endTime = date(raw.end_time);
  if (endTime !== undefined) out.endTime = endTime;
  const totalDurationMs = num(raw.total_duration_ms);
  if (totalDurationMs !== undefined) out.totalDurationMs = totalDurationMs;
  if ('result' in raw) out.result = raw.result;
  return out;
}

/** `{ executions, next_page_token }`; undefined when the body is not that shape at all. */
export function parseExecutionPage(body: unknown): ExecutionPage | undefined {
  if (!isObject(body) || !Array.isArray(body.executions)) return undefined;
  const executions: Execution[] = [];
  for (const row of body.executions) {
    const e = parseExecution(row);
    if (e) executions.push(e);
  }
  const token = body.next_page_token;
  // Missing, null and blank all mean "last page".
  return typeof token === 'string' && token.trim() !== '' ? { executions, nextPageToken: token } : { executions };
}

/** Newest run first (by start time; runs without one last), stable otherwise. */
export function newestFirst(runs: Execution[]): Execution[] {
  return runs
    .map((run, i) => ({ run, i, t: run.startTime?.getTime() ?? Number.NEGATIVE_INFINITY }))
    .sort((a, b) => (b.t === a.t ? a.i - b.i : b.t - a.t))
    .map((x) => x.run);
}
