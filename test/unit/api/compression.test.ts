import * as assert from 'node:assert/strict';
import { request } from 'undici';
import { HistoryStream, isWorkflowsApiError, normalizeHistory, type WorkflowEvent } from '../../../src/api';
import { WorkflowsClient } from '../../../src/api/mistral';
import { DEMO, startSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox/server';

const FAILED = DEMO.failed;

async function withSandbox(options: SandboxOptions, run: (sandbox: Sandbox) => Promise<void>): Promise<void> {
  const sandbox = await startSandbox({ completionDelayMs: 60_000, ...options });
  try {
    await run(sandbox);
  } finally {
    await sandbox.close();
  }
}

function client(sandbox: Sandbox, compression: 'on' | 'off' | 'auto' = 'on'): WorkflowsClient {
  return new WorkflowsClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, maxRetries: 0, timeoutMs: 5_000, compression });
}

/** The history as the sandbox sends it, read without any compression, normalised the old way. */
async function plainHistory(sandbox: Sandbox, id: string): Promise<WorkflowEvent[]> {
  const res = await request(`${sandbox.baseUrl}/v1/workflows/executions/${id}/history?decode_payloads=true`, {
    headers: { authorization: `Bearer ${sandbox.apiKey}` },
  });
  assert.equal(res.headers['content-encoding'], undefined, 'no Accept-Encoding, no compression');
  return normalizeHistory(await res.body.json());
}

function ids(events: readonly WorkflowEvent[]): string[] {
  return events.map((e) => `${e.idText}:${e.type}`);
}

describe('compressed transfers (client and sandbox)', () => {
  for (const coding of ['gzip', 'br'] as const) {
    it(`the sandbox answers ${coding} when asked, with Vary, and the client decodes it`, async () => {
      await withSandbox({}, async (sandbox) => {
        const res = await request(`${sandbox.baseUrl}/v1/workflows/executions/${FAILED}/history`, {
          headers: { authorization: `Bearer ${sandbox.apiKey}`, 'accept-encoding': `${coding};q=1, ${coding === 'br' ? 'gzip' : 'br'};q=0.5` },
        });
        assert.equal(res.headers['content-encoding'], coding);
        assert.equal(res.headers.vary, 'Accept-Encoding');
        await res.body.dump();
        const c = client(sandbox);
        try {
          assert.deepEqual(ids(await c.getHistory(FAILED)), ids(await plainHistory(sandbox, FAILED)));
          const withStream = await c.getHistory(FAILED, { stream: new HistoryStream(5, () => undefined) });
          assert.deepEqual(ids(withStream), ids(await plainHistory(sandbox, FAILED)));
        } finally {
          await c.close();
        }
      });
    });
  }

  it('asks for gzip and br, and only off loopback unless told to', async () => {
    await withSandbox({}, async (sandbox) => {
      for (const [mode, expected] of [['on', 'gzip, br'], ['auto', undefined], ['off', undefined]] as const) {
        const c = client(sandbox, mode);
        try {
          await c.getExecution(FAILED);
        } finally {
          await c.close();
        }
        assert.equal(sandbox.requests.at(-1)?.acceptEncoding, expected, `compression: '${mode}' on 127.0.0.1`);
      }
    });
  });

  it('leaves small answers and answers to clients that did not ask uncompressed', async () => {
    await withSandbox({}, async (sandbox) => {
      const small = await request(`${sandbox.baseUrl}/v1/workflows/executions/${FAILED}`, {
        headers: { authorization: `Bearer ${sandbox.apiKey}`, 'accept-encoding': 'gzip, br' },
      });
      const text = await small.body.text();
      assert.ok(Buffer.byteLength(text) < 1024, 'an execution row is under the threshold');
      assert.equal(small.headers['content-encoding'], undefined);
      const refused = await request(`${sandbox.baseUrl}/v1/workflows/executions/${FAILED}/history`, {
        headers: { authorization: `Bearer ${sandbox.apiKey}`, 'accept-encoding': 'gzip;q=0, br;q=0' },
      });
      await refused.body.dump();
      assert.equal(refused.headers['content-encoding'], undefined, 'q=0 means not acceptable');
    });
  });

  it('reads a server that ignores Accept-Encoding (plain answer) the same', async () => {
    await withSandbox({ compression: false }, async (sandbox) => {
      const c = client(sandbox);
      try {
        assert.deepEqual(ids(await c.getHistory(FAILED)), ids(await plainHistory(sandbox, FAILED)));
        assert.equal((await c.getExecution(FAILED)).executionId, FAILED);
      } finally {
        await c.close();
      }
    });
  });

  for (const coding of ['gzip', 'br'] as const) {
    it(`a truncated ${coding} body is a parse error, not a hang (with and without streaming)`, async () => {
      await withSandbox({ codings: [coding] }, async (sandbox) => {
        const c = client(sandbox);
        try {
          for (const stream of [undefined, new HistoryStream(5, () => undefined)]) {
            sandbox.faults.add({ pathIncludes: '/history', truncate: true, times: 1 });
            const started = Date.now();
            const error = await c.getHistory(FAILED, { stream }).then(() => undefined, (e: unknown) => e);
            assert.ok(isWorkflowsApiError(error), String(error));
            assert.equal(error.kind, 'parse');
            assert.match(error.message, /compressed response is cut short/);
            assert.ok(Date.now() - started < 4_000, 'well before the timeout');
          }
        } finally {
          await c.close();
        }
      });
    });
  }

  it('the attempt timeout and Cancel still stop a compressed body that stalls half way', async () => {
    await withSandbox({}, async (sandbox) => {
      const c = new WorkflowsClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, maxRetries: 0, timeoutMs: 300, compression: 'on' });
      try {
        sandbox.faults.add({ pathIncludes: '/history', trickleAfterBytes: 2_000, trickleMs: 5_000, times: 1 });
        const started = Date.now();
        const timedOut = await c.getHistory(FAILED, { stream: new HistoryStream(5, () => undefined) }).then(() => undefined, (e: unknown) => e);
        assert.ok(isWorkflowsApiError(timedOut), String(timedOut));
        assert.equal(timedOut.kind, 'timeout');
        assert.ok(Date.now() - started < 2_000);
        sandbox.faults.add({ pathIncludes: '/history', trickleAfterBytes: 2_000, trickleMs: 5_000, times: 1 });
        const cancel = new AbortController();
        setTimeout(() => cancel.abort(), 100);
        const slow = new WorkflowsClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, maxRetries: 0, timeoutMs: 10_000, compression: 'on' });
        try {
          const aborted = await slow.getHistory(FAILED, undefined, cancel.signal).then(() => undefined, (e: unknown) => e);
          assert.ok(isWorkflowsApiError(aborted), String(aborted));
          assert.equal(aborted.kind, 'aborted');
        } finally {
          await slow.close();
        }
      } finally {
        await c.close();
      }
    });
  });

  it('a corrupt compressed body is a parse error naming it', async () => {
    await withSandbox({}, async (sandbox) => {
      const c = client(sandbox);
      try {
        sandbox.faults.add({ pathIncludes: '/history', body: 'this is not gzip at all, but says it is', contentType: 'application/json', contentEncoding: 'gzip', times: 1 });
        const error = await c.getHistory(FAILED).then(() => undefined, (e: unknown) => e);
        assert.ok(isWorkflowsApiError(error), String(error));
        assert.equal(error.kind, 'parse');
        assert.match(error.message, /compressed response is corrupt/);
      } finally {
        await c.close();
      }
    });
  });
});
