/**
 * UI end-to-end tests of incidents (README: “Group by Problem”): the Executions view grouped by problem
 * from its title bar, a group expanded into its executions, the stuck runs' group and its message, and
 * Go to Source on a group, as a person's clicks and keys in a real VS Code workbench. What the groups
 * must hold is read from the sandbox's own data, not from the extension. Run by test/e2e/run.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Context } from 'mocha';
import { DEMO, STUCK_MESSAGE } from '../../sandbox/server';
import { eventually } from '../helpers/eventually';
import { PYTHON_FIXTURE, Session, endSession, resetRequests, sandboxGet, startSession, UI_TIMEOUT_MS, type Workbench } from './workbench';
import { escapeRegExp } from '../helpers/regexp';

/** Wide enough for a group's label and description on one row (the picture too). */
const SIDEBAR_WIDTH = 880;
const WORKFLOW = 'order-fulfillment';
const ACTIVITY = 'create_shipment';
/** The two, as they go into a regular expression. */
const WORKFLOW_RE = escapeRegExp(WORKFLOW);
const ACTIVITY_RE = escapeRegExp(ACTIVITY);

/** One row of `GET /runs` (one per run). */
interface RunRow {
  execution_id: string;
  workflow_name: string;
  status: string;
}

/** One event as the sandbox's history returns it (its default “seed” shape). */
interface SeedEvent {
  event_id: number;
  event_type: string;
  attributes: Record<string, unknown>;
}

/** The failure object of a failed activity or workflow task, as the seed shape writes it. */
interface SeedFailure {
  message?: string;
  application_failure_info?: { type?: string };
}

/** What the seed holds for the two groups the test looks at, read through the sandbox's API. */
interface SeededIncidents {
  /** Executions whose latest run failed on create_shipment with a KeyError. */
  shipmentFailures: string[];
  /** Running executions whose last workflow task failed on non-determinism (nothing completed since). */
  wedged: string[];
  /** The wedged runs' workflow-task failure messages. */
  wedgedMessages: Set<string>;
}

let session: Session | undefined;

/** The order-fulfillment executions' latest runs and histories, classified by their own events. */
async function readSeededIncidents(s: Session): Promise<SeededIncidents> {
  const { executions: rows } = await sandboxGet<{ executions: RunRow[] }>(s.sandbox, '/runs?page_size=1000');
  const ids = [...new Set(rows.filter((r) => r.workflow_name === WORKFLOW).map((r) => r.execution_id))];
  const seeded: SeededIncidents = { shipmentFailures: [], wedged: [], wedgedMessages: new Set() };
  for (const id of ids) {
    const latest = await sandboxGet<RunRow>(s.sandbox, `/executions/${id}`);
    const { events } = await sandboxGet<{ events: SeedEvent[] }>(s.sandbox, `/executions/${id}/history`);
    const failureOf = (e: SeedEvent): SeedFailure => (e.attributes.failure ?? {}) as SeedFailure;
    if (latest.status === 'FAILED') {
      const shipmentFailed = events.some((e) => {
        if (e.event_type !== 'ACTIVITY_TASK_FAILED' || failureOf(e).application_failure_info?.type !== 'KeyError') return false;
        const scheduled = events.find((x) => x.event_id === Number(e.attributes.scheduled_event_id));
        return (scheduled?.attributes.activity_type as { name?: string } | undefined)?.name === ACTIVITY;
      });
      if (shipmentFailed) seeded.shipmentFailures.push(id);
    }
    if (latest.status === 'RUNNING') {
      const last = (type: string): SeedEvent | undefined => events.filter((e) => e.event_type === type).at(-1);
      const lastFailed = last('WORKFLOW_TASK_FAILED');
      const lastCompleted = last('WORKFLOW_TASK_COMPLETED');
      if (lastFailed?.attributes.cause === 'NON_DETERMINISTIC_ERROR' && lastFailed.event_id > (lastCompleted?.event_id ?? 0)) {
        seeded.wedged.push(id);
        seeded.wedgedMessages.add(failureOf(lastFailed).message ?? '');
      }
    }
  }
  return seeded;
}

/** `N executions` as a group's description starts. */
function executions(n: number): string {
  return `${n} execution${n === 1 ? '' : 's'}`;
}

/** The rendered rows with their tree level, top to bottom. */
function rowsWithLevel(wb: Workbench): Promise<{ name: string; level: number }[]> {
  return wb.sidebar.getByRole('treeitem').evaluateAll((rows) =>
    rows.map((r) => ({ name: r.getAttribute('aria-label') ?? '', level: Number(r.getAttribute('aria-level')) })),
  );
}

/** The accessible names of the rows right under the (expanded, drawn) root row whose name starts with `prefix`. */
async function childrenOf(wb: Workbench, prefix: string): Promise<string[]> {
  const rows = await rowsWithLevel(wb);
  const at = rows.findIndex((r) => r.level === 1 && r.name.startsWith(prefix));
  assert.ok(at >= 0, `a root row ${prefix}…: ${rows.map((r) => r.name).join(' | ')}`);
  const end = rows.findIndex((r, i) => i > at && r.level === 1);
  const children = rows.slice(at + 1, end < 0 ? undefined : end);
  assert.ok(children.every((r) => r.level === 2), `only the group's own rows, not their events: ${children.map((r) => `${r.level} ${r.name}`).join(' | ')}`);
  return children.map((r) => r.name);
}

/** Where `async def <name>` names its function in the fixture's activities.py: 1-based line and columns. */
function definitionOf(name: string): { file: string; line: number; startColumn: number; endColumn: number } {
  const file = path.join(PYTHON_FIXTURE, 'workflows', 'activities.py');
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((l) => new RegExp(`^async def ${escapeRegExp(name)}\\(`).test(l));
  assert.ok(index >= 0, `the fixture defines ${name}`);
  const startColumn = lines[index].indexOf(name) + 1;
  return { file: path.basename(file), line: index + 1, startColumn, endColumn: startColumn + name.length };
}

describe('Incidents, in the VS Code UI', function () {
  afterEach(async function (this: Context) {
    const current = session;
    session = undefined;
    await endSession(current, this.currentTest);
  });

  it('Group by Problem from the title bar: the seed’s incidents as groups, one expanded, the stuck runs’ message, Go to Source on a group', async () => {
    session = await startSession({ fixture: PYTHON_FIXTURE, settings: { 'editor.minimap.enabled': false } }, SIDEBAR_WIDTH);
    const s = session;
    const { wb } = s;
    await wb.reveal(wb.execution(DEMO.failed, 'FAILED'));

    const seeded = await readSeededIncidents(s);
    assert.ok(seeded.shipmentFailures.includes(DEMO.failed), `the demo failure is one of the create_shipment failures: ${seeded.shipmentFailures.join(', ')}`);
    assert.deepEqual([...seeded.wedged].sort(), [DEMO.stuck, DEMO.stuckSecond, DEMO.stuckThird].sort(), 'the runs the deploy wedged');
    assert.deepEqual([...seeded.wedgedMessages], [STUCK_MESSAGE], 'one non-determinism message');

    // The title bar's button, as a person turns it on; it then offers the way back.
    await wb.clickViewAction('Group by Problem');
    await wb.sidebar.getByRole('button', { name: 'Show All Executions', exact: true }).filter({ visible: true }).waitFor();

    // Each group's row: `<workflow> · <step>`, then `N executions · <error type> · [N stuck ·] last seen …`.
    const shipment = wb.treeItem(new RegExp(`^${WORKFLOW_RE} · ${ACTIVITY_RE}, ${executions(seeded.shipmentFailures.length)} · KeyError · last seen `));
    const stuck = wb.treeItem(new RegExp(
      `^${WORKFLOW_RE} · workflow task, ${executions(seeded.wedged.length)} · NON_DETERMINISTIC_ERROR · ${seeded.wedged.length} stuck · last seen `,
    ));
    // Waited for, not revealed: paging the tree (reveal) would move the focus, and the groups are its first rows.
    await shipment.waitFor({ timeout: UI_TIMEOUT_MS });
    await stuck.waitFor({ timeout: UI_TIMEOUT_MS });
    assert.match(await shipment.locator('.label-name').innerText(), new RegExp(`^${WORKFLOW_RE} · ${ACTIVITY_RE}$`));
    assert.match(await shipment.locator('.label-description').innerText(), new RegExp(`^${executions(seeded.shipmentFailures.length)} · KeyError · last seen `));
    // Only groups at the top: no execution row, and no “Load more” (the page the view groups is all of the seed).
    const roots = (await rowsWithLevel(wb)).filter((r) => r.level === 1).map((r) => r.name);
    assert.ok(roots.length > 0 && roots.every((r) => / · .*, \d+ executions? · /.test(r)), `the roots are problem groups: ${roots.join(' | ')}`);

    // Expanded: that group's executions, as the usual execution rows, and nothing else.
    await wb.expand(shipment);
    for (const id of seeded.shipmentFailures) await wb.execution(id, 'FAILED').waitFor({ timeout: UI_TIMEOUT_MS });
    assert.deepEqual(
      (await childrenOf(wb, `${WORKFLOW} · ${ACTIVITY},`)).sort(),
      seeded.shipmentFailures.map((id) => `${WORKFLOW} FAILED ${id}`).sort(),
      'the executions that failed on create_shipment with a KeyError',
    );

    // The picture: the grouped view with the create_shipment group open, no hover, no progress toast.
    await wb.notification(/Reading the histories of/).waitFor({ state: 'hidden' });
    await wb.page.mouse.move(1270, 790);
    await wb.screenshot('group-by-problem', { publish: true });

    // The stuck group, opened (clicked, so focused): its hover from the keyboard (Ctrl+K Ctrl+I on the focused
    // row) has the deploy's message in full.
    await wb.expand(stuck);
    await eventually('the stuck group to have the focus', async () => ((await stuck.getAttribute('class'))?.split(' ').includes('focused') ? true : undefined), UI_TIMEOUT_MS);
    await wb.page.keyboard.press('ControlOrMeta+KeyK');
    await wb.page.keyboard.press('ControlOrMeta+KeyI');
    const hover = wb.page.locator('.monaco-hover').filter({ hasText: 'Latest example' });
    await hover.waitFor();
    const shown = (await hover.innerText()).replace(/\s+/g, ' ');
    assert.ok(shown.includes(`Latest example: ${STUCK_MESSAGE}`), `the hover has the non-determinism message: ${shown}`);
    assert.ok(shown.includes(`Stuck: ${seeded.wedged.length} running and stuck`), shown);
    await wb.page.keyboard.press('Escape');
    await hover.waitFor({ state: 'hidden' });
    // Its rows: the wedged runs, each saying why it is stuck (and a screen reader hears "and stuck").
    for (const id of seeded.wedged) {
      const row = wb.execution(id, 'RUNNING and stuck');
      await row.waitFor({ timeout: UI_TIMEOUT_MS });
      assert.match(await row.locator('.label-description').innerText(), /workflow task failing since .*Nondeterminism error/, id);
    }
    assert.deepEqual((await childrenOf(wb, `${WORKFLOW} · workflow task,`)).sort(), seeded.wedged.map((id) => `${WORKFLOW} RUNNING and stuck ${id}`).sort());

    // Go to Source with the group's inline icon: the definition of the step its executions failed in.
    const menu = await wb.contextMenu(shipment);
    assert.ok(menu.includes('Go to Source'), `menu on the group: ${menu.join(', ')}`);
    await wb.closeMenu();
    await shipment.hover();
    await shipment.getByRole('button', { name: 'Go to Source', exact: true }).click();
    const definition = definitionOf(ACTIVITY);
    await wb.page.locator('.tab.active').filter({ hasText: definition.file }).waitFor();
    // The name selected; the status bar shows the cursor at the selection's end.
    const selection = `Ln ${definition.line}, Col ${definition.endColumn} (${ACTIVITY.length} selected)`;
    await wb.page.locator('[id="status.editor.selection"]').filter({ hasText: new RegExp(`^${escapeRegExp(selection)}$`) }).waitFor();
    assert.equal(resetRequests(s), 0);
  });
});
