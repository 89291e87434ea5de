/**
 * Copy Reset as Python / curl on a Temporal workspace (src/api/temporal/resetCode.ts): the HTTP API's
 * own request in curl, the temporalio SDK's call in Python, the key only ever from the environment.
 * test/engine/temporal-backend.test.ts runs both against the real engine.
 */
import * as assert from 'node:assert/strict';
import { TemporalBackend, TemporalClient } from '../../src/api/temporal';
import { resetRequestBody } from '../../src/api/temporal/client';

const KEY = 'tc-secret-key-0123';

function backend(apiKey?: string): TemporalBackend {
  return new TemporalBackend(new TemporalClient({ baseUrl: 'https://orders.a2b3c.tmprl.cloud/', namespace: 'orders.a2b3c', apiKey }));
}

/** The JSON after --data, unquoted from its shell word. */
function dataOf(curl: string): unknown {
  const word = /--data '((?:[^']|'\\'')*)'/.exec(curl)?.[1];
  assert.ok(word !== undefined, curl);
  return JSON.parse(word.replace(/'\\''/g, "'"));
}

describe('api/temporal: Copy Reset as code', () => {
  const request = { executionId: 'order/42', runId: 'run-7', eventId: 16, reason: "it's $HOME", excludeSignals: true };

  it('curl: the HTTP API’s reset with the very body the client sends, the key as $TEMPORAL_API_KEY', async () => {
    const b = backend(KEY);
    try {
      const code = b.resetAsCode(request, 'curl');
      assert.equal(code.keyVariable, 'TEMPORAL_API_KEY');
      assert.ok(code.text.startsWith("curl -X POST 'https://orders.a2b3c.tmprl.cloud/api/v1/namespaces/orders.a2b3c/workflows/order%2F42/reset' \\\n"), code.text);
      assert.ok(code.text.includes('-H "Authorization: Bearer $TEMPORAL_API_KEY"'));
      const body = dataOf(code.text) as Record<string, unknown>;
      assert.match(String(body.requestId), /^[0-9a-f-]{36}$/, 'a request id made when copied');
      assert.deepEqual(body, resetRequestBody('order/42', { ...request, workflowTaskFinishEventId: 16, reason: "it's $HOME", requestId: String(body.requestId), excludeSignals: true, excludeUpdates: false }, 'mistral-workflows-vscode'));
      assert.ok(!code.text.includes(KEY));
    } finally {
      await b.close();
    }
  });

  it('curl without a key for the workspace sends no Authorization header', async () => {
    const b = backend();
    try {
      assert.doesNotMatch(b.resetAsCode(request, 'curl').text, /Authorization/);
    } finally {
      await b.close();
    }
  });

  it('Python: ResetWorkflowExecution through temporalio on TEMPORAL_ADDRESS, the key from TEMPORAL_API_KEY only when the workspace has one', async () => {
    const withKey = backend(KEY);
    const without = backend();
    try {
      const code = withKey.resetAsCode(request, 'python').text;
      assert.match(code, /client = await Client\.connect\(os\.environ\["TEMPORAL_ADDRESS"\], namespace="orders\.a2b3c", api_key=os\.environ\["TEMPORAL_API_KEY"\], tls=True\)/);
      assert.match(code, /workflow_execution=WorkflowExecution\(workflow_id="order\/42", run_id="run-7"\),\n {12}workflow_task_finish_event_id=16,\n {12}reason="it's \$HOME",/);
      assert.match(code, /reset_reapply_exclude_types=\[ResetReapplyExcludeType\.RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL\]/);
      assert.ok(!code.includes(KEY));
      assert.doesNotMatch(without.resetAsCode(request, 'python').text, /api_key/);
    } finally {
      await withKey.close();
      await without.close();
    }
  });
});
