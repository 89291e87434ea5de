/**
 * `GET /executions/{id}/stream`: a store's change feed as Server-Sent Events.
 *
 * Each payload's `broker_sequence` is the SSE `id`, so a client that resumes with `Last-Event-ID: n`
 * (or `?last_event_id=n`) first gets every event after n. Without one, the stream starts from now. It
 * ends once the feed says the latest run is closed. The payloads themselves are the store's
 * (stream-events.ts for the in-memory store).
 */
import type { ServerResponse } from 'node:http';
import type { StreamPayload, SandboxStore } from './store';

const HEARTBEAT_MS = 15_000;

interface StreamOptions {
  /** From the `Last-Event-ID` header or the `last_event_id` query (the header wins, as browsers send it). */
  lastEventId?: string;
  /** The fault switch's `drop: 'after'`: destroy the socket this long after the stream started. */
  dropAfterMs?: number;
  heartbeatMs?: number;
}

/** Serves the stream until the execution closes, the client goes away or the socket is dropped. */
export function serveStream(
  res: ServerResponse,
  feed: Pick<SandboxStore, 'follow'>,
  executionId: string,
  options: StreamOptions = {},
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write('retry: 1000\n\n');
  const resumeFrom = Number(options.lastEventId);
  const after = Number.isInteger(resumeFrom) && resumeFrom >= 0 ? resumeFrom : undefined;
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), options.heartbeatMs ?? HEARTBEAT_MS);
  const drop = options.dropAfterMs === undefined ? undefined : setTimeout(() => res.socket?.destroy(), options.dropAfterMs);
  // 'close' is emitted asynchronously, so `unsubscribe` is set by then even if the first batch ends the stream.
  let unsubscribe = (): void => undefined;
  res.on('close', () => {
    unsubscribe();
    clearInterval(heartbeat);
    if (drop) clearTimeout(drop);
  });
  unsubscribe = feed.follow(executionId, after, (batch) => {
    if (res.writableEnded) return;
    for (const payload of batch.events) res.write(message(payload));
    if (batch.closed) res.end();
  });
}

function message(payload: StreamPayload): string {
  return `id: ${payload.broker_sequence}\nevent: ${payload.data.event_type}\ndata: ${JSON.stringify(payload)}\n\n`;
}
