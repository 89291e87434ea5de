import { isWorkflowsApiError, type WorkflowBackend } from '../api';
import type { Log } from '../common/log';
import { sleep } from '../common/sleep';

export interface FollowerDeps {
  client(): Promise<WorkflowBackend>;
  /** Something happened (a stream message, the stream ending, a poll tick): refresh the execution. */
  onActivity(): void;
  pollIntervalMs(): number;
  /** The stream endpoint does not exist on this server (404 without a workflow code, 405, 501). */
  onStreamUnsupported(): void;
  log: Pick<Log, 'info' | 'warn'>;
}

/** Reconnects the client gives up after, before this execution is polled instead. */
const MAX_RECONNECTS = 3;
/** A stream that keeps ending at once this many times in a row is not worth reopening. */
const MAX_QUICK_ENDS = 3;
const QUICK_END_MS = 5_000;
const REOPEN_DELAY_MS = 1_000;

/**
 * Follows one execution: its event stream while that works, then polling. It never stops by itself;
 * the owner stops it (execution ended, no longer shown, setting changed, disposed).
 */
export class Follower {
  private readonly controller = new AbortController();
  private mode: 'stream' | 'poll';

  constructor(
    readonly executionId: string,
    private readonly deps: FollowerDeps,
    readonly pollOnly: boolean,
  ) {
    this.mode = pollOnly ? 'poll' : 'stream';
    void this.run();
  }

  get polling(): boolean {
    return this.mode === 'poll';
  }

  stop(): void {
    this.controller.abort();
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal;
    let lastEventId: string | undefined;
    let quickEnds = 0;
    while (!signal.aborted && this.mode === 'stream') {
      const started = Date.now();
      try {
        const client = await this.deps.client();
        const messages = client.streamExecution(this.executionId, {
          lastEventId,
          signal,
          maxReconnects: MAX_RECONNECTS,
          onReconnect: (e, attempt, delay) =>
            this.deps.log.info('live', `${this.executionId}: stream interrupted (${e.message}); reconnect ${attempt} in ${Math.round(delay)} ms.`),
        });
        for await (const message of messages) {
          lastEventId = message.id ?? lastEventId;
          this.deps.onActivity();
        }
        if (signal.aborted) return;
        // The server ended the stream: the execution closed, or a proxy cut it. The refresh tells which.
        this.deps.onActivity();
        quickEnds = Date.now() - started < QUICK_END_MS ? quickEnds + 1 : 0;
        if (quickEnds >= MAX_QUICK_ENDS) this.fallBack('the stream keeps ending at once');
        else await sleep(REOPEN_DELAY_MS, signal);
      } catch (error) {
        if (signal.aborted) return;
        if (isWorkflowsApiError(error) && isUnsupported(error.status, error.code)) this.deps.onStreamUnsupported();
        this.fallBack(error instanceof Error ? error.message : String(error));
      }
    }
    while (await sleep(this.deps.pollIntervalMs(), signal)) this.deps.onActivity();
  }

  private fallBack(why: string): void {
    this.deps.log.warn('live', `${this.executionId}: polling instead of streaming (${why}).`);
    this.mode = 'poll';
  }
}

/** A 404 with a WF code is about the execution; without one (or 405/501) the endpoint is missing. */
function isUnsupported(status: number | undefined, code: string | undefined): boolean {
  return status === 405 || status === 501 || (status === 404 && code === undefined);
}
