/**
 * Copy Reset as Python / curl on a Temporal workspace (src/api/temporal/resetCode.ts): the HTTP API's
 * own request in curl, the temporalio SDK's call in Python, the key only ever from the environment.
 * test/engine/temporal-backend.test.ts runs both against the real engine.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { curlSnippet, pythonSnippet } from '../../../../src/api/mistral/resetCode';
import { TemporalBackend, TemporalClient } from '../../../../src/api/temporal';
import { resetRequestBody } from '../../../../src/api/temporal/client';

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

/**
 * A base URL that would put code into a snippet if it were written raw (URL parsing drops the line
 * breaks, so the client would still work). The settings refuse it (baseUrlProblem); the snippets must
 * hold it as a string anyway.
 */
const HOSTILE = `https://t.example/'; touch /tmp/mwf-pwned; '\nimport os\nos.system("touch /tmp/mwf-pwned")\n#`;

/** What Python reads from a snippet: its statements other than imports (kind, and the name assigned), and every string constant. */
function pythonReads(code: string): { statements: string[]; strings: string[] } {
  const script = [
    'import ast, json, sys',
    'tree = ast.parse(sys.stdin.read())',
    'kinds = [type(s).__name__ + ("=" + s.targets[0].id if isinstance(s, ast.Assign) else "") for s in tree.body if not isinstance(s, (ast.Import, ast.ImportFrom))]',
    'strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]',
    'print(json.dumps({"statements": kinds, "strings": strings}))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script], { input: code, encoding: 'utf8' })) as { statements: string[]; strings: string[] };
}

/** The words a POSIX shell reads from a curl snippet (curl replaced by printf, so nothing is sent). */
function shellWords(curl: string): string[] {
  assert.ok(curl.startsWith('curl '));
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${curl.slice('curl '.length)}`], { encoding: 'utf8', env: { PATH: process.env.PATH, MISTRAL_API_KEY: 'k', TEMPORAL_API_KEY: 'k' } });
  return out.split('\0').slice(0, -1);
}

describe('Copy Reset as code: a base URL cannot put code into the snippet', () => {
  const request = { executionId: 'order-42', runId: 'run-7', eventId: 16, reason: 'r' };

  it('Temporal Python: the base URL is a string literal, not text in a comment', async () => {
    const b = new TemporalBackend(new TemporalClient({ baseUrl: HOSTILE, namespace: 'orders' }));
    try {
      const { statements, strings } = pythonReads(b.resetAsCode(request, 'python').text);
      // asyncio.run(main()), then the flush and os._exit that skip the teardown temporalio can crash in.
      assert.deepEqual(statements, ['Assign=HTTP_API', 'AsyncFunctionDef', 'Expr', 'Expr', 'Expr']);
      assert.ok(strings.includes(HOSTILE), 'Python reads the base URL back as it is');
    } finally {
      await b.close();
    }
  });

  it('Mistral Python, and both curl commands: one string, one shell word', async () => {
    const mistral = pythonReads(pythonSnippet({ ...request, baseUrl: HOSTILE }));
    assert.deepEqual(mistral.statements, ['Assign=client', 'Expr']);
    assert.ok(mistral.strings.includes(HOSTILE));
    assert.equal(shellWords(curlSnippet({ ...request, baseUrl: HOSTILE }))[2], `${HOSTILE}/v1/workflows/executions/order-42/reset`);
    const b = new TemporalBackend(new TemporalClient({ baseUrl: HOSTILE, namespace: 'orders' }));
    try {
      const words = shellWords(b.resetAsCode(request, 'curl').text);
      assert.deepEqual(words.slice(0, 3), ['-X', 'POST', `${HOSTILE}/api/v1/namespaces/orders/workflows/order-42/reset`]);
    } finally {
      await b.close();
    }
  });
});
