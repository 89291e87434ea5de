import type { ExecutionStatus } from '../api';

/** Still going: worth following. An unknown or missing status counts as going, so a watch is not dropped early. */
export function isOpen(status: ExecutionStatus): boolean {
  return status === null || !ENDED.has(status);
}

const ENDED: ReadonlyMap<string, string> = new Map([
  ['COMPLETED', 'completed'],
  ['FAILED', 'failed'],
  ['CANCELED', 'was canceled'],
  ['TERMINATED', 'was terminated'],
  ['TIMED_OUT', 'timed out'],
  ['CONTINUED_AS_NEW', 'continued as new'],
]);

/** “completed”, “failed”, “was terminated”... */
export function endedVerb(status: ExecutionStatus): string {
  return (status !== null && ENDED.get(status)) || `ended (${status ?? 'unknown status'})`;
}
