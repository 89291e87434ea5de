/**
 * Child processes for the real engine: each in a process group of its own (detached = setsid), so a
 * stop signals the whole group (the Temporal CLI and a Python worker start helpers of their own) and
 * nothing else. The last lines of output are kept for error messages. Groups still running when this
 * Node process exits are killed then (src/common/processGroup.ts, shared with the extension).
 */
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { killGroup, trackGroup } from '../../src/common/processGroup';
import { sleep } from '../../src/common/sleep';

interface GroupProcessOptions {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /** Output lines kept for tail(). Default 200. */
  tailLines?: number;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface GroupProcess {
  /** Also the process group id. */
  readonly pid: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ExitStatus>;
  running(): boolean;
  /** The last lines of stdout and stderr, interleaved as they came. */
  tail(lines?: number): string;
  /**
   * The first `first` and the last `last` lines, with a line saying how many were left out between:
   * a Go panic says why in its first lines and prints its goroutines' stacks after them.
   */
  excerpt(first?: number, last?: number): string;
  /** Whether any output line so far contained `text` (for readiness lines; watched from the first call on). */
  sawLine(text: string): boolean;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<ExitStatus>;
}

/** Output lines kept from the start (see excerpt()). */
const HEAD_LINES = 40;

export function spawnGroup(argv: readonly string[], options: GroupProcessOptions): GroupProcess {
  const [command, ...args] = argv;
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) {
    child.on('error', () => undefined); // reported below instead
    throw new Error(`Could not start ${command}`);
  }
  const untrack = trackGroup(pid);
  const keep = options.tailLines ?? 200;
  const lines: string[] = [];
  const firstLines: string[] = [];
  let lineCount = 0;
  const partial = { stdout: '', stderr: '' };
  const marks = new Map<string, boolean>();
  const onData = (stream: 'stdout' | 'stderr') => (chunk: Buffer): void => {
    const parts = (partial[stream] + chunk.toString('utf8')).split('\n');
    partial[stream] = parts.pop() ?? '';
    for (const line of parts) {
      if (line.trim() === '') continue;
      lineCount++;
      if (firstLines.length < HEAD_LINES) firstLines.push(line);
      lines.push(line);
      for (const [text, seen] of marks) if (!seen && line.includes(text)) marks.set(text, true);
    }
    if (lines.length > keep) lines.splice(0, lines.length - keep);
  };
  child.stdout.on('data', onData('stdout'));
  child.stderr.on('data', onData('stderr'));
  let status: ExitStatus | undefined;
  const exited = new Promise<ExitStatus>((resolve) => {
    const done = (s: ExitStatus): void => {
      if (status !== undefined) return;
      status = s;
      untrack();
      // The leader is gone; helpers it left in the group must not outlive it.
      killGroup(pid, 'SIGKILL');
      resolve(s);
    };
    child.on('exit', (code, signal) => done({ code, signal }));
    child.on('error', () => done({ code: null, signal: null }));
  });
  const unfinished = (): string[] => [partial.stdout, partial.stderr].filter((l) => l.trim() !== '');
  const tail = (n = 40): string => [...lines, ...unfinished()].slice(-n).join('\n');
  const excerpt = (first = 15, last = 25): string => {
    const total = lineCount + unfinished().length;
    if (total <= first + last) return tail(total);
    const left = total - Math.min(first, firstLines.length) - last;
    return [...firstLines.slice(0, first), `… ${left} lines left out …`, tail(last)].join('\n');
  };
  return {
    pid,
    exited,
    running: () => status === undefined,
    tail,
    excerpt,
    sawLine(text: string): boolean {
      if (!marks.has(text)) marks.set(text, lines.some((l) => l.includes(text)));
      return marks.get(text) === true;
    },
    async stop(graceMs = 10_000): Promise<ExitStatus> {
      if (status !== undefined) return status;
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** A TCP port free on 127.0.0.1 right now (bound to port 0, then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not pick a free port');
  return address.port;
}

/**
 * Polls `ready` every `intervalMs` until it is true; fails with `failure()`'s message when `proc` exits
 * first or `timeoutMs` passes.
 */
export async function waitUntilReady(
  proc: GroupProcess,
  ready: () => boolean | Promise<boolean>,
  timeoutMs: number,
  failure: (why: string) => Error,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!proc.running()) {
      const s = await proc.exited;
      throw failure(`it exited (${s.signal ?? `code ${s.code}`}) before it was ready`);
    }
    if (await ready()) return;
    if (Date.now() >= deadline) throw failure(`it was not ready within ${Math.round(timeoutMs / 1000)} s`);
    await sleep(intervalMs);
  }
}
