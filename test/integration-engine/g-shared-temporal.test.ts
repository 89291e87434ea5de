/**
 * The shared suites (test/integration/shared: tree, reset flow, faults, security, randomised reset
 * faults) on a Temporal workspace: the real dev server and a real temporalio worker, through the
 * sandbox's pass-through (temporalWorld.ts). The main suite runs the same on Mistral's API.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SHIPPING, SHIPPING_DEMO } from '../../sandbox/engine/sandbox';
import { extensionApi, isExecution, isMessage, label, roots, WORKSPACE } from '../integration/helpers/env';
import { closeWorld, type World } from '../integration/helpers/world';
import { faultsSuite } from '../integration/shared/faults';
import { resetSuite } from '../integration/shared/reset';
import { resetFaultsSuite } from '../integration/shared/resetFaults';
import { securitySuite } from '../integration/shared/security';
import { treeSuite } from '../integration/shared/tree';
import { backToEngineSandbox } from './helpers';
import { temporalWorld } from './temporalWorld';

describe('The shared suites on a Temporal workspace (real engine)', () => {
  treeSuite(temporalWorld);
  resetSuite(temporalWorld);
  faultsSuite(temporalWorld);
  securitySuite(temporalWorld);
  // Every new run is run by the engine: fewer runs than on the in-memory sandbox.
  resetFaultsSuite(temporalWorld, 40);

  after(async () => backToEngineSandbox((await extensionApi()).services));
});

describe('Temporal workspaces only: keys are optional, and Add Workspace… makes one', function () {
  this.timeout(60_000);
  let world: World;
  before(async () => {
    world = await temporalWorld.make();
  });
  after(async () => {
    await world.services.keys.clear('cloud');
    await closeWorld(world);
    await backToEngineSandbox(world.services);
  });

  it('without a key a Temporal workspace still connects (none is sent); a cluster that wants one gets a row that says so', async () => {
    await world.services.keys.clear(WORKSPACE);
    world.services.connection.invalidate('test: no key');
    assert.equal((await world.services.connection.current()).kind, 'ready', 'no welcome view: the key is optional');
    const [row] = await roots(world);
    assert.ok(row && isMessage(row), label(row));
    assert.match(label(row), /API key was rejected \(401\)/);
    assert.equal(row.getTreeItem().command?.title, 'Set API Key');
    assert.ok(world.sandbox.requests.length > 0 && world.sandbox.requests.every((r) => !r.authorized), 'no key was sent');
  });

  it('Add Workspace… → Temporal Cloud: an API key is required; the entry has no key; the tree lists the namespace', async () => {
    world.ui.script(
      { kind: 'pickOne', titleMatch: /what kind/, choose: (items) => items.find((i) => /Temporal Cloud/.test(i.label)) },
      { kind: 'input', titleMatch: /\(2\/6\): name/, answer: 'cloud' },
      { kind: 'input', titleMatch: /base URL/, answer: world.sandbox.baseUrl },
      { kind: 'input', titleMatch: /namespace/, rejected: [''], answer: SHIPPING.namespace },
      { kind: 'pickOne', titleMatch: /production/, choose: (items) => items.find((i) => i.label === 'Production') },
      { kind: 'input', titleMatch: /\(6\/6\): API key/, rejected: ['', 'has space'], answer: world.sandbox.apiKey },
    );
    await vscode.commands.executeCommand('mistralWorkflows.addWorkspace');
    world.ui.assertDone();
    assert.match(world.ui.validationMessages.join(' | '), /A namespace is required.*Temporal Cloud needs an API key.*no spaces/);
    const entries = vscode.workspace.getConfiguration('mistralWorkflows').get<Record<string, unknown>[]>('workspaces') ?? [];
    assert.deepEqual(entries.at(-1), { name: 'cloud', baseUrl: world.sandbox.baseUrl, production: true, kind: 'temporal', namespace: SHIPPING.namespace });
    assert.ok(!JSON.stringify(entries).includes(world.sandbox.apiKey), 'the key is not in settings');
    const active = world.services.connection.currentWorkspace();
    assert.deepEqual([active.name, active.kind, active.production], ['cloud', 'temporal', true]);
    const rows = (await roots(world)).filter(isExecution);
    assert.ok(rows.some((r) => r.executionId === SHIPPING_DEMO.failed), 'the engine’s shipments are listed');
    assert.ok(world.sandbox.requests.filter((r) => r.path.startsWith('/api/v1/')).at(-1)?.authorized, 'with the key, as a Bearer token');
  });
});
