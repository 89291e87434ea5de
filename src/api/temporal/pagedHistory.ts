/**
 * A run's history read as the caller's HistoryStream asks for it: the first server page at once (the
 * caller's page size asked for; the engine rounds it up to whole batches of events, and a server may
 * cap it), then one more page per `want()` beyond what was offered, or every page left after
 * `wantAll()`. So the tree shows the first page of a long history after one request.
 */
import { WorkflowsApiError } from '../errors';
import { inEventOrder, normalizeEvents } from '../history';
import type { HistoryStream } from '../historyStream';
import type { WorkflowEvent } from '../types';
import type { TemporalClient } from './client';

/** Resolves with the complete history, oldest first, once every page has been wanted and read. */
export async function readPagedHistory(
  client: TemporalClient,
  workflowId: string,
  runId: string | undefined,
  stream: HistoryStream,
  signal?: AbortSignal,
): Promise<WorkflowEvent[]> {
  // Normalised page by page into one list: normalizeEvents keeps no state across events, so this is
  // what normalizeHistory makes of the concatenated pages; only the order is decided on the whole list.
  const events: WorkflowEvent[] = [];
  // The caller's page while it pages; once it wants everything, the server's largest pages: as few
  // requests as a read without a stream.
  const pageSize = stream.wanted;
  const maximumPageSize = (): number | undefined => (stream.wantsAll ? undefined : pageSize);
  const pages = client.historyPages(workflowId, runId, { maximumPageSize, signal });
  for await (const page of pages) {
    const before = events.length;
    normalizeEvents(page.events, events);
    const offered = stream.offer(events);
    if (page.nextPageToken === undefined) break;
    // Nothing new to show (an empty page) or nothing shown (newest first): waiting would show nothing.
    if (!offered || events.length === before) continue;
    if (!(await stream.demand(signal))) {
      throw new WorkflowsApiError({
        kind: 'aborted',
        method: 'GET',
        path: client.historyPath(workflowId),
        message: signal?.aborted ? 'The request was cancelled.' : 'The history was not read further: a newer read of it replaced this one.',
      });
    }
  }
  return inEventOrder(events);
}
