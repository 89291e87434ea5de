/**
 * The Executions tree, the same for every kind of backend (helpers/world.ts): run in the main suite on
 * Mistral's API (tree.test.ts) and in the engine suite on a real Temporal dev server.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../../src/commands/ids';
import type { ExecutionNode } from '../../../src/tree/executionNode';
import { children, description, isEarlierRuns, isEvent, isExecution, isLoadMore, isMessage, isRun, label, roots } from '../helpers/env';
import { contextMenu, menuCommandsFor } from '../helpers/menus';
import { closeWorld, type World, type WorldFactory } from '../helpers/world';

const STATUS = /^(RUNNING|COMPLETED|FAILED|CANCELED|TERMINATED|CONTINUED_AS_NEW|TIMED_OUT|RETRYING_AFTER_ERROR) · /;

/** The rows keep the service's order: newest first, or (Temporal) running ones first, then the most recently closed. */
function assertListOrder(world: World, executions: readonly ExecutionNode[]): void {
  const time = (d: Date | undefined): number => d?.getTime() ?? 0;
  const descending = (times: number[], what: string): void => assert.deepEqual(times, [...times].sort((a, b) => b - a), what);
  if (world.listOrder === 'newestFirst') {
    descending(executions.map((n) => time(n.execution.startTime)), 'newest first');
    return;
  }
  const open = executions.map((n) => n.execution.endTime === undefined);
  assert.deepEqual(open, [...open].sort((a, b) => Number(b) - Number(a)), 'running executions first');
  descending(executions.filter((n) => n.execution.endTime === undefined).map((n) => time(n.execution.startTime)), 'running ones newest first');
  descending(executions.filter((n) => n.execution.endTime !== undefined).map((n) => time(n.execution.endTime)), 'then the most recently closed');
}

export function treeSuite(factory: WorldFactory): void {
  describe(`Executions tree (${factory.title})`, function () {
    this.timeout(120_000);
    let world: World;
    before(async () => {
      world = await factory.make({ pageSize: 10 });
    });
    after(async () => closeWorld(world));

    const open = (executionId: string): Promise<ExecutionNode> => world.services.tree.openExecution(executionId);
    /** History reads the tree made, apart from live runs' long polls. */
    const historyReads = (from: number): number => world.sandbox.requests.slice(from).filter((r) => r.path.endsWith(world.paths.history) && !world.isFollow(r)).length;

    it('lists executions newest first, one node per execution, with status, time, icon and tooltip', async () => {
      const executions = (await roots(world)).filter(isExecution);
      assert.ok(executions.length >= 9, `a first page of executions (got ${executions.length})`);
      const ids = executions.map((n) => n.executionId);
      assert.equal(new Set(ids).size, ids.length, 'one node per execution id');
      assertListOrder(world, executions);
      const first = executions[0];
      assert.equal(label(first), first.execution.workflowName);
      assert.match(description(first), STATUS);
      const icon = first.getTreeItem().iconPath as vscode.ThemeIcon;
      assert.ok(icon instanceof vscode.ThemeIcon && icon.color instanceof vscode.ThemeColor, 'a status icon with a theme colour');
      const tooltip = first.resolveTooltip();
      // Server text goes in escaped (so it can never become a link): unescape to read it.
      const text = tooltip.value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
      assert.ok(text.includes(`Execution ID: ${first.executionId}`) && text.includes('Run ID'), text);
      assert.equal(tooltip.isTrusted, false);
    });

    it('pages executions with a “Load more” node that appends the next page', async () => {
      const before = await roots(world);
      const more = before[before.length - 1];
      assert.ok(isLoadMore(more), 'the last row is “Load more”');
      const countBefore = before.filter(isExecution).length;
      await vscode.commands.executeCommand(COMMAND_IDS.loadMore, more);
      const after = (await roots(world)).filter(isExecution);
      assert.ok(after.length > countBefore, `more executions after Load more (${countBefore} → ${after.length})`);
      assert.equal(new Set(after.map((n) => n.executionId)).size, after.length, 'no duplicates across pages');
    });

    it('shows the latest run’s events with labels, details, icons and contextValues per kind', async () => {
      const events = (await children(world, await open(await world.failed()))).filter(isEvent);
      assert.ok(events.length > 20, `a whole run (${events.length} events)`);
      for (const event of events) {
        assert.equal(label(event), `${event.event.idText} ${event.event.type}`);
        assert.match(event.getTreeItem().contextValue ?? '', new RegExp(`^event \\+${event.kind} \\+latest`));
      }
      const kinds = new Set(events.map((e) => e.kind));
      for (const kind of ['workflow', 'workflowTask', 'activity', 'signal', 'update']) assert.ok(kinds.has(kind as never), `has ${kind} events`);
      const failedActivity = events.find((e) => e.event.type === 'ACTIVITY_TASK_FAILED');
      assert.ok(failedActivity && /KeyError/.test(description(failedActivity)), 'the failure, with its type, is the description');
      const signal = events.find((e) => e.event.type === 'WORKFLOW_EXECUTION_SIGNALED');
      assert.ok(signal && description(signal).length > 0, 'a signal shows its name');
      const scheduled = events.find((e) => e.event.type === 'ACTIVITY_TASK_SCHEDULED');
      assert.ok(scheduled && description(scheduled).length > 0, 'an activity shows its name');
    });

    it('offers “Reset to here” only on the reset targets of the latest run, never on earlier runs', async () => {
      const { id } = await world.withEarlierRuns();
      const node = await open(id);
      const rows = await children(world, node);
      const events = rows.filter(isEvent);
      assert.ok(events.some((e) => e.event.type === 'WORKFLOW_TASK_COMPLETED'));
      for (const event of events) {
        const offered = menuCommandsFor(event).includes(COMMAND_IDS.resetToHere);
        assert.equal(offered, world.resetTargets.includes(event.event.type), `${label(event)}: reset offered = ${offered}`);
        if (offered && event.event.type !== 'WORKFLOW_TASK_COMPLETED') assert.match(description(event), /Temporal reset target/, 'the other targets say what they are');
      }
      assert.ok(!menuCommandsFor(node).includes(COMMAND_IDS.resetToHere), 'not on the execution node');
      const earlier = rows.find(isEarlierRuns);
      assert.ok(earlier, 'an “Earlier runs” node');
      assert.ok(!menuCommandsFor(earlier).includes(COMMAND_IDS.resetToHere));
      const runs = (await children(world, earlier)).filter(isRun);
      assert.equal(runs.length, 2);
      const oldCompleted = (await children(world, runs[0])).filter(isEvent).filter((e) => e.event.type === 'WORKFLOW_TASK_COMPLETED');
      assert.ok(oldCompleted.length > 0);
      for (const event of oldCompleted) {
        assert.ok(!menuCommandsFor(event).includes(COMMAND_IDS.resetToHere), 'never on events of an earlier run');
        assert.match(event.getTreeItem().contextValue ?? '', /\+earlier/);
      }
      const inline = contextMenu().filter((e) => e.command === COMMAND_IDS.resetToHere && e.group?.startsWith('inline'));
      assert.equal(inline.length, 1, 'also an inline action');
    });

    it('shows “Earlier runs (N)” with the reason of the reset that ended each run', async () => {
      const { id, reasons } = await world.withEarlierRuns();
      const earlier = (await children(world, await open(id))).find(isEarlierRuns);
      assert.ok(earlier);
      assert.equal(label(earlier), 'Earlier runs (2)');
      const runs = (await children(world, earlier)).filter(isRun);
      for (const run of runs) await children(world, run);
      assert.deepEqual(runs.map((r) => r.reason).sort(), [...reasons].sort());
      assert.ok(runs.every((r) => /reset to event \d+: /.test(description(r))), runs.map(description).join(' | '));
    });

    it('pages a long history in the tree: the first page after one request, then Load more', async () => {
      const { id, events: total } = await world.longHistory();
      const from = world.sandbox.requests.length;
      const node = await open(id);
      node.rows.forget();
      const rows = await children(world, node);
      assert.equal(historyReads(from), 1, 'one history request');
      const shown = rows.filter(isEvent).length;
      assert.ok(shown > 0 && shown <= 500 && shown < total, `a first page (${shown} of ${total})`);
      const more = rows[rows.length - 1];
      assert.ok(isLoadMore(more), label(more));
      await vscode.commands.executeCommand(COMMAND_IDS.loadMore, more);
      const after = (await children(world, node)).filter(isEvent).length;
      assert.ok(after > shown, `Load more shows more events (${shown} → ${after})`);
      if (world.historyPaging === 'oneBody') {
        assert.equal(shown, 500);
        assert.match(label(more), new RegExp(`500 of ${total.toLocaleString('en')}|500 shown, more arriving`));
        assert.equal(after, 1000);
        assert.equal(historyReads(from), 1, 'Load more makes no request: the body was read once');
      } else {
        assert.match(label(more), /more on the server/);
        assert.equal(historyReads(from), 2, 'Load more reads the next server page, and only that one');
      }
    });

    it('opens an event as a read-only JSON document', async () => {
      const event = (await children(world, await open(await world.failed()))).filter(isEvent).find((n) => n.event.type === 'WORKFLOW_TASK_COMPLETED');
      assert.ok(event);
      await vscode.commands.executeCommand(COMMAND_IDS.showEventDetails, event);
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor, 'an editor opened');
      assert.equal(editor.document.languageId, 'json');
      assert.equal(editor.document.uri.scheme, 'mistral-workflows-event');
      assert.deepEqual(JSON.parse(editor.document.getText()) as unknown, event.event.raw);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    it('filters by status and shows the filter in the view', async () => {
      await world.failed();
      // A backend with a query language (Temporal's visibility queries) asks for a raw query too.
      const questions = (await world.services.connection.client()).capabilities.rawListQuery ? 4 : 3;
      world.ui.script({ kind: 'pickMany', choose: (items) => items.filter((i) => i.label === 'FAILED') }, ...Array.from({ length: questions - 1 }, () => ({ kind: 'input' as const, answer: '' })));
      await vscode.commands.executeCommand(COMMAND_IDS.filterExecutions);
      world.ui.assertDone();
      assert.deepEqual(world.services.tree.filter.statuses, ['FAILED']);
      assert.match(world.services.treeView.description ?? '', /FAILED/);
      assert.equal(world.services.treeView.title, 'Executions (FAILED)', 'the title shows it too');
      const nodes = (await roots(world)).filter(isExecution);
      assert.ok(nodes.length > 0 && nodes.every((n) => n.execution.status === 'FAILED'));
      const listed = world.sandbox.requests.filter((r) => world.isList(r)).pop();
      assert.ok(listed && world.isList(listed, 'FAILED'), `the server was asked for FAILED ones only: ${listed?.query ?? 'no request'}`);
      await vscode.commands.executeCommand(COMMAND_IDS.clearFilter);
      assert.equal(world.services.treeView.description, undefined);
      assert.equal(world.services.treeView.title, 'Executions');
    });

    it('turns a failed listing into an error row with Retry, and recovers on the next refresh', async () => {
      world.sandbox.faults.add({ pathIncludes: world.paths.list, status: 500, times: 10 });
      world.services.tree.refreshAll();
      const failed = await roots(world);
      assert.equal(failed.length, 1);
      assert.ok(isMessage(failed[0]));
      assert.match(label(failed[0]), /Could not list executions/);
      assert.equal(failed[0].getTreeItem().command?.title, 'Retry');
      world.sandbox.faults.clear();
      await vscode.commands.executeCommand(failed[0].getTreeItem().command?.command ?? '');
      assert.ok((await roots(world)).some(isExecution));
    });

    it('asks for compressed answers as mistralWorkflows.compression says; a change takes effect at once', async () => {
      const config = vscode.workspace.getConfiguration('mistralWorkflows');
      /** The accept-encoding of the listing a refresh sends (the world's server is on 127.0.0.1). */
      const sent = async (): Promise<string | undefined> => {
        const from = world.sandbox.requests.length;
        world.services.tree.refreshAll();
        await roots(world);
        const lists = world.sandbox.requests.slice(from).filter((r) => world.isList(r));
        assert.ok(lists.length > 0, 'the refresh listed executions');
        return lists[lists.length - 1].acceptEncoding;
      };
      try {
        assert.equal(await sent(), undefined, 'auto (the default): not from a loopback host');
        for (const [value, expected] of [['always', 'gzip, br'], ['never', undefined], ['always', 'gzip, br'], ['auto', undefined]] as const) {
          await config.update('compression', value, vscode.ConfigurationTarget.Global);
          assert.equal(await sent(), expected, value);
        }
      } finally {
        await config.update('compression', undefined, vscode.ConfigurationTarget.Global);
      }
    });
  });

  describe(`Load All Executions (${factory.title})`, function () {
    this.timeout(60_000);
    let world: World;
    before(async () => {
      world = await factory.make({ pageSize: 5 });
    });
    after(async () => closeWorld(world));

    it('reads every page on request, and nothing reads more than one page otherwise', async () => {
      const listCalls = (): number => world.sandbox.requests.filter((r) => world.isList(r)).length;
      // Counted from here: pointing the settings at a new Temporal server connects at once (it needs no
      // key), so the set-up itself may have listed a page before the test began.
      const beforeOpening = listCalls();
      await roots(world);
      assert.equal(listCalls() - beforeOpening, 1, 'opening the view reads one page');
      const count = await vscode.commands.executeCommand<number>(COMMAND_IDS.loadAllExecutions);
      const all = (await roots(world)).filter(isExecution);
      assert.equal(all.length, count);
      const expected = await world.executionCount();
      assert.equal(new Set(all.map((n) => n.executionId)).size, expected, 'every execution the server lists, once');
      assert.ok(!(await roots(world)).some(isLoadMore), 'no “Load more” after the last page');
      assert.ok(listCalls() >= Math.ceil(expected / 5), 'one request per page of 5');
    });
  });
}
