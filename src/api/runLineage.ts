/**
 * Runs side by side: the reset markers that link a run to the one it replaced, and a text form of a
 * history for diffing, with ids, times and worker identities left out so that only real differences
 * (what ran, with which inputs and results) show. Pure.
 */
import { attrText } from './attributes';
import { describeEvents, isResetMarker } from './describe';
import { WorkflowEvent } from './types';

export interface ResetLink {
  /** The run the reset terminated. */
  baseRunId: string;
  reason?: string;
  time?: Date;
  /** The reset point: the last event copied from the base run. */
  pointEventId?: number;
}

/** Every reset recorded in a run's history, oldest first. */
export function resetLinks(events: readonly WorkflowEvent[]): ResetLink[] {
  const links: ResetLink[] = [];
  events.forEach((event, index) => {
    if (!isResetMarker(event)) return;
    const baseRunId = attrText(event, 'base_run_id');
    if (baseRunId === undefined) return;
    const link: ResetLink = { baseRunId };
    const reason = attrText(event, 'failure.message') ?? attrText(event, 'reason');
    if (reason !== undefined) link.reason = reason;
    if (event.time) link.time = event.time;
    const before = events[index - 1];
    if (before?.eventId !== undefined) link.pointEventId = before.eventId;
    links.push(link);
  });
  return links;
}

/**
 * Keys whose values differ between runs without meaning anything: ids, times, identities (who ran it)
 * and attempts, as whole words of a snake_case or camelCase key. Case-sensitive on purpose: `paid`,
 * `is_paid`, `valid` or `runtime` are real fields, not ids or times.
 */
const VOLATILE_KEY = /(^|_)(id|ids|time|timestamp|identity|attempt)$|_unix_(nano|ms)$|[a-z0-9](Id|Ids|Time|Timestamp|Identity|Attempt)$/;

/** One line per event: type, short detail, then the stable attributes as sorted JSON. */
export function historyAsText(events: readonly WorkflowEvent[]): string {
  const described = describeEvents(events);
  return events
    .map((event, i) => {
      const detail = described[i].detail;
      const stable = stableAttributes(event.attributes);
      const json = Object.keys(stable).length > 0 ? `  ${JSON.stringify(stable)}` : '';
      return `${event.type}${detail ? `  ${detail}` : ''}${json}`;
    })
    .join('\n')
    .concat('\n');
}

function stableAttributes(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (VOLATILE_KEY.test(key)) continue;
    const inner = value[key];
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      const nested = stableAttributes(inner as Record<string, unknown>);
      if (Object.keys(nested).length > 0) out[key] = nested;
    } else if (inner !== undefined && inner !== null) {
      out[key] = inner;
    }
  }
  return out;
}
