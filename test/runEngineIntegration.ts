/**
 * The integration suite on the REAL engine (test/integration-engine), inside a real VS Code: starts
 * the engine sandbox once (the Temporal dev server, the Workflows API over it, a real Mistral worker
 * over a copy of workers/demo-workflows that it watches, the seeded story), then runs the suite in
 * code-server with the test workspace holding the same workflow files, and stops everything.
 *
 * The suite reads where things are from the environment (it reaches the extension host):
 *   MISTRAL_WF_ENGINE_API        the sandbox's base URL (the extension's workspace points there)
 *   MISTRAL_WF_ENGINE_API_KEY    its key
 *   MISTRAL_WF_ENGINE_TEMPORAL   the engine's own HTTP API, to assert what the engine reports
 *   MISTRAL_WF_ENGINE_NAMESPACE  the engine's namespace
 *   MISTRAL_WF_ENGINE_WORKFLOWS  the folder the worker runs and watches (the test fixes the bug there)
 *   MISTRAL_WF_ENGINE_TEMPORAL_WORKFLOWS  the same for the plain temporalio worker (namespace `shipping`)
 *
 * Usage (after tsc and npm run build): node out/test/runEngineIntegration.js [--grep TEXT] [--keep]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { venvDir } from '../sandbox/engine';
import { PROJECT_ROOT } from '../sandbox/engine/paths';
import { DEMO_WORKFLOWS, startEngineSandbox, TEMPORAL_WORKFLOWS } from '../sandbox/engine/sandbox';
import { optionsFromEnvAndArgs, runIntegrationTests, SetupError } from './runIntegration';

async function main(): Promise<number> {
  const options = optionsFromEnvAndArgs(process.env, process.argv.slice(2));
  // The workspace VS Code opens: the demo's workflow files, as a user's repository would hold them
  // (Mistral's in workflows/, plain temporalio ones in temporal-workflows/). Each worker runs a copy of
  // its folder: a test edits both, as a developer edits and then deploys.
  const fixture = fs.mkdtempSync(path.join(os.tmpdir(), 'mwf-engine-workspace-'));
  const workflowsDir = path.join(fixture, 'workflows');
  fs.cpSync(DEMO_WORKFLOWS, workflowsDir, { recursive: true });
  fs.cpSync(TEMPORAL_WORKFLOWS, path.join(fixture, 'temporal-workflows'), { recursive: true });
  // The folder's .venv, as a developer's checkout has one: the replay check's interpreter (the SDK the worker runs).
  fs.symlinkSync(venvDir(), path.join(fixture, '.venv'));
  const started = Date.now();
  const engine = await startEngineSandbox({ workflowsDir, log: (line) => console.log(`[engine] ${line}`) });
  console.log(`[engine] ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  try {
    return await runIntegrationTests({
      ...options,
      workspaceFixture: fixture,
      extensionTestsPath: path.join(PROJECT_ROOT, 'out', 'test', 'integration-engine', 'index'),
      env: {
        ...options.env,
        MISTRAL_WF_ENGINE_API: engine.sandbox.baseUrl,
        MISTRAL_WF_ENGINE_API_KEY: engine.sandbox.apiKey,
        MISTRAL_WF_ENGINE_TEMPORAL: engine.engine.httpBaseUrl,
        MISTRAL_WF_ENGINE_NAMESPACE: engine.engine.namespace,
        MISTRAL_WF_ENGINE_WORKFLOWS: workflowsDir,
        MISTRAL_WF_ENGINE_TEMPORAL_WORKFLOWS: engine.temporalWorkflowsDir,
      },
    });
  } finally {
    await engine.stop();
    fs.rmSync(fixture, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(err instanceof SetupError ? `[runner] cannot run:\n${err.message}` : err);
  process.exit(1);
});
