/**
 * The product's story on the REAL engine, as a person's clicks: the order failed on the bug; Go to
 * Source opens the activity; the fix is saved (the worker restarts with it); Reset to Before This
 * Step on the failed activity; the new run completes, as the engine reports and the tree then shows.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Context } from 'mocha';
import { attr, normalizeHistory } from '../../src/api';
import { ENGINE_DEMO, untilStatus } from '../../sandbox/engine/sandbox';
import { eventually } from '../helpers/eventually';
import { Session, TEMPORAL_WORKSPACE, endSession, reasonThenConfirm, resetRequests, startSession } from './workbench';

const REASON = 'Fixed the shipping address key in create_shipment';

describe('On the real engine, in the VS Code UI', function () {
  this.timeout(240_000);
  let session: Session | undefined;
  afterEach(async function (this: Context) {
    const current = session;
    session = undefined;
    await endSession(current, this.currentTest);
  });

  it('the order failed on the bug: Go to Source, save the fix, Reset to Before This Step; the new run completes', async () => {
    session = await startSession({ engine: true });
    const { wb } = session;
    const engine = session.engine;
    assert.ok(engine);
    const events = normalizeHistory(await engine.temporal.historyAll(ENGINE_DEMO.failed));
    const failed = events.find((e) => e.type === 'ACTIVITY_TASK_FAILED');
    assert.ok(failed?.eventId, 'the engine recorded the failed activity');

    await wb.expand(wb.execution(ENGINE_DEMO.failed, 'FAILED'));
    const row = wb.event(failed.eventId, 'ACTIVITY_TASK_FAILED');
    await wb.reveal(row);
    assert.ok((await wb.contextMenu(row)).includes('Go to Source'));
    await wb.clickMenuItem('Go to Source');
    await wb.page.locator('.tab.active').filter({ hasText: 'activities.py' }).waitFor();

    // The fix, saved into the file the worker runs (as saving it from the editor does).
    const file = path.join(session.layout.workspace, 'workflows', 'activities.py');
    const restarts = engine.workerRestarts;
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('order["shipping_address"]', 'order["address"]'));
    await eventually('the worker to restart with the fix', () => (engine.workerRestarts > restarts ? true : undefined), 60_000);

    const menu = await wb.contextMenu(row);
    assert.ok(menu.includes('Reset to Before This Step…'), menu.join(', '));
    await wb.clickMenuItem('Reset to Before This Step…');
    await reasonThenConfirm(wb, REASON);
    await wb.notification(/New run/).waitFor();
    assert.equal(resetRequests(session), 1, 'one reset sent');

    await untilStatus(engine.temporal, ENGINE_DEMO.failed, 'COMPLETED');
    const marker = normalizeHistory(await engine.temporal.historyAll(ENGINE_DEMO.failed)).find((e) => e.type === 'WORKFLOW_TASK_FAILED');
    assert.equal(attr(marker ?? failed, 'failure.message'), REASON, 'the engine recorded the reason');
    await wb.clickViewAction('Refresh');
    await wb.reveal(wb.execution(ENGINE_DEMO.failed, 'COMPLETED'));
    await wb.screenshot('engine-story', { publish: true });
  });

  it('after the fix, Check Workflow Code Against History marks the reset points; Reset to Last Safe Point; the new run completes', async () => {
    session = await startSession({ engine: true });
    const { wb } = session;
    const engine = session.engine;
    assert.ok(engine);
    const before = normalizeHistory(await engine.temporal.historyAll(ENGINE_DEMO.failed));
    const failed = before.find((e) => e.type === 'ACTIVITY_TASK_FAILED');
    const scheduled = before.find((e) => e.eventId === Number(attr(failed ?? before[0], 'scheduled_event_id')));
    const point = Number(attr(scheduled ?? before[0], 'workflow_task_completed_event_id'));
    assert.ok(Number.isInteger(point) && point > 0, 'the engine records the task that scheduled the failed activity');

    const file = path.join(session.layout.workspace, 'workflows', 'activities.py');
    const restarts = engine.workerRestarts;
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('order["shipping_address"]', 'order["address"]'));
    await eventually('the worker to restart with the fix', () => (engine.workerRestarts > restarts ? true : undefined), 60_000);

    const execution = wb.execution(ENGINE_DEMO.failed, 'FAILED');
    await wb.expand(execution);
    await wb.reveal(wb.event(point, 'WORKFLOW_TASK_COMPLETED'));
    const menu = await wb.contextMenu(execution);
    assert.ok(menu.includes('Check Workflow Code Against History'), menu.join(', '));
    await wb.clickMenuItem('Check Workflow Code Against History');
    await wb.notification(/replays .* cleanly/).waitFor({ timeout: 60_000 });
    const marked = wb.treeItem(new RegExp(`^Event ${point} WORKFLOW_TASK_COMPLETED .*replays with your code`));
    await marked.waitFor();
    await wb.screenshot('replay-check', { publish: true });

    await wb.clearNotifications();
    assert.ok((await wb.contextMenu(execution)).includes('Reset to Last Safe Point…'));
    await wb.clickMenuItem('Reset to Last Safe Point…');
    await reasonThenConfirm(wb, 'Fixed the address key; the replay check passed');
    await wb.notification(/New run/).waitFor();
    assert.equal(resetRequests(session), 1, 'one reset sent');
    await untilStatus(engine.temporal, ENGINE_DEMO.failed, 'COMPLETED');
    const after = normalizeHistory(await engine.temporal.historyAll(ENGINE_DEMO.failed));
    const marker = after.find((e) => e.type === 'WORKFLOW_TASK_FAILED' && attr(e, 'cause') !== undefined && /RESET/.test(String(attr(e, 'cause'))));
    assert.equal(marker?.eventId, point, 'the engine reset to the last safe point: the task before the failed step');
  });

  it('on a Temporal workspace (the engine’s own HTTP API): the tree, Reset to Here, the new run completes', async () => {
    session = await startSession({ engine: true, temporalWorkspace: true });
    const { wb } = session;
    const engine = session.engine;
    assert.ok(engine);
    await wb.page.locator('#workbench\\.parts\\.statusbar').getByText(`Temporal: ${TEMPORAL_WORKSPACE}`).waitFor();
    const before = normalizeHistory(await engine.temporal.historyAll(ENGINE_DEMO.waiting));
    const point = before.filter((e) => e.type === 'WORKFLOW_TASK_COMPLETED').at(-1);
    assert.ok(point?.eventId, 'the waiting order has a completed workflow task');
    const runBefore = (await engine.temporal.describe(ENGINE_DEMO.waiting)).execution.runId;

    await wb.expand(wb.execution(ENGINE_DEMO.waiting, 'RUNNING'));
    const row = wb.event(point.eventId, 'WORKFLOW_TASK_COMPLETED');
    await wb.reveal(row);
    await wb.screenshot('temporal-workspace', { publish: true });
    assert.ok((await wb.contextMenu(row)).includes('Reset to Here…'));
    await wb.clickMenuItem('Reset to Here…');
    await reasonThenConfirm(wb, 'Reset from a Temporal workspace in the UI');
    await wb.notification(/New run/).waitFor();
    assert.equal(resetRequests(session), 0, 'nothing went through the Mistral API: the reset went to the engine directly');

    const after = normalizeHistory(await engine.temporal.historyAll(ENGINE_DEMO.waiting));
    const marker = after.find((e) => e.type === 'WORKFLOW_TASK_FAILED');
    assert.equal(attr(marker ?? after[0], 'failure.message'), 'Reset from a Temporal workspace in the UI');
    assert.notEqual((await engine.temporal.describe(ENGINE_DEMO.waiting)).execution.runId, runBefore, 'the engine started a new run');
    // The demo's bug would fail the order at create_shipment: the fix first, then the approval.
    const file = path.join(session.layout.workspace, 'workflows', 'activities.py');
    const restarts = engine.workerRestarts;
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('order["shipping_address"]', 'order["address"]'));
    await eventually('the worker to restart with the fix', () => (engine.workerRestarts > restarts ? true : undefined), 60_000);
    await engine.temporal.signal(ENGINE_DEMO.waiting, 'approve', { input: [{ by: 'warehouse' }] });
    await untilStatus(engine.temporal, ENGINE_DEMO.waiting, 'COMPLETED');
    await wb.clickViewAction('Refresh');
    await wb.reveal(wb.execution(ENGINE_DEMO.waiting, 'COMPLETED'));
  });
});
