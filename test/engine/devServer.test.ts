/** startTemporalDevServer: SQLite files, clean stops, and the messages when it cannot start. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { EngineSetupError, startTemporalDevServer, startWorker } from '../../sandbox/engine';
import { freePort } from '../../sandbox/engine/process';
import { TemporalClient } from '../../src/api/temporal';
import { groupAlive } from '../../src/common/processGroup';

describe('the Temporal dev server', () => {
  it('keeps a dbFile across restarts (the search attribute flag again is fine)', async function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-db-'));
    const dbFile = path.join(dir, 'kept.db');
    try {
      const first = await startTemporalDevServer({ dbFile });
      let client = new TemporalClient({ baseUrl: first.httpBaseUrl, namespace: first.namespace });
      const { runId } = await client.start('kept-1', { workflowType: 'nobody_runs_this', taskQueue: 'nobody' });
      await client.terminate('kept-1', { reason: 'kept' });
      await client.close();
      await first.stop();
      assert.ok(!groupAlive(first.pid));
      assert.ok(fs.statSync(dbFile).size > 0, 'the file stays');

      const second = await startTemporalDevServer({ dbFile });
      client = new TemporalClient({ baseUrl: second.httpBaseUrl, namespace: second.namespace });
      try {
        const d = await client.describe('kept-1');
        assert.equal(d.execution.runId, runId);
        assert.equal(d.execution.status, 'TERMINATED');
      } finally {
        await client.close();
        await second.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a temporary SQLite file and extra namespaces: created, then removed by stop()', async function () {
    this.timeout(60_000);
    const server = await startTemporalDevServer({ tempDb: true, extraNamespaces: ['mistral-workflows'] });
    const dbFile = server.dbFile ?? '';
    assert.ok(fs.existsSync(dbFile));
    const client = new TemporalClient({ baseUrl: server.httpBaseUrl, namespace: 'mistral-workflows' });
    try {
      assert.deepEqual((await client.listWorkflows()).executions, []);
    } finally {
      await client.close();
      await server.stop();
    }
    assert.ok(!fs.existsSync(path.dirname(dbFile)));
    assert.ok(!groupAlive(server.pid));
  });

  it('a server that cannot start is tried once more on fresh ports, then fails with the command and its own words', async () => {
    const said: string[] = [];
    const error = await startTemporalDevServer({ dynamicConfig: ['not a key value pair'], log: (line) => said.push(line) }).then(
      () => assert.fail('it started'),
      (e: Error) => e,
    );
    assert.match(error.message, /^The Temporal dev server did not start: it exited \(code \d+\) before it was ready, the second time, on fresh ports\.\n/);
    assert.match(error.message, /\nIt ran: temporal server start-dev --headless --ip 127\.0\.0\.1 --port \d+ --http-port \d+ .*--dynamic-config-value not a key value pair\n/);
    assert.match(error.message, /\nIts output:\n.*not a key value pair/s, 'the server’s own words');
    assert.equal(said.length, 1, `one retry, said once: ${said.join(' | ')}`);
    assert.match(said[0], /did not start: it exited \(code \d+\) before it was ready\.\n[^]*Starting it once more, on fresh ports\.$/);
    const portsOf = (text: string): string | undefined => /--port (\d+) --http-port (\d+)/.exec(text)?.slice(1).join('/');
    assert.ok(portsOf(said[0]) !== undefined && portsOf(said[0]) !== portsOf(error.message), 'fresh ports the second time');
  });

  it('a start that exits early (its port taken) goes on on fresh ports, saying why', async function () {
    this.timeout(60_000);
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const takenPort = (taken.address() as net.AddressInfo).port;
    const said: string[] = [];
    let attempts = 0;
    const ports = async (): Promise<{ grpc: number; http: number }> => {
      attempts++;
      return attempts === 1 ? { grpc: takenPort, http: await freePort() } : { grpc: await freePort(), http: await freePort() };
    };
    try {
      const server = await startTemporalDevServer({ ports, log: (line) => said.push(line) });
      try {
        assert.equal(attempts, 2);
        assert.notEqual(server.grpcAddress, `127.0.0.1:${takenPort}`);
        assert.equal(said.length, 1);
        assert.match(said[0], new RegExp(`--port ${takenPort} `), 'which ports it used');
        assert.match(said[0], /address already in use/, 'the server’s own words');
      } finally {
        await server.stop();
      }
    } finally {
      taken.close();
    }
  });

  it('without .venv-engine/ both say how to build it', async () => {
    const saved = process.env.ENGINE_VENV;
    process.env.ENGINE_VENV = path.join(os.tmpdir(), 'no-such-venv');
    try {
      for (const start of [() => startTemporalDevServer(), () => startWorker({ dirs: [], serverUrl: 'http://127.0.0.1:9', apiKey: 'k', deploymentName: 'd' })]) {
        await assert.rejects(start(), (e: Error) => {
          assert.ok(e instanceof EngineSetupError);
          assert.match(e.message, /run bash scripts\/setup-python\.sh$/);
          return true;
        });
      }
    } finally {
      if (saved === undefined) delete process.env.ENGINE_VENV;
      else process.env.ENGINE_VENV = saved;
    }
  });
});
