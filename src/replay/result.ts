/**
 * What a replay check answers, and the reading of src/replay/replay_check.py's one JSON line. A verdict
 * is only ever read from a run that exited 0 with a well-formed verdict; anything else is a failure
 * of the check itself, with what to do about it.
 */
import { integer, isObject, text } from '../api/json';
import { clip } from '../common/text';

interface CleanVerdict {
  outcome: 'clean';
  /** How many events of the history the code was replayed over. */
  replayedEvents: number;
}

interface DivergesVerdict {
  outcome: 'diverges';
  /** The first event the current code disagrees with. */
  eventId: number;
  /**
   * nondeterminism: the code's commands differ from the history's (the replayer's NondeterminismError);
   * workflowTaskFailed: the code raised while it replayed that workflow task.
   */
  cause: DivergenceCause;
  /** The replayer's own message, e.g. "[TMPRL1100] Nondeterminism error: ...", or the code's error. */
  message: string;
  replayedEvents: number;
}

type DivergenceCause = 'nondeterminism' | 'workflowTaskFailed';

export type ReplayVerdict = CleanVerdict | DivergesVerdict;

export type CheckFailureKind = 'noInterpreter' | 'sdkMissing' | 'importError' | 'classNotFound' | 'timeout' | 'badHistory' | 'crashed';

export interface CheckFailure {
  outcome: 'failed';
  kind: CheckFailureKind;
  message: string;
  whatToDo: string;
  /** importError: the user's file and line. */
  file?: string;
  line?: number;
  /** crashed (and any failure the script did not explain itself): the end of its stderr. */
  stderrTail?: string;
}

export type ReplayResult = ReplayVerdict | CheckFailure;

/** The script's error names → our kinds. */
const SCRIPT_ERRORS: Record<string, CheckFailureKind> = {
  sdk_missing: 'sdkMissing',
  import_error: 'importError',
  class_not_found: 'classNotFound',
  bad_history: 'badHistory',
};

interface ScriptRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderrTail: string;
}

interface FailureContext {
  python: string;
  workflowName: string;
  timeoutMs: number;
}

/** Reads a finished run of the script: its exit status and its one stdout line. */
export function readScriptRun(run: ScriptRun, context: FailureContext): ReplayResult {
  const body = oneJsonLine(run.stdout);
  if (body !== undefined && run.code === 0) {
    const verdict = readVerdict(body);
    if (verdict !== undefined) return verdict;
  }
  if (body !== undefined && run.code !== 0) {
    const kind = SCRIPT_ERRORS[String(body.error)];
    const message = text(body.message);
    if (kind !== undefined && message !== undefined) {
      return checkFailure(kind, message, context, { file: text(body.file), line: integer(body.line) });
    }
  }
  const how = run.signal !== null ? `was killed by ${run.signal}` : `exited with code ${run.code}`;
  const said = run.stdout.trim() === '' ? 'and printed nothing' : `and printed ${JSON.stringify(clip(run.stdout.trim(), 200))}`;
  const failure = checkFailure('crashed', `The replay check ${how} ${said}.`, context);
  failure.stderrTail = run.stderrTail;
  return failure;
}

/**
 * The result with `redact` applied to every text in it that came from the user's code or the replayer
 * (the message, what to do, the end of stderr): a key that code printed never reaches a notification,
 * the report or the log.
 */
export function redactResult(result: ReplayResult, redact: (text: string) => string): ReplayResult {
  if (result.outcome === 'clean') return result;
  if (result.outcome === 'diverges') return { ...result, message: redact(result.message) };
  const out: CheckFailure = { ...result, message: redact(result.message), whatToDo: redact(result.whatToDo) };
  if (result.stderrTail !== undefined) out.stderrTail = redact(result.stderrTail);
  return out;
}

interface Where {
  file?: string;
  line?: number;
}

export function checkFailure(kind: CheckFailureKind, message: string, context: FailureContext, where: Where = {}): CheckFailure {
  const failure: CheckFailure = { outcome: 'failed', kind, message, whatToDo: whatToDo(kind, context, where) };
  if (where.file !== undefined) failure.file = where.file;
  if (where.line !== undefined) failure.line = where.line;
  return failure;
}

function readVerdict(body: Record<string, unknown>): ReplayVerdict | undefined {
  const replayedEvents = integer(body.replayedEvents) ?? 0;
  if (body.verdict === 'clean') return { outcome: 'clean', replayedEvents };
  const eventId = integer(body.eventId);
  const message = text(body.message);
  const cause = body.cause === 'nondeterminism' || body.cause === 'workflowTaskFailed' ? body.cause : undefined;
  if (body.verdict === 'diverges' && eventId !== undefined && eventId > 0 && cause !== undefined && message !== undefined) {
    return { outcome: 'diverges', eventId, cause, message, replayedEvents };
  }
  return undefined;
}

/** The object on the only non-blank line of `stdout`, else undefined. */
function oneJsonLine(stdout: string): Record<string, unknown> | undefined {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  if (lines.length !== 1) return undefined;
  try {
    const v: unknown = JSON.parse(lines[0]);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function whatToDo(kind: CheckFailureKind, { python, workflowName, timeoutMs }: FailureContext, { file, line }: Where): string {
  switch (kind) {
    case 'noInterpreter':
      return `Select a Python interpreter with the Python extension, create the folder's .venv, or put python3 on PATH (tried ${python}).`;
    case 'sdkMissing':
      return `Install the SDK into that interpreter (${python} -m pip install mistralai-workflows; it needs Python 3.12 to 3.14), or select the interpreter your worker runs with.`;
    case 'importError': {
      const where = file === undefined ? 'your workflow files' : line === undefined ? file : `${file}:${line}`;
      return `Fix the error in ${where} (a worker would fail to import it too), then check again.`;
    }
    case 'classNotFound':
      return `Open the folder whose Python files define the workflow "${workflowName}" (@workflow.define(name="${workflowName}")), then check again.`;
    case 'timeout':
      return `The check was stopped after ${Math.round(timeoutMs / 1000)} s. Check again; if it happens again, look for workflow code or a module that blocks when it is imported or replayed.`;
    case 'badHistory':
      return 'Reload the execution and check again: the history could not be read as a Temporal history of this workflow.';
    case 'crashed':
      return 'See the end of its output for why, then check again.';
  }
}
