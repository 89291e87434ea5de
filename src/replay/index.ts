/**
 * "Will the fix replay?": the workspace's workflow code replayed over an execution's history by
 * temporalio's own replayer (src/replay/replay_check.py, run in the user's interpreter), and what that
 * verdict means for each reset point. No `vscode` import.
 */
export { checkReplay } from './check';
export { redactResult } from './result';
export type { CheckReplayOptions } from './check';
export { CheckedRuns, MAX_CHECKS, MAX_CHECKED_EVENTS, checkSummary, replayMarkOf, verdictForPoint, verdictOf } from './checked';
export type { CheckedRun, ReplayMark, ReplayMarkKind } from './checked';
export { replayReport } from './report';

export type { CheckFailure, CheckFailureKind, ReplayResult } from './result';
export { lastSafePoint, safetyOfResetPoints } from './safety';

export { pickInterpreter, pythonExtensionSelection, venvPython } from './interpreter';
export type { PickedInterpreter } from './interpreter';

/** The helper script's path inside the extension (it ships in the VSIX). */
export const REPLAY_SCRIPT = 'src/replay/replay_check.py';
