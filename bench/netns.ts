/**
 * A real link for the bench: a network namespace joined to this one by a veth pair, with `tc netem`
 * on both ends setting rate and delay in the kernel (half the round trip each way). Needs root (or
 * CAP_NET_ADMIN) and iproute2; `openLink()` says why when it cannot, and the bench runs loopback only.
 * Everything is named after this process, and `close()` (also run on exit and on SIGINT/SIGTERM)
 * deletes the namespace, which takes its end of the veth pair, and so the pair, with it.
 */
import { execFileSync } from 'node:child_process';

export interface LinkProfile {
  name: string;
  /** Mbit/s each way. */
  rateMbit: number;
  /** Round trip, ms. */
  rttMs: number;
}

export const PROFILES: readonly LinkProfile[] = [
  { name: '50 Mbit/s, 40 ms RTT', rateMbit: 50, rttMs: 40 },
  { name: '10 Mbit/s, 100 ms RTT', rateMbit: 10, rttMs: 100 },
];

interface Link {
  namespace: string;
  /** The server's address, inside the namespace. */
  serverAddress: string;
  /**
   * Sets the profile on both ends. Returns the one-way delay (ms) the caller must add with a relay
   * (delayRelay.ts) when this kernel has no netem; 0 when the kernel delays too.
   */
  apply(profile: LinkProfile): number;
  /** How the link is made, for the report. */
  readonly how: string;
  close(): void;
}

function run(args: string[]): void {
  execFileSync(args[0], args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
}

function quiet(args: string[]): void {
  try {
    run(args);
  } catch {
    /* already gone */
  }
}

/** The namespace and veth pair, or the reason there is none. */
export function openLink(): Link | string {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root: network namespaces and netem need CAP_NET_ADMIN';
  const id = process.pid % 10_000;
  const namespace = `mwbench${id}`;
  const hostIf = `mwb${id}h`;
  const nsIf = `mwb${id}n`;
  const subnet = `10.213.${process.pid % 250}`;
  const hostAddress = `${subnet}.1`;
  const serverAddress = `${subnet}.2`;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    quiet(['ip', 'netns', 'del', namespace]);
    quiet(['ip', 'link', 'del', hostIf]); // if the pair was made but not yet moved into the namespace
    process.off('exit', close);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    close();
    process.kill(process.pid, signal);
  };
  process.on('exit', close);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    run(['ip', 'netns', 'add', namespace]);
    run(['ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
    run(['ip', 'link', 'set', nsIf, 'netns', namespace]);
    run(['ip', 'addr', 'add', `${hostAddress}/24`, 'dev', hostIf]);
    run(['ip', 'link', 'set', hostIf, 'up']);
    run(['ip', '-n', namespace, 'addr', 'add', `${serverAddress}/24`, 'dev', nsIf]);
    run(['ip', '-n', namespace, 'link', 'set', nsIf, 'up']);
    run(['ip', '-n', namespace, 'link', 'set', 'lo', 'up']);
  } catch (error) {
    close();
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    const missing = (error as { code?: unknown }).code === 'ENOENT' ? '; install iproute2: bash scripts/install-system-deps.sh iproute2' : '';
    return `could not create a network namespace (${stderr || (error as Error).message})${missing}`;
  }
  const both = (qdisc: string[]): void => {
    run(['tc', 'qdisc', 'replace', 'dev', hostIf, 'root', ...qdisc]);
    run(['ip', 'netns', 'exec', namespace, 'tc', 'qdisc', 'replace', 'dev', nsIf, 'root', ...qdisc]);
  };
  let netem = true;
  try {
    both(['netem', 'delay', '1ms']);
  } catch {
    netem = false; // e.g. CONFIG_NET_SCH_NETEM unset: rate by tbf, delay by a relay
  }
  return {
    namespace,
    serverAddress,
    how: netem
      ? 'veth pair into a network namespace, tc netem (rate and delay) on both ends'
      : 'veth pair into a network namespace, tc tbf (rate) on both ends; this kernel has no sch_netem, so the delay is a relay in the namespace (bench/delayRelay.ts)',
    apply: (profile) => {
      if (netem) {
        // netem's queue must hold a full window at this rate and delay, or it drops what TCP sends.
        both(['netem', 'delay', `${profile.rttMs / 2}ms`, 'rate', `${profile.rateMbit}mbit`, 'limit', '100000']);
        return 0;
      }
      // A bucket of ~10 ms of traffic (at least 2 full packets) and a queue of up to 1 s.
      const burst = Math.max(3_028, Math.round((profile.rateMbit * 1e6) / 8 / 100));
      both(['tbf', 'rate', `${profile.rateMbit}mbit`, 'burst', String(burst), 'latency', '1000ms']);
      return profile.rttMs / 2;
    },
    close,
  };
}
