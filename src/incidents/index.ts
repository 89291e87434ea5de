/**
 * Incidents without VS Code (no `vscode` import): failed, timed-out and stuck executions read for
 * where and why, and grouped by signature. The Executions view's "Group by Problem" is built on this.
 */
export { maskMessage } from './mask';
export { readFailure } from './failure';
export type { FailedStep, FailureReading, RecognisedFailure } from './failure';
export { readStuck, stuckText } from './stuck';
export type { Stuck, WorkflowTaskStuck } from './stuck';
