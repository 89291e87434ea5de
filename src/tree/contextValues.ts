/**
 * The context values of the Executions view's rows: `execution +running +watched`, `event +activity
 * +latest +resettable`. package.json's menus show their commands by matching these
 * (`viewItem =~ /^event\b.*\+resettable\b/`), so they are made here only: the kind first, then the
 * flags that are set, one space apart, in the order each row lists them. A unit test enumerates what
 * every row can produce and checks each menu clause against it. Pure (no `vscode` import) for that test.
 */
import type { EventKind } from '../api/describe';
import type { StepKind } from '../api/stepRules';
import type { ExecutionStatus } from '../api/types';
import type { ReplayMarkKind } from '../replay/checked';
import { statusText } from './labels';
import type { PendingLine } from './stepText';

/** A row's context value; made only by `contextValue` below, so no row builds one by hand. */
export type ContextValue = string & { readonly __madeBy: 'contextValue' };

/** The first word: what the row is. */
const NODE_KINDS = {
  execution: 'execution',
  run: 'run',
  earlierRuns: 'earlierRuns',
  event: 'event',
  step: 'step',
  pending: 'pending',
  pendingItem: 'pendingItem',
  message: 'message',
  loadMore: 'loadMore',
  /** Group by Problem: one incident, the executions that share its signature. */
  problem: 'problem',
} as const;

type NodeKind = (typeof NODE_KINDS)[keyof typeof NODE_KINDS];

/** The words after the kind. Each starts with `+`, so `\+x\b` in a clause never matches the kind. */
type ContextFlag = `+${string}`;

const FLAGS = {
  /** An execution with earlier runs (Compare with Previous Run). */
  earlierRuns: '+earlierRuns',
  watched: '+watched',
  /** A replay check ran on the run (Show Replay Check Report). */
  checked: '+checked',
  /** Its history shows a Find's results (Clear Find). */
  searching: '+searching',
  /** Of the latest run (the only one that can be reset), or of an earlier one. */
  latest: '+latest',
  earlier: '+earlier',
  resettable: '+resettable',
  failed: '+failed',
  running: '+running',
  /** A message row that reports an error. */
  error: '+error',
  /** The head row of a Find's results. */
  findSummary: '+findSummary',
  /** A problem group of executions whose problem could not be read. */
  unreadable: '+unreadable',
} as const satisfies Record<string, ContextFlag>;

/** `+activity`, `+running`: the flag naming what sort of thing the row shows (an event's kind, a status). */
function sortFlag(name: string): ContextFlag {
  return `+${name}`;
}

/** `+replay-safe`: the replay check's mark on an event. */
function replayFlag(kind: ReplayMarkKind): ContextFlag {
  return `+replay-${kind}`;
}

/** `kind +flag +flag`: the flags given that are set (not false or undefined), in the order given. */
function contextValue(kind: NodeKind, flags: readonly (ContextFlag | false | undefined)[] = []): ContextValue {
  const set = flags.filter((flag): flag is ContextFlag => flag !== false && flag !== undefined);
  return [kind, ...set].join(' ') as ContextValue;
}

// What each kind of row can carry: the rows call these, and the test enumerates them.

/** `execution +running +earlierRuns +watched +checked +searching` (the status lower-cased, as sent). */
export function executionContextValue(row: { status: ExecutionStatus; earlierRuns: boolean; watched: boolean; checked: boolean; searching: boolean }): ContextValue {
  return contextValue(NODE_KINDS.execution, [
    sortFlag(statusText(row.status).toLowerCase()),
    row.earlierRuns && FLAGS.earlierRuns,
    row.watched && FLAGS.watched,
    row.checked && FLAGS.checked,
    row.searching && FLAGS.searching,
  ]);
}

/** `run +earlier +searching +checked`: an earlier run (never reset, so always `+earlier`). */
export function runContextValue(row: { searching: boolean; checked: boolean }): ContextValue {
  return contextValue(NODE_KINDS.run, [FLAGS.earlier, row.searching && FLAGS.searching, row.checked && FLAGS.checked]);
}

/** `event +activity +latest +resettable +replay-safe` */
export function eventContextValue(row: { kind: EventKind; latest: boolean; resettable: boolean; replayMark: ReplayMarkKind | undefined }): ContextValue {
  return contextValue(NODE_KINDS.event, [
    sortFlag(row.kind),
    row.latest ? FLAGS.latest : FLAGS.earlier,
    row.resettable && FLAGS.resettable,
    row.replayMark !== undefined && replayFlag(row.replayMark),
  ]);
}

/** `step +activity +failed +latest` */
export function stepContextValue(row: { kind: StepKind; failed: boolean; latest: boolean }): ContextValue {
  return contextValue(NODE_KINDS.step, [sortFlag(row.kind), row.failed && FLAGS.failed, row.latest ? FLAGS.latest : FLAGS.earlier]);
}

/** `pendingItem +timer`: one thing a running workflow waits on. */
export function pendingItemContextValue(kind: PendingLine['kind']): ContextValue {
  return contextValue(NODE_KINDS.pendingItem, [sortFlag(kind)]);
}

/** The rows whose context value never changes. */
export const FIXED_CONTEXT_VALUES = {
  message: contextValue(NODE_KINDS.message),
  errorMessage: contextValue(NODE_KINDS.message, [FLAGS.error]),
  findSummary: contextValue(NODE_KINDS.message, [FLAGS.findSummary]),
  loadMore: contextValue(NODE_KINDS.loadMore),
  earlierRuns: contextValue(NODE_KINDS.earlierRuns),
  /** “Pending: …” shows only while the execution runs. */
  pending: contextValue(NODE_KINDS.pending, [FLAGS.running]),
  problem: contextValue(NODE_KINDS.problem),
  unreadableProblem: contextValue(NODE_KINDS.problem, [FLAGS.unreadable]),
} as const;
