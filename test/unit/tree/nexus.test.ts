/**
 * The Executions view on the real Nexus histories (test/fixtures/real-histories/nexus-*), as a Temporal
 * workspace shows them: the tree's real modules over the bench's fake `vscode`, the real TemporalBackend
 * against a fake Temporal HTTP API on 127.0.0.1 that answers with the file's events, and the menus as
 * package.json contributes them (evaluated by the integration suite's `when` clause reader). Also a
 * history whose event types the extension does not know: every event still shows, by its type.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Execution } from '../../../src/api';
import { TemporalBackend, TemporalClient } from '../../../src/api/temporal';
import { COMMAND_IDS, VIEW_IDS } from '../../../src/commands/ids';
import type { EventNode } from '../../../src/tree/eventNode';
import { escapeMarkdownText } from '../../../src/tree/labels';
import type { TreeNode } from '../../../src/tree/node';
import type { StepNode } from '../../../src/tree/stepNode';
import { evaluateWhen } from '../../integration/helpers/whenClause';
import { json, startServer, type TestServer } from '../api/testServer';
import { treeServices, useFakeTree, type TreeModules } from '../helpers/fakeTree';
import type { Json } from '../../helpers/realHistoryReader';
import { loadReal } from '../helpers/realHistories';

const ROOT = path.resolve(__dirname, '../../../..');
const MENUS = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string }[]> } })
  .contributes.menus['view/item/context'];
const TOUR = loadReal('nexus-all-events-wf-completed.py.json');
const ORDER = loadReal('nexus-op-failed-wf-failed.py.json');

/**
 * The Nexus history as a server newer than the extension would send it, if Nexus were its new feature:
 * every NEXUS_OPERATION_* type renamed to a type nobody knows (and its attributes' key with it).
 */
function unknownTypes(raws: readonly Json[]): Json[] {
  return raws.map((raw) => {
    const type = String(raw.eventType);
    if (!type.startsWith('EVENT_TYPE_NEXUS_OPERATION_')) return raw;
    const out: Json = {};
    for (const [k, v] of Object.entries(raw)) out[k.startsWith('nexusOperation') ? k.replace('nexusOperation', 'futureCall') : k] = v;
    out.eventType = type.replace('EVENT_TYPE_NEXUS_OPERATION_', 'EVENT_TYPE_FUTURE_CALL_');
    return out;
  });
}

const RUNS: Record<string, { raws: readonly Json[]; status: string }> = {
  'nexus-tour-1': { raws: TOUR.raws, status: 'COMPLETED' },
  'nexus-order-1': { raws: ORDER.raws, status: 'FAILED' },
  // nexus_tour as it stood at event 38: the pickup begun at 33 asked to cancel, no answer yet.
  'nexus-tour-running': { raws: TOUR.raws.slice(0, 38), status: 'RUNNING' },
  'future-types': { raws: unknownTypes(ORDER.raws), status: 'FAILED' },
};

const label = (n: TreeNode): string => String(n.getTreeItem().label);
const contextOf = (n: TreeNode): string => n.getTreeItem().contextValue ?? '';
const iconOf = (n: TreeNode): string => (n.getTreeItem().iconPath as { id: string }).id;
const menuOf = (n: TreeNode): string[] =>
  MENUS.filter((m) => evaluateWhen(m.when ?? 'true', { view: VIEW_IDS.executions, viewItem: contextOf(n) })).map((m) => m.command);

describe('the Executions view on real Nexus histories (Temporal workspace)', () => {
  const modules = useFakeTree();
  let tree: TreeModules;
  let server: TestServer;
  let client: TemporalClient;
  let backend: TemporalBackend;
  let mode: 'events' | 'steps' = 'steps';

  before(async () => {
    tree = modules();
    server = await startServer((req, res) => {
      const id = /\/workflows\/([^/]+)\/history/.exec(req.url ?? '')?.[1] ?? '';
      const run = RUNS[decodeURIComponent(id)];
      if (run === undefined) return json(res, 404, { code: 5, message: 'workflow not found', details: [] });
      json(res, 200, { history: { events: run.raws }, nextPageToken: null, archived: false });
    });
    client = new TemporalClient({ baseUrl: server.baseUrl, namespace: 'default', timeoutMs: 5000, maxRetries: 0 });
    backend = new TemporalBackend(client);
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  async function open(workflowId: string): Promise<{ node: InstanceType<TreeModules['ExecutionNode']>; rows: TreeNode[] }> {
    const execution: Execution = { executionId: workflowId, workflowId, workflowName: 'nexus', runId: `${workflowId}-run`, status: RUNS[workflowId].status };
    const node = new tree.ExecutionNode(execution, { ...treeServices(backend, 500), historyMode: () => mode });
    await node.getChildren();
    await node.rows.history.load();
    return { node, rows: await node.getChildren() };
  }
  const stepRows = (rows: TreeNode[]): StepNode[] => rows.filter((r): r is StepNode => contextOf(r).startsWith('step '));

  it('shows each operation as a step, named endpoint · service · operation, with its outcome', async () => {
    mode = 'steps';
    const { rows } = await open('nexus-tour-1');
    const nexus = stepRows(rows).filter((s) => s.step.kind === 'nexus');
    assert.deepEqual(nexus.map((s) => [label(s), iconOf(s)]), [
      ['Nexus operation nexus-tour-carriers · CarrierService · quote', 'pass'],
      ['Nexus operation nexus-tour-carriers · CarrierService · book_pickup', 'pass'],
      ['Nexus operation nexus-tour-carriers · CarrierService · quote', 'error'],
      ['Nexus operation nexus-tour-carriers · CarrierService · book_pickup', 'error'],
      ['Nexus operation nexus-tour-carriers · CarrierService · book_pickup', 'circle-slash'],
      ['Nexus operation nexus-tour-carriers · CarrierService · book_pickup', 'watch'],
      ['Nexus operation nexus-tour-carriers · CarrierService · track', 'watch'],
    ]);
    const failed = nexus[3];
    assert.equal(contextOf(failed), 'step +nexus +failed +latest');
    assert.match(String(failed.getTreeItem().description), /^failed · .* · TooHeavy: parcel order-1-c weighs 40 kg, over the 30 kg limit$/);
    assert.ok(menuOf(failed).includes(COMMAND_IDS.resetBeforeStep), 'Reset to Before This Step on a Nexus step');
    const md = (text: string): string => escapeMarkdownText(text);
    assert.ok(failed.resolveTooltip().value.includes(`- Failure: ${md('TooHeavy: parcel order-1-c weighs 40 kg, over the 30 kg limit')}\n`));
    assert.ok(nexus[6].resolveTooltip().value.includes(`- Reason: ${md('cancel refused: BAD_REQUEST: track-order-1-f cannot be cancelled: the parcel is in transit')}\n`));
    assert.ok(rows.some((r) => label(r) === 'Reset point after Nexus operation nexus-tour-carriers · CarrierService · quote'), 'reset points name the operation before them');
  });

  it('expands a step into its events: each names the operation, offers Reset to Before This Step and Go to Source', async () => {
    mode = 'steps';
    const { rows } = await open('nexus-tour-1');
    const canceled = stepRows(rows).find((s) => s.step.status === 'canceled');
    assert.ok(canceled);
    const events = (await canceled.getChildren()) as EventNode[];
    assert.deepEqual(events.map(label), [
      '33 NEXUS_OPERATION_SCHEDULED', '34 NEXUS_OPERATION_STARTED', '38 NEXUS_OPERATION_CANCEL_REQUESTED',
      '39 NEXUS_OPERATION_CANCEL_REQUEST_COMPLETED', '43 NEXUS_OPERATION_CANCELED',
    ]);
    for (const e of events) {
      assert.equal(e.getTreeItem().description, 'nexus-tour-carriers · CarrierService · book_pickup', label(e));
      assert.equal(iconOf(e), 'plug');
      assert.equal(contextOf(e), 'event +nexus +latest');
      assert.ok(menuOf(e).includes(COMMAND_IDS.resetBeforeStep) && menuOf(e).includes(COMMAND_IDS.goToSource), label(e));
      assert.ok(e.resolveTooltip().value.includes(`- Detail: ${escapeMarkdownText('nexus-tour-carriers · CarrierService · book_pickup')}\n`), label(e));
    }
  });

  it('names the operation and the handler’s failure on the events view’s rows', async () => {
    mode = 'events';
    const { rows } = await open('nexus-order-1');
    const events = rows as EventNode[];
    assert.equal(events.length, 19);
    assert.deepEqual([14, 18].map((i) => [label(events[i]), events[i].getTreeItem().description, iconOf(events[i])]), [
      ['15 NEXUS_OPERATION_FAILED', 'nexus-tour-carriers · CarrierService · book_pickup: TooHeavy: parcel order-2 weighs 45 kg, over the 30 kg limit', 'plug'],
      ['19 WORKFLOW_EXECUTION_FAILED', 'TooHeavy: parcel order-2 weighs 45 kg, over the 30 kg limit', 'symbol-class'],
    ]);
    assert.ok(!menuOf(events[3]).includes(COMMAND_IDS.resetBeforeStep), 'not on a workflow task');
  });

  it('lists the operation a running execution waits on in its Pending row', async () => {
    mode = 'steps';
    const { rows } = await open('nexus-tour-running');
    const pending = rows[0];
    assert.equal(label(pending), 'Pending: 1 Nexus operation');
    const [line] = await pending.getChildren();
    assert.deepEqual([label(line), iconOf(line), contextOf(line)], ['Nexus operation nexus-tour-carriers · CarrierService · book_pickup', 'plug', 'pendingItem +nexus']);
    assert.match(String(line.getTreeItem().description), /^cancel requested · since /);
  });

  for (const view of ['events', 'steps'] as const) {
    it(`shows every event of a type it does not know, by its type, in the ${view} view`, async () => {
      mode = view;
      const { node, rows } = await open('future-types');
      const raws = RUNS['future-types'].raws;
      const unknown = raws.filter((r) => String(r.eventType).startsWith('EVENT_TYPE_FUTURE_CALL_')).map((r) => `${String(r.eventId)} ${String(r.eventType).slice('EVENT_TYPE_'.length)}`);
      assert.equal(unknown.length, 5);
      if (view === 'events') {
        assert.deepEqual(rows.map(label), raws.map((r) => `${String(r.eventId)} ${String(r.eventType).slice('EVENT_TYPE_'.length)}`));
        for (const row of rows.filter((r) => unknown.includes(label(r)))) {
          assert.equal(contextOf(row), 'event +other +latest');
          assert.equal(iconOf(row), 'circle-small');
        }
        return;
      }
      // Each its own step, named by its type in words, and its event under it: none dropped.
      const steps = stepRows(rows).filter((s) => s.step.kind === 'other');
      assert.deepEqual(steps.map(label), ['future call scheduled', 'future call completed', 'future call scheduled', 'future call started', 'future call failed']);
      const shown = (await Promise.all(steps.map((s) => s.getChildren()))).flat().map(label);
      assert.deepEqual(shown, unknown);
      const grouping = node.rows.steps.grouping(await node.rows.history.load());
      const placed = grouping.entries.reduce((n, e) => n + ('eventIndexes' in e ? e.eventIndexes.length : 1), 0) + grouping.workflowTasks.reduce((n, t) => n + t.eventIndexes.length, 0);
      assert.equal(placed, raws.length, 'every event is in a step, a reset point or a folded workflow task');
    });
  }
});
