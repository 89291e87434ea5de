/**
 * A world for the shared integration suites (test/integration/shared: tree, reset flow, faults,
 * security): the extension pointed at one kind of backend through a sandbox running in this process
 * (so every suite has its request log and its fault switch), and the executions those suites need,
 * made the way that backend makes them. Two worlds:
 *   - Mistral's Workflows API: the in-memory sandbox (mistralWorld.ts, in the main suite);
 *   - a Temporal cluster: the REAL dev server with a real temporalio worker, through the sandbox's
 *     pass-through to its HTTP API (test/integration-engine/temporalWorld.ts, in the engine suite).
 * A suite asserts the same behaviour in both. Where the services really differ (wire format, error
 * bodies, how a history pages) the world says what to expect; what the server did (the resets it
 * applied) is what that server itself reports.
 */
import type { FaultRule, RecordedRequest, Sandbox } from '../../../sandbox/server';
import type { TestEnv, WorkspaceEntry } from './env';

type WorldKind = 'mistral' | 'temporal';

export interface WorldOptions {
  production?: boolean;
  pageSize?: number;
  /**
   * 'soon' (default): a new run goes on to its end as the server runs it. 'never': runs made by a reset
   * do not change during the test (the in-memory sandbox holds them; a real engine's runs go on).
   */
  newRuns?: 'soon' | 'never';
}

/** A reset as the extension sent it, read back from the request log. */
export interface SentReset {
  executionId: string;
  eventId: number;
  reason: string;
  excludeSignals: boolean;
  excludeUpdates: boolean;
  /** The request's body as sent (a Retry must send the very same). */
  body: unknown;
}

/** A reset as the server reports having applied it. */
export interface AppliedReset {
  eventId: number;
  reason: string;
  newRunId: string;
}

/** A failure the tree must turn into a row that says `says`. */
export interface FaultCase {
  name: string;
  rule: Omit<FaultRule, 'pathIncludes' | 'method'>;
  says: RegExp;
}

export interface World extends TestEnv {
  readonly kind: WorldKind;
  /** Where the suites run, for their titles. */
  readonly title: string;
  /** Substrings of the API's paths: to aim faults and to read the request log. */
  readonly paths: { readonly list: string; readonly history: string; readonly reset: string };
  /** The event types of the latest run that Reset to Here is offered on. */
  readonly resetTargets: readonly string[];
  /** 'oneBody': a history is one response (Load more asks nothing); 'serverPages': each Load more reads the next server page. */
  readonly historyPaging: 'oneBody' | 'serverPages';
  /** How a run made by a reset ends when the server runs it (the sandbox completes it; the engine runs the code). */
  readonly newRunEnds: string;
  /**
   * The list's order, as the service gives it: 'newestFirst' by start time (Mistral's API), or
   * 'openThenRecentlyClosed' (Temporal's visibility: running first, then the most recently closed).
   */
  readonly listOrder: 'newestFirst' | 'openThenRecentlyClosed';
  /** A reset the server refuses for a reason of its own (not a bad point). */
  readonly refusedReset: FaultRule;

  /** The settings entry of a workspace of this kind at `baseUrl`. */
  entry(baseUrl: string): WorkspaceEntry;
  /** Whether `r` lists executions; with `status`, only those with that status. */
  isList(r: RecordedRequest, status?: string): boolean;
  /** Whether `r` is live runs' own traffic (an event stream or a history long poll). */
  isFollow(r: RecordedRequest): boolean;
  /** The resets the extension sent in this world, in order. */
  sentResets(): SentReset[];
  /** The resets applied to `executionId`, oldest first, as the server reports them. */
  appliedResets(executionId: string): Promise<AppliedReset[]>;
  /** How many executions the server lists in all. */
  executionCount(): Promise<number>;

  /** Does what the latest run of `executionId` waits for (its approval), so that it goes on to its end. */
  finishRun(executionId: string): Promise<void>;
  /** A FAILED execution whose early reset points have signals and updates after them. */
  failed(): Promise<string>;
  /** An execution whose two earlier runs were ended by resets with these reasons (oldest first). */
  withEarlierRuns(): Promise<{ id: string; reasons: readonly string[] }>;
  /** An execution whose history is longer than two pages of the tree. */
  longHistory(): Promise<{ id: string; events: number }>;
  /** A history answer in the service's wire format, whose names and texts are `name`. */
  hostileHistory(name: string, bigText: string, nested: unknown): string;
  /** Another server of the same kind with its own key (a second workspace). */
  otherServer(apiKey: string): Promise<Sandbox>;

  close(): Promise<void>;
}

export interface WorldFactory {
  readonly kind: WorldKind;
  readonly title: string;
  /** Faults whose bodies are the service's own errors, with what the row must say (known before any world is made: mocha defines tests first). */
  readonly serviceFaults: readonly FaultCase[];
  make(options?: WorldOptions): Promise<World>;
}

/** Tears a world down; safe on one that was never made (a failed `before`). */
export async function closeWorld(world: World | undefined): Promise<void> {
  await world?.close();
}
