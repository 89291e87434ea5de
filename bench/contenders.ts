/**
 * The three ways of reading the API that the bench compares: our client, the raw floor (one undici
 * request + JSON.parse, nothing else: what no client can beat) and the official SDK. Every call
 * checks what it got, so that a failing request can never pass for a fast one.
 */
import { Pool, request } from 'undici';
import { WorkflowsClient } from '../src/api/mistral';

type SdkModule = typeof import('@mistralai/mistralai', { with: { 'resolution-mode': 'import' } });
type SdkClient = InstanceType<SdkModule['Mistral']>;

export interface Clients {
  ours: WorkflowsClient;
  raw: RawClient;
  sdk: SdkClient;
  close(): Promise<void>;
}

/** The floor: the same keep-alive pool settings as our transport, no retries, no model, no checks. */
class RawClient {
  private readonly pool: Pool;
  /** Size of the last body read, for the report. */
  lastBodyBytes = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {
    this.pool = new Pool(new URL(baseUrl).origin, { connections: 8, keepAliveTimeout: 30_000 });
  }

  async getJson(pathAndQuery: string): Promise<unknown> {
    const res = await request(`${this.baseUrl}${pathAndQuery}`, {
      dispatcher: this.pool,
      headers: { authorization: `Bearer ${this.apiKey}`, accept: 'application/json' },
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`raw GET ${pathAndQuery}: HTTP ${res.statusCode}`);
    this.lastBodyBytes = Buffer.byteLength(text);
    return JSON.parse(text) as unknown;
  }

  /** Its pool, for requests the bench makes by hand (a reset). */
  get dispatcher(): Pool {
    return this.pool;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export async function createClients(baseUrl: string, apiKey: string): Promise<Clients> {
  // The SDK is ESM-only; under module Node16 TypeScript keeps this import() as is.
  const { Mistral } = await import('@mistralai/mistralai');
  // No retries anywhere: a retried failure would only look like a slow success.
  const ours = new WorkflowsClient({ baseUrl, apiKey, maxRetries: 0, timeoutMs: 60_000 });
  const raw = new RawClient(baseUrl, apiKey);
  const sdk = new Mistral({ apiKey, serverURL: baseUrl });
  return {
    ours,
    raw,
    sdk,
    close: async () => {
      await ours.close();
      await raw.close();
    },
  };
}

export function eventsOf(body: unknown): unknown[] {
  const events = (body as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) throw new Error('the body has no events list');
  return events;
}

export function expectCount(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`${what}: got ${actual}, expected ${expected}`);
}

/**
 * Why the SDK's trace call fails, in one line. The zod issues name the field and the safe-integer
 * limit when it is the known defect (see the API notes: timestamps in ns exceed 2^53).
 */
export function sdkFailure(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  const issues = JSON.stringify((error as { cause?: { issues?: unknown } } | null)?.cause?.issues ?? null) ?? '';
  if (issues.includes('timestamp_unix_nano') && issues.includes(String(Number.MAX_SAFE_INTEGER))) {
    return `${name}: timestamp_unix_nano above 2^53`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `${name}: ${message.split('\n')[0].slice(0, 120)}`;
}
