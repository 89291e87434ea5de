/**
 * Find in History: which events (and so which steps) match a query, against the event type, the name
 * describeEvents gives (the step's name) and the attribute values. Works in slices, yielding to the
 * event loop between them so a search over 51,200 events never holds the extension host, and stops
 * when its AbortSignal fires (quietly: the answer says it was aborted and how far it got).
 */
import { EventDescription } from './describe';
import { HistoryQuery } from './historyQuery';
import { isStep, StepListEntry } from './step';
import { StepGrouping } from './steps';
import { WorkflowEvent } from './types';
import { valueMatches, valuePattern, ValuePattern } from './valueSearch';

export { parseQuery } from './historyQuery';
export type { HistoryQuery } from './historyQuery';

export const DEFAULT_SLICE_SIZE = 2000;

export interface FindOptions {
  signal?: AbortSignal;
  /** Events searched between two yields to the event loop. */
  sliceSize?: number;
  /** Called after each slice with the number of events searched so far. */
  onProgress?: (searched: number, total: number) => void;
}

export interface EventMatches {
  /** Indexes of the matching events, in event order. */
  indexes: number[];
  /** How many events were searched: all of them unless aborted. */
  searched: number;
  total: number;
  aborted: boolean;
}

/** What describeEvents gave (or just its details, as the tree keeps them), index for index. */
type Described = readonly (EventDescription | string | undefined)[];

export async function findEvents(
  events: readonly WorkflowEvent[],
  described: Described,
  query: HistoryQuery,
  options: FindOptions = {},
): Promise<EventMatches> {
  const { signal, onProgress } = options;
  const size = Math.max(1, Math.floor(options.sliceSize ?? DEFAULT_SLICE_SIZE));
  const matches = eventMatcher(valuePattern(query));
  const total = events.length;
  const indexes: number[] = [];
  let i = 0;
  while (i < total) {
    if (signal?.aborted) return { indexes, searched: i, total, aborted: true };
    const end = Math.min(total, i + size);
    for (; i < end; i++) if (matches(events[i], described[i])) indexes.push(i);
    onProgress?.(i, total);
    if (i < total) await nextTurn();
  }
  return { indexes, searched: total, total, aborted: false };
}

function eventMatcher(p: ValuePattern): (event: WorkflowEvent, described: EventDescription | string | undefined) => boolean {
  const { pattern } = p;
  // A history has few distinct types: test each once, as written and as words (`activity task failed`).
  const types = new Map<string, boolean>();
  return (event, described) => {
    let typeMatches = types.get(event.type);
    if (typeMatches === undefined) {
      typeMatches = pattern.test(event.type) || pattern.test(event.type.toLowerCase().split('_').join(' '));
      types.set(event.type, typeMatches);
    }
    if (typeMatches) return true;
    const detail = typeof described === 'string' ? described : described?.detail;
    if (detail !== undefined && detail.length >= p.minLength && pattern.test(detail)) return true;
    return valueMatches(event.attributes, p);
  };
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface StepMatches {
  /** Steps and reset points with at least one matching event, in list order. */
  entries: StepListEntry[];
  /** How many of those entries are steps. */
  stepCount: number;
  /** Matching events inside folded workflow tasks (a workflow task failure, say): in no entry. */
  inWorkflowTasks: number;
}

/** A step matches when any of its events does; a reset point when its event does. */
export function stepsMatching(grouping: StepGrouping, matches: Pick<EventMatches, 'indexes'>): StepMatches {
  const hit = new Uint8Array(grouping.entries.length);
  let inWorkflowTasks = 0;
  for (const index of matches.indexes) {
    const owner = grouping.ownerOf(index);
    if (owner?.kind === 'workflowTask') inWorkflowTasks++;
    else if (owner !== undefined) hit[owner.entryIndex] = 1;
  }
  const entries: StepListEntry[] = [];
  let stepCount = 0;
  for (let k = 0; k < hit.length; k++) {
    if (hit[k] === 0) continue;
    const entry = grouping.entries[k];
    entries.push(entry);
    if (isStep(entry)) stepCount++;
  }
  return { entries, stepCount, inWorkflowTasks };
}

/** `37 of 51,200 events match`, `1 of 120 steps matches`. */
export function matchSummary(matched: number, total: number, noun: 'event' | 'step'): string {
  return `${grouped(matched)} of ${grouped(total)} ${noun}${total === 1 ? '' : 's'} ${matched === 1 ? 'matches' : 'match'}`;
}

function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
