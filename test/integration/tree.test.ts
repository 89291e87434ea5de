import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEMO, DEMO_RESET_REASONS } from '../../sandbox/seed';
import type { ExecutionNode } from '../../src/tree/executionNode';
import { children, description, isEarlierRuns, isEvent, isExecution, isLoadMore, isMessage, isRun, label, roots, setUpEnv, tearDownEnv, TestEnv } from './helpers/env';
import { contextMenu, menuCommandsFor } from './helpers/menus';

async function executionNode(env: TestEnv, executionId: string): Promise<ExecutionNode> {
  const node = await env.services.tree.openExecution(executionId);
  return node;
}

describe('Executions tree (in the extension host, against the sandbox)', function () {
  let env: TestEnv;
  before(async () => {
    env = await setUpEnv({ pageSize: 10 });
  });
  after(async () => tearDownEnv(env));

  it('lists executions newest first, one node per execution, with status, time, icon and tooltip', async () => {
    const nodes = await roots(env);
    const executions = nodes.filter(isExecution);
    assert.ok(executions.length >= 9, `a first page of executions (got ${executions.length})`);
    const ids = executions.map((n) => n.executionId);
    assert.equal(new Set(ids).size, ids.length, 'one node per execution id');
    const starts = executions.map((n) => n.execution.startTime?.getTime() ?? 0);
    assert.deepEqual(starts, [...starts].sort((a, b) => b - a), 'newest first');
    const first = executions[0];
    assert.equal(label(first), first.execution.workflowName);
    assert.match(description(first), /^(RUNNING|COMPLETED|FAILED|CANCELED|TERMINATED|CONTINUED_AS_NEW|TIMED_OUT|RETRYING_AFTER_ERROR) · /);
    const icon = first.getTreeItem().iconPath as vscode.ThemeIcon;
    assert.ok(icon instanceof vscode.ThemeIcon && icon.color instanceof vscode.ThemeColor, 'a status icon with a theme colour');
    const tooltip = first.resolveTooltip();
    // Server text goes in escaped (so it can never become a link): unescape to read it.
    const text = tooltip.value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    assert.ok(text.includes(`Execution ID: ${first.executionId}`) && text.includes('Run ID'), text);
    assert.equal(tooltip.isTrusted, false);
  });

  it('pages executions with a “Load more” node that appends the next page', async () => {
    const before = await roots(env);
    const more = before[before.length - 1];
    assert.ok(isLoadMore(more), 'the last row is “Load more”');
    const countBefore = before.filter((n) => isExecution(n)).length;
    await vscode.commands.executeCommand('mistralWorkflows.loadMore', more);
    const after = (await roots(env)).filter((n) => isExecution(n)) as ExecutionNode[];
    assert.ok(after.length > countBefore, `more executions after Load more (${countBefore} → ${after.length})`);
    assert.equal(new Set(after.map((n) => n.executionId)).size, after.length, 'no duplicates across pages');
  });

  it('shows the latest run’s events with labels, details, icons and contextValues per kind', async () => {
    const node = await executionNode(env, DEMO.failed);
    const rows = await children(env, node);
    const events = rows.filter(isEvent);
    assert.ok(events.length > 20);
    for (const event of events) {
      assert.equal(label(event), `${event.event.idText} ${event.event.type}`);
      assert.match(event.getTreeItem().contextValue ?? '', new RegExp(`^event \\+${event.kind} \\+latest`));
    }
    const kinds = new Set(events.map((e) => e.kind));
    for (const kind of ['workflow', 'workflowTask', 'activity', 'signal', 'update']) assert.ok(kinds.has(kind as never), `has ${kind} events`);
    const failedActivity = events.find((e) => e.event.type === 'ACTIVITY_TASK_FAILED');
    assert.ok(failedActivity && /KeyError/.test(description(failedActivity)), 'the failure message is the description');
    const signal = events.find((e) => e.event.type === 'WORKFLOW_EXECUTION_SIGNALED');
    assert.ok(signal && description(signal).length > 0, 'a signal shows its name');
    const scheduled = events.find((e) => e.event.type === 'ACTIVITY_TASK_SCHEDULED');
    assert.ok(scheduled && description(scheduled).length > 0, 'an activity shows its name');
  });

  it('offers “Reset to here” only on WORKFLOW_TASK_COMPLETED events of the latest run', async () => {
    const node = await executionNode(env, DEMO.reset);
    const rows = await children(env, node);
    const events = rows.filter(isEvent);
    for (const event of events) {
      const offered = menuCommandsFor(event).includes('mistralWorkflows.resetToHere');
      assert.equal(offered, event.event.type === 'WORKFLOW_TASK_COMPLETED', `${label(event)}: reset offered = ${offered}`);
    }
    assert.ok(!menuCommandsFor(node).includes('mistralWorkflows.resetToHere'), 'not on the execution node');
    const earlier = rows.find(isEarlierRuns);
    assert.ok(earlier, 'an “Earlier runs” node');
    assert.ok(!menuCommandsFor(earlier).includes('mistralWorkflows.resetToHere'));
    const runs = (await children(env, earlier)).filter(isRun);
    assert.equal(runs.length, 2);
    const oldEvents = (await children(env, runs[0])).filter(isEvent);
    const oldCompleted = oldEvents.filter((e) => e.event.type === 'WORKFLOW_TASK_COMPLETED');
    assert.ok(oldCompleted.length > 0);
    for (const event of oldCompleted) {
      assert.ok(!menuCommandsFor(event).includes('mistralWorkflows.resetToHere'), 'never on events of an earlier run');
      assert.match(event.getTreeItem().contextValue ?? '', /\+earlier/);
    }
    const inline = contextMenu().filter((e) => e.command === 'mistralWorkflows.resetToHere' && e.group?.startsWith('inline'));
    assert.equal(inline.length, 1, 'also an inline action');
  });

  it('shows “Earlier runs (N)” with the reason of the reset that ended each run', async () => {
    const node = await executionNode(env, DEMO.reset);
    const rows = await children(env, node);
    const earlier = rows.find(isEarlierRuns);
    assert.ok(earlier);
    assert.equal(label(earlier), 'Earlier runs (2)');
    const runs = (await children(env, earlier)).filter(isRun);
    for (const run of runs) await children(env, run);
    const reasons = runs.map((r) => r.reason);
    assert.deepEqual([...reasons].sort(), [...DEMO_RESET_REASONS].sort());
    assert.ok(runs.every((r) => /reset to event \d+: /.test(description(r))));
  });

  it('pages the 51,200-event history 500 at a time from one request', async () => {
    const requestsBefore = env.sandbox.requests.length;
    const node = await executionNode(env, DEMO.big);
    const rows = await children(env, node);
    const historyRequests = env.sandbox.requests.slice(requestsBefore).filter((r) => r.path.endsWith('/history'));
    assert.equal(historyRequests.length, 1, 'one history request');
    assert.equal(rows.filter((n) => isEvent(n)).length, 500);
    const more = rows[rows.length - 1];
    assert.ok(isLoadMore(more));
    // The first page shows while the rest of the body streams in; the total comes with the refresh at its end.
    assert.match(label(more), /500 of 51,200|500 shown, more arriving/);
    await vscode.commands.executeCommand('mistralWorkflows.loadMore', more);
    const after = await children(env, node);
    assert.equal(after.filter((n) => isEvent(n)).length, 1000);
    assert.match(label(after[after.length - 1]), /1,000 of 51,200|1,000 shown, more arriving/);
    assert.equal(env.sandbox.requests.slice(requestsBefore).filter((r) => r.path.endsWith('/history')).length, 1, 'Load more makes no request');
  });

  it('opens an event as a read-only JSON document', async () => {
    const node = await executionNode(env, DEMO.failed);
    const event = (await children(env, node)).filter(isEvent).find((n) => n.event.type === 'WORKFLOW_TASK_COMPLETED');
    assert.ok(event);
    await vscode.commands.executeCommand('mistralWorkflows.showEventDetails', event);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor opened');
    assert.equal(editor.document.languageId, 'json');
    assert.equal(editor.document.uri.scheme, 'mistral-workflows-event');
    const parsed = JSON.parse(editor.document.getText()) as unknown;
    assert.deepEqual(parsed, event.event.raw);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('filters by status and shows the filter in the view', async () => {
    env.ui.script(
      { kind: 'pickMany', choose: (items) => items.filter((i) => i.label === 'FAILED') },
      { kind: 'input', answer: '' },
      { kind: 'input', answer: '' },
    );
    await vscode.commands.executeCommand('mistralWorkflows.filterExecutions');
    env.ui.assertDone();
    assert.deepEqual(env.services.tree.filter.statuses, ['FAILED']);
    assert.match(env.services.treeView.description ?? '', /FAILED/);
    assert.equal(env.services.treeView.title, 'Executions (FAILED)', 'the title shows it too');
    const nodes = (await roots(env)).filter(isExecution);
    assert.ok(nodes.length > 0 && nodes.every((n) => n.execution.status === 'FAILED'));
    const listed = env.sandbox.requests.filter((r) => r.path === '/v1/workflows/runs').pop();
    assert.match(listed?.query ?? '', /status=FAILED/);
    await vscode.commands.executeCommand('mistralWorkflows.clearFilter');
    assert.equal(env.services.treeView.description, undefined);
    assert.equal(env.services.treeView.title, 'Executions');
  });

  it('turns a failed listing into an error row with Retry, and recovers on the next refresh', async () => {
    env.sandbox.faults.add({ pathIncludes: '/v1/workflows/runs', status: 500, times: 10 });
    env.services.tree.refreshAll();
    const failed = await roots(env);
    assert.equal(failed.length, 1);
    assert.ok(isMessage(failed[0]));
    assert.match(label(failed[0]), /Could not list executions/);
    assert.equal(failed[0].getTreeItem().command?.title, 'Retry');
    env.sandbox.faults.clear();
    await vscode.commands.executeCommand(failed[0].getTreeItem().command?.command ?? '');
    const recovered = await roots(env);
    assert.ok(recovered.some((n) => isExecution(n)));
  });

  it('shows the welcome view (no rows) when the workspace has no key', async () => {
    await env.services.keys.clear('sandbox');
    const saved = process.env.MISTRAL_API_KEY;
    delete process.env.MISTRAL_API_KEY;
    try {
      env.services.connection.invalidate('test');
      assert.deepEqual(await roots(env), []);
      const state = await env.services.connection.current();
      assert.equal(state.kind, 'missingKey');
    } finally {
      if (saved !== undefined) process.env.MISTRAL_API_KEY = saved;
      await env.services.keys.store('sandbox', env.sandbox.apiKey);
      env.services.connection.invalidate('test');
    }
  });
});

describe('Load All Executions', () => {
  let env: TestEnv;
  before(async () => {
    env = await setUpEnv({ pageSize: 5 });
  });
  after(async () => tearDownEnv(env));

  it('reads every page on request, and nothing reads more than one page otherwise', async () => {
    const listCalls = (): number => env.sandbox.requests.filter((r) => r.path === '/v1/workflows/runs').length;
    await roots(env);
    assert.equal(listCalls(), 1, 'opening the view reads one page');
    const count = await vscode.commands.executeCommand<number>('mistralWorkflows.loadAllExecutions');
    const all = (await roots(env)).filter(isExecution);
    assert.equal(all.length, count);
    assert.equal(new Set(all.map((n) => n.executionId)).size, 41, 'every execution of the sandbox (40 and DEMO.pending), once');
    assert.ok(!(await roots(env)).some(isLoadMore), 'no “Load more” after the last page');
    assert.ok(listCalls() >= 9, 'one request per page of 5');
  });
});
