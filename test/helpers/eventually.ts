/**
 * Polling for what happens a little later (a server's visibility, a tree refresh, the workbench):
 * the one polling loop of every suite (`until` is its form for a plain condition).
 */
import { sleep } from '../../src/common/sleep';

/** The integration suites' wait; the engine and e2e suites pass their own. */
const EVENTUALLY_TIMEOUT_MS = 15_000;

export interface EventuallyOptions {
  /**
   * A check that throws means "not yet" (a Temporal server answers NotFound until a new run is
   * visible); the timeout's message then names the last error. Without it a throw fails at once.
   */
  retryErrors?: boolean;
  /** The pause between checks (default 100 ms). */
  intervalMs?: number;
}

/**
 * Runs `check` (sync or async) until it returns something other than undefined, and returns that;
 * fails naming `what` once `timeoutMs` has passed.
 */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = EVENTUALLY_TIMEOUT_MS,
  options: EventuallyOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      if (!options.retryErrors) throw e;
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(options.intervalMs ?? 100);
  }
}

/** Waits until `holds()` is true, checking every 5 ms: for conditions inside this process (unit tests). */
export async function until(what: string, holds: () => boolean, timeoutMs = 10_000): Promise<void> {
  await eventually(what, () => (holds() ? true : undefined), timeoutMs, { intervalMs: 5 });
}
