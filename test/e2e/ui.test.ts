/**
 * UI end-to-end tests: a person's clicks in a real VS Code workbench (code-server in headless Chromium),
 * with the extension installed from the VSIX, against a fresh sandbox per test. Run by test/e2e/run.ts.
 */
import * as assert from 'node:assert/strict';
import type { Context } from 'mocha';
import { DEMO } from '../../sandbox/server';
import { eventually } from '../helpers/eventually';
import { Session, endSession, reasonThenConfirm, resetRequests, sandboxGet, startSession, UI_TIMEOUT_MS, type SessionOptions, type Workbench } from './workbench';

const REASON = 'Deployed fix for KeyError in create_shipment (#512)';
const RESET_TO_HERE = 'Reset to Here…';
/** DEMO.failed: event 16 is a reset point followed by 2 signals (17, 32) and 1 update (24). */
const POINT = 16;
/** Wide enough that tree rows are not cut (screenshots too). */
const SIDEBAR_WIDTH = 560;

let session: Session | undefined;

async function start(options?: SessionOptions): Promise<{ s: Session; wb: Workbench }> {
  session = await startSession(options, SIDEBAR_WIDTH);
  return { s: session, wb: session.wb };
}

afterEach(async function (this: Context) {
  const current = session;
  session = undefined;
  await endSession(current, this.currentTest);
});

/** Expands DEMO.failed and opens “Reset to Here…” on event `id`; returns the reason box. */
async function resetToHere(wb: Workbench, id = POINT): Promise<void> {
  await wb.expand(wb.execution(DEMO.failed, 'FAILED'));
  await wb.contextMenu(wb.event(id, 'WORKFLOW_TASK_COMPLETED'));
  await wb.clickMenuItem(RESET_TO_HERE);
}

describe('Mistral Workflows in the VS Code UI', function () {
  it('first run without a key: the welcome view’s Set API Key, a password box, then the executions', async () => {
    const { s, wb } = await start({ apiKey: null });
    const setKey = wb.sidebar.getByRole('button', { name: 'Set API Key' });
    // Temporal users are told they can add their cluster from here.
    await wb.sidebar.getByRole('button', { name: 'Add Workspace' }).waitFor();
    await setKey.click();
    const input = await wb.waitForQuickInput(/API key for Mistral: sandbox/);
    assert.equal(await input.getAttribute('type'), 'password', 'the key is typed into a password box');
    await input.fill(s.sandbox.apiKey);
    await input.press('Enter');
    await wb.reveal(wb.execution(DEMO.failed, 'FAILED'));
    await setKey.waitFor({ state: 'hidden' });
    assert.ok(s.sandbox.requests.length > 0 && s.sandbox.requests.every((r) => r.authorized), 'every request carried the key');
  });

  it('offers “Reset to Here…” on a WORKFLOW_TASK_COMPLETED event only', async () => {
    const { wb } = await start();
    const execution = wb.execution(DEMO.failed, 'FAILED');
    await wb.expand(execution);

    const onPoint = await wb.contextMenu(wb.event(POINT, 'WORKFLOW_TASK_COMPLETED'));
    assert.ok(onPoint.includes(RESET_TO_HERE), `menu on event ${POINT}: ${onPoint.join(', ')}`);
    await wb.page.locator('.context-view').getByRole('menuitem', { name: RESET_TO_HERE }).hover();
    await wb.screenshot('reset-menu', { publish: true });
    await wb.closeMenu();

    const onActivity = await wb.contextMenu(wb.event(5, 'ACTIVITY_TASK_SCHEDULED'));
    assert.ok(onActivity.includes('Show Event Details'), `the event menu opened: ${onActivity.join(', ')}`);
    assert.ok(!onActivity.includes(RESET_TO_HERE), `menu on an activity event: ${onActivity.join(', ')}`);
    await wb.closeMenu();

    const onExecution = await wb.contextMenu(execution);
    assert.ok(onExecution.includes('Reset Execution…'), `the execution menu opened: ${onExecution.join(', ')}`);
    assert.ok(!onExecution.includes(RESET_TO_HERE), `menu on the execution: ${onExecution.join(', ')}`);
    await wb.closeMenu();
  });

  it('resets to here: reason, “Exclude signals”, confirmation; one reset sent; the new run shows and completes', async () => {
    const { s, wb } = await start({ sandbox: { completionDelayMs: 2_000 } });
    await resetToHere(wb);

    const reason = await wb.waitForQuickInput('Reset execution (1/3): reason');
    await reason.fill(REASON);
    await reason.press('Enter');

    const options = await wb.waitForQuickInput('Reset execution (2/3): options');
    const signals = wb.quickPickItem(/^Exclude signals received after this point \(2\)/);
    await wb.quickPickItem(/^Exclude updates received after this point \(1\)/).waitFor();
    await signals.click();
    await eventually('the signals option to be checked', async () => ((await signals.getAttribute('aria-checked')) === 'true') || undefined, UI_TIMEOUT_MS);
    await wb.screenshot('reset-options');
    await options.press('Enter');

    await wb.dialog.waitFor();
    const details = await wb.dialog.innerText();
    assert.match(details, new RegExp(`Reset “order-fulfillment” to event ${POINT}\\?`));
    assert.match(details, /Signals after this point: 2 .*exclude/i);
    assert.ok(details.includes(REASON), details);
    assert.equal(resetRequests(s), 0, 'nothing is sent before the confirmation');
    await wb.screenshot('reset-confirm', { publish: true });
    await wb.dialog.getByRole('button', { name: 'Reset', exact: true }).click();

    const sent = await eventually('the sandbox to receive the reset', () => s.sandbox.resets[0], UI_TIMEOUT_MS);
    await wb.notification(/New run/).waitFor();
    assert.equal(resetRequests(s), 1, 'exactly one reset request');
    assert.deepEqual(
      { executionId: sent.executionId, eventId: sent.eventId, reason: sent.reason, excludeSignals: sent.excludeSignals, excludeUpdates: sent.excludeUpdates },
      { executionId: DEMO.failed, eventId: POINT, reason: REASON, excludeSignals: true, excludeUpdates: false },
    );

    // The new run: the execution row follows it, the old run is an earlier run, the reset marker shows.
    await wb.reveal(wb.execution(DEMO.failed, 'RUNNING'));
    await wb.reveal(wb.treeRow('Earlier runs (1)'));
    await wb.reveal(wb.event(POINT + 1, 'WORKFLOW_TASK_FAILED'));
    // The progress toast has gone and only the result is on screen.
    await wb.notification(/Resetting order-fulfillment to event/).waitFor({ state: 'hidden' });
    await wb.screenshot('new-run', { publish: true });

    // After the sandbox's delay the run completes; the view's Refresh button shows it.
    await eventually('the new run to complete in the sandbox', async () =>
      (await sandboxGet<{ status?: string }>(s.sandbox, `/executions/${DEMO.failed}`)).status === 'COMPLETED' || undefined, UI_TIMEOUT_MS,
    );
    await wb.clearNotifications();
    await wb.clickViewAction('Refresh');
    await wb.reveal(wb.execution(DEMO.failed, 'COMPLETED'));
    assert.equal(s.sandbox.resets.length, 1, 'still exactly one reset');
  });

  it('refuses an empty reason inline, and Escape at the confirmation sends nothing', async () => {
    const { s, wb } = await start();
    await resetToHere(wb);

    const reason = await wb.waitForQuickInput('Reset execution (1/3): reason');
    await reason.press('Enter');
    await wb.quickInputMessage().filter({ hasText: /reason is required/i }).waitFor();
    // Still the reason step: the empty answer was not taken.
    await wb.waitForQuickInput('Reset execution (1/3): reason');
    await wb.screenshot('reason-required');

    await reason.fill(REASON);
    await reason.press('Enter');
    const options = await wb.waitForQuickInput('Reset execution (2/3): options');
    await options.press('Enter');
    await wb.dialog.waitFor();
    await wb.page.keyboard.press('Escape');
    await wb.dialog.waitFor({ state: 'hidden' });

    // Prove the extension has moved on (a later request reaches the sandbox) before checking nothing was sent.
    const before = s.sandbox.requests.length;
    await wb.clickViewAction('Refresh');
    await eventually('the refresh to reach the sandbox', () => (s.sandbox.requests.length > before ? true : undefined), UI_TIMEOUT_MS);
    await wb.reveal(wb.execution(DEMO.failed, 'FAILED'));
    assert.equal(resetRequests(s), 0, 'no reset request');
    assert.equal(s.sandbox.resets.length, 0);
  });

  it('Reset Execution… from the command palette: an execution id, then the reset-point picker', async () => {
    const { s, wb } = await start();
    await wb.reveal(wb.execution(DEMO.failed, 'FAILED')); // the view has loaded

    await wb.runCommand('Mistral Workflows: Reset Execution…');
    const id = await wb.waitForQuickInput('Reset Execution');
    await id.fill(DEMO.failed);
    const useId = wb.quickPickItem(new RegExp(`Use execution id “${DEMO.failed}”`));
    await useId.click();

    await wb.waitForQuickInput(/choose the reset point/);
    await wb.quickPickItem(/First workflow task, event 4\b/).waitFor();
    const last = wb.quickPickItem(/Last workflow task, event 41\b/);
    await last.hover();
    await wb.screenshot('palette-reset-point', { publish: true });
    await last.click();

    await reasonThenConfirm(wb, REASON);

    const sent = await eventually('the sandbox to receive the reset', () => s.sandbox.resets[0], UI_TIMEOUT_MS);
    assert.deepEqual(
      { executionId: sent.executionId, eventId: sent.eventId, reason: sent.reason, excludeSignals: sent.excludeSignals, excludeUpdates: sent.excludeUpdates },
      { executionId: DEMO.failed, eventId: 41, reason: REASON, excludeSignals: false, excludeUpdates: false },
    );
    await wb.notification(/New run/).waitFor();
    assert.equal(resetRequests(s), 1);
  });

  it('in a production workspace, demands the execution id typed before sending', async () => {
    const { s, wb } = await start({ production: true });
    await resetToHere(wb);
    await reasonThenConfirm(wb, REASON);

    const confirm = await wb.waitForQuickInput('Production workspace “sandbox”: confirm the reset');
    await confirm.fill(DEMO.failed.slice(0, 8));
    await confirm.press('Enter');
    await wb.quickInputMessage().filter({ hasText: /Type the execution id exactly/ }).waitFor();
    await wb.waitForQuickInput('Production workspace “sandbox”: confirm the reset');
    await wb.screenshot('production-confirm');
    assert.equal(resetRequests(s), 0, 'nothing sent before the id is typed');

    await confirm.fill(DEMO.failed);
    await confirm.press('Enter');
    const sent = await eventually('the sandbox to receive the reset', () => s.sandbox.resets[0], UI_TIMEOUT_MS);
    assert.equal(sent.eventId, POINT);
    await wb.notification(/New run/).waitFor();
    assert.equal(resetRequests(s), 1);
  });

  it('pages: “Load more” on the 51,200-event execution adds a page of events', async () => {
    const { wb } = await start();
    await wb.expand(wb.execution(DEMO.big, 'COMPLETED'));
    await wb.reveal(wb.event(1, 'WORKFLOW_EXECUTION_STARTED'));
    const more = await wb.reveal(wb.treeRow('Load 500 more (500 of 51,200 events)'));
    // The last event of the first page is there, the first of the next is not.
    await wb.reveal(wb.treeItem(/^Event 500 /));
    assert.equal(await wb.treeItem(/^Event 501 /).count(), 0);
    await more.click();
    await wb.reveal(wb.treeRow('Load 500 more (1,000 of 51,200 events)'));
    await wb.reveal(wb.treeItem(/^Event 1000 /));
    assert.equal(await wb.treeRow('(500 of 51,200 events)').count(), 0, 'the old “Load more” row is gone');
  });

  it('pages the executions: “Load more executions…” adds a page', async () => {
    const { wb } = await start({ settings: { 'mistralWorkflows.executionsPageSize': 10 } });
    const more = await wb.reveal(wb.treeRow('Load more executions…'));
    const executions = async (): Promise<number> => (await wb.visibleRows()).filter((r) => / [A-Z_]+ [0-9a-f-]{36}$/.test(r)).length;
    // One page = 10 runs; runs of one execution share a row, so a page shows at most 10 executions.
    const firstPage = await executions();
    assert.ok(firstPage > 0 && firstPage <= 10, `first page: ${firstPage} executions`);
    await more.click();
    await eventually('a second page of executions', async () => ((await executions()) > firstPage ? true : undefined), UI_TIMEOUT_MS);
  });
});
