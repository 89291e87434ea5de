/**
 * A run's history read as the caller's HistoryStream asks for it: the first server page at once (the
 * caller's page size asked for; the server may send fewer), then one more page per `want()` beyond what
 * was offered, or every page left after `wantAll()`. Temporal's server pages at most a few hundred
 * events whatever is asked, so a long history is many requests: the tree shows the first page after one.
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
  const pages = client.historyPages(workflowId, runId, { maximumPageSize: stream.wanted, signal });
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
