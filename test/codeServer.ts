/**
 * Starting and stopping a real VS Code (code-server 4.100.3 from .vscode-test/code-server/) and the headless
 * Chromium that drives it. Shared by the extension-host integration runner (test/runIntegration.ts), the UI
 * end-to-end tests (test/e2e/) and `npm run demo` (scripts/demo.ts), so all three start it the same,
 * checked way: a throwaway HOME/XDG/user-data-dir, its own process group, torn down by process-group id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { PROJECT_ROOT } from '../sandbox/engine/paths';
import { groupAlive, killGroup } from '../src/common/processGroup';
import { sleep } from '../src/common/sleep';

export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_DIR = path.join(PROJECT_ROOT, '.vscode-test', 'code-server');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
/** How long SIGTERM gets before the whole process group is SIGKILLed. */
export const KILL_GRACE_MS = 5_000;

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

/** Waits for a process group (already signalled or closing) to end; SIGKILLs it after the grace period. */
export async function reapGroup(pgid: number, graceMs: number, what: string, tag = 'runner'): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pgid)) {
    console.log(`[${tag}] ${what} (process group ${pgid}) still running after ${graceMs / 1000} s: SIGKILL`);
    killGroup(pgid, 'SIGKILL');
  }
}

/** Process groups led by direct children of this process (Linux /proc; empty elsewhere). */
export function childProcessGroups(): number[] {
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

/** The temp layout: everything code-server writes goes in here. */
export interface TempLayout {
  root: string;
  home: string;
  userData: string;
  extensions: string;
  workspace: string;
  serverLog: string;
}

/**
 * A fresh temp folder for one code-server. `fixture` is copied as the opened folder (so tests may write
 * .env or .vscode/settings.json into it without dirtying the repo); without one the folder is empty.
 * `extensions` may point at a folder shared between several code-servers (the e2e suite installs the VSIX
 * once per run). `folderName` names the opened folder (default `workspace`).
 */
export function makeTempLayout(prefix: string, options: { fixture?: string; extensions?: string; folderName?: string } = {}): TempLayout {
  // realpath: on some machines os.tmpdir() is a symlink, and VS Code reports real paths.
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const layout: TempLayout = {
    root,
    home: path.join(root, 'home'),
    userData: path.join(root, 'user-data'),
    extensions: options.extensions ?? path.join(root, 'extensions'),
    // The folder's name is what VS Code shows in its title and explorer.
    workspace: path.join(root, options.folderName ?? 'workspace'),
    serverLog: path.join(root, 'code-server.log'),
  };
  for (const dir of [layout.home, layout.userData, layout.extensions]) fs.mkdirSync(dir, { recursive: true });
  for (const xdg of ['config', 'data', 'cache', 'state']) fs.mkdirSync(path.join(layout.home, `.${xdg}`), { recursive: true });
  fs.mkdirSync(path.join(layout.home, '.runtime'), { recursive: true, mode: 0o700 });
  if (options.fixture !== undefined) fs.cpSync(options.fixture, layout.workspace, { recursive: true });
  else fs.mkdirSync(layout.workspace, { recursive: true });
  return layout;
}

export function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Writes the user settings.json: QUIET_SETTINGS, then `settings` over them. */
export function writeUserSettings(layout: TempLayout, settings: Record<string, unknown>): void {
  writeJson(path.join(layout.userData, 'User', 'settings.json'), { ...QUIET_SETTINGS, ...settings });
}

/**
 * code-server's environment: ours, minus what would make it talk to another VS Code, plus a throwaway
 * home, plus `extra`. A key of `extra` set to undefined is removed (e.g. MISTRAL_API_KEY for a first run).
 */
export function codeServerEnv(layout: TempLayout, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Run from a VS Code terminal, VSCODE_IPC_HOOK_CLI and friends make code-server hand the folder to
    // that VS Code instead of serving it. PASSWORD would be ignored with --auth none, but drop it anyway.
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE' || key === 'PASSWORD' || key === 'HASHED_PASSWORD') continue;
    env[key] = value;
  }
  // Without these, code-server writes ~/.config/code-server/config.yaml and VS Code its caches into the
  // real home. The extension host inherits them too, which keeps tests away from the user's files.
  env.HOME = layout.home;
  env.XDG_CONFIG_HOME = path.join(layout.home, '.config');
  env.XDG_DATA_HOME = path.join(layout.home, '.data');
  env.XDG_CACHE_HOME = path.join(layout.home, '.cache');
  env.XDG_STATE_HOME = path.join(layout.home, '.state');
  env.XDG_RUNTIME_DIR = path.join(layout.home, '.runtime');
  // An empty gallery switches the marketplace off (code-server reads this instead of product.json), so
  // the workbench does not ask open-vsx.org about extensions: runs stay offline and quiet.
  env.EXTENSIONS_GALLERY ??= '{}';
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export interface CodeServer {
  child: ChildProcess;
  pgid: number;
  port: number;
  /** Last lines of its output, for error messages. */
  tail: string[];
  exited: Promise<number | null>;
}

interface StartOptions {
  layout: TempLayout;
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** false: --disable-workspace-trust (everything trusted). */
  trust: boolean;
  env: NodeJS.ProcessEnv;
  /** Print code-server's output as it comes, each line prefixed by `[code-server]`. */
  verbose?: boolean;
}

export function startCodeServer(options: StartOptions): CodeServer {
  const { layout, port, trust, env } = options;
  const args = [
    CODE_SERVER_ENTRY,
    '--bind-addr', `${options.host ?? '127.0.0.1'}:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir', layout.userData,
    '--extensions-dir', layout.extensions,
    ...(trust ? [] : ['--disable-workspace-trust']),
    layout.workspace,
  ];
  // detached = setsid: code-server leads a process group of its own, so teardown can signal the whole
  // group (it leaves extension hosts running for hours otherwise) without touching anything else.
  // process.execPath: the same Node 20 that runs this script, whatever `node` is first on PATH.
  const child = spawn(process.execPath, args, { cwd: layout.root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('code-server did not start');
  const log = fs.createWriteStream(layout.serverLog);
  const tail: string[] = [];
  const onData = (chunk: Buffer): void => {
    log.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      if (options.verbose) console.log(`[code-server] ${line}`);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', () => resolve(null));
  });
  void exited.then(() => log.end());
  return { child, pgid: child.pid, port, tail, exited };
}

export async function waitForHealthz(server: CodeServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void server.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`code-server exited before it was ready:\n${server.tail.join('\n')}`);
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`code-server was not ready after ${timeoutMs / 1000} s:\n${server.tail.join('\n')}`);
}

export async function stopCodeServer(server: CodeServer, tag = 'runner'): Promise<void> {
  killGroup(server.pgid, 'SIGTERM');
  // The leader may be gone while extension hosts of its group still run: SIGKILL whatever is left.
  await reapGroup(server.pgid, KILL_GRACE_MS, 'code-server', tag);
  server.child.stdout?.destroy();
  server.child.stderr?.destroy();
}

/**
 * `code-server --install-extension VSIX` into the layout's extensions folder (a separate short-lived
 * process, ~1 s), with the same throwaway environment the server gets.
 */
export function installExtension(layout: TempLayout, vsix: string, env: NodeJS.ProcessEnv): Promise<void> {
  const args = [CODE_SERVER_ENTRY, '--user-data-dir', layout.userData, '--extensions-dir', layout.extensions, '--install-extension', vsix];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: layout.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      // code-server exits 0 even when an install fails, printing the reason: check the output too.
      if (code === 0 && /was successfully installed/.test(output)) resolve();
      else reject(new Error(`installing ${path.basename(vsix)} failed (exit ${code}):\n${output.trim()}`));
    });
  });
}

/**
 * Headless Debian Chromium through playwright-core. The flags stop Chromium from calling Google's hosts,
 * which this closed network refuses, many connections at a time. playwright's own signal handlers are off:
 * callers tear down code-server first, and playwright's would exit(130) and leave it running.
 * playwright starts Chromium as the leader of a process group of its own: childProcessGroups() finds it.
 */
export function launchChromium(executablePath: string = DEFAULT_CHROMIUM): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
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
}
