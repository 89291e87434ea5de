/**
 * Runs src/replay/replay_check.py in an interpreter over one history: the history goes to a temp file,
 * the interpreter runs in a process group of its own in that temp folder (so no stray `.env` is read)
 * under a time limit, and its one JSON line becomes a ReplayResult. The group is killed on timeout
 * or abort; an abort rejects with the signal's reason (a user's cancel, not a result). It runs every
 * *.py file of the folders, so it gets only allowedEnv's names: no key of this process reaches it.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { allowedEnv, runInGroup } from '../common/processGroup';
import { checkFailure, readScriptRun, type ReplayResult } from './result';

export interface CheckReplayOptions {
  /** The interpreter to run, e.g. what pickInterpreter chose. */
  python: string;
  /** src/replay/replay_check.py (inside the extension). */
  script: string;
  /** The history as Temporal's HTTP API returns it: `{"events": [...]}` or `{"history": {"events": [...]}}`. */
  historyJson: string;
  workflowName: string;
  /** The folders whose *.py files define the workflow. */
  dirs: readonly string[];
  timeoutMs: number;
  signal?: AbortSignal;
  /** The environment the interpreter's is taken from (allowedEnv of it, plus CHECK_ENV); default this process's. */
  env?: NodeJS.ProcessEnv;
}

/** Added to the environment: no telemetry export, no __pycache__ written beside the user's files. */
const CHECK_ENV = { OTEL_ENABLED: 'false', PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };

export async function checkReplay(options: CheckReplayOptions): Promise<ReplayResult> {
  const context = { python: options.python, workflowName: options.workflowName, timeoutMs: options.timeoutMs };
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mistral-replay-'));
  try {
    const historyFile = path.join(dir, 'history.json');
    await fs.writeFile(historyFile, options.historyJson, 'utf8');
    // `--name=value` and `--`: a workflow named `--history` or `-h` stays a value, never an option.
    const argv = [options.python, options.script, `--history=${historyFile}`, `--workflow=${options.workflowName}`, '--', ...options.dirs.map((d) => path.resolve(d))];
    const run = await runInGroup(argv, { cwd: dir, env: { ...allowedEnv(options.env ?? process.env), ...CHECK_ENV }, timeoutMs: options.timeoutMs, signal: options.signal });
    if (run.aborted) throw options.signal?.reason ?? new Error('The replay check was cancelled.');
    if (run.spawnError !== undefined) {
      const code = run.spawnError.code ?? 'error';
      if (code === 'ENOENT' || code === 'EACCES') {
        const why = code === 'ENOENT' ? 'not found' : 'not executable';
        return checkFailure('noInterpreter', `The Python interpreter ${options.python} was ${why} (${code}).`, context);
      }
      return checkFailure('crashed', `Could not start ${options.python}: ${run.spawnError.message}`, context);
    }
    if (run.timedOut) {
      const failure = checkFailure('timeout', `The replay check did not finish within ${Math.round(options.timeoutMs / 1000)} s and was stopped.`, context);
      return { ...failure, stderrTail: run.stderrTail };
    }
    return readScriptRun(run, context);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
