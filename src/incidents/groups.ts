/**
 * Problems grouped by signature: one group per incident, the largest and most recent first. A group
 * keeps what its row shows (the parts of its title, count, first and last seen, deployments, the
 * latest example) and the executions it expands into.
 */
import type { FailedStep } from './failure';
import type { Problem } from './signature';

export interface ProblemGroup {
  /** The signature shared by every problem in the group. */
  key: string;
  workflowName: string;
  step: FailedStep | undefined;
  errorType: string | undefined;
  maskedMessage: string | undefined;
  /** Set for a group of problems that could not be read: why. */
  unreadable: string | undefined;
  count: number;
  /** How many of them are running and stuck. */
  stuckCount: number;
  firstSeen: Date | undefined;
  lastSeen: Date | undefined;
  /** Distinct deployments, in the order they were first seen. */
  deployments: string[];
  /** The most recent problem (the last given, among equally recent or undated ones). */
  latest: Problem;
  /** Oldest first. */
  executionIds: string[];
}

/** Groups by `key`; sorted by count (descending), then last seen (most recent first, undated last), then key. */
export function groupProblems(problems: readonly Problem[]): ProblemGroup[] {
  const byKey = new Map<string, Problem[]>();
  for (const p of problems) {
    const members = byKey.get(p.key);
    if (members === undefined) byKey.set(p.key, [p]);
    else members.push(p);
  }
  const groups = [...byKey.values()].map(groupOf);
  return groups.sort((a, b) => b.count - a.count || timeOf(b.lastSeen) - timeOf(a.lastSeen) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Undated problems count as the oldest. */
function timeOf(date: Date | undefined): number {
  return date?.getTime() ?? Number.NEGATIVE_INFINITY;
}

function groupOf(members: readonly Problem[]): ProblemGroup {
  // Stable: equally dated problems keep the order they were given in.
  const ordered = [...members].sort((a, b) => compareTimes(a.at, b.at));
  const latest = ordered[ordered.length - 1];
  const dated = ordered.filter((p) => p.at !== undefined);
  const deployments: string[] = [];
  for (const p of ordered) if (p.deployment !== undefined && !deployments.includes(p.deployment)) deployments.push(p.deployment);
  return {
    key: latest.key,
    workflowName: latest.workflowName,
    step: latest.step,
    errorType: latest.errorType,
    maskedMessage: latest.maskedMessage,
    unreadable: latest.unreadable,
    count: members.length,
    stuckCount: members.filter((p) => p.stuck !== undefined).length,
    firstSeen: dated[0]?.at,
    lastSeen: dated[dated.length - 1]?.at,
    deployments,
    latest,
    executionIds: ordered.map((p) => p.executionId),
  };
}

function compareTimes(a: Date | undefined, b: Date | undefined): number {
  const ta = timeOf(a);
  const tb = timeOf(b);
  return ta === tb ? 0 : ta < tb ? -1 : 1;
}
