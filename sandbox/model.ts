/**
 * The sandbox's in-memory model. Events follow the conventions in sandbox/README.md: upper snake
 * types, snake_case attributes nested the way Temporal nests them. Wire shapes are made in shapes.ts.
 */

import { KNOWN_STATUSES, type KnownStatus } from '../src/api/types';

export type Attributes = Record<string, unknown>;

export interface SandboxEvent {
  eventId: number;
  type: string;
  timeMs: number;
  attributes: Attributes;
}

/** The API's statuses, as the extension knows them: the sandbox uses every one. */
export const STATUSES = KNOWN_STATUSES;
export type RunStatus = KnownStatus;

/** What a run started by a reset still has to do when it "completes" (see reset.ts). */
export interface ReplayPlan {
  /** The WORKFLOW_TASK_SCHEDULED written right after the reset marker, not started yet. */
  scheduledEventId: number;
  /** Updates re-applied by the reset: their new accepted event id and the outcome to complete with. */
  updates: { updateId: string; acceptedEventId: number; outcome: unknown }[];
}

/** One activity of a workflow's code path, in order; a reset run runs the ones it has not completed. */
export interface PlannedActivity {
  name: string;
  input: unknown;
  result: unknown;
}

export interface Run {
  runId: string;
  status: RunStatus;
  startMs: number;
  endMs: number | null;
  /** The workflow's result: set on COMPLETED runs only. */
  result: unknown;
  /** Built eagerly, except for the 51,200-event execution, which is built on first read (see events()). */
  eventsCache: SandboxEvent[] | null;
  buildEvents: (() => SandboxEvent[]) | null;
  replay?: ReplayPlan;
}

export interface Execution {
  executionId: string;
  workflowName: string;
  workflowId: string;
  deploymentName: string;
  userId: string;
  taskQueue: string;
  /** The worker that runs it: identity and the build id of the latest deployed code. */
  worker: { identity: string; buildId: string };
  /** What the workflow returns once it succeeds (used when a reset run completes). */
  successResult: unknown;
  plan: PlannedActivity[];
  /** Oldest first; the last one is the latest run, which every action targets. */
  runs: Run[];
}

export function events(run: Run): SandboxEvent[] {
  if (run.eventsCache === null) {
    run.eventsCache = run.buildEvents ? run.buildEvents() : [];
    run.buildEvents = null;
  }
  return run.eventsCache;
}

export function latestRun(execution: Execution): Run {
  return execution.runs[execution.runs.length - 1];
}

export function isOpen(run: Run): boolean {
  return run.status === 'RUNNING' || run.status === 'RETRYING_AFTER_ERROR';
}

/** Reads `a.b.c` from nested attributes. */
export function attr(attributes: Attributes, dotted: string): unknown {
  let value: unknown = attributes;
  for (const key of dotted.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
