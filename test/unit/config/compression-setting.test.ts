/**
 * `mistralWorkflows.compression` as both clients send it: a real server on 127.0.0.1 records the
 * `accept-encoding` of each request. Reached at 127.0.0.1 it is the local sandbox `auto` is made for;
 * reached by a name (a dispatcher that resolves every name to 127.0.0.1, as a tunnel's far end) it is
 * a remote cluster. `always` is for the loopback address that is really a tunnel (kubectl port-forward,
 * ssh -L).
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { Agent } from 'undici';
import { WorkflowsClient } from '../../../src/api/mistral';
import { TemporalClient } from '../../../src/api/temporal';
import { compressionOption } from '../../../src/config/workspaceList';

/** What the clients ask for when they ask (http.ts). */
const ASKED = 'gzip, br';

describe('the compression setting (auto, always, never), on both clients', () => {
  let server: http.Server;
  let port: number;
  let seen: (string | undefined)[];
  /** Every name is 127.0.0.1: the server, seen under a name that is not a loopback host. */
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  };
  const byName = new Agent({ connect: { lookup } });

  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.headers['accept-encoding']);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ executions: [], next_page_token: null }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await byName.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    seen = [];
  });

  /** The `accept-encoding` one listing of each client sent (Mistral's, Temporal's). */
  async function sent(setting: unknown, host: '127.0.0.1' | 'cluster.example'): Promise<(string | undefined)[]> {
    const compression = compressionOption(setting);
    const baseUrl = `http://${host}:${port}`;
    const dispatcher = host === '127.0.0.1' ? undefined : byName;
    const mistral = new WorkflowsClient({ baseUrl, apiKey: 'k', maxRetries: 0, timeoutMs: 5_000, compression, dispatcher });
    const temporal = new TemporalClient({ baseUrl, namespace: 'default', maxRetries: 0, timeoutMs: 5_000, compression, dispatcher });
    try {
      await mistral.listExecutions({ pageSize: 1 });
      await temporal.listWorkflows({ pageSize: 1 });
    } finally {
      await mistral.close();
      await temporal.close();
    }
    assert.equal(seen.length, 2, 'one request each');
    return seen;
  }

  it('auto (the default, and anything not understood): asks a remote host, not a loopback one', async () => {
    for (const setting of ['auto', undefined, 'sometimes', 3]) {
      assert.deepEqual(await sent(setting, '127.0.0.1'), [undefined, undefined], `${String(setting)} on 127.0.0.1`);
      seen = [];
      assert.deepEqual(await sent(setting, 'cluster.example'), [ASKED, ASKED], `${String(setting)} by name`);
      seen = [];
    }
  });

  it('always: asks a loopback host too (a tunnel to a remote cluster)', async () => {
    assert.deepEqual(await sent('always', '127.0.0.1'), [ASKED, ASKED]);
    seen = [];
    assert.deepEqual(await sent('always', 'cluster.example'), [ASKED, ASKED]);
  });

  it('never: asks no host', async () => {
    assert.deepEqual(await sent('never', '127.0.0.1'), [undefined, undefined]);
    seen = [];
    assert.deepEqual(await sent('never', 'cluster.example'), [undefined, undefined]);
  });
});
