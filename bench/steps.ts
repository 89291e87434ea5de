/**
 * Issue #15's figures on the 51,200-event execution: the first page of the steps view against the first
 * page of events (the real tree modules against the fake `vscode`, each from a fresh node: one request,
 * describe, and for steps the one grouping pass), and Find in History (a common word, a regex, no
 * match) against one normalisation pass (describeEvents) of the same loaded history.
 */
import { describeEvents, findEvents, parseQuery } from '../src/api';
import type { HistoryQuery } from '../src/api';
import type { WorkflowsClient } from '../src/api/mistral';
import type { TreeNode } from '../src/tree/node';
import type { HistoryMode, TreeServices } from '../src/tree/services';
import { BIG_EVENT_COUNT, DEMO } from '../sandbox/server';
import { interleave, Report } from './measure';
import type { RunSettings } from './scenarios';

const PAGE_SIZE = 500;
const SEARCHES: [name: string, input: string][] = [
  ['common word', 'doc_bulk_2026_archive'],
  ['regex', '/embed_\\w+s\\b/i'],
  ['no match', 'no-such-text-anywhere'],
];

/** Needs the fake `vscode` installed (run.ts does it first): the tree modules import it. */
export async function stepsScenario(client: WorkflowsClient, s: RunSettings, report: Report): Promise<void> {
  const { ExecutionNode } = await import('../src/tree/executionNode.js');
  const services = (mode: HistoryMode): TreeServices => ({
    client: () => Promise.resolve(client),
    eventsPageSize: () => PAGE_SIZE,
    historyMode: () => mode,
    refresh: () => undefined,
    checkOf: () => undefined, extraResetTargets: () => [],
    describeError: (error) => String(error),
  });
  const execution = await client.getExecution(DEMO.big);
  let rows = { events: 0, steps: 0 };
  let expanded: InstanceType<typeof ExecutionNode> | undefined;
  // VS Code's part of an expansion: the children, then one TreeItem each.
  const expand = async (mode: HistoryMode): Promise<void> => {
    expanded = new ExecutionNode(execution, services(mode));
    const children: TreeNode[] = await expanded.getChildren();
    for (const child of children) child.getTreeItem();
    rows = { ...rows, [mode]: children.length };
  };
  // Both first pages show before the whole body is in; the rest of it (received, then parsed once) is
  // the expansion's own work, so it ends before the next one's clock starts rather than on it.
  const rest = async (): Promise<void> => void (await expanded?.rows.history.load());
  const pages = await interleave([
    { name: 'events', run: () => expand('events'), after: rest },
    { name: 'steps', run: () => expand('steps'), after: rest },
  ], s.reps, s.warmups);
  const events = report.timing(`first page of events (fetch+describe+${PAGE_SIZE} rows, 51,200 events)`, pages.get('events') ?? []);
  const steps = report.timing(`first page of steps (fetch+describe+group+${PAGE_SIZE} rows, 51,200 events)`, pages.get('steps') ?? []);
  report.figure('first page of steps rows', rows.steps, 'count');
  report.ratio('steps/events first page', steps, events);
  if (steps > events * 1.1) report.note(`TARGET MISSED: the first page of steps took ${(steps / events).toFixed(2)}x the first page of events (target ≤ 1.1x)`);

  const history = await client.getHistory(DEMO.big);
  if (history.length !== BIG_EVENT_COUNT) throw new Error(`expected ${BIG_EVENT_COUNT} events, got ${history.length}`);
  const details = describeEvents(history).map((d) => d.detail);
  const found = new Map<string, number>();
  const search = (name: string, query: HistoryQuery) => async (): Promise<void> => {
    found.set(name, (await findEvents(history, details, query)).indexes.length);
  };
  const contenders = [
    { name: 'describe', run: async () => void describeEvents(history) },
    ...SEARCHES.map(([name, input]) => {
      const parsed = parseQuery(input);
      if (!parsed.ok) throw new Error(parsed.error);
      return { name, run: search(name, parsed.query) };
    }),
  ];
  const samples = await interleave(contenders, s.reps, s.warmups);
  const describe = report.timing('one normalisation pass (describeEvents, 51,200 events)', samples.get('describe') ?? []);
  for (const [name, input] of SEARCHES) {
    const ms = report.timing(`find “${input}” (${name}, ${found.get(name) ?? 0} matches, 51,200 events)`, samples.get(name) ?? []);
    report.ratio(`find ${name}/describe`, ms, describe);
    if (ms > describe * 1.5) report.note(`TARGET MISSED: find (${name}) took ${(ms / describe).toFixed(2)}x one normalisation pass (target ≤ 1.5x)`);
  }
}
