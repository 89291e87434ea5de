/**
 * Child processes in a process group of their own (spawned detached = setsid), so that stopping one
 * signals the whole group (an interpreter's helpers, a CLI's servers) and nothing else. Groups still
 * tracked when this Node process exits are killed then (not after a SIGKILL of Node itself: nothing
 * can do that). No `vscode` import: the sandbox's engine processes use it too.
 */
const live = new Set<number>();
let exitHookInstalled = false;

/** Sends `signal` to the group `pgid`; a group that is gone already is not an error. */
export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is gone already.
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
