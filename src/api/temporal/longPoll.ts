/**
 * Live events of a Temporal run: long polls of its history (waitNewEvent), one message per page of new
 * events, until the run closes. A long poll that ends without news comes back empty with the token it
 * was sent (Temporal's server waits ~20 s first). What must not happen is a loop that spins:
 * - an empty answer that comes back at once (a proxy or a server that does not hold long polls) is
 *   followed by a pause that doubles, and after MAX_IMMEDIATE_EMPTY of them in a row the follow stops;
 * - a token that comes back when it should not (with new events although the position did not move, or
 *   one the loop sent before the last) would go round in circles, or read the same events again: it
 *   stops at once.
 * Stopping throws a WorkflowsApiError (kind 'parse'); live runs then log it and poll instead.
 */
import { sleep } from '../../common/sleep';
import { WorkflowsApiError } from '../errors';
import type { StreamExecutionOptions, StreamMessage } from '../liveEvents';
import type { TemporalClient } from './client';

/** An answer sooner than this did not wait: Temporal holds a long poll for ~20 s when nothing happens. */
const IMMEDIATE_ANSWER_MS = 1_000;
/** Immediate empty answers in a row before the follow stops. */
export const MAX_IMMEDIATE_EMPTY = 5;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
/** Tokens sent, remembered to spot one coming back: the last few are enough to see a loop. */
const RECENT_TOKENS = 16;

/** The clock and the pause, injectable so that tests count requests instead of timing them. */
export interface LongPollTiming {
  now(): number;
  /** Resolves true after `ms`, false as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean>;
}

export const REAL_TIMING: LongPollTiming = { now: () => Date.now(), sleep };

type HistoryReader = Pick<TemporalClient, 'history' | 'historyPath'>;

export async function* followHistory(
  client: HistoryReader,
  executionId: string,
  options: StreamExecutionOptions = {},
  timing: LongPollTiming = REAL_TIMING,
): AsyncGenerator<StreamMessage> {
  let nextPageToken: string | undefined;
  const sent: string[] = [];
  let seen = 0;
  let immediate = 0;
  for (;;) {
    if (options.signal?.aborted) return;
    const started = timing.now();
    const page = await client.history(executionId, { nextPageToken, waitNewEvent: true }, options.signal);
    const token = page.nextPageToken;
    const empty = page.events.length === 0;
    // Empty with the token it was sent: a long poll that ended without news. Anything else seen before is a loop.
    const expired = empty && token !== undefined && token === nextPageToken;
    if (token !== undefined && !expired && sent.includes(token)) {
      throw stopped(client, executionId, `Temporal sent back a history page token it had already given (${empty ? 'with no events' : `with ${page.events.length} events`}), so following the run would go round in circles`);
    }
    if (!empty) {
      immediate = 0;
      seen += page.events.length;
      yield { id: String(seen), event: 'history', data: '', payload: { kind: 'other' } };
    }
    // While the run is open the server always gives a token to wait on; none: it closed.
    if (token === undefined) return;
    if (empty && timing.now() - started < IMMEDIATE_ANSWER_MS) {
      if (++immediate >= MAX_IMMEDIATE_EMPTY) {
        throw stopped(client, executionId, `Temporal answered ${immediate} long polls in a row at once with no new events, instead of waiting for them`);
      }
      const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (immediate - 1));
      if (!(await timing.sleep(delay, options.signal))) return;
    } else if (empty) {
      immediate = 0; // a long poll that waited and expired: the server holds them
    }
    if (token !== nextPageToken) {
      sent.push(token);
      if (sent.length > RECENT_TOKENS) sent.shift();
    }
    nextPageToken = token;
  }
}

/** The follower that reads this logs it and polls instead (src/live/follower.ts). */
function stopped(client: HistoryReader, executionId: string, why: string): WorkflowsApiError {
  return new WorkflowsApiError({ kind: 'parse', method: 'GET', path: client.historyPath(executionId), message: `${why}.` });
}
