/**
 * Starts a bench server (bench/netServer.js, bench/problemServer.js) as a child in its own process
 * group (in a network namespace when given) and stops it by that group's id: never by name, so nothing
 * else on the machine is touched. The child prints `READY <baseUrl> <apiKey>` once it listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { killGroup } from '../src/common/processGroup';

interface ServerProcess {
  baseUrl: string;
  apiKey: string;
  stop(): Promise<void>;
}

export function startServerProcess(host: string, namespace?: string, relayDelayMs = 0): Promise<ServerProcess> {
  return startBenchServer('netServer.js', [host, String(relayDelayMs)], namespace);
}

/** `script` (a file of out/bench/) with `scriptArgs`, in the namespace when given. */
export async function startBenchServer(script: string, scriptArgs: readonly string[], namespace?: string): Promise<ServerProcess> {
  const args = [join(__dirname, script), ...scriptArgs];
  const argv = namespace ? ['ip', 'netns', 'exec', namespace, process.execPath, ...args] : [process.execPath, ...args];
  const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = (): Promise<void> => stopGroup(child);
  process.once('exit', () => signalChildGroup(child, 'SIGKILL'));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('the bench server did not start within 60 s')), 60_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const ready = /READY (\S+) (\S+)\n/.exec(out);
        if (ready) {
          clearTimeout(timer);
          resolve(ready[0]);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the bench server exited (${code ?? 'signal'}) before it was ready`));
      });
    });
    const [, baseUrl, apiKey] = line.trim().split(' ');
    return { baseUrl, apiKey, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Signals the child's group while the child runs; once it has exited its pid may be reused: never then. */
function signalChildGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  killGroup(child.pid, signal);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalChildGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalChildGroup(child, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
