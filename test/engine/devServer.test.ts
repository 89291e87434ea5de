/** startTemporalDevServer: SQLite files, clean stops, and the messages when it cannot start. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EngineSetupError, startTemporalDevServer, startWorker } from '../../sandbox/engine';
import { TemporalClient } from '../../src/api/temporal';

function gone(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return false;
  } catch {
    return true;
  }
}

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
      assert.ok(gone(first.pid));
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
    assert.ok(gone(server.pid));
  });

  it('a server that cannot start fails with its own last words', async () => {
    await assert.rejects(startTemporalDevServer({ dynamicConfig: ['not a key value pair'] }), (e: Error) => {
      assert.match(e.message, /^The Temporal dev server did not start: it exited \(code \d+\) before it was ready\.\nIts last output:\n/);
      return true;
    });
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
