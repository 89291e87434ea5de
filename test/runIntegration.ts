/**
 * Runs the extension-host integration tests (out/test/integration/index.js) inside a real VS Code:
 * code-server 4.100.3 (VS Code 1.100.3's workbench and its real Node extension host), driven by headless
 * Debian Chromium through playwright-core.
 *
 * Why not @vscode/test-electron: this machine reaches only the npm registry and Debian, so desktop VS Code
 * cannot be downloaded (test/runDesktop.ts is that runner, for machines that can). The suite's `run()` is
 * the same for both.
 *
 * Usage: `npm run test:integration` (builds dist/ first), or after `tsc -p .`:
 *   node out/test/runIntegration.js [--trust] [--grep TEXT] [--settings JSON] [--timeout SECONDS] [--keep]
 * Environment (each also has the option above where one exists):
 *   MISTRAL_WF_TEST_SETTINGS            JSON object merged over the quiet user settings
 *   MISTRAL_WF_TEST_WORKSPACE_SETTINGS  JSON object written to <workspace>/.vscode/settings.json
 *   MISTRAL_WF_TEST_TRUST               on|off (default off = --disable-workspace-trust)
 *   MISTRAL_WF_TEST_GREP                only tests whose full title contains this text (read by the suite)
 *   MISTRAL_WF_TEST_ORDER               reverse: the suite's files in reverse order (no file may depend on another)
 *   MISTRAL_WF_TEST_WORKSPACE           folder copied and opened instead of test/fixtures/workspace
 *   MISTRAL_WF_TEST_SUITE               extensionTestsPath instead of out/test/integration/index
 *   MISTRAL_WF_TEST_TIMEOUT             overall timeout in seconds (default 900)
 *   MISTRAL_WF_TEST_KEEP=1              keep the temp folder; MISTRAL_WF_TEST_VERBOSE=1 streams code-server
 *   MISTRAL_WF_TEST_CHROMIUM            browser binary (default /usr/bin/chromium)
 * Every other environment variable (MISTRAL_WF_TEST_* included) passes through code-server to the
 * extension host, where the tests read it from process.env.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format, parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../sandbox/engine/paths';
import { freePort } from '../sandbox/engine/process';
import { killGroup } from '../src/common/processGroup';
import {
  CODE_SERVER_DIR,
  CODE_SERVER_ENTRY,
  CODE_SERVER_VERSION,
  DEFAULT_CHROMIUM,
  KILL_GRACE_MS,
  QUIET_SETTINGS,
  childProcessGroups,
  codeServerEnv,
  launchChromium,
  makeTempLayout,
  reapGroup,
  startCodeServer,
  stopCodeServer,
  waitForHealthz,
  writeJson,
  type CodeServer,
  type TempLayout,
} from './codeServer';

// Re-exported: test/runDesktop.ts imports them from here.
export { QUIET_SETTINGS } from './codeServer';

interface IntegrationOptions {
  /** Merged over QUIET_SETTINGS into the user settings.json. */
  settings?: Record<string, unknown>;
  /** Written to <workspace>/.vscode/settings.json (e.g. restricted settings for the trust suite). */
  workspaceSettings?: Record<string, unknown>;
  /**
   * false (default): --disable-workspace-trust, everything is trusted.
   * true: trust is on and the throwaway folder is NOT trusted (restricted mode); the startup prompt is
   * turned off so no modal dialog waits for a click.
   */
  workspaceTrust?: boolean;
  /** Passed to the suite as MISTRAL_WF_TEST_GREP. */
  grep?: string;
  /** Folder whose copy is opened. Default test/fixtures/workspace. */
  workspaceFixture?: string;
  /** Absolute extensionTestsPath (without .js). Default out/test/integration/index. */
  extensionTestsPath?: string;
  /** Extra environment for code-server and so for the extension host. */
  env?: Record<string, string>;
  timeoutMs?: number;
  keepTemp?: boolean;
  verbose?: boolean;
  chromiumPath?: string;
}

function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function parseOnOff(value: string | undefined, what: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.toLowerCase();
  if (['1', 'on', 'true', 'yes', 'enabled'].includes(v)) return true;
  if (['0', 'off', 'false', 'no', 'disabled'].includes(v)) return false;
  throw new Error(`${what}: expected on or off, got "${value}"`);
}

/** Options from MISTRAL_WF_TEST_* variables, then command-line flags (flags win). */
export function optionsFromEnvAndArgs(env: NodeJS.ProcessEnv, argv: readonly string[]): IntegrationOptions {
  const o: IntegrationOptions = {};
  if (env.MISTRAL_WF_TEST_SETTINGS) o.settings = parseJsonObject(env.MISTRAL_WF_TEST_SETTINGS, 'MISTRAL_WF_TEST_SETTINGS');
  if (env.MISTRAL_WF_TEST_WORKSPACE_SETTINGS) {
    o.workspaceSettings = parseJsonObject(env.MISTRAL_WF_TEST_WORKSPACE_SETTINGS, 'MISTRAL_WF_TEST_WORKSPACE_SETTINGS');
  }
  const trust = parseOnOff(env.MISTRAL_WF_TEST_TRUST, 'MISTRAL_WF_TEST_TRUST');
  if (trust !== undefined) o.workspaceTrust = trust;
  if (env.MISTRAL_WF_TEST_GREP) o.grep = env.MISTRAL_WF_TEST_GREP;
  if (env.MISTRAL_WF_TEST_WORKSPACE) o.workspaceFixture = path.resolve(env.MISTRAL_WF_TEST_WORKSPACE);
  if (env.MISTRAL_WF_TEST_SUITE) o.extensionTestsPath = path.resolve(env.MISTRAL_WF_TEST_SUITE);
  if (env.MISTRAL_WF_TEST_TIMEOUT) o.timeoutMs = Number(env.MISTRAL_WF_TEST_TIMEOUT) * 1000;
  if (parseOnOff(env.MISTRAL_WF_TEST_KEEP, 'MISTRAL_WF_TEST_KEEP')) o.keepTemp = true;
  if (parseOnOff(env.MISTRAL_WF_TEST_VERBOSE, 'MISTRAL_WF_TEST_VERBOSE')) o.verbose = true;
  if (env.MISTRAL_WF_TEST_CHROMIUM) o.chromiumPath = env.MISTRAL_WF_TEST_CHROMIUM;

  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      trust: { type: 'boolean' },
      'no-trust': { type: 'boolean' },
      grep: { type: 'string' },
      settings: { type: 'string' },
      workspace: { type: 'string' },
      timeout: { type: 'string' },
      keep: { type: 'boolean' },
      verbose: { type: 'boolean' },
    },
  });
  if (values.trust) o.workspaceTrust = true;
  if (values['no-trust']) o.workspaceTrust = false;
  if (values.grep !== undefined) o.grep = values.grep;
  if (values.settings !== undefined) o.settings = { ...o.settings, ...parseJsonObject(values.settings, '--settings') };
  if (values.workspace !== undefined) o.workspaceFixture = path.resolve(values.workspace);
  if (values.timeout !== undefined) o.timeoutMs = Number(values.timeout) * 1000;
  if (values.keep) o.keepTemp = true;
  if (values.verbose) o.verbose = true;
  if (o.timeoutMs !== undefined && !(o.timeoutMs > 0)) throw new Error('the timeout must be a positive number of seconds');
  return o;
}

export class SetupError extends Error {}

/** Fails early, with the fix, when something the run needs is missing. */
function checkPrerequisites(chromiumPath: string, extensionTestsPath: string): void {
  const problems: string[] = [];
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    problems.push(`code-server ${CODE_SERVER_VERSION} is not installed in ${path.relative(PROJECT_ROOT, CODE_SERVER_DIR)}: run npm run setup (scripts/setup.sh)`);
  }
  if (!fs.existsSync(chromiumPath)) {
    problems.push(`no browser at ${chromiumPath}: run scripts/install-system-deps.sh (Debian package chromium)`);
  }
  if (!fs.existsSync(path.join(PROJECT_ROOT, 'dist', 'extension.js'))) {
    problems.push('dist/extension.js is missing: run npm run build (npm run test:integration does)');
  }
  if (!fs.existsSync(`${extensionTestsPath}.js`)) {
    problems.push(`${path.relative(PROJECT_ROOT, extensionTestsPath)}.js is missing: run tsc -p .`);
  }
  if (problems.length > 0) throw new SetupError(problems.join('\n'));
}

/** The integration run's temp layout: a copy of the fixture folder is opened. */
function makeSandbox(fixture: string): TempLayout {
  return makeTempLayout('mwf-vscode-it-', { fixture });
}

/** code-server's environment for the suite: the shared one plus what the suite reads from process.env. */
function serverEnv(sb: TempLayout, trust: boolean, grep: string | undefined, extra: Record<string, string>): NodeJS.ProcessEnv {
  return codeServerEnv(sb, {
    // Tell the suite which mode it runs in (the harness smoke test checks it against vscode.workspace.isTrusted).
    MISTRAL_WF_TEST_TRUST: trust ? 'on' : 'off',
    MISTRAL_WF_TEST_GREP: grep,
    MISTRAL_WF_TEST_RUNNER: 'code-server',
    ...extra,
  });
}

/**
 * The workbench logs as (level, args), args being console.log's arguments, format string included
 * (mocha's reporter writes `console.log('  ✔ %s', title)`): format them the way console.log would.
 */
function formatLogArgs(args: unknown): string {
  const list: unknown[] = Array.isArray(args) ? args : [args];
  return format(...list);
}

/**
 * The line test/integration/index.ts prints first. The workbench's own start-up chatter (connection
 * tokens, sockets, service worker) comes through the same log before it: hold that back unless the run
 * fails before the suite starts, or --verbose.
 */
const SUITE_START_MARKER = '[integration] mocha starting';

/** Workbench messages that repeat during every run and say nothing about the tests (shown with --verbose). */
const WORKBENCH_NOISE: readonly RegExp[] = [/^Ignoring fetching additional builtin extensions from gallery as it is disabled\.$/];

/** Keeps what explains a failure in .vscode-test/logs/<time>/ (git-ignored) before the temp folder goes. */
async function saveDiagnostics(sb: TempLayout, page: Page | undefined): Promise<string> {
  const dir = path.join(PROJECT_ROOT, '.vscode-test', 'logs', new Date().toISOString().replace(/[:.]/g, '-'));
  fs.mkdirSync(dir, { recursive: true });
  if (page !== undefined) {
    await page.screenshot({ path: path.join(dir, 'workbench.png') }).catch(() => undefined);
  }
  if (fs.existsSync(sb.serverLog)) fs.copyFileSync(sb.serverLog, path.join(dir, 'code-server.log'));
  // VS Code's own logs, including the extension host's (exthost*.log).
  const vscodeLogs = path.join(sb.userData, 'logs');
  if (fs.existsSync(vscodeLogs)) fs.cpSync(vscodeLogs, path.join(dir, 'vscode-logs'), { recursive: true });
  return dir;
}

/** Runs the suite once; resolves with its exit code (0 = all passed). */
export async function runIntegrationTests(options: IntegrationOptions = {}): Promise<number> {
  const trust = options.workspaceTrust ?? false;
  const chromiumPath = options.chromiumPath ?? DEFAULT_CHROMIUM;
  const extensionTestsPath = options.extensionTestsPath ?? path.join(PROJECT_ROOT, 'out', 'test', 'integration', 'index');
  const fixture = options.workspaceFixture ?? path.join(PROJECT_ROOT, 'test', 'fixtures', 'workspace');
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  checkPrerequisites(chromiumPath, extensionTestsPath);

  const started = Date.now();
  const sb = makeSandbox(fixture);
  const settings: Record<string, unknown> = { ...QUIET_SETTINGS, ...options.settings };
  if (trust) {
    // Trust on, but no modal "Do you trust the authors?" dialog: nobody is there to click it. The folder
    // stays untrusted (restricted mode), which is what a trust suite wants to observe.
    settings['security.workspace.trust.startupPrompt'] ??= 'never';
  }
  writeJson(path.join(sb.userData, 'User', 'settings.json'), settings);
  if (options.workspaceSettings !== undefined) {
    writeJson(path.join(sb.workspace, '.vscode', 'settings.json'), options.workspaceSettings);
  }

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let exitCode = 1;
  /** Workbench log lines before the suite started (see SUITE_START_MARKER). */
  const heldBack: string[] = [];
  let suiteStarted = false;
  let teardownStarted = Date.now();

  /** Process groups still to be ended: code-server's and the browser's. Emptied as each one is confirmed gone. */
  const liveGroups = new Set<number>();
  let tempRemoved = false;
  const removeTemp = (): void => {
    if (tempRemoved) return;
    tempRemoved = true;
    if (options.keepTemp) console.log(`[runner] kept ${sb.root}`);
    else fs.rmSync(sb.root, { recursive: true, force: true, maxRetries: 3 });
  };
  // One teardown, however many callers (the main flow, a signal): they all wait for the same one.
  let teardownPromise: Promise<void> | undefined;
  const teardown = (): Promise<void> => (teardownPromise ??= (async () => {
    // browser.close() returns when Chromium's main process has exited, while its zygote and renderers
    // may still be going: make sure its whole group is empty.
    await browser?.close().catch(() => undefined);
    for (const group of [...liveGroups]) {
      if (group === server?.pgid) continue;
      await reapGroup(group, KILL_GRACE_MS, 'Chromium');
      liveGroups.delete(group);
    }
    if (server !== undefined) {
      await stopCodeServer(server);
      liveGroups.delete(server.pgid);
    }
    removeTemp();
  })());
  // Ctrl-C or a CI cancel must not leave code-server behind: tear down, then exit 128+n. A second
  // signal exits at once (the exit hook below still SIGKILLs the groups).
  let interrupted: number | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    const code = 128 + (os.constants.signals[signal] ?? 0);
    if (interrupted !== undefined) process.exit(code);
    interrupted = code;
    console.error(`[runner] ${signal}: stopping code-server and the browser`);
    void teardown().finally(() => process.exit(code));
  };
  // Last resort if the process ends any other way (an uncaught error, a second Ctrl-C, process.exit
  // mid-teardown): synchronous, so only SIGKILL and a synchronous delete are possible.
  const onExit = (): void => {
    for (const group of liveGroups) killGroup(group, 'SIGKILL');
    removeTemp();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.once('exit', onExit);

  try {
    const port = await freePort();
    const env = serverEnv(sb, trust, options.grep, options.env ?? {});
    console.log(`[runner] code-server ${CODE_SERVER_VERSION} on 127.0.0.1:${port}, workspace trust ${trust ? 'ON (folder untrusted)' : 'off'}, temp ${sb.root}`);
    server = startCodeServer({ layout: sb, port, trust, env, verbose: options.verbose ?? false });
    liveGroups.add(server.pgid);
    await waitForHealthz(server, 60_000);

    // playwright's launch() gives the browser a fresh temporary profile (the --user-data-dir the notes
    // ask for) and deletes it on close.
    browser = await launchChromium(chromiumPath);
    // playwright starts Chromium as the leader of a process group of its own: note it for teardown.
    for (const group of childProcessGroups()) liveGroups.add(group);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });

    let resolveExit: (code: number) => void = () => undefined;
    const testsExited = new Promise<number>((resolve) => (resolveExit = resolve));
    // Both must exist BEFORE the workbench loads: it looks them up once, when the tests are started.
    // codeAutomationLog gets the extension host's console output (mocha's reporter); codeAutomationExit
    // the exit code of the suite's run() (0 resolved, 1 rejected).
    await page.exposeFunction('codeAutomationLog', (_level: string, args: unknown) => {
      const line = formatLogArgs(args);
      if (!options.verbose && WORKBENCH_NOISE.some((re) => re.test(line))) return;
      if (!suiteStarted && line.includes(SUITE_START_MARKER)) suiteStarted = true;
      if (suiteStarted || options.verbose) console.log(line);
      else heldBack.push(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => {
      resolveExit(code);
    });
    if (options.verbose) {
      page.on('pageerror', (err) => console.log(`[browser] page error: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error') console.log(`[browser] ${msg.text()}`);
      });
    }

    // The workbench resolves these against the remote (the code-server host), hence vscode-remote URIs.
    const authority = `127.0.0.1:${port}`;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${PROJECT_ROOT}`],
      ['extensionTestsPath', `vscode-remote://${authority}${extensionTestsPath}`],
    ];
    const url = `http://${authority}/?folder=${encodeURIComponent(sb.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { waitUntil: 'domcontentloaded' });

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const serverDied = server.exited.then(() => 'server-exited' as const);
    const outcome = await Promise.race([testsExited, timedOut, serverDied]);
    clearTimeout(timer);

    if (interrupted !== undefined) {
      exitCode = interrupted; // 128+n, as a shell reports a signal
    } else if (outcome === 'timeout') {
      console.error(`[runner] no exit code from the tests after ${timeoutMs / 1000} s`);
      exitCode = 1;
    } else if (outcome === 'server-exited') {
      console.error(`[runner] code-server exited during the run:\n${server.tail.join('\n')}`);
      exitCode = 1;
    } else {
      exitCode = outcome;
    }
    if (exitCode !== 0 && interrupted === undefined) {
      if (!suiteStarted) console.error(`[runner] the suite never started; workbench log:\n${heldBack.join('\n')}`);
      const dir = await saveDiagnostics(sb, page);
      console.error(`[runner] screenshot and logs: ${path.relative(PROJECT_ROOT, dir)}`);
    }
  } catch (err) {
    exitCode = interrupted ?? 1;
    if (interrupted === undefined) {
      console.error(`[runner] ${(err as Error).message}`);
      if (!suiteStarted && heldBack.length > 0) console.error(`[runner] workbench log:\n${heldBack.join('\n')}`);
      const dir = await saveDiagnostics(sb, page).catch(() => undefined);
      if (dir !== undefined) console.error(`[runner] screenshot and logs: ${path.relative(PROJECT_ROOT, dir)}`);
    }
  } finally {
    teardownStarted = Date.now();
    await teardown();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGHUP', onSignal);
    process.removeListener('exit', onExit);
  }
  const seconds = (from: number): string => ((Date.now() - from) / 1000).toFixed(1);
  console.log(`[runner] exit code ${exitCode} after ${seconds(started)} s (teardown ${seconds(teardownStarted)} s)`);
  return exitCode;
}

async function main(): Promise<void> {
  let code: number;
  try {
    code = await runIntegrationTests(optionsFromEnvAndArgs(process.env, process.argv.slice(2)));
  } catch (err) {
    console.error(err instanceof SetupError ? `[runner] cannot run:\n${err.message}` : err);
    code = 1;
  }
  // Exit explicitly: playwright can keep handles open a little after close().
  process.exit(code);
}

if (require.main === module) void main();
