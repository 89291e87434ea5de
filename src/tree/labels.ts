// Text for tree items. Pure (no `vscode` import) so the wording is unit-tested under plain mocha.
import type { Execution, WorkflowEvent } from '../api/types';
import { oneLine } from '../common/text';
import type { FailedStep, ProblemGroup } from '../incidents';

const UNITS: [limit: number, divisor: number, unit: Intl.RelativeTimeFormatUnit][] = [
  [60, 1, 'second'],
  [3600, 60, 'minute'],
  [86400, 3600, 'hour'],
  [86400 * 30, 86400, 'day'],
  [86400 * 365, 86400 * 30, 'month'],
  [Infinity, 86400 * 365, 'year'],
];
const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "5 minutes ago", "yesterday". */
export function relativeTime(time: Date, now: number = Date.now()): string {
  const seconds = Math.round((time.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  for (const [limit, divisor, unit] of UNITS) {
    if (abs < limit) return relativeFormat.format(Math.round(seconds / divisor), unit);
  }
  return time.toISOString();
}

/** "1h 02m", "3.4 s", "120 ms". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  return `${m}m ${String(s).padStart(2, '0')}s`;
}

export function formatTime(time: Date | undefined): string {
  return time ? time.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—';
}

export function statusText(status: Execution['status']): string {
  return status ?? 'UNKNOWN';
}

export function executionDescription(execution: Execution, now?: number): string {
  const started = execution.startTime ? relativeTime(execution.startTime, now) : 'start time unknown';
  return `${statusText(execution.status)} · ${started}`;
}

export function durationOf(execution: Execution, now: number = Date.now()): number | undefined {
  if (execution.totalDurationMs !== undefined) return execution.totalDurationMs;
  if (!execution.startTime) return undefined;
  const end = execution.endTime?.getTime() ?? now;
  return end - execution.startTime.getTime();
}

/** `12 WORKFLOW_TASK_COMPLETED` */
export function eventLabel(event: WorkflowEvent): string {
  return `${event.idText} ${event.type}`;
}

export function shortId(id: string | undefined): string {
  if (!id) return '—';
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}

/**
 * The attributes worth a glance in a tooltip: scalar values, nested ones flattened to dotted keys,
 * long values cut. Big payloads stay in the JSON document.
 */
export function keyAttributes(attributes: Record<string, unknown>, max = 10): [string, string][] {
  const rows: [string, string][] = [];
  const visit = (prefix: string, value: unknown, depth: number): void => {
    if (rows.length >= max) return;
    if (value === null || value === undefined) return;
    if (typeof value === 'object') {
      if (Array.isArray(value) || depth >= 2) {
        rows.push([prefix, oneLine(JSON.stringify(value) ?? '', 80)]);
        return;
      }
      for (const [key, inner] of Object.entries(value)) visit(prefix ? `${prefix}.${key}` : key, inner, depth + 1);
      return;
    }
    rows.push([prefix, oneLine(String(value), 80)]);
  };
  visit('', attributes, 0);
  return rows;
}

const MARKDOWN_ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/**
 * Server text as inert Markdown: every syntax character backslash-escaped (no links, emphasis or
 * command URIs can form) and `<`, `>`, `&` as entities (no HTML), on one line.
 */
export function escapeMarkdownText(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/[<>&]/g, (c) => MARKDOWN_ENTITIES[c])
    .replace(/[\\`*_{}[\]()#+\-.!|~:]/g, (c) => `\\${c}`);
}

/**
 * The “Load more” row's label: how many of how many when the history is complete; while the body streams
 * in, that more is arriving; when the server holds the rest until asked (a paged source paused), that.
 * A paused source may have sent more than is shown (Temporal rounds a page up to whole batches of
 * events): then a page of those comes next; else the server's next page, whose size only it knows.
 */
export function moreLabel(shown: number, arrived: number, state: 'complete' | 'arriving' | 'paused', pageSize: number): string {
  const n = (count: number): string => count.toLocaleString('en');
  if (state === 'complete') return `Load ${Math.min(pageSize, arrived - shown)} more (${n(shown)} of ${n(arrived)} events)`;
  if (state === 'paused' && shown >= arrived) return `Load more (${n(shown)} events shown, more on the server)`;
  if (state === 'paused') return `Load ${pageSize} more (${n(shown)} shown, more on the server)`;
  return `Load ${pageSize} more (${n(shown)} shown, more arriving…)`;
}

const STEP_WORDS: Record<FailedStep['kind'], string> = {
  activity: 'activity',
  localActivity: 'local activity',
  child: 'child workflow',
  update: 'update',
  timer: 'timer',
  nexus: 'Nexus operation',
  workflowTask: 'workflow task',
  workflow: 'workflow',
};

/** A problem group's row: `order-fulfillment · create_shipment`; `order-fulfillment · workflow task`; `… · unreadable`. */
export function problemLabel(group: ProblemGroup): string {
  const where = group.unreadable !== undefined ? 'unreadable' : group.step === undefined ? 'unknown step' : (group.step.name ?? STEP_WORDS[group.step.kind]);
  return `${group.workflowName || 'unnamed workflow'} · ${where}`;
}

/**
 * `20 executions · ValueError · 3 stuck · last seen 5 minutes ago`; an unreadable group says why. Last
 * seen says whether the incident is still going on; the tooltip has the exact times.
 */
export function problemDescription(group: ProblemGroup, now: number = Date.now()): string {
  const parts = [`${group.count} execution${group.count === 1 ? '' : 's'}`];
  if (group.unreadable !== undefined) parts.push(oneLine(group.unreadable, 100));
  else if (group.errorType !== undefined) parts.push(group.errorType);
  else if (group.maskedMessage !== undefined) parts.push(oneLine(group.maskedMessage, 60));
  if (group.stuckCount > 0) parts.push(`${group.stuckCount} stuck`);
  if (group.lastSeen !== undefined) parts.push(`last seen ${relativeTime(group.lastSeen, now)}`);
  return parts.join(' · ');
}
