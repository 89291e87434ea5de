/**
 * The Executions view on the 51,200-event execution: the real tree modules (ExecutionNode,
 * HistoryRows, EventNode from out/src/tree) run against the fake `vscode`, doing what VS Code does when
 * the user expands a node: getChildren(), then getTreeItem() for every child. Rendering in the
 * workbench is not included. Requests are counted on the sandbox, not assumed.
 */
import type { WorkflowsClient } from '../src/api/mistral';
import type { TreeNode } from '../src/tree/node';
import type { TreeServices } from '../src/tree/services';
import type { Sandbox } from '../sandbox/server';
import { DEMO } from '../sandbox/server';
import { median, Report, timeOnce } from './measure';
import type { RunSettings } from './scenarios';

const PAGE_SIZE = 500;

/** VS Code's part of an expansion: the children, then one TreeItem each. */
async function expand(node: TreeNode): Promise<TreeNode[]> {
  const children = await node.getChildren();
  for (const child of children) child.getTreeItem();
  return children;
}

/** Needs the fake `vscode` installed (run.ts does it first): the tree modules import it. */
export async function treeScenario(sandbox: Sandbox, client: WorkflowsClient, s: RunSettings, report: Report): Promise<void> {
  const { ExecutionNode } = await import('../src/tree/executionNode.js');
  const { EventNode } = await import('../src/tree/eventNode.js');
  const { LoadMoreNode } = await import('../src/tree/node.js');
  const services: TreeServices = {
    client: () => Promise.resolve(client),
    eventsPageSize: () => PAGE_SIZE,
    historyMode: () => 'events',
    refresh: () => undefined,
    describeError: (error) => String(error),
    checkOf: () => undefined,
    extraResetTargets: () => [],
  };
  // The row the list gave: read once, outside the timings (expanding does not read it again).
  const execution = await client.getExecution(DEMO.big);

  const expandMs: number[] = [];
  const moreMs: number[] = [];
  const expandRequests: number[] = [];
  const moreRequests: number[] = [];
  let firstRows = 0;
  let moreRows = 0;
  for (let round = 0; round < s.warmups + s.reps; round++) {
    // A fresh node each round: a collapsed execution that was never expanded.
    const node = new ExecutionNode(execution, services);
    let rows: TreeNode[] = [];
    const before = sandbox.requests.length;
    const tExpand = await timeOnce(async () => {
      rows = await expand(node);
    });
    const afterExpand = sandbox.requests.length;
    const loadMore = rows.find((r): r is InstanceType<typeof LoadMoreNode> => r instanceof LoadMoreNode);
    if (!loadMore) throw new Error('no “Load more” row after the first page of a 51,200-event history');
    let rowsAfterMore: TreeNode[] = [];
    // “Load more” as its command runs it (show one more page, refresh the owner), then VS Code
    // fetches the owner's children again and a TreeItem for each of them.
    const tMore = await timeOnce(async () => {
      await loadMore.loadMore();
      rowsAfterMore = await expand(node);
    });
    if (round < s.warmups) continue;
    expandMs.push(tExpand);
    moreMs.push(tMore);
    expandRequests.push(afterExpand - before);
    moreRequests.push(sandbox.requests.length - afterExpand);
    firstRows = rows.filter((r) => r instanceof EventNode).length;
    moreRows = rowsAfterMore.filter((r) => r instanceof EventNode).length;
  }
  report.timing(`tree expand (ExecutionNode.getChildren+getTreeItem, fetch+describe+first page of ${PAGE_SIZE})`, expandMs);
  report.timing(`tree load more (next ${PAGE_SIZE}: getChildren+getTreeItem of ${moreRows} rows, no request)`, moreMs);
  // Assert by counting: the view must read a history once, however long, and page locally.
  report.figure('tree expand requests', Math.max(...expandRequests), 'count');
  report.figure('tree load more requests', Math.max(...moreRequests), 'count');
  report.figure('tree expand event rows built', firstRows, 'count');
  if (Math.max(...expandRequests) !== 1 || Math.min(...expandRequests) !== 1) {
    report.note(`TARGET MISSED: expanding made ${expandRequests.join('/')} requests, expected exactly 1`);
  }
  if (Math.max(...moreRequests) !== 0) report.note(`TARGET MISSED: “Load more” made ${moreRequests.join('/')} requests, expected 0`);
  if (firstRows > PAGE_SIZE) report.note(`TARGET MISSED: expanding built ${firstRows} event rows, more than one page`);
  if (Number.isNaN(median(expandMs))) throw new Error('tree scenario recorded nothing');
}
