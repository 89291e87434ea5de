/**
 * Incidents without VS Code (no `vscode` import): failed, timed-out and stuck executions read for
 * where and why, and grouped by signature. The Executions view's "Group by Problem" is built on this.
 *
 * - `problemOf(execution, history, options)` → the execution's `Problem` (undefined: it has none);
 * - `groupProblems(problems)` → `ProblemGroup`s, largest and latest first;
 * - `readFailure`, `readStuck`, `stuckText`, `maskMessage`: the pieces, for rows and notifications.
 */
export { maskMessage } from './mask';
export { readFailure } from './failure';
export type { FailedStep, FailureReading, RecognisedFailure } from './failure';
export { readStuck, stuckText } from './stuck';
export type { Stuck, WorkflowTaskStuck } from './stuck';
export { problemOf } from './signature';
export type { HistoryReading, Problem } from './signature';
export { groupProblems } from './groups';
export type { ProblemGroup } from './groups';
