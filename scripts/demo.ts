/**
 * `npm run demo`: the extension in a real VS Code in your browser, against the sandbox's demo data.
 *
 * After `npm run compile && npm run package` (the npm script does both) this:
 *   1. installs code-server 4.100.3 into the git-ignored .vscode-test/ the first time
 *      (scripts/setup.sh demo: its Debian packages too, when root or passwordless sudo can install them);
 *   2. starts the sandbox API on 127.0.0.1:<--sandbox-port> with its demo data;
 *   3. installs mistral-workflows.vsix into a fresh code-server profile, with user settings pointing the
 *      extension at the sandbox, and MISTRAL_API_KEY (the sandbox's key) in code-server's environment;
 *   4. starts code-server on 127.0.0.1:<--port> and prints the URL to open;
 *   5. on Ctrl-C (or SIGTERM), stops code-server by its process group and the sandbox, and removes the
 *      temporary profile.
 *
 * Usage: node out/scripts/demo.js [--port 8080] [--sandbox-port 8787] [--api-key sandbox-key]
 *                                  [--completion-delay-ms 3000] [--engine memory|temporal] [--verbose]
 *
 * With `--engine temporal` the sandbox runs on a real Temporal engine with a real Mistral worker
 * (sandbox/engine), and the opened folder holds the demo's workflow files: the worker runs and watches
 * those very files, so fixing the bug in the editor and saving is what deploys the fix.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { EngineSetupError, venvDir } from '../sandbox/engine';
import { DEMO_WORKFLOWS, ENGINE_DEMO, SHIPPING, SHIPPING_DEMO, startEngineSandbox, TEMPORAL_WORKFLOWS } from '../sandbox/engine/sandbox';
import { PROJECT_ROOT } from '../sandbox/engine/paths';
import { runSetup } from '../sandbox/engine/setup';
import { DEMO, startSandbox } from '../sandbox/server';
import {
  CODE_SERVER_ENTRY,
  CODE_SERVER_VERSION,
  codeServerEnv,
  installExtension,
  makeTempLayout,
  startCodeServer,
  stopCodeServer,
  waitForHealthz,
  writeUserSettings,
  type CodeServer,
  type TempLayout,
} from '../test/codeServer';

const VSIX = path.join(PROJECT_ROOT, 'mistral-workflows.vsix');
const HOST = '127.0.0.1';

const say = (message: string): void => console.log(`[demo] ${message}`);

class DemoError extends Error {}

interface DemoOptions {
  port: number;
  sandboxPort: number;
  apiKey: string;
  completionDelayMs: number;
  engine: 'memory' | 'temporal';
  verbose: boolean;
}

/** What the demo's VS Code talks to: the in-memory sandbox or the engine sandbox. */
interface RunningApi {
  baseUrl: string;
  /** The engine demo: the engine's own HTTP API, for a second, Temporal workspace on the same engine. */
  temporal?: { baseUrl: string; namespace: string };
  close(): Promise<void>;
}

function portOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) throw new DemoError(`--${name} must be a port number (1-65535), got "${value}"`);
  return Number(value);
}

function parseOptions(argv: string[]): DemoOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'sandbox-port': { type: 'string' },
        'api-key': { type: 'string' },
        'completion-delay-ms': { type: 'string' },
        engine: { type: 'string' },
        verbose: { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new DemoError(err instanceof Error ? err.message : String(err));
  }
  const delay = values['completion-delay-ms'];
  if (delay !== undefined && !/^\d+$/.test(delay)) throw new DemoError(`--completion-delay-ms must be a number of milliseconds, got "${delay}"`);
  const options: DemoOptions = {
    port: portOption('port', values.port, 8080),
    sandboxPort: portOption('sandbox-port', values['sandbox-port'], 8787),
    apiKey: values['api-key'] ?? 'sandbox-key',
    completionDelayMs: delay === undefined ? 3000 : Number(delay),
    engine: values.engine === 'temporal' ? 'temporal' : 'memory',
    verbose: values.verbose ?? false,
  };
  if (values.engine !== undefined && values.engine !== 'memory' && values.engine !== 'temporal') {
    throw new DemoError(`--engine must be memory or temporal, got "${values.engine}"`);
  }
  if (options.port === options.sandboxPort) throw new DemoError('--port and --sandbox-port must differ');
  return options;
}

/**
 * code-server (and the Debian packages its install needs) on first use, and for the engine demo the
 * engine's Python toolchain: the same set-up step as `npm test`, quick once done.
 */
function ensureSetUp(engine: DemoOptions['engine']): void {
  if (engine === 'memory' && fs.existsSync(CODE_SERVER_ENTRY)) {
    say(`code-server ${CODE_SERVER_VERSION} found in .vscode-test/code-server`);
    return;
  }
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    say(`code-server ${CODE_SERVER_VERSION} is not installed yet: installing it into .vscode-test/code-server (once; a few minutes, ~450 MB)`);
  }
  try {
    runSetup(engine === 'temporal' ? 'demo-engine' : 'demo', say);
  } catch (err) {
    throw err instanceof EngineSetupError ? new DemoError(err.message) : err;
  }
}

/** Fails with a clear message when something already listens on the port (code-server would only log it). */
function checkPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(new DemoError(err.code === 'EADDRINUSE' ? `port ${port} (${what}) is in use: pick another with --${what === 'VS Code' ? 'port' : 'sandbox-port'}` : err.message)),
    );
    probe.listen(port, HOST, () => probe.close(() => resolve()));
  });
}

/** The opened folder: a README that says what to try (VS Code opens it at start-up). */
function writeDemoFolder(layout: TempLayout, options: DemoOptions, api: RunningApi): void {
  fs.writeFileSync(path.join(layout.workspace, 'README.md'), options.engine === 'temporal' ? engineReadme(options, api) : memoryReadme(options, api));
}

function memoryReadme(options: DemoOptions, api: RunningApi): string {
  return `# Mistral Workflows: demo

This VS Code runs the extension against a local sandbox API (${api.baseUrl}, key \`${options.apiKey}\`)
with demo data. Nothing here talks to Mistral.

1. Click the **Mistral Workflows** icon in the activity bar (left): the **Executions** view lists the
   sandbox's executions.
2. Expand **order-fulfillment FAILED** (execution \`${DEMO.failed}\`): it failed on
   \`KeyError: 'shipping_address'\` in its last activity.
3. Right-click **16 WORKFLOW_TASK_COMPLETED** → **Reset to Here…**: give a reason, choose whether to exclude
   the signals and the update received after that point, read the confirmation, and **Reset**.
4. The execution restarts from event 16 with a new run (the old one moves under **Earlier runs**) and
   completes ${Math.round(options.completionDelayMs / 1000)} s later: **Refresh** (the view's title bar) shows it.

Also try the command palette (F1): **Mistral Workflows: Reset Execution…** with an execution id, and
**document-ingestion** (\`${DEMO.big}\`): 51,200 events, 500 at a time with **Load more**.
`;
}

function engineReadme(options: DemoOptions, api: RunningApi): string {
  return `# Mistral Workflows: demo on a real engine

This VS Code runs the extension against a local Workflows API (${api.baseUrl}, key \`${options.apiKey}\`)
on a real Temporal engine, with a real \`mistralai-workflows\` worker running the files in
\`workflows/\` of this folder. Nothing here talks to Mistral.

1. Click the **Mistral Workflows** icon in the activity bar: the engine's executions.
2. Expand **order-fulfillment FAILED** (\`${ENGINE_DEMO.failed}\`): its **create_shipment** activity failed
   with \`KeyError: 'shipping_address'\`. Right-click that event → **Go to Source**: the activity opens.
3. Fix the bug: in \`workflows/activities.py\`, the line marked \`# BUG\` should read
   \`order["address"]\`. Save: the worker restarts with your code (a second or two).
4. Right-click the failed **ACTIVITY_TASK_FAILED** event → **Reset to Before This Step…**, give a reason,
   confirm. The engine starts a new run from before create_shipment; it completes with your fix
   (**Refresh** shows it; the failed run moves under **Earlier runs** with your reason).

5. Before resetting, **Check Workflow Code Against History** (right-click the execution) replays its
   history with the code in \`workflows/\` (the folder's \`.venv\`): every reset point is marked, and
   **Reset to Last Safe Point…** picks the point for you.

Also: \`${ENGINE_DEMO.waiting}\` is still waiting for its approval signal (Reset to Here on any
WORKFLOW_TASK_COMPLETED event terminates its run and starts a new one), and \`${ENGINE_DEMO.completed}\`
is an old-format order the bug did not touch.

The same engine is also configured as a **Temporal** workspace, \`engine\`, straight on its HTTP API
(${api.temporal?.baseUrl ?? ''}, namespace \`${api.temporal?.namespace ?? ''}\`): click the status bar item
(or **Select Workspace…**) to switch between the Mistral and the Temporal view of it.

**Temporal users**: the workspace \`shipping\` is the engine's \`${SHIPPING.namespace}\` namespace, where a plain
temporalio worker runs \`temporal-workflows/\` (\`@workflow.defn\`, \`@activity.defn\`, no Mistral SDK).
\`${SHIPPING_DEMO.failed}\` failed in **book_carrier** on the same kind of bug (fix it in
\`temporal-workflows/carrier.py\`, save, then **Reset to Last Safe Point…**); \`${SHIPPING_DEMO.waiting}\` waits
for its approval. **Add Workspace…** adds your own cluster or Temporal Cloud namespace.
`;
}

/** The in-memory sandbox, or the engine sandbox over the demo folder's workflow files. */
async function startApi(options: DemoOptions, layout: TempLayout): Promise<RunningApi> {
  if (options.engine === 'temporal') {
    const workflowsDir = path.join(layout.workspace, 'workflows');
    fs.cpSync(DEMO_WORKFLOWS, workflowsDir, { recursive: true });
    const temporalWorkflowsDir = path.join(layout.workspace, 'temporal-workflows');
    fs.cpSync(TEMPORAL_WORKFLOWS, temporalWorkflowsDir, { recursive: true });
    // The folder's .venv (the engine's Python, with the SDK): what the replay check runs in.
    fs.symlinkSync(venvDir(), path.join(layout.workspace, '.venv'));
    say('starting the real engine: the Temporal dev server, the Workflows API over it, a Mistral worker over workflows/, a temporalio worker over temporal-workflows/');
    const engine = await startEngineSandbox({ workflowsDir, temporalWorkflowsDir, port: options.sandboxPort, apiKey: options.apiKey, log: (line) => say(`engine: ${line}`) });
    return { baseUrl: engine.sandbox.baseUrl, temporal: { baseUrl: engine.engine.httpBaseUrl, namespace: engine.engine.namespace }, close: () => engine.stop() };
  }
  say(`starting the sandbox API with its demo data on http://${HOST}:${options.sandboxPort}`);
  const sandbox = await startSandbox({ port: options.sandboxPort, apiKey: options.apiKey, completionDelayMs: options.completionDelayMs });
  return { baseUrl: sandbox.baseUrl, close: () => sandbox.close() };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (!fs.existsSync(VSIX)) throw new DemoError(`${path.basename(VSIX)} is missing: run npm run package (npm run demo does it first)`);
  ensureSetUp(options.engine);
  await checkPortFree(options.port, 'VS Code');

  let sandbox: RunningApi | undefined;
  let server: CodeServer | undefined;
  let layout: TempLayout | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (server !== undefined) {
        say(`stopping code-server (process group ${server.pgid})`);
        await stopCodeServer(server, 'demo');
      }
      if (sandbox !== undefined) {
        say('stopping the sandbox');
        await sandbox.close();
      }
      if (layout !== undefined) fs.rmSync(layout.root, { recursive: true, force: true, maxRetries: 3 });
    })());

  let exitCode: number | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (exitCode !== undefined) return; // a second Ctrl-C while stopping: the first one is finishing
    exitCode = 0;
    console.log('');
    say(`${signal}: shutting down`);
    void stop().then(() => {
      say('stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  try {
    layout = makeTempLayout('mwf-demo-', { folderName: 'mistral-workflows-demo' });
    try {
      sandbox = await startApi(options, layout);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new DemoError(code === 'EADDRINUSE' ? `port ${options.sandboxPort} (sandbox) is in use: pick another with --sandbox-port` : err instanceof Error ? err.message : String(err));
    }
    writeDemoFolder(layout, options, sandbox);
    writeUserSettings(layout, {
      'workbench.startupEditor': 'readme',
      'workbench.colorTheme': 'Default Dark Modern',
      'mistralWorkflows.workspaces': [
        { name: 'sandbox', baseUrl: sandbox.baseUrl, production: false },
        // The same engine seen as a Temporal cluster: Select Workspace switches between the two kinds.
        ...(sandbox.temporal ? [
          { name: 'engine', kind: 'temporal', baseUrl: sandbox.temporal.baseUrl, namespace: sandbox.temporal.namespace },
          { name: 'shipping', kind: 'temporal', baseUrl: sandbox.temporal.baseUrl, namespace: SHIPPING.namespace },
        ] : []),
      ],
      'mistralWorkflows.activeWorkspace': 'sandbox',
    });
    // The key reaches the extension host through code-server's environment (the extension's third source).
    const env = codeServerEnv(layout, { MISTRAL_API_KEY: options.apiKey });
    say(`installing ${path.basename(VSIX)} into a fresh VS Code profile (${layout.root})`);
    await installExtension(layout, VSIX, env);

    say(`starting code-server ${CODE_SERVER_VERSION} on http://${HOST}:${options.port}`);
    server = startCodeServer({ layout, port: options.port, host: HOST, trust: false, env, verbose: options.verbose });
    await waitForHealthz(server, 60_000);
    const running = server;
    void running.exited.then((code) => {
      if (stopping !== undefined) return;
      console.error(`[demo] code-server exited on its own (code ${code}):\n${running.tail.join('\n')}`);
      void stop().then(() => process.exit(1));
    });

    console.log('');
    say(`ready. Open http://${HOST}:${options.port}/ in your browser,`);
    say('then click the Mistral Workflows icon in the activity bar (left).');
    say(`Sandbox API: ${sandbox.baseUrl} (key ${options.apiKey}); failed demo execution ${options.engine === 'temporal' ? ENGINE_DEMO.failed : DEMO.failed}`);
    say('Press Ctrl-C to stop both.');
    return await new Promise<number>(() => undefined); // runs until a signal
  } catch (err) {
    await stop();
    throw err;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof DemoError ? `[demo] ${err.message}` : err);
  process.exit(1);
});
