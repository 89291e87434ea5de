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
 *   MISTRAL_WF_TEST_WORKSPACE           folder copied and opened instead of test/fixtures/workspace
 *   MISTRAL_WF_TEST_SUITE               extensionTestsPath instead of out/test/integration/index
 *   MISTRAL_WF_TEST_TIMEOUT             overall timeout in seconds (default 900)
 *   MISTRAL_WF_TEST_KEEP=1              keep the temp folder; MISTRAL_WF_TEST_VERBOSE=1 streams code-server
 *   MISTRAL_WF_TEST_CHROMIUM            browser binary (default /usr/bin/chromium)
 * Every other environment variable (MISTRAL_WF_TEST_* included) passes through code-server to the
 * extension host, where the tests read it from process.env.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The project root: this file compiles to out/test/runIntegration.js. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
const CODE_SERVER_DIR = path.join(PROJECT_ROOT, '.vscode-test', 'code-server');
const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const DEFAULT_CHROMIUM = '/usr/bin/chromium';
/** How long SIGTERM gets before the whole process group is SIGKILLed. */
const KILL_GRACE_MS = 5_000;

/** Settings that keep a fresh VS Code quiet: no welcome page, telemetry, update or experiment traffic. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
};

export interface IntegrationOptions {
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

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--trust': o.workspaceTrust = true; break;
      case '--no-trust': o.workspaceTrust = false; break;
      case '--grep': o.grep = next(); break;
      case '--settings': o.settings = { ...o.settings, ...parseJsonObject(next(), '--settings') }; break;
      case '--workspace': o.workspaceFixture = path.resolve(next()); break;
      case '--timeout': o.timeoutMs = Number(next()) * 1000; break;
      case '--keep': o.keepTemp = true; break;
      case '--verbose': o.verbose = true; break;
      default: throw new Error(`unknown argument ${arg}`);
    }
  }
  if (o.timeoutMs !== undefined && !(o.timeoutMs > 0)) throw new Error('the timeout must be a positive number of seconds');
  return o;
}

export class SetupError extends Error {}

/** Fails early, with the fix, when something the run needs is missing. */
export function checkPrerequisites(chromiumPath: string, extensionTestsPath: string): void {
  const problems: string[] = [];
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    problems.push(`code-server ${CODE_SERVER_VERSION} is not installed in ${path.relative(PROJECT_ROOT, CODE_SERVER_DIR)}: run scripts/install-code-server.sh (npm run setup:vscode)`);
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not pick a free port'))));
    });
  });
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** True while any process of the group is alive (signal 0 only checks). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** The temp layout: everything code-server or the browser writes goes in here. */
interface Sandbox {
  root: string;
  home: string;
  userData: string;
  extensions: string;
  workspace: string;
  serverLog: string;
}

function makeSandbox(fixture: string): Sandbox {
  // realpath: on some machines os.tmpdir() is a symlink, and VS Code reports real paths.
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwf-vscode-it-')));
  const sb: Sandbox = {
    root,
    home: path.join(root, 'home'),
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    workspace: path.join(root, 'workspace'),
    serverLog: path.join(root, 'code-server.log'),
  };
  for (const dir of [sb.home, sb.userData, sb.extensions]) fs.mkdirSync(dir, { recursive: true });
  for (const xdg of ['config', 'data', 'cache', 'state']) fs.mkdirSync(path.join(sb.home, `.${xdg}`), { recursive: true });
  fs.mkdirSync(path.join(sb.home, '.runtime'), { recursive: true, mode: 0o700 });
  // A copy, so tests may write into the folder (.env, .vscode/settings.json) without dirtying the repo.
  fs.cpSync(fixture, sb.workspace, { recursive: true });
  return sb;
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** code-server's environment: ours, minus what would make it talk to another VS Code, plus a throwaway home. */
function serverEnv(sb: Sandbox, trust: boolean, grep: string | undefined, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Run from a VS Code terminal, VSCODE_IPC_HOOK_CLI and friends make code-server hand the folder to
    // that VS Code instead of serving it. PASSWORD would be ignored with --auth none, but drop it anyway.
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE' || key === 'PASSWORD' || key === 'HASHED_PASSWORD') continue;
    env[key] = value;
  }
  // Without these, code-server writes ~/.config/code-server/config.yaml and VS Code its caches into the
  // real home. The extension host inherits them too, which keeps tests away from the user's files.
  env.HOME = sb.home;
  env.XDG_CONFIG_HOME = path.join(sb.home, '.config');
  env.XDG_DATA_HOME = path.join(sb.home, '.data');
  env.XDG_CACHE_HOME = path.join(sb.home, '.cache');
  env.XDG_STATE_HOME = path.join(sb.home, '.state');
  env.XDG_RUNTIME_DIR = path.join(sb.home, '.runtime');
  // Tell the suite which mode it runs in (the harness smoke test checks it against vscode.workspace.isTrusted).
  env.MISTRAL_WF_TEST_TRUST = trust ? 'on' : 'off';
  if (grep !== undefined) env.MISTRAL_WF_TEST_GREP = grep;
  else delete env.MISTRAL_WF_TEST_GREP;
  env.MISTRAL_WF_TEST_RUNNER = 'code-server';
  // An empty gallery switches the marketplace off (code-server reads this instead of product.json), so
  // the workbench does not ask open-vsx.org about extensions: the tests stay offline and quiet.
  env.EXTENSIONS_GALLERY ??= '{}';
  return { ...env, ...extra };
}

interface Server {
  child: ChildProcess;
  pgid: number;
  /** Last lines of its output, for error messages. */
  tail: string[];
  exited: Promise<number | null>;
}

function startCodeServer(sb: Sandbox, port: number, trust: boolean, env: NodeJS.ProcessEnv, verbose: boolean): Server {
  const args = [
    CODE_SERVER_ENTRY,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir', sb.userData,
    '--extensions-dir', sb.extensions,
    ...(trust ? [] : ['--disable-workspace-trust']),
    sb.workspace,
  ];
  // detached = setsid: code-server leads a process group of its own, so teardown can signal the whole
  // group (it leaves extension hosts running for hours otherwise) without touching anything else.
  // process.execPath: the same Node 20 that runs this script, whatever `node` is first on PATH.
  const child = spawn(process.execPath, args, { cwd: sb.root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('code-server did not start');
  const log = fs.createWriteStream(sb.serverLog);
  const tail: string[] = [];
  const onData = (chunk: Buffer): void => {
    log.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      if (verbose) console.log(`[code-server] ${line}`);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', () => resolve(null));
  });
  void exited.then(() => log.end());
  return { child, pgid: child.pid, tail, exited };
}

async function waitForHealthz(server: Server, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void server.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`code-server exited before it was ready:\n${server.tail.join('\n')}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(200);
  }
  throw new Error(`code-server was not ready after ${timeoutMs / 1000} s:\n${server.tail.join('\n')}`);
}

async function stopCodeServer(server: Server): Promise<void> {
  killGroup(server.pgid, 'SIGTERM');
  // The leader may be gone while extension hosts of its group still run: SIGKILL whatever is left.
  await reapGroup(server.pgid, KILL_GRACE_MS, 'code-server');
  server.child.stdout?.destroy();
  server.child.stderr?.destroy();
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
export const SUITE_START_MARKER = '[integration] mocha starting';

/** Workbench messages that repeat during every run and say nothing about the tests (shown with --verbose). */
const WORKBENCH_NOISE: readonly RegExp[] = [/^Ignoring fetching additional builtin extensions from gallery as it is disabled\.$/];

/** Process groups led by direct children of this process (Linux /proc; empty elsewhere). */
function childProcessGroups(): number[] {
  const groups = new Set<number>();
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid) groups.add(Number(fields[2]));
    } catch {
      // The process ended while we looked.
    }
  }
  groups.delete(process.pid); // our own group: never signal it
  return [...groups];
}

/** Waits for a process group (already signalled or closing) to end; SIGKILLs it after the grace period. */
async function reapGroup(pgid: number, graceMs: number, what: string): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await delay(100);
  if (groupAlive(pgid)) {
    console.log(`[runner] ${what} (process group ${pgid}) still running after ${graceMs / 1000} s: SIGKILL`);
    killGroup(pgid, 'SIGKILL');
  }
}

/** Keeps what explains a failure in .vscode-test/logs/<time>/ (git-ignored) before the temp folder goes. */
async function saveDiagnostics(sb: Sandbox, page: Page | undefined): Promise<string> {
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

  let server: Server | undefined;
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
    server = startCodeServer(sb, port, trust, env, options.verbose ?? false);
    liveGroups.add(server.pgid);
    await waitForHealthz(server, port, 60_000);

    // playwright's launch() gives the browser a fresh temporary profile (the --user-data-dir the notes
    // ask for) and deletes it on close. The flags stop Chromium from calling Google's hosts, which this
    // closed network refuses, many connections at a time.
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      // Our handlers above tear everything down; playwright's own would exit(130) first and leave
      // code-server running.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      args: [
        '--no-sandbox', // as root
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
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
