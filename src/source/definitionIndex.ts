import * as vscode from 'vscode';
import type { Log } from '../common/log';
import { DefinitionKind, findPythonDefinitions, PythonDefinition } from './pythonDefinitions';

export interface LocatedDefinition extends PythonDefinition {
  uri: vscode.Uri;
}

interface SearchResult {
  definitions: LocatedDefinition[];
  /** How many Python files were looked at (for the “none found” message). */
  files: number;
}

/** Virtual environments, dependencies and caches: never the user's workflows, and often huge. */
const EXCLUDED = '**/{.venv,venv,.tox,.nox,node_modules,.git,__pycache__,site-packages,.mypy_cache,.pytest_cache}/**';
/** Bounds a search in a monorepo; the log says when it was reached. */
const MAX_FILES = 5000;
/** Bigger files are generated code, not hand-written workflows: not worth reading. */
const MAX_FILE_BYTES = 2_000_000;
/** Files read at once. */
const CONCURRENCY = 32;

interface CacheEntry {
  /** `disk:<mtime>:<size>` or `doc:<version>`: the entry is valid while the stamp is the same. */
  stamp: string;
  definitions: PythonDefinition[];
}

/**
 * The Python definitions of the workspace, found with `findFiles` and parsed on demand. Parses are
 * cached per file and reused while its stamp (mtime and size on disk, or the version of an open
 * document, whose unsaved text wins) is unchanged; a file watcher drops entries as files change.
 */
export class DefinitionIndex implements vscode.Disposable {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly log: Log) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.py');
    const forget = (uri: vscode.Uri): boolean => this.cache.delete(uri.toString());
    this.disposables.push(
      watcher, watcher.onDidChange(forget), watcher.onDidDelete(forget), watcher.onDidCreate(forget),
      // A reopened document starts again at version 1: a parse of its old text must not match it.
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.cache.get(d.uri.toString())?.stamp.startsWith('doc:')) forget(d.uri);
      }),
    );
  }

  /** Every definition of `kind` registered as `name`, in a stable order (path, then line). */
  async find(kind: DefinitionKind, name: string): Promise<SearchResult> {
    const { definitions, files } = await this.all();
    const exact = definitions.filter((d) => d.kind === kind && d.name === name);
    // A name= the parser could not read (a constant from another module): the function name is the
    // best remaining clue, offered only when nothing is registered under that name for sure.
    const matches = exact.length > 0 ? exact : definitions.filter((d) => d.kind === kind && d.nameSource === 'unresolved' && d.identifier === name);
    return { definitions: matches, files };
  }

  /** Every definition in the workspace's Python files. */
  async all(): Promise<SearchResult> {
    const uris = await vscode.workspace.findFiles('**/*.py', EXCLUDED, MAX_FILES);
    if (uris.length >= MAX_FILES) this.log.warn('source', `Searched the first ${MAX_FILES} Python files of the workspace only.`);
    uris.sort((a, b) => a.toString().localeCompare(b.toString()));
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    const definitions: LocatedDefinition[] = [];
    for (let i = 0; i < uris.length; i += CONCURRENCY) {
      const batch = uris.slice(i, i + CONCURRENCY);
      const parsed = await Promise.all(batch.map((uri) => this.fileDefinitions(uri, open.get(uri.toString()))));
      batch.forEach((uri, k) => definitions.push(...parsed[k].map((d) => ({ ...d, uri }))));
    }
    return { definitions, files: uris.length };
  }

  /** The definitions in an open document (for the CodeLens), cached by its version. */
  definitionsIn(document: vscode.TextDocument): PythonDefinition[] {
    return this.cached(document.uri, `doc:${document.version}`, () => document.getText());
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.cache.clear();
  }

  private async fileDefinitions(uri: vscode.Uri, document: vscode.TextDocument | undefined): Promise<PythonDefinition[]> {
    if (document) return this.definitionsIn(document);
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_FILE_BYTES) return [];
      const stamp = `disk:${stat.mtime}:${stat.size}`;
      const hit = this.cache.get(uri.toString());
      if (hit?.stamp === stamp) return hit.definitions;
      const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
      return this.cached(uri, stamp, () => text);
    } catch (error) {
      // Deleted since findFiles, or unreadable: it simply has no definitions.
      this.log.warn('source', `Could not read ${vscode.workspace.asRelativePath(uri)}: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  private cached(uri: vscode.Uri, stamp: string, text: () => string): PythonDefinition[] {
    const key = uri.toString();
    const hit = this.cache.get(key);
    if (hit?.stamp === stamp) return hit.definitions;
    const definitions = findPythonDefinitions(text());
    this.cache.set(key, { stamp, definitions });
    return definitions;
  }
}
