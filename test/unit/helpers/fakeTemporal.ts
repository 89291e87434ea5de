/**
 * A fake Temporal HTTP API on 127.0.0.1 serving one run's history (workflow `wf`) in pages, for the
 * tests of reading it page by page (api/temporal/paged-history, tree/temporal-paging).
 */
import type { ServerResponse } from 'node:http';
import { TemporalBackend, TemporalClient } from '../../../src/api/temporal';
import { json, startServer, type TestServer } from '../api/testServer';

export const HISTORY_PATH = '/api/v1/namespaces/default/workflows/wf/history';
/** Ten events; the fake server sends at most four a page (its largest page), fewer when asked for fewer. */
export const RAW_EVENTS = Array.from({ length: 10 }, (_, i) => ({
  eventId: String(i + 1),
  eventType: i === 0 ? 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' : i % 2 === 1 ? 'EVENT_TYPE_TIMER_STARTED' : 'EVENT_TYPE_TIMER_FIRED',
  eventTime: '2026-01-01T00:00:00Z',
}));
const SERVER_PAGE = 4;

export interface FakeTemporal {
  backend: TemporalBackend;
  server: TestServer;
  /** The page token of each history request, in order (null: the first page). */
  tokens(): (string | null)[];
  /** Resolves once the held request (see `hold`) has reached the server. */
  held(): Promise<void>;
  /** Answers the held request. */
  release(): void;
  close(): Promise<void>;
}

/** `fail`: the page token answered with INVALID_ARGUMENT; `hold`: the token whose first request waits for release(). */
export async function fakeTemporal(options: { fail?: string; hold?: string } = {}): Promise<FakeTemporal> {
  /** Where the page a token names starts: a read may ask for a different size on each page. */
  const offsets = new Map<string, number>();
  let held: (() => void) | undefined;
  let arrived: () => void = () => undefined;
  const heldArrived = new Promise<void>((resolve) => (arrived = resolve));
  const server = await startServer((req, res) => {
    const query = new URL(req.url ?? '', 'http://x').searchParams;
    const token = query.get('nextPageToken');
    if (token !== null && token === options.fail) return json(res, 400, { code: 3, message: 'page token expired', details: [] });
    const asked = Number(query.get('maximumPageSize') ?? SERVER_PAGE);
    const answer = (): void => page(res, token === null ? 1 : Number(token.slice(1)), token === null ? 0 : offsets.get(token) ?? 0, asked, offsets);
    if (token !== null && token === options.hold && held === undefined) {
      held = answer;
      arrived();
    } else {
      answer();
    }
  });
  const client = new TemporalClient({ baseUrl: server.baseUrl, namespace: 'default', timeoutMs: 5000, maxRetries: 0 });
  return {
    backend: new TemporalBackend(client),
    server,
    tokens: () => server.requests.filter((r) => r.url.startsWith(HISTORY_PATH)).map((r) => new URL(r.url, 'http://x').searchParams.get('nextPageToken')),
    held: () => heldArrived,
    release: () => held?.(),
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

/** Page `number` of the run, from `offset`; the token `p<number + 1>` names the next one. */
function page(res: ServerResponse, number: number, offset: number, asked: number, offsets: Map<string, number>): void {
  const end = offset + Math.min(SERVER_PAGE, asked);
  const next = end < RAW_EVENTS.length ? `p${number + 1}` : null;
  if (next !== null) offsets.set(next, end);
  json(res, 200, { history: { events: RAW_EVENTS.slice(offset, end) }, nextPageToken: next, archived: false });
}
