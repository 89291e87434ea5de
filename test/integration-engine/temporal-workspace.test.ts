/**
 * A Temporal workspace: the extension talks straight to the engine's HTTP API (no Mistral API in
 * between), inside VS Code. The tree lists what the engine lists, Reset to Here resets on the engine,
 * a raw visibility query filters and a bad one is the server's message, and settings problems (an
 * unknown namespace, a missing mTLS file, TLS files on http://) and the API key (through a proxy that
 * demands it, since the dev server has no auth) are rows that say what to do. Mutual TLS runs through
 * an https proxy that demands a client certificate from a throwaway CA (test/helpers/tls.ts), the dev
 * server having no TLS of its own.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import * as vscode from 'vscode';
import { attrText } from '../../src/api';
import { COMMAND_IDS } from '../../src/commands/ids';
import type { Services } from '../../src/services';
import { NO_FILTER, type ExecutionFilter } from '../../src/tree/filter';
import type { TreeNode } from '../../src/tree/node';
import { ENGINE_DEMO } from '../../sandbox/engine/sandbox';
import { eventually } from '../helpers/eventually';
import { description, extensionApi, isEvent, isExecution, isMessage, label } from '../integration/helpers/env';
import { ScriptedUi, resetSteps } from '../integration/helpers/scriptedUi';
import { makeTestPki, mtlsServerOptions, type TestPki } from '../helpers/tls';
import { backToEngineSandbox, deployDemoCode, ENGINE, latestRun, waitingOrder, resetMarkers, untilEngineStatus, useEngineEnv, type EngineEnv } from './helpers';

const NAME = 'local-temporal';

/** The seeded completed demo order, searched for by its id. */
const DEMO_SEARCH: ExecutionFilter = { statuses: [], search: ENGINE_DEMO.completed };

/**
 * Makes a Temporal workspace active and lists it. Tests that look for one execution search for it, as a
 * user would: the namespace is shared with the other files' executions, which can push any one execution
 * off the first page.
 */
async function useTemporalWorkspace(services: Services, entry: Record<string, unknown>, filter: ExecutionFilter = NO_FILTER): Promise<TreeNode[]> {
  const config = vscode.workspace.getConfiguration('mistralWorkflows');
  // Beside the suite's own Mistral workspace (the engine sandbox's API), as a user would have both.
  const mistral = { name: 'sandbox', baseUrl: ENGINE.api, production: false };
  await config.update('workspaces', [mistral, { name: NAME, kind: 'temporal', baseUrl: ENGINE.temporal, namespace: ENGINE.namespace, ...entry }], vscode.ConfigurationTarget.Global);
  await config.update('activeWorkspace', NAME, vscode.ConfigurationTarget.Global);
  services.connection.invalidate('test: Temporal workspace');
  services.tree.setFilter(filter);
  return services.tree.getChildren();
}

describe('On the real engine, a Temporal workspace: the same extension straight on the engine’s HTTP API', function () {
  this.timeout(120_000);
  const world = useEngineEnv();
  let env: EngineEnv;
  let services: Services;
  let ui: ScriptedUi;
  before(async () => {
    env = world();
    services = (await extensionApi()).services;
    ui = new ScriptedUi();
    services.ui = ui;
  });
  after(async () => {
    await services.keys.clear(NAME);
    services.ui = env.ui;
    services.tree.setFilter(NO_FILTER);
    // Back to the engine sandbox's Mistral API for the suites after this one.
    await backToEngineSandbox(services);
  });

  it('lists the engine’s executions with the engine’s statuses', async () => {
    const rows = (await useTemporalWorkspace(services, {}, DEMO_SEARCH)).filter(isExecution);
    const demo = (await env.temporal.listWorkflows({ query: `WorkflowId = '${ENGINE_DEMO.completed}'` })).executions[0];
    const row = rows.find((r) => r.executionId === ENGINE_DEMO.completed);
    assert.ok(row, 'the completed demo order is listed');
    assert.equal(row.execution.status, demo.status);
    assert.equal(row.execution.runId, demo.runId);
    assert.equal(label(row), 'order-fulfillment');
    const events = (await services.tree.getChildren(row)).filter(isEvent);
    assert.equal(events.length, (await latestRun(env, ENGINE_DEMO.completed)).events.length, 'the whole history, as the engine has it');
  });

  it('Reset to Here resets on the engine: a new run, the reason in its marker, the tree shows both runs', async () => {
    // The order completes only with the demo's bug fixed, whatever ran before.
    await deployDemoCode('fixed');
    const before = await waitingOrder(env, 'tw');
    const id = before.id;
    await useTemporalWorkspace(services, {});
    const node = await services.tree.openExecution(id);
    const point = (await services.tree.getChildren(node)).filter(isEvent).filter((e) => e.resettable).at(-1);
    assert.ok(point, 'a reset point');
    ui.script(...resetSteps('Reset from a Temporal workspace'));
    await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, point);
    ui.assertDone();
    const after = await eventually('the engine to start a new run', async () => {
      const run = await latestRun(env, id);
      return run.runId !== before.runId ? run : undefined;
    });
    const markers = resetMarkers(after.events);
    assert.equal(markers.length, 1);
    assert.equal(attrText(markers[0], 'failure.message'), 'Reset from a Temporal workspace');
    assert.equal(markers[0].eventId, point.event.eventId);
    await env.temporal.signal(id, 'approve', { input: [{ by: 'warehouse' }] });
    await untilEngineStatus(env, id, 'COMPLETED');
    await services.tree.reloadExecution(node);
    assert.equal(node.execution.runId, after.runId);
    assert.ok((await services.tree.getChildren(node)).some((n) => label(n).startsWith('Earlier runs')));
  });

  it('offers Temporal’s other reset targets, labelled, on a Temporal workspace only; a reset to one runs on the engine', async () => {
    const before = await waitingOrder(env, 'tw-wts');
    const id = before.id;
    // On the Mistral API's workspace (the suite's own): only WORKFLOW_TASK_COMPLETED.
    await services.settings.setActiveWorkspace('sandbox');
    services.connection.invalidate('test: the Mistral workspace');
    const onMistral = (await services.tree.getChildren(await services.tree.openExecution(id))).filter(isEvent);
    assert.ok(onMistral.filter((e) => e.event.type === 'WORKFLOW_TASK_STARTED').every((e) => !e.resettable));
    await useTemporalWorkspace(services, {});
    const node = await services.tree.openExecution(id);
    const started = (await services.tree.getChildren(node)).filter(isEvent).filter((e) => e.event.type === 'WORKFLOW_TASK_STARTED').at(-1);
    assert.ok(started?.resettable, 'WORKFLOW_TASK_STARTED is a reset target on Temporal');
    assert.match(description(started), /Temporal reset target/);
    ui.script(...resetSteps('Reset to a started workflow task'));
    await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, started);
    ui.assertDone();
    const after = await eventually('the engine to start a new run', async () => {
      const r = await latestRun(env, id);
      return r.runId !== before.runId ? r : undefined;
    });
    const [marker] = resetMarkers(after.events);
    assert.equal(attrText(marker, 'failure.message'), 'Reset to a started workflow task');
    assert.equal(marker.eventId, (started.event.eventId ?? 0) + 1, 'the engine replaced what followed the started task');
    await env.temporal.terminate(id, { reason: 'test done' });
  });

  it('a raw visibility query filters the list; a bad one is a row with the server’s message', async () => {
    await useTemporalWorkspace(services, {});
    services.tree.setFilter({ statuses: [], query: `WorkflowId = '${ENGINE_DEMO.waiting}'` });
    const rows = (await services.tree.getChildren()).filter(isExecution);
    assert.deepEqual(rows.map((r) => r.executionId), [ENGINE_DEMO.waiting]);
    services.tree.setFilter({ statuses: [], query: 'WorkflowType = ' });
    const [row] = await services.tree.getChildren();
    assert.ok(row && isMessage(row));
    assert.match(label(row), /invalid query/i);
    services.tree.setFilter({ statuses: [] });
  });

  it('an unknown namespace and a missing mTLS file are rows that say so', async () => {
    const [unknown] = await useTemporalWorkspace(services, { namespace: 'no-such-namespace' });
    assert.ok(unknown && isMessage(unknown));
    assert.match(label(unknown), /no-such-namespace/);
    // mTLS needs https:// (on the engine's http:// address the row says that first, as below).
    const files = { clientCertFile: '/nonexistent/client.pem', clientKeyFile: '/nonexistent/client.key' };
    const [mtls] = await useTemporalWorkspace(services, { baseUrl: ENGINE.temporal.replace(/^http:/, 'https:'), ...files });
    assert.ok(mtls && isMessage(mtls));
    assert.match(label(mtls), /The mTLS file \/nonexistent\/client\.pem cannot be read \(it does not exist\)/);
    const [plain] = await useTemporalWorkspace(services, { ...files, serverCaFile: '/nonexistent/ca.pem' });
    assert.ok(plain && isMessage(plain));
    assert.match(label(plain), /clientCertFile, clientKeyFile and serverCaFile are for TLS connections, but the base URL http:\/\/127\.0\.0\.1:\d+ is plain http:\/\//);
  });

  it('over mutual TLS (private CA, client certificate) lists the engine’s executions; without the certificate the row says the server requires one', async () => {
    const pki = await makeTestPki();
    const proxy = await startProxy({ tls: pki });
    try {
      const mtls = { baseUrl: proxy.baseUrl, clientCertFile: pki.client.cert, clientKeyFile: pki.client.key, serverCaFile: pki.ca.cert };
      const rows = (await useTemporalWorkspace(services, mtls, DEMO_SEARCH)).filter(isExecution);
      assert.ok(rows.some((r) => r.executionId === ENGINE_DEMO.completed), 'the engine’s completed demo order, through the mTLS proxy');
      assert.ok(proxy.seen.length > 0 && proxy.seen.every((r) => r.clientCn === 'mwf-test-client'), 'every request came with the client certificate');

      const [refused] = await useTemporalWorkspace(services, { baseUrl: proxy.baseUrl, serverCaFile: pki.ca.cert });
      assert.ok(refused && isMessage(refused));
      assert.match(label(refused), /The server at https:\/\/127\.0\.0\.1:\d+ requires a client certificate \(mutual TLS\) and none was sent .* Set clientCertFile and clientKeyFile\.$/);
      assert.equal(refused.getTreeItem().command?.command, 'workbench.action.openSettings', 'the row opens the settings that fix it');
      // Requests of the first workspace's client may still land (a long poll, a refresh): all carry the certificate.
      assert.ok(proxy.seen.every((r) => r.clientCn === 'mwf-test-client'), `no request got through without a certificate: ${JSON.stringify(proxy.seen)}`);

      const [untrusted] = await useTemporalWorkspace(services, { ...mtls, serverCaFile: undefined });
      assert.ok(untrusted && isMessage(untrusted));
      assert.match(label(untrusted), /The server's certificate at https:\/\/127\.0\.0\.1:\d+ is not trusted \(\w+\)\. .*set serverCaFile/);
    } finally {
      await proxy.close();
      pki.remove();
    }
  });

  it('an API key (Temporal Cloud style) is sent as a Bearer token, only when one is set for the workspace', async () => {
    const key = `temporal-key-${randomUUID()}`;
    const proxy = await startProxy({ requireKey: key });
    try {
      const [refused] = await useTemporalWorkspace(services, { baseUrl: proxy.baseUrl });
      assert.ok(refused && isMessage(refused), 'without a key the proxy refuses');
      assert.match(label(refused), /API key/i);
      assert.equal(proxy.seen.at(-1)?.authorization, undefined, 'no Authorization header was sent: none is set for this workspace');
      await services.keys.store(NAME, key);
      await services.connection.rememberKeyOrigin(NAME, new URL(proxy.baseUrl).origin);
      const rows = (await useTemporalWorkspace(services, { baseUrl: proxy.baseUrl }, DEMO_SEARCH)).filter(isExecution);
      assert.ok(rows.some((r) => r.executionId === ENGINE_DEMO.completed), 'with the key, the list comes through');
      assert.equal(proxy.seen.at(-1)?.authorization, `Bearer ${key}`);
      assert.doesNotMatch(description(rows[0]), new RegExp(key));
    } finally {
      await services.keys.clear(NAME);
      await proxy.close();
    }
  });

  it('a reset whose answer is lost on the way back is read back from the engine and never sent again', async () => {
    const before = await waitingOrder(env, 'tw-lost');
    const id = before.id;
    const proxy = await startProxy({ dropAnswer: (method, url) => method === 'POST' && url.includes('/reset') });
    try {
      await useTemporalWorkspace(services, { baseUrl: proxy.baseUrl });
      const node = await services.tree.openExecution(id);
      const point = (await services.tree.getChildren(node)).filter(isEvent).filter((e) => e.resettable).at(-1);
      assert.ok(point);
      ui.notifications.length = 0;
      ui.script(...resetSteps('lost answer on a Temporal workspace'));
      await vscode.commands.executeCommand(COMMAND_IDS.resetToHere, point);
      ui.assertDone();
      assert.equal(ui.notifications.filter((n) => n.level === 'error').length, 0, JSON.stringify(ui.notifications));
      await ui.waitForNotification(/New run/);
      assert.equal(proxy.seen.filter((r) => r.method === 'POST' && r.url.includes('/reset')).length, 1, 'one reset POST, never re-sent');
      const runs = await env.temporal.listWorkflows({ query: `WorkflowId = '${id}'` });
      assert.equal(runs.executions.length, 2, 'the engine has the first run and the one the reset made');
      const after = await latestRun(env, id);
      assert.notEqual(after.runId, before.runId);
      assert.equal(resetMarkers(after.events).length, 1, 'one reset');
    } finally {
      await proxy.close();
      await env.temporal.terminate(id, { reason: 'test done' }).catch(() => undefined);
    }
  });
});

interface Proxy {
  baseUrl: string;
  seen: { method: string; url: string; authorization: string | undefined; clientCn?: string }[];
  close(): Promise<void>;
}

/**
 * A loopback proxy in front of the engine's HTTP API: it can demand an API key (the dev server has no
 * auth), forward a request and then drop its answer (the engine applied it; the client never hears),
 * or serve https and demand a client certificate signed by `tls.ca` (the dev server has no TLS).
 */
async function startProxy(options: { requireKey?: string; dropAnswer?: (method: string, url: string) => boolean; tls?: TestPki }): Promise<Proxy> {
  const target = new URL(ENGINE.temporal);
  const seen: Proxy['seen'] = [];
  let dropped = false;
  const handler: http.RequestListener = (req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const entry: Proxy['seen'][number] = { method, url, authorization: req.headers.authorization };
    if (options.tls) entry.clientCn = String((req.socket as TLSSocket).getPeerCertificate().subject?.CN);
    seen.push(entry);
    if (options.requireKey !== undefined && req.headers.authorization !== `Bearer ${options.requireKey}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 16, message: 'Request unauthenticated' }));
      return;
    }
    const drop = !dropped && options.dropAnswer?.(method, url) === true;
    const upstream = http.request({ host: target.hostname, port: target.port, path: url, method, headers: { ...req.headers, host: target.host } }, (answer) => {
      if (drop) {
        dropped = true;
        answer.resume();
        answer.on('end', () => req.socket.destroy());
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  };
  const server = options.tls ? https.createServer(mtlsServerOptions(options.tls), handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
