/**
 * Group by Problem: the Executions view's roots as problem groups over the executions it lists. The
 * groups are built once (histories read by ProblemReader) and kept until `invalidate` (a refresh, a
 * new page, a run that changed status); the executions stay the provider's own nodes, so their rows,
 * menus and live updates are the usual ones.
 */
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../commands/ids';
import { groupProblems, stuckText, type Problem } from '../incidents';
import type { ExecutionNode } from '../tree/executionNode';
import { actionFor, errorNode, MessageNode, type TreeNode } from '../tree/node';
import { ProblemGroupNode } from '../tree/problemNode';
import type { ProblemReader } from './problemReader';

/** What the groups hold, when a filter narrows them (the Stuck filter). */
export interface GroupOptions {
  /** Whether an execution's problem is shown (default: every one). */
  keep?: (node: ExecutionNode, problem: Problem) => boolean;
  /** The row when no problem is shown. */
  noneText?: string;
}

export class ProblemsView {
  private rowsBuilt: TreeNode[] | undefined;
  private building: Promise<TreeNode[]> | undefined;
  /** Bumped by `invalidate`, so that a build that was under way is not kept. */
  private generation = 0;
  private readonly groupOf = new Map<TreeNode, ProblemGroupNode>();

  constructor(
    private readonly reader: ProblemReader,
    private readonly describeError: (error: unknown) => string,
  ) {}

  /**
   * The root rows over `executions` (the nodes the view lists); `scope` names the workspace. `options`
   * must stay the same until `invalidate` (a filter's change refreshes the view).
   */
  rows(executions: readonly ExecutionNode[], scope: string, options: GroupOptions = {}): Promise<TreeNode[]> {
    if (this.rowsBuilt !== undefined) return Promise.resolve(this.rowsBuilt);
    if (this.building !== undefined) return this.building;
    const generation = this.generation;
    const building = this.build(executions, scope, options).then((rows) => {
      if (generation === this.generation) this.rowsBuilt = rows;
      return rows;
    }, (error: unknown) => [this.errorRow(error)]);
    const shared = building.finally(() => {
      if (this.building === shared) this.building = undefined;
    });
    this.building = shared;
    return shared;
  }

  /** The group an execution's row sits in (for `getParent`, so that `reveal` finds it). */
  parentOf(node: TreeNode): ProblemGroupNode | undefined {
    return this.groupOf.get(node);
  }

  /**
   * The next `rows` builds again, closed runs from the reader's cache; running ones are read again
   * after a refresh (`rereadRunning`), not after a page more.
   */
  invalidate(rereadRunning = false): void {
    if (rereadRunning) this.reader.forgetRunning();
    this.generation++;
    this.rowsBuilt = undefined;
    this.building = undefined;
  }

  /** Back to the plain view: no group, no stuck note on any row. */
  leave(executions: readonly ExecutionNode[]): void {
    this.invalidate();
    this.groupOf.clear();
    for (const node of executions) node.stuck = undefined;
  }

  private async build(executions: readonly ExecutionNode[], scope: string, options: GroupOptions): Promise<TreeNode[]> {
    const reading = await this.reader.read(executions.map((n) => n.execution), scope);
    const nodes = new Map(executions.map((n) => [n.executionId, n]));
    for (const node of executions) {
      const stuck = reading.problems.get(node.executionId)?.stuck;
      node.stuck = stuck === undefined ? undefined : stuckText(stuck, { now: new Date() });
    }
    this.groupOf.clear();
    const keep = options.keep;
    const shown = [...reading.problems.values()].filter((problem) => {
      const node = nodes.get(problem.executionId);
      return keep === undefined || (node !== undefined && keep(node, problem));
    });
    const rows: TreeNode[] = groupProblems(shown).map((group) => {
      const members = group.executionIds.map((id) => nodes.get(id)).filter((n): n is ExecutionNode => n !== undefined);
      const row = new ProblemGroupNode(group, members);
      for (const member of members) this.groupOf.set(member, row);
      return row;
    });
    if (reading.notRead > 0) rows.push(this.cancelledRow(reading.notRead));
    else if (rows.length === 0) rows.push(this.noProblemsRow(options.noneText ?? `No failed, timed-out or stuck executions among the ${executions.length} listed.`));
    return rows;
  }

  private cancelledRow(notRead: number): MessageNode {
    return new MessageNode('problems/cancelled', undefined, `Cancelled: ${notRead} execution${notRead === 1 ? '' : 's'} not read. Click to refresh.`, {
      icon: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
      command: { command: COMMAND_IDS.refresh, title: 'Refresh' },
    });
  }

  private noProblemsRow(text: string): MessageNode {
    return new MessageNode('problems/none', undefined, text, {
      icon: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
    });
  }

  private errorRow(error: unknown): TreeNode {
    return errorNode('problems/error', undefined, `Could not group by problem: ${this.describeError(error)}`, actionFor(error, { command: COMMAND_IDS.refresh, title: 'Retry' }));
  }
}
