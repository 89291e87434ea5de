import * as vscode from 'vscode';
import { parse as parseDotenv } from 'dotenv';

export type KeySource = 'secret storage' | '.env file' | 'environment variable';

interface ResolvedKey {
  key: string;
  source: KeySource;
  /** The .env file the key came from, for the log. */
  file?: string;
}

const ENV_NAME = 'MISTRAL_API_KEY';

/** Which workspace's key may have changed: a stored key names its workspace; .env, trust and the like may touch any. */
interface KeyChange {
  workspace?: string;
}

/**
 * Finds the API key of a Mistral workspace, in this order: SecretStorage (set with “Set API Key…”),
 * `MISTRAL_API_KEY` in a workspace folder's `.env` (trusted folders only: an untrusted repository must
 * not be able to choose which key we send), then the `MISTRAL_API_KEY` environment variable.
 */
export class ApiKeys implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<KeyChange>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.disposables.push(
      secrets.onDidChange((e) => {
        if (e.key.startsWith(SECRET_PREFIX)) this.changed.fire({ workspace: e.key.slice(SECRET_PREFIX.length) });
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire({})),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/.env');
    this.disposables.push(
      watcher,
      watcher.onDidChange(() => this.changed.fire({})),
      watcher.onDidCreate(() => this.changed.fire({})),
      watcher.onDidDelete(() => this.changed.fire({})),
    );
  }

  /**
   * `storedOnly`: a Temporal workspace's key is only the one set for it: MISTRAL_API_KEY (the .env file,
   * the environment) is a Mistral key and must never reach a Temporal cluster.
   */
  async resolve(workspaceName: string, options: { storedOnly?: boolean } = {}): Promise<ResolvedKey | undefined> {
    const stored = await this.secrets.get(secretName(workspaceName));
    if (stored) return { key: stored, source: 'secret storage' };
    if (options.storedOnly) return undefined;
    if (vscode.workspace.isTrusted) {
      const fromFile = await this.fromDotenv();
      if (fromFile) return fromFile;
    }
    const fromEnv = this.env[ENV_NAME]?.trim();
    if (fromEnv) return { key: fromEnv, source: 'environment variable' };
    return undefined;
  }

  async store(workspaceName: string, key: string): Promise<void> {
    await this.secrets.store(secretName(workspaceName), key.trim());
  }

  async clear(workspaceName: string): Promise<void> {
    await this.secrets.delete(secretName(workspaceName));
  }

  async hasStored(workspaceName: string): Promise<boolean> {
    return (await this.secrets.get(secretName(workspaceName))) !== undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private async fromDotenv(): Promise<ResolvedKey | undefined> {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const file = vscode.Uri.joinPath(folder.uri, '.env');
      let text: string;
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
      } catch {
        continue; // No .env in this folder.
      }
      const key = parseDotenv(text)[ENV_NAME]?.trim();
      if (key) return { key, source: '.env file', file: file.fsPath };
    }
    return undefined;
  }
}

const SECRET_PREFIX = 'mistralWorkflows.apiKey.';

function secretName(workspaceName: string): string {
  return SECRET_PREFIX + workspaceName;
}
