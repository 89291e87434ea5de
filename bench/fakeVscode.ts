/**
 * A minimal stand-in for the `vscode` module, so that the bundled extension (activation) and the tree
 * modules (expanding an execution) run in plain Node. It implements only what activate() and the
 * event rows touch; every method is cheap and side-effect free, so the timings are the extension's
 * own work. Anything else the extension reaches for is missing on purpose: a TypeError then says
 * that activate() started doing more than before, which the bench should notice rather than hide.
 */
import Module from 'node:module';

interface Disposable {
  dispose(): void;
}

type Listener<T> = (value: T) => unknown;
type Event<T> = (listener: Listener<T>) => Disposable;

class Disposable_ implements Disposable {
  constructor(private readonly onDispose: () => void = () => undefined) {}

  static from(...items: { dispose(): unknown }[]): Disposable_ {
    return new Disposable_(() => {
      for (const item of items) item.dispose();
    });
  }

  dispose(): void {
    this.onDispose();
  }
}

class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return new Disposable_(() => this.listeners.delete(listener));
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  dispose(): void {
    this.listeners.clear();
  }
}

class ThemeColor {
  constructor(readonly id: string) {}
}

class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

class TreeItem {
  id?: string;
  description?: string;
  iconPath?: unknown;
  contextValue?: string;
  command?: unknown;
  tooltip?: unknown;
  accessibilityInformation?: unknown;

  constructor(
    readonly label: string,
    readonly collapsibleState: number = 0,
  ) {}
}

class MarkdownString {
  value: string;
  isTrusted = false;
  supportHtml = false;

  constructor(value = '', readonly supportThemeIcons = false) {
    this.value = value;
  }

  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }

  appendText(text: string): this {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!<>]/g, '\\$&');
    return this;
  }
}

class CodeLens {
  constructor(
    readonly range: unknown,
    public command?: unknown,
  ) {}
}

class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}

  static from(parts: { scheme: string; path?: string }): Uri {
    return new Uri(parts.scheme, parts.path ?? '');
  }

  static file(path: string): Uri {
    return new Uri('file', path);
  }

  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, [base.path, ...segments].join('/'));
  }

  get fsPath(): string {
    return this.path;
  }

  toString(): string {
    return `${this.scheme}:${this.path}`;
  }
}

const noEvent: Event<unknown> = () => new Disposable_();
const noop = (): void => undefined;

/** Settings as a user with no mistralWorkflows settings has them: every get() returns its default. */
function configuration(): { get<T>(key: string, fallback?: T): T | undefined; inspect(): undefined; has(): boolean; update(): Promise<void> } {
  return {
    get: <T>(_key: string, fallback?: T): T | undefined => fallback,
    inspect: () => undefined,
    has: () => false,
    update: () => Promise.resolve(),
  };
}

function outputChannel(): Record<string, unknown> {
  return { info: noop, warn: noop, error: noop, debug: noop, trace: noop, appendLine: noop, show: noop, hide: noop, clear: noop, dispose: noop };
}

function treeView(): Record<string, unknown> {
  return {
    description: undefined,
    title: undefined,
    message: undefined,
    visible: false,
    selection: [],
    onDidExpandElement: noEvent,
    onDidCollapseElement: noEvent,
    onDidChangeSelection: noEvent,
    onDidChangeVisibility: noEvent,
    reveal: () => Promise.resolve(),
    dispose: noop,
  };
}

function statusBarItem(): Record<string, unknown> {
  return { text: '', tooltip: undefined, command: undefined, name: undefined, backgroundColor: undefined, show: noop, hide: noop, dispose: noop };
}

/** Counts what activate() registers, so the bench can say what it measured. */
export interface FakeVscodeStats {
  commands: number;
  treeViews: number;
}

export function createFakeVscode(stats: FakeVscodeStats): Record<string, unknown> {
  return {
    Disposable: Disposable_,
    EventEmitter,
    ThemeColor,
    ThemeIcon,
    TreeItem,
    MarkdownString,
    Uri,
    CodeLens,
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    QuickPickItemKind: { Separator: -1, Default: 0 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    window: {
      createOutputChannel: outputChannel,
      createTreeView: () => {
        stats.treeViews++;
        return treeView();
      },
      createStatusBarItem: statusBarItem,
      setStatusBarMessage: () => new Disposable_(),
    },
    commands: {
      registerCommand: () => {
        stats.commands++;
        return new Disposable_();
      },
      executeCommand: () => Promise.resolve(undefined),
    },
    languages: {
      registerCodeLensProvider: () => new Disposable_(),
    },
    workspace: {
      isTrusted: true,
      workspaceFolders: undefined,
      getConfiguration: configuration,
      onDidChangeConfiguration: noEvent,
      onDidGrantWorkspaceTrust: noEvent,
      onDidCloseTextDocument: noEvent,
      onDidChangeTextDocument: noEvent,
      textDocuments: [],
      createFileSystemWatcher: () => ({ onDidChange: noEvent, onDidCreate: noEvent, onDidDelete: noEvent, dispose: noop }),
      registerTextDocumentContentProvider: () => new Disposable_(),
    },
  };
}

/** What activate() reads from its ExtensionContext: subscriptions, secrets, workspace state. */
interface FakeContext {
  subscriptions: Disposable[];
  secrets: { get(key: string): Promise<string | undefined>; store(): Promise<void>; delete(): Promise<void>; onDidChange: Event<unknown> };
  workspaceState: { get(key: string): unknown; update(): Promise<void>; keys(): readonly string[] };
  globalState: { get(key: string): unknown; update(): Promise<void>; keys(): readonly string[] };
  /** Paths only: nothing is written during activation (the reset audit file is opened on first reset). */
  extensionUri: Uri;
  globalStorageUri: Uri;
  storageUri: Uri;
  logUri: Uri;
  /** vscode.ExtensionMode: 1 Production (an installed VSIX), 2 Development, 3 Test. */
  extensionMode: 1 | 2 | 3;
}

export function createFakeContext(extensionMode: FakeContext['extensionMode'] = 1): FakeContext {
  const memento = { get: () => undefined, update: () => Promise.resolve(), keys: () => [] };
  return {
    subscriptions: [],
    secrets: { get: () => Promise.resolve(undefined), store: () => Promise.resolve(), delete: () => Promise.resolve(), onDidChange: noEvent },
    workspaceState: memento,
    globalState: memento,
    extensionUri: Uri.file('/nonexistent/bench-extension'),
    globalStorageUri: Uri.file('/nonexistent/bench-global-storage'),
    storageUri: Uri.file('/nonexistent/bench-storage'),
    logUri: Uri.file('/nonexistent/bench-log'),
    extensionMode,
  };
}

// Node's resolver is not part of its public typings; this is the one shape we rely on.
type Resolver = (request: string, parent: unknown, isMain: boolean, options: unknown) => string;
const NodeModule = Module as unknown as { _resolveFilename: Resolver };
const FAKE_ID = '\0bench-fake-vscode';

/**
 * Makes `require('vscode')` return `fake` for every module loaded from now on, by resolving the name
 * to a synthetic id whose module is already in require.cache. Returns the uninstaller.
 */
export function installFakeVscode(fake: Record<string, unknown>): () => void {
  const original = NodeModule._resolveFilename;
  const mod = new Module(FAKE_ID);
  mod.exports = fake;
  mod.loaded = true;
  mod.filename = FAKE_ID;
  require.cache[FAKE_ID] = mod;
  NodeModule._resolveFilename = function resolve(this: unknown, request, parent, isMain, options) {
    return request === 'vscode' ? FAKE_ID : original.call(this, request, parent, isMain, options);
  };
  return () => {
    NodeModule._resolveFilename = original;
    delete require.cache[FAKE_ID];
  };
}
