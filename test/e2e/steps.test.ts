/**
 * UI end-to-end tests of issue #15 (README: “Steps view”, “Find in History”, “Pending work and call
 * stack”), as a person's clicks in a real VS Code workbench. Run by test/e2e/run.ts.
 */
import * as assert from 'node:assert/strict';
import type { Context } from 'mocha';
import { DEMO } from '../../sandbox/server';
import { eventually } from '../helpers/eventually';
import { Session, endSession, resetRequests, sandboxGet, startSession, UI_TIMEOUT_MS, type Workbench } from './workbench';

const REASON = 'Deployed fix for KeyError in create_shipment (#512)';

interface SeedEvent {
  event_id: number;
  event_type: string;
  attributes: Record<string, unknown>;
}

let session: Session | undefined;

async function start(): Promise<{ s: Session; wb: Workbench }> {
  session = await startSession({ settings: { 'editor.minimap.enabled': false } });
  return { s: session, wb: session.wb };
}

describe('Steps, Find in History and Pending, in the VS Code UI', function () {
  afterEach(async function (this: Context) {
    const current = session;
    session = undefined;
    await endSession(current, this.currentTest);
  });

  it('Show Steps, Find a failure message, then Reset to Before This Step… from the search result', async () => {
    const { s, wb } = await start();
    const { events } = await sandboxGet<{ events: SeedEvent[] }>(s.sandbox, `/executions/${DEMO.failed}/history`);
    const failed = events.find((e) => e.event_type === 'ACTIVITY_TASK_FAILED');
    const scheduled = events.find((e) => e.event_id === Number(failed?.attributes.scheduled_event_id));
    const point = Number(scheduled?.attributes.workflow_task_completed_event_id);
    assert.ok(Number.isInteger(point) && point > 0, 'the failed activity names the workflow task that scheduled it');

    const execution = wb.execution(DEMO.failed, 'FAILED');
    await wb.expand(execution);
    await wb.clickViewAction('Show Steps');
    const step = wb.treeItem(/^Step activity create_shipment failed · /);
    await wb.reveal(step);
    await wb.reveal(wb.treeRow(/Reset point after activity charge_payment/));
    // The toggle turned: the title bar now offers the way back.
    await wb.sidebar.getByRole('button', { name: 'Show Events', exact: true }).filter({ visible: true }).waitFor();
    assert.ok(!(await wb.visibleRows()).some((r) => /WORKFLOW_TASK_SCHEDULED/.test(r)), 'workflow tasks fold away');
    await wb.page.mouse.move(1270, 790);
    await wb.screenshot('steps-view', { publish: true });

    const menu = await wb.contextMenu(execution);
    assert.ok(menu.includes('Find in History…'), `menu on the execution: ${menu.join(', ')}`);
    await wb.clickMenuItem('Find in History…');
    const input = await wb.waitForQuickInput(/^Find in History: order-fulfillment/);
    await input.fill('/(shipping/');
    await wb.quickInputMessage().filter({ hasText: 'is not a valid regular expression: unterminated group' }).waitFor();
    await input.fill('shipping_address');
    await input.press('Enter');
    await wb.quickInputClosed();
    const summary = wb.treeRow(/\d+ of 9 steps match “shipping_address”/);
    await wb.reveal(summary);
    await wb.reveal(step);
    const rows = await wb.visibleRows();
    assert.ok(!rows.some((r) => /^Step activity charge_payment /.test(r)), `only matching steps: ${rows.join(' | ')}`);
    await wb.page.mouse.move(1270, 790);
    await wb.screenshot('find-in-history', { publish: true });

    const stepMenu = await wb.contextMenu(step);
    assert.ok(stepMenu.includes('Reset to Before This Step…'), `menu on the found step: ${stepMenu.join(', ')}`);
    await wb.page.locator('.context-view').getByRole('menuitem', { name: 'Reset to Before This Step…' }).hover();
    await wb.screenshot('find-reset-before-step', { publish: true });
    await wb.clickMenuItem('Reset to Before This Step…');
    const reason = await wb.waitForQuickInput('Reset execution (1/3): reason');
    await reason.fill(REASON);
    await wb.quickInputMessage().filter({ hasText: `Resetting to event ${point}: ` }).waitFor();
    await reason.press('Enter');
    const options = await wb.waitForQuickInput('Reset execution (2/3): options');
    await options.press('Enter');
    await wb.dialog.waitFor();
    assert.match(await wb.dialog.innerText(), new RegExp(`Reset “order-fulfillment” to event ${point}\\?`));
    assert.equal(resetRequests(s), 0, 'nothing is sent before the confirmation');
    await wb.dialog.getByRole('button', { name: 'Reset', exact: true }).click();
    const sent = await eventually('the sandbox to receive the reset', () => s.sandbox.resets[0], UI_TIMEOUT_MS);
    assert.deepEqual([sent.executionId, sent.eventId, sent.reason], [DEMO.failed, point, REASON]);
    await wb.notification(/New run/).waitFor();
    assert.equal(resetRequests(s), 1, 'exactly one reset request');
  });

  it('Pending on a running execution lists what it waits on; Show Call Stack opens the stack-trace query', async () => {
    const { s, wb } = await start();
    await wb.expand(wb.execution(DEMO.pending, 'RUNNING'));
    const pending = wb.treeRow('Pending: 1 activity, 1 timer, 1 child workflow');
    await wb.expand(await wb.reveal(pending));
    const activity = await wb.reveal(wb.treeRow(/activity check_fraud_score/));
    assert.match(await activity.innerText(), /attempt 3/);
    assert.match(await activity.innerText(), /last failure: ServiceUnavailable: fraud-score service unavailable/);
    assert.match(await (await wb.reveal(wb.treeRow(/timer refund_sla/))).innerText(), /fires in/);
    await wb.reveal(wb.treeRow(/child workflow customer-notification/));
    await wb.page.mouse.move(1270, 790);
    await wb.screenshot('pending', { publish: true });

    const menu = await wb.contextMenu(pending);
    assert.ok(menu.includes('Show Call Stack'), `menu on the Pending row: ${menu.join(', ')}`);
    await wb.clickMenuItem('Show Call Stack');
    await wb.page.locator('.tab.active').filter({ hasText: 'call-stack.txt' }).waitFor();
    // Monaco draws spaces as no-break spaces.
    const text = (await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /Stack for the sandbox's stand-in of refund-processor/);
    assert.equal(s.sandbox.requests.filter((r) => r.path.endsWith('/queries')).length, 1, 'one query');
    await wb.screenshot('call-stack', { publish: true });
  });
});
