/**
 * Child processes in a process group of their own (spawned detached = setsid), so that stopping one
 * signals the whole group (an interpreter's helpers, a CLI's servers) and nothing else. Groups still
 * tracked when this Node process exits are killed then (not after a SIGKILL of Node itself: nothing
 * can do that). No `vscode` import: the sandbox's engine processes use it too.
 */
import { spawn } from 'node:child_process';

const live = new Set<number>();

/**
 * The names a child that runs the user's code gets from this process's environment (the replay check's
 * interpreter): enough to find and run Python and its packages, nothing else. Windows' own names are
 * there because Python cannot start asyncio or find its temp folder without them. temporalio and
 * mistralai-workflows import and replay with these alone (they read their configuration from the
 * environment but need none of it: no network is used).
 */
const ALLOWED_NAMES = /^(PATH|HOME|LANG|LC_[A-Z_]+|TMPDIR|VIRTUAL_ENV|PYTHON[A-Z0-9_]*|SYSTEMROOT|TEMP|TMP|USERPROFILE)$/i;
/** Never passed, even when allowed above (PYTHON_API_KEY): the shapes of credentials. */
const SECRET_NAMES = /_KEY$|TOKEN|SECRET|PASSWORD/i;

/** `env` narrowed to ALLOWED_NAMES minus SECRET_NAMES. */
export function allowedEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && ALLOWED_NAMES.test(name) && !SECRET_NAMES.test(name)) out[name] = value;
  }
  return out;
}
let exitHookInstalled = false;

/** Sends `signal` to the group `pgid`; a group that is gone already is not an error. */
export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

/** True while any process of the group is alive (signal 0 only checks). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills the group with SIGKILL if this Node process exits first; the returned function stops that. */
export function trackGroup(pgid: number): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const g of live) killGroup(g, 'SIGKILL');
    });
  }
  live.add(pgid);
  return () => live.delete(pgid);
}

interface RunOptions {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /** The whole group is killed (SIGKILL) after this long. */
  timeoutMs: number;
  /** Firing kills the whole group. */
  signal?: AbortSignal;
  /** stdout beyond this many bytes is dropped (default 1 MiB). */
  maxStdoutBytes?: number;
  /** How much of the end of stderr is kept (default 8 KiB). */
  stderrTailBytes?: number;
}

interface RunResult {
  /** Also the group id; undefined when the process could not be started. */
  pid?: number;
  /** The error from spawn (ENOENT, EACCES...) when it could not be started. */
  spawnError?: NodeJS.ErrnoException;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The end of stderr. */
  stderrTail: string;
  timedOut: boolean;
  aborted: boolean;
}

/**
 * Runs `argv` to the end in a group of its own and collects its output. Never rejects: a process
 * that cannot start resolves with `spawnError`. When it exits, whatever it left in its group is
 * killed too, so the promise settles once the output pipes close.
 */
export function runInGroup(argv: readonly string[], options: RunOptions): Promise<RunResult> {
  const [command, ...args] = argv;
  const maxStdout = options.maxStdoutBytes ?? 1024 * 1024;
  const tailBytes = options.stderrTailBytes ?? 8 * 1024;
  return new Promise((resolve) => {
    const result: RunResult = { code: null, signal: null, stdout: '', stderrTail: '', timedOut: false, aborted: false };
    if (options.signal?.aborted) {
      resolve({ ...result, aborted: true });
      return;
    }
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = Buffer.alloc(0);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (stdoutBytes < maxStdout) stdout.push(chunk.subarray(0, maxStdout - stdoutBytes));
      stdoutBytes += chunk.length;
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > tailBytes) stderr = stderr.subarray(stderr.length - tailBytes);
    });
    const untrack = pid === undefined ? () => false : trackGroup(pid);
    const kill = (): void => {
      if (pid !== undefined) killGroup(pid, 'SIGKILL');
    };
    const timer = setTimeout(() => {
      result.timedOut = true;
      kill();
    }, options.timeoutMs);
    const onAbort = (): void => {
      result.aborted = true;
      kill();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      untrack();
      resolve({ ...result, pid, stdout: Buffer.concat(stdout).toString('utf8'), stderrTail: stderr.toString('utf8') });
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (pid === undefined) {
        result.spawnError = e;
        finish();
      }
    });
    child.on('exit', (code, signal) => {
      result.code = code;
      result.signal = signal;
      kill(); // the leader is gone; helpers it left in the group must not outlive it
    });
    child.on('close', finish);
  });
}
