/**
 * UI end-to-end tests of the features beyond “Reset to here” (README: “Beyond “Reset to here””): reset
 * to before this step, go to source (and the CodeLens), compare runs, batch reset, watch, copy as code
 * and the audit trail, each as a person's clicks in a real VS Code workbench. Run by test/e2e/run.ts.
 */
import * as assert from 'node:assert/strict';
import type { Context } from 'mocha';
import { DEMO } from '../../sandbox/server';
import { eventually } from '../helpers/eventually';
import { PYTHON_FIXTURE, Session, endSession, resetRequests, sandboxGet, startSession, UI_TIMEOUT_MS, type SessionOptions, type Workbench } from './workbench';

const REASON = 'Deployed fix for KeyError in create_shipment (#512)';
const SIDEBAR_WIDTH = 560;

/** One event as the sandbox's history returns it (its default “seed” shape). */
interface SeedEvent {
  event_id: number;
  event_type: string;
  attributes: Record<string, unknown>;
}

let session: Session | undefined;

async function start(options?: SessionOptions, sidebarWidth = SIDEBAR_WIDTH): Promise<{ s: Session; wb: Workbench }> {
  session = await startSession(options, sidebarWidth);
  return { s: session, wb: session.wb };
}

/** The active editor's text as drawn (the lines on screen). */
function activeEditorText(wb: Workbench): Promise<string> {
  return wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText();
}

describe('Beyond “Reset to here”, in the VS Code UI', function () {
  afterEach(async function (this: Context) {
    const current = session;
    session = undefined;
    await endSession(current, this.currentTest);
  });

  it('Reset to Before This Step… on a failed activity: says which event and why, sends one reset there; Show Reset History lists it', async () => {
    // Word wrap: the reset history is one long JSON line per reset, readable (and checkable) wrapped.
    const { s, wb } = await start({ settings: { 'editor.wordWrap': 'on' } });
    // The point the extension must choose: the workflow task that scheduled the failed activity.
    const { events } = await sandboxGet<{ events: SeedEvent[] }>(s.sandbox, `/executions/${DEMO.failed}/history`);
    const failed = events.find((e) => e.event_type === 'ACTIVITY_TASK_FAILED');
    assert.ok(failed, 'the demo execution has a failed activity');
    const scheduled = events.find((e) => e.event_id === Number(failed.attributes.scheduled_event_id));
    assert.equal(scheduled?.event_type, 'ACTIVITY_TASK_SCHEDULED');
    const point = Number(scheduled.attributes.workflow_task_completed_event_id);
    assert.ok(Number.isInteger(point) && point > 0, `workflow_task_completed_event_id: ${String(scheduled.attributes.workflow_task_completed_event_id)}`);

    await wb.expand(wb.execution(DEMO.failed, 'FAILED'));
    const menu = await wb.contextMenu(wb.event(failed.event_id, 'ACTIVITY_TASK_FAILED'));
    assert.ok(menu.includes('Reset to Before This Step…'), `menu on the failed activity: ${menu.join(', ')}`);
    assert.ok(!menu.includes('Reset to Here…'), `not a reset point itself: ${menu.join(', ')}`);
    await wb.clickMenuItem('Reset to Before This Step…');

    const reason = await wb.waitForQuickInput('Reset execution (1/3): reason');
    await reason.fill(REASON);
    const why = wb.quickInputMessage().filter({ hasText: `Resetting to event ${point}: ` });
    await why.waitFor();
    assert.match(await why.innerText(), new RegExp(`completed workflow task that decided this step \\(event ${scheduled.event_id}\\)`));
    await wb.page.mouse.move(1270, 790); // no hover highlight on a row in the picture
    await wb.screenshot('reset-before-step', { publish: true });
    await reason.press('Enter');

    const options = await wb.waitForQuickInput('Reset execution (2/3): options');
    await options.press('Enter');
    await wb.dialog.waitFor();
    const details = await wb.dialog.innerText();
    assert.match(details, new RegExp(`Reset “order-fulfillment” to event ${point}\\?`));
    assert.ok(details.includes(`Resetting to event ${point}`), `the confirmation says why: ${details}`);
    assert.equal(resetRequests(s), 0, 'nothing is sent before the confirmation');
    await wb.screenshot('reset-before-step-confirm');
    await wb.dialog.getByRole('button', { name: 'Reset', exact: true }).click();

    const sent = await eventually('the sandbox to receive the reset', () => s.sandbox.resets[0], UI_TIMEOUT_MS);
    await wb.notification(/New run/).waitFor();
    assert.equal(resetRequests(s), 1, 'exactly one reset request');
    assert.deepEqual(
      { executionId: sent.executionId, eventId: sent.eventId, reason: sent.reason },
      { executionId: DEMO.failed, eventId: point, reason: REASON },
    );

    // The audit trail: one JSON line for that reset, opened as a document.
    await wb.notification(/Resetting order-fulfillment to event/).waitFor({ state: 'hidden' });
    await wb.clearNotifications();
    await wb.runCommand('Mistral Workflows: Show Reset History');
    await wb.page.locator('.tab.active').filter({ hasText: 'reset-history.jsonl' }).waitFor();
    // Wrapped lines: compare without whitespace.
    const flat = (text: string): string => text.replace(/\s+/g, '');
    const text = await eventually('the reset history to show the reset', async () => {
      const shown = flat(await activeEditorText(wb));
      return shown.includes(flat(REASON)) ? shown : undefined;
    }, UI_TIMEOUT_MS);
    for (const field of [`"executionId":"${DEMO.failed}"`, `"eventId":${point}`, '"outcome":"applied"']) {
      assert.ok(text.includes(field), `the history line has ${field}: ${text}`);
    }
    await wb.screenshot('reset-history', { publish: true });
  });

  it('Go to Source on a failed activity opens its Python definition; the CodeLens above the workflow filters the view', async () => {
    const { s, wb } = await start({ fixture: PYTHON_FIXTURE, settings: { 'editor.minimap.enabled': false } });
    await wb.expand(wb.execution(DEMO.failed, 'FAILED'));
    const menu = await wb.contextMenu(wb.event(38, 'ACTIVITY_TASK_FAILED'));
    assert.ok(menu.includes('Go to Source'), `menu on the failed activity: ${menu.join(', ')}`);
    await wb.clickMenuItem('Go to Source');

    await wb.page.locator('.tab.active').filter({ hasText: 'activities.py' }).waitFor();
    // The activity's name selected: `async def create_shipment` is line 29 of the fixture, the name at
    // columns 11-25 (the status bar shows the cursor, at the selection's end).
    await wb.page.locator('[id="status.editor.selection"]').filter({ hasText: /Ln 29, Col 26 \(15 selected\)/ }).waitFor();
    assert.match(await activeEditorText(wb), /async\s+def\s+create_shipment/);

    // The execution's own Go to Source: the workflow class, with its CodeLens.
    await wb.contextMenu(wb.execution(DEMO.failed, 'FAILED'));
    await wb.clickMenuItem('Go to Source');
    await wb.page.locator('.tab.active').filter({ hasText: 'orders.py' }).waitFor();
    await wb.page.locator('[id="status.editor.selection"]').filter({ hasText: /Ln 12, Col 23 \(16 selected\)/ }).waitFor();
    const lens = wb.page.locator('.editor-group-container.active .codelens-decoration').filter({ hasText: /^Executions: \d+ running · \d+ failed$/ });
    await lens.waitFor();
    const [, running, failed] = /(\d+) running · (\d+) failed/.exec(await lens.innerText()) ?? [];
    await wb.page.mouse.move(900, 600); // no hover over the lens in the picture
    await wb.screenshot('go-to-source', { publish: true });

    // Collapse the execution, so that every execution row the filter leaves fits on screen. (Not by
    // clicking its row: the tree has scrolled, and the row on top is the sticky-scroll copy.)
    const execution = wb.execution(DEMO.failed, 'FAILED');
    await wb.clickViewAction('Collapse All');
    await wb.reveal(execution);
    await eventually('the execution to collapse', async () => ((await execution.getAttribute('aria-expanded')) === 'false' ? true : undefined), UI_TIMEOUT_MS);
    await lens.locator('a').first().click();
    // The filter is on: the title bar offers Clear Filter, and the view's description names the workflow
    // (in the DOM; VS Code does not draw a view's description when it is alone in its container).
    await wb.sidebar.getByRole('button', { name: 'Clear Filter', exact: true }).filter({ visible: true }).waitFor();
    await wb.sidebar.locator('.description').filter({ hasText: 'Filter: workflow: order-fulfillment' }).first().waitFor({ state: 'attached' });
    const isExecution = (row: string): boolean => / [A-Z_]+ [0-9a-f-]{36}$/.test(row);
    const rows = await eventually('the view to show only order-fulfillment executions', async () => {
      const shown = (await wb.visibleRows()).filter(isExecution);
      return shown.length > 0 && shown.every((r) => r.startsWith('order-fulfillment ')) ? shown : undefined;
    }, UI_TIMEOUT_MS);
    // The lens counted what the filtered view shows (the demo data has fewer rows than a page).
    assert.equal(rows.filter((r) => / RUNNING /.test(r)).length, Number(running), `running: ${rows.join(' | ')}`);
    assert.equal(rows.filter((r) => / FAILED /.test(r)).length, Number(failed), `failed: ${rows.join(' | ')}`);
    assert.equal(resetRequests(s), 0);
  });

  it('Compare with Previous Run on an execution with earlier runs opens the diff editor on the two histories', async () => {
    // A narrower sidebar leaves the diff editor room for its side-by-side layout.
    // No minimap: the picture stays small (and the diff's own overview ruler shows where changes are).
    const { wb } = await start({ settings: { 'editor.minimap.enabled': false } }, 380);
    const execution = wb.execution(DEMO.reset, 'COMPLETED');
    await wb.expand(execution);
    await wb.expand(await wb.reveal(wb.treeRow('Earlier runs (2)')));
    const menu = await wb.contextMenu(execution);
    assert.ok(menu.includes('Compare with Previous Run'), `menu on the execution: ${menu.join(', ')}`);
    await wb.clickMenuItem('Compare with Previous Run');

    const tab = wb.page.locator('.tab.active').filter({ hasText: /^invoice-sync: run \S+ ↔ run \S+/ });
    await tab.waitFor();
    const diff = wb.page.locator('.editor-group-container.active .monaco-diff-editor');
    await diff.waitFor();
    // Something really differs (the seeded resets changed what ran), and each side has lines.
    await diff.locator('.line-insert, .line-delete, .char-insert, .char-delete').first().waitFor();
    assert.ok((await diff.locator('.view-line').count()) > 2, 'the histories are drawn');
    await wb.page.mouse.move(wb.page.viewportSize()?.width ?? 1270, 790);
    await wb.screenshot('compare-runs', { publish: true });
  });

  it('Reset Selected Executions… on three Ctrl-clicked executions: one confirmation, three resets', async () => {
    const { s, wb } = await start({ sandbox: { completionDelayMs: 60_000 } });
    await wb.reveal(wb.execution(DEMO.failed, 'FAILED'));
    const failedRows = (await wb.visibleRows()).filter((r) => /^\S+ FAILED [0-9a-f-]{36}$/.test(r));
    assert.ok(failedRows.length >= 3, `three FAILED executions on screen: ${failedRows.join(' | ')}`);
    const chosen = failedRows.slice(0, 3);
    for (const name of chosen) await wb.treeItem(name).click({ modifiers: ['ControlOrMeta'] });
    for (const name of chosen) assert.equal(await wb.treeItem(name).getAttribute('aria-selected'), 'true', `${name} is selected`);

    const menu = await wb.contextMenu(wb.treeItem(chosen[1]));
    assert.ok(menu.includes('Reset Selected Executions…'), `menu on the selection: ${menu.join(', ')}`);
    await wb.clickMenuItem('Reset Selected Executions…');
    await wb.waitForQuickInput('Reset 3 executions: reset point');
    await wb.quickPickItem(/^Last workflow task/).click();
    const reason = await wb.waitForQuickInput('Reset execution (1/3): reason');
    await reason.fill(REASON);
    await reason.press('Enter');
    const options = await wb.waitForQuickInput('Reset 3 executions: options');
    await options.press('Enter');

    await wb.dialog.waitFor();
    const details = await wb.dialog.innerText();
    assert.match(details, /Reset 3 executions to their last workflow task\?/);
    assert.equal(resetRequests(s), 0, 'nothing is sent before the confirmation');
    await wb.screenshot('batch-reset', { publish: true });
    await wb.dialog.getByRole('button', { name: 'Reset 3', exact: true }).click();

    await eventually('three resets', () => (s.sandbox.resets.length === 3 ? true : undefined), UI_TIMEOUT_MS);
    const ids = chosen.map((r) => r.split(' ').at(-1));
    assert.deepEqual(s.sandbox.resets.map((r) => r.executionId).sort(), [...ids].sort());
    assert.ok(s.sandbox.resets.every((r) => r.reason === REASON));
    assert.equal(resetRequests(s), 3, 'one request per execution');
  });

  it('Watch Execution marks a running execution “watching”', async () => {
    const { wb } = await start();
    const running = wb.execution(DEMO.running, 'RUNNING');
    const menu = await wb.contextMenu(running);
    assert.ok(menu.includes('Watch Execution'), `menu on the running execution: ${menu.join(', ')}`);
    await wb.clickMenuItem('Watch Execution');
    await running.locator('.label-description').filter({ hasText: 'watching' }).waitFor();
    const after = await wb.contextMenu(running);
    assert.ok(after.includes('Stop Watching Execution') && !after.includes('Watch Execution'), `menu once watched: ${after.join(', ')}`);
    await wb.closeMenu();
    await wb.page.mouse.move(1270, 790);
    await wb.screenshot('live-watch', { publish: true });
  });

  it('Copy Reset as Python on a reset point: the SDK call, with the key read from the environment', async () => {
    const { s, wb } = await start();
    await s.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await wb.expand(wb.execution(DEMO.failed, 'FAILED'));
    const menu = await wb.contextMenu(wb.event(16, 'WORKFLOW_TASK_COMPLETED'));
    assert.ok(menu.includes('Copy Reset as Python') && menu.includes('Copy Reset as curl'), `menu on a reset point: ${menu.join(', ')}`);
    await wb.page.locator('.context-view').getByRole('menuitem', { name: 'Copy Reset as Python' }).hover();
    await wb.screenshot('copy-as-code', { publish: true });
    await wb.clickMenuItem('Copy Reset as Python');

    // The copy goes through the extension host to the browser's clipboard: wait until it has landed.
    // (A string: this project compiles without the DOM library, and this runs in the page.)
    await eventually('the code to reach the clipboard', async () =>
      ((await wb.page.evaluate<string>('navigator.clipboard.readText()').catch(() => '')).includes('reset_workflow') ? true : undefined), UI_TIMEOUT_MS,
    );
    // Paste it into a new editor, as a person would.
    await wb.page.keyboard.press('ControlOrMeta+KeyN');
    await wb.page.locator('.tab.active').filter({ hasText: /^Untitled/ }).waitFor();
    await wb.page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
    await wb.page.keyboard.press('ControlOrMeta+KeyV');
    const pasted = await eventually('the copied code to appear in the editor', async () => {
      const shown = await activeEditorText(wb);
      return shown.includes('reset_workflow') ? shown : undefined;
    }, UI_TIMEOUT_MS);
    assert.ok(pasted.includes(DEMO.failed), pasted);
    assert.match(pasted, /MISTRAL_API_KEY/);
    assert.ok(!pasted.includes(s.sandbox.apiKey), 'never the key itself');
    assert.equal(resetRequests(s), 0);
  });
});
