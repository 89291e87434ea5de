/**
 * The UI end-to-end harness: a real VS Code workbench (code-server) with the extension installed from the
 * VSIX that `npm run package` builds, a sandbox API, and helpers that act like a person does: click,
 * right-click, type, press Enter/Escape, and wait for what appears on screen.
 *
 * Resources by lifetime:
 * - per run (one mocha process): one headless Chromium, and one extensions folder holding the installed
 *   VSIX (installed once, ~1 s; every code-server of the run reads it);
 * - per test: a sandbox on a random port and a code-server with a fresh user-data-dir, HOME and folder,
 *   opened in a fresh browser context (fresh secret storage). ~5 s each, and no test can leak state into
 *   another (a reset changes the sandbox; a stored key or the tree's state lives in the workbench).
 *
 * Waiting: every step waits for the element it needs (playwright's auto-waiting locators, or `expect`-like
 * polling below). The only fixed pause is the ~300 ms before clicking a context-menu item: VS Code's menu
 * ignores mouse-up for its first 100 ms and the click is silently lost otherwise.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { venvDir } from '../../sandbox/engine';
import { PROJECT_ROOT } from '../../sandbox/engine/paths';
import { freePort } from '../../sandbox/engine/process';
import { DEMO_WORKFLOWS, startEngineSandbox, type EngineSandbox } from '../../sandbox/engine/sandbox';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server';
import { killGroup } from '../../src/common/processGroup';
import { eventually } from '../helpers/eventually';
import { escapeRegExp } from '../helpers/regexp';
import {
  CODE_SERVER_ENTRY,
  DEFAULT_CHROMIUM,
  KILL_GRACE_MS,
  childProcessGroups,
  codeServerEnv,
  installExtension,
  launchChromium,
  makeTempLayout,
  reapGroup,
  startCodeServer,
  stopCodeServer,
  waitForHealthz,
  writeUserSettings,
  type CodeServer,
  type TempLayout,
} from '../codeServer';

const VSIX = path.join(PROJECT_ROOT, 'mistral-workflows.vsix');
export const SCREENSHOTS_DIR = path.join(PROJECT_ROOT, '.vscode-test', 'screenshots');
const FAILURES_DIR = path.join(SCREENSHOTS_DIR, 'failures');
/** The name of the Mistral workspace the settings define. */
const WORKSPACE = 'sandbox';
/** Python definitions named after the sandbox's demo data (order-fulfillment and its activities), for Go to Source. */
export const PYTHON_FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'workspace');
/** A fixed size, so screenshots look the same on every machine and the sidebar has room. */
const VIEWPORT = { width: 1280, height: 800 } as const;
/** VS Code's context menu drops a mouse-up that comes within its first 100 ms (see the file comment). */
const CONTEXT_MENU_SETTLE_MS = 300;
/** Long enough for a cold extension host on a 2-core machine; every wait below fails with what it saw. */
export const UI_TIMEOUT_MS = 30_000;

/** Set by test/e2e/run.ts from its flags. */
export const e2eConfig = {
  /** Where `publish: true` screenshots are also copied (npm run screenshots: media/). */
  publishDir: undefined as string | undefined,
  verbose: false,
  keepTemp: false,
  chromiumPath: DEFAULT_CHROMIUM,
};

// ---------------------------------------------------------------------------------------------------
// Run-level resources

interface RunResources {
  browser: Browser;
  extensions: string;
  root: string;
}

let run: Promise<RunResources> | undefined;
/** Process groups to end if the run stops abruptly (Ctrl-C): Chromium's and live code-servers'. */
export const liveGroups = new Set<number>();

export function checkE2ePrerequisites(): string[] {
  const problems: string[] = [];
  if (!fs.existsSync(CODE_SERVER_ENTRY)) problems.push('code-server is not installed: run npm run setup (scripts/setup.sh)');
  if (!fs.existsSync(e2eConfig.chromiumPath)) problems.push(`no browser at ${e2eConfig.chromiumPath}: run scripts/install-system-deps.sh (Debian package chromium)`);
  if (!fs.existsSync(VSIX)) problems.push(`${path.basename(VSIX)} is missing: run npm run package`);
  return problems;
}

function runResources(): Promise<RunResources> {
  run ??= (async () => {
    // The VSIX goes into a folder of its own, installed by code-server's CLI like a user would.
    const layout = makeTempLayout('mwf-e2e-run-');
    await installExtension(layout, VSIX, codeServerEnv(layout));
    const browser = await launchChromium(e2eConfig.chromiumPath);
    for (const group of childProcessGroups()) liveGroups.add(group);
    return { browser, extensions: layout.extensions, root: layout.root };
  })();
  return run;
}

/** After the last test: the browser, and the run's temp folder. */
export async function closeRun(): Promise<void> {
  if (run === undefined) return;
  const resources = await run.catch(() => undefined);
  run = undefined;
  if (resources === undefined) return;
  await resources.browser.close().catch(() => undefined);
  // browser.close() returns when Chromium's main process is gone; its zygote may linger a moment.
  for (const group of [...liveGroups]) {
    await reapGroup(group, KILL_GRACE_MS, 'Chromium', 'e2e');
    liveGroups.delete(group);
  }
  if (!e2eConfig.keepTemp) fs.rmSync(resources.root, { recursive: true, force: true, maxRetries: 3 });
}

/** Synchronous last resort (process exit): SIGKILL whatever is left. */
export function killEverything(): void {
  for (const group of liveGroups) killGroup(group, 'SIGKILL');
}

// ---------------------------------------------------------------------------------------------------
// One test's world: sandbox + code-server + browser context

export interface SessionOptions {
  /** MISTRAL_API_KEY given to code-server (reaches the extension host). Default: the sandbox's key; null: none. */
  apiKey?: string | null;
  production?: boolean;
  sandbox?: SandboxOptions;
  /** More user settings. */
  settings?: Record<string, unknown>;
  /** A folder copied into the opened folder (default: an empty folder), e.g. PYTHON_FIXTURE. */
  fixture?: string;
  /**
   * The real engine instead of the in-memory sandbox (sandbox/engine): the opened folder gets the demo's
   * workflow files under workflows/, which the real worker runs and watches.
   */
  engine?: boolean;
  /** With `engine: true`: the active workspace is a Temporal one, on the engine's own HTTP API. */
  temporalWorkspace?: boolean;
}

/** The Temporal workspace of `temporalWorkspace` sessions. */
export const TEMPORAL_WORKSPACE = 'local-temporal';

export class Session {
  private constructor(
    readonly sandbox: Sandbox,
    readonly layout: TempLayout,
    readonly server: CodeServer,
    readonly context: BrowserContext,
    readonly page: Page,
    readonly wb: Workbench,
  ) {}

  /** With `engine: true`: the engine sandbox (its Temporal client tells what the engine reports). */
  engine?: EngineSandbox;

  static async start(options: SessionOptions = {}): Promise<Session> {
    const resources = await runResources();
    const cleanups: (() => Promise<void>)[] = [];
    try {
      const layout = makeTempLayout('mwf-e2e-', { extensions: resources.extensions, folderName: 'my-workflows', fixture: options.fixture });
      cleanups.push(async () => {
        if (!e2eConfig.keepTemp) fs.rmSync(layout.root, { recursive: true, force: true, maxRetries: 3 });
      });
      let engine: EngineSandbox | undefined;
      let sandbox: Sandbox;
      if (options.engine) {
        const workflowsDir = path.join(layout.workspace, 'workflows');
        fs.cpSync(DEMO_WORKFLOWS, workflowsDir, { recursive: true });
        // The folder's .venv, as a developer's checkout has one: the replay check runs in it.
        fs.symlinkSync(venvDir(), path.join(layout.workspace, '.venv'));
        const started = await startEngineSandbox({ workflowsDir });
        engine = started;
        cleanups.push(() => started.stop());
        sandbox = started.sandbox;
      } else {
        const started = await startSandbox({ port: 0, ...options.sandbox });
        cleanups.push(() => started.close());
        sandbox = started;
      }
      writeUserSettings(layout, {
        // A dark theme: the screenshots in media/ come from these runs.
        'workbench.colorTheme': 'Default Dark Modern',
        // No hover pop-ups over the tree while the mouse rests on it (they cover rows in screenshots).
        'workbench.hover.delay': 60_000,
        'mistralWorkflows.workspaces': [
          { name: WORKSPACE, baseUrl: sandbox.baseUrl, production: options.production ?? false },
          ...(engine && options.temporalWorkspace ? [{ name: TEMPORAL_WORKSPACE, kind: 'temporal', baseUrl: engine.engine.httpBaseUrl, namespace: engine.engine.namespace }] : []),
        ],
        'mistralWorkflows.activeWorkspace': engine && options.temporalWorkspace ? TEMPORAL_WORKSPACE : WORKSPACE,
        ...options.settings,
      });
      const apiKey = options.apiKey === undefined ? sandbox.apiKey : options.apiKey;
      const env = codeServerEnv(layout, { MISTRAL_API_KEY: apiKey ?? undefined });
      const port = await freePort();
      const server = startCodeServer({ layout, port, trust: false, env, verbose: e2eConfig.verbose });
      liveGroups.add(server.pgid);
      cleanups.push(async () => {
        await stopCodeServer(server, 'e2e');
        liveGroups.delete(server.pgid);
      });
      await waitForHealthz(server, 60_000);
      // A fresh context = fresh cookies and storage, so nothing (a stored key, view state) carries over.
      const context = await resources.browser.newContext({ viewport: VIEWPORT });
      cleanups.push(() => context.close());
      const page = await context.newPage();
      if (e2eConfig.verbose) page.on('pageerror', (err) => console.log(`[browser] ${err.message}`));
      await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(layout.workspace)}`, { waitUntil: 'domcontentloaded' });
      const session = new Session(sandbox, layout, server, context, page, new Workbench(page));
      session.engine = engine;
      session.cleanups = cleanups;
      await session.wb.ready();
      return session;
    } catch (err) {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      throw err;
    }
  }

  private cleanups: (() => Promise<void>)[] = [];

  async close(): Promise<void> {
    for (const cleanup of this.cleanups.reverse()) await cleanup().catch((err: unknown) => console.log(`[e2e] teardown: ${String(err)}`));
    this.cleanups = [];
  }

  /** A failed test: a screenshot and the logs (code-server's and VS Code's, the extension host's among them). */
  async saveFailure(title: string): Promise<string> {
    const dir = path.join(FAILURES_DIR, `${new Date().toISOString().replace(/[:.]/g, '-')}-${slug(title)}`);
    fs.mkdirSync(dir, { recursive: true });
    await this.page.screenshot({ path: path.join(dir, 'workbench.png') }).catch(() => undefined);
    if (fs.existsSync(this.layout.serverLog)) fs.copyFileSync(this.layout.serverLog, path.join(dir, 'code-server.log'));
    const logs = path.join(this.layout.userData, 'logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, path.join(dir, 'vscode-logs'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'sandbox-requests.json'), JSON.stringify(this.sandbox.requests, null, 2));
    return dir;
  }
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
}

// ---------------------------------------------------------------------------------------------------
// The workbench, as a person sees it

export class Workbench {
  constructor(readonly page: Page) {}

  /** The workbench is drawn. */
  async ready(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  }

  get sidebar(): Locator {
    return this.page.locator('#workbench\\.parts\\.sidebar');
  }

  /** Clicks the Mistral Workflows icon in the activity bar (unless its view is already showing). */
  async openView(): Promise<void> {
    const view = this.page.locator('[id="workbench.view.extension.mistralWorkflows"]');
    if (await view.isVisible()) return;
    await this.page.locator('.activitybar').getByRole('tab', { name: /^Mistral Workflows/ }).click({ timeout: 60_000 });
    await view.waitFor({ state: 'visible' });
    // Out of the way: a mouse resting on the activity bar keeps its "Mistral Workflows" hover open.
    await this.page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height / 2);
  }

  /** Drags the sash right of the sidebar so tree rows are not truncated (nicer screenshots too). */
  async widenSidebar(width: number): Promise<void> {
    const box = await this.sidebar.boundingBox();
    if (box === null || box.width >= width) return;
    const y = box.y + box.height / 2;
    const x = box.x + box.width;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + (width - box.width) / 2, y, { steps: 4 });
    await this.page.mouse.move(box.x + width, y, { steps: 4 });
    await this.page.mouse.up();
    await this.page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height / 2);
    await eventually(`the sidebar to be ${width} px wide`, async () => ((await this.sidebar.boundingBox())?.width ?? 0) >= width - 20 || undefined, UI_TIMEOUT_MS);
  }

  /** A tree row by its accessible name (the extension sets one per row: `Event 16 WORKFLOW_TASK_COMPLETED …`). */
  treeItem(name: string | RegExp): Locator {
    return this.sidebar.getByRole('treeitem', { name });
  }

  /** An execution row (its accessible name is `<workflow> <STATUS> <execution id>`). */
  execution(executionId: string, status?: string): Locator {
    return this.treeItem(status === undefined ? executionId : new RegExp(`^\\S+ ${status} ${executionId}$`));
  }

  /** An event row of the expanded execution: `Event <id> <TYPE>` then its detail. */
  event(id: number, type: string): Locator {
    return this.treeItem(new RegExp(`^Event ${id} ${type}(\\s|$)`));
  }

  /** A tree row by its visible text (for rows whose accessible name is their tooltip, e.g. “Earlier runs (N)”). */
  treeRow(text: string | RegExp): Locator {
    return this.sidebar.getByRole('treeitem').filter({ hasText: text });
  }

  /**
   * Waits for a row, paging through the tree with the keyboard while it is not rendered (the tree is
   * virtual: rows outside the viewport are not in the DOM). Page Down with the tree focused, as a person
   * would; at the bottom it keeps polling (rows may still be loading), then pages back up.
   * Why not the mouse wheel: VS Code animates wheel scrolling and caps each step, so it is slow and its
   * distance unpredictable.
   */
  async reveal(row: Locator, timeoutMs = UI_TIMEOUT_MS): Promise<Locator> {
    const target = row.first();
    const deadline = Date.now() + timeoutMs;
    const list = this.sidebar.locator('.monaco-list').first();
    let key: 'PageDown' | 'PageUp' = 'PageDown';
    for (;;) {
      if (await target.isVisible()) return target;
      if (Date.now() > deadline) {
        throw new Error(`tree row ${row.toString()} did not appear in ${timeoutMs / 1000} s; rows shown:\n  ${(await this.visibleRows()).join('\n  ')}`);
      }
      const before = await this.rowIndexes();
      if (before.length > 0) {
        // Focus without a click: clicking a row would run its command or toggle it.
        if (!(await list.evaluate((el) => el.contains(el.ownerDocument.activeElement)))) await list.focus();
        await this.page.keyboard.press(key);
        await this.nextFrames();
      }
      if (before.length === 0 || (await this.rowIndexes()).join() === before.join()) {
        // Nothing to page (empty, still loading, or at the end): poll for the row a moment, then turn.
        await target.waitFor({ state: 'visible', timeout: 250 }).catch(() => undefined);
        if (before.length > 0) key = key === 'PageDown' ? 'PageUp' : 'PageDown';
      }
    }
  }

  /** The list indexes of the rendered tree rows and the focused one: changes when the tree pages. */
  private async rowIndexes(): Promise<string[]> {
    return this.sidebar.getByRole('treeitem').evaluateAll((rows) =>
      rows.map((r) => `${r.getAttribute('data-index') ?? ''}${r.classList.contains('focused') ? '*' : ''}`),
    );
  }

  /** Two animation frames: the list has re-rendered after a scroll. */
  private async nextFrames(): Promise<void> {
    // A string: this project compiles without the DOM library, and this runs in the page.
    await this.page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  }

  /** Accessible names of the tree rows now rendered, top to bottom (for error messages and checks). */
  async visibleRows(): Promise<string[]> {
    return this.sidebar.getByRole('treeitem').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
  }

  /** Clicks a collapsed row and waits until it shows as expanded. */
  async expand(row: Locator): Promise<void> {
    await this.reveal(row);
    if ((await row.getAttribute('aria-expanded')) === 'true') return;
    await row.click();
    await waitForAttribute(row, 'aria-expanded', 'true');
  }

  /** Right-clicks a row and returns the labels of the menu that opens (the menu stays open). */
  async contextMenu(row: Locator): Promise<string[]> {
    await this.reveal(row);
    await row.click({ button: 'right' });
    const items = this.menuItems();
    await items.first().waitFor({ state: 'visible' });
    return (await items.allTextContents()).map((t) => t.trim()).filter((t) => t !== '');
  }

  private menuItems(): Locator {
    // The context menu lives in a shadow root inside .context-view; playwright's locators pierce it.
    return this.page.locator('.context-view').getByRole('menuitem');
  }

  async clickMenuItem(label: string): Promise<void> {
    const item = this.menuItems().filter({ hasText: label });
    await item.first().waitFor({ state: 'visible' });
    // The one fixed pause: see CONTEXT_MENU_SETTLE_MS.
    await this.page.waitForTimeout(CONTEXT_MENU_SETTLE_MS);
    await item.first().click();
    await this.page.locator('.context-view').getByRole('menu').waitFor({ state: 'hidden' });
  }

  async closeMenu(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.locator('.context-view').getByRole('menu').waitFor({ state: 'hidden' });
  }

  /** Clicks a button of the view's title bar (Refresh, Filter Executions…). */
  async clickViewAction(name: string): Promise<void> {
    await this.sidebar.getByRole('button', { name, exact: true }).filter({ visible: true }).first().click();
  }

  // --- Quick input (input boxes and quick picks) -------------------------------------------------

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Waits for a quick input whose title matches, and returns its text box. */
  async waitForQuickInput(title: string | RegExp): Promise<Locator> {
    await this.quickInput.locator('.quick-input-title').filter({ hasText: title }).waitFor({ state: 'visible' });
    return this.quickInput.locator('input.input');
  }

  /** The validation / prompt message under the input. */
  quickInputMessage(): Locator {
    return this.quickInput.locator('.quick-input-message');
  }

  /** A row of the open quick pick by its accessible name (icon name, label, description, detail). */
  quickPickItem(name: string | RegExp): Locator {
    // Single-select rows are options, multi-select rows checkboxes; a multi-select row also holds a
    // checkbox widget of its own with the same name, hence the row class.
    const list = this.quickInput.locator('.quick-input-list');
    return list.getByRole('option', { name }).or(list.getByRole('checkbox', { name })).and(this.page.locator('.monaco-list-row'));
  }

  async quickInputClosed(): Promise<void> {
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  /** Opens the command palette and runs a command by its title. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    // The palette has no title: wait for its text box.
    const input = this.quickInput.locator('input.input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    await this.quickInput.getByRole('option', { name: new RegExp(`^${escapeRegExp(title)}`) }).first().waitFor({ state: 'visible' });
    await input.press('Enter');
  }

  // --- Dialogs and notifications ---------------------------------------------------------------------

  get dialog(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }

  notification(text: string | RegExp): Locator {
    return this.page.locator('.notification-toast').filter({ hasText: text });
  }

  /** Closes every notification toast (they cover the tree's lower right in screenshots). */
  async clearNotifications(): Promise<void> {
    const toasts = this.page.locator('.notification-toast');
    while ((await toasts.count()) > 0) {
      await toasts.first().hover();
      await toasts.first().getByRole('button', { name: /Clear Notification/ }).click();
    }
    await this.page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height / 2);
  }

  // --- Screenshots -----------------------------------------------------------------------------------

  /**
   * Saves .vscode-test/screenshots/<name>.png; with `publish` also media/screenshot-<name>.png when the
   * run was started by `npm run screenshots` (e2eConfig.publishDir).
   */
  async screenshot(name: string, options: { publish?: boolean } = {}): Promise<string> {
    fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });
    if (options.publish && e2eConfig.publishDir !== undefined) {
      fs.mkdirSync(e2eConfig.publishDir, { recursive: true });
      fs.copyFileSync(file, path.join(e2eConfig.publishDir, `screenshot-${name}.png`));
    }
    return file;
  }
}

async function waitForAttribute(locator: Locator, name: string, value: string): Promise<void> {
  await eventually(`${locator.toString()} to have ${name}="${value}"`, async () =>
    (await locator.getAttribute(name)) === value ? true : undefined, UI_TIMEOUT_MS,
  );
}

/** GETs the sandbox API as the extension would (for checks that must not go through the UI). */
export async function sandboxGet<T>(sandbox: Sandbox, apiPath: string): Promise<T> {
  const res = await fetch(`${sandbox.baseUrl}/v1/workflows${apiPath}`, { headers: { authorization: `Bearer ${sandbox.apiKey}` } });
  if (!res.ok) throw new Error(`GET ${apiPath}: ${res.status}`);
  return (await res.json()) as T;
}

/** After each test: on failure keep a screenshot and the logs, then stop the test's session. */
export async function endSession(current: Session | undefined, test: { state?: string; fullTitle(): string } | undefined): Promise<void> {
  if (current === undefined) return;
  if (test?.state === 'failed') {
    const dir = await current.saveFailure(test.fullTitle()).catch(() => undefined);
    if (dir !== undefined) console.log(`      [e2e] screenshot and logs: ${dir}`);
  }
  await current.close();
}

/** A new session with the Executions view open and a sidebar wide enough for event details. */
export async function startSession(options?: SessionOptions, sidebarWidth = 560): Promise<Session> {
  const session = await Session.start(options);
  await session.wb.openView();
  await session.wb.widenSidebar(sidebarWidth);
  return session;
}

/** POST …/reset requests the sandbox received (accepted or not). */
export function resetRequests(s: Session): number {
  return s.sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/reset')).length;
}

/** The common path through the reset flow: type the reason, keep the options, press Reset. */
export async function reasonThenConfirm(wb: Workbench, reason: string): Promise<void> {
  const input = await wb.waitForQuickInput('Reset execution (1/3): reason');
  await input.fill(reason);
  await input.press('Enter');
  const options = await wb.waitForQuickInput('Reset execution (2/3): options');
  await options.press('Enter');
  await wb.dialog.getByRole('button', { name: 'Reset', exact: true }).click();
}
