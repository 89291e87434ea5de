import * as vscode from 'vscode';
import type { Services } from '../services';
import { userMessage } from '../common/errors';
import { oneLine } from '../common/text';
import { countExecutions, countsTitle } from './executionCounts';
import { COMMAND_IDS } from '../commands/ids';

/** How long counts are reused: CodeLenses are resolved again on every scroll and edit. */
const COUNTS_TTL_MS = 30_000;
const SHOW_COMMAND = COMMAND_IDS.showWorkflowExecutions;

/** What the lenses use: the definitions they sit on, the connection that counts, the log. */
type CodeLensServices = Pick<Services, 'connection' | 'definitions' | 'log'>;

class WorkflowLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly workflow: string,
  ) {
    super(range);
  }
}

interface CachedTitle {
  at: number;
  command: Promise<vscode.Command>;
}

/**
 * “Executions: N running · M failed” above each workflow definition; clicking it filters the
 * Executions view to that workflow. Counts are fetched lazily (resolveCodeLens), once per workflow per
 * 30 s, and the provider never throws: a missing key or a failed request shows “unavailable (why)”.
 */
class WorkflowCodeLensProvider implements vscode.CodeLensProvider<WorkflowLens>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly titles = new Map<string, CachedTitle>();
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly services: CodeLensServices) {
    this.disposables.push(
      services.connection.onDidChange(() => {
        this.titles.clear();
        this.changed.fire();
      }),
    );
  }

  provideCodeLenses(document: vscode.TextDocument): WorkflowLens[] {
    try {
      return this.services.definitions
        .definitionsIn(document)
        .filter((d) => d.kind === 'workflow')
        .map((d) => new WorkflowLens(new vscode.Range(d.decoratorLine, 0, d.decoratorLine, 0), d.name));
    } catch (error) {
      this.services.log.error('source', `CodeLens: could not read ${vscode.workspace.asRelativePath(document.uri)}.`, error);
      return [];
    }
  }

  async resolveCodeLens(lens: WorkflowLens): Promise<WorkflowLens> {
    lens.command = await this.commandFor(lens.workflow);
    return lens;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private commandFor(workflow: string): Promise<vscode.Command> {
    const cached = this.titles.get(workflow);
    if (cached && Date.now() - cached.at < COUNTS_TTL_MS) return cached.command;
    const command = this.fetch(workflow);
    this.titles.set(workflow, { at: Date.now(), command });
    return command;
  }

  private async fetch(workflow: string): Promise<vscode.Command> {
    const show: vscode.Command = { title: '', command: SHOW_COMMAND, arguments: [workflow] };
    const state = await this.services.connection.current().catch(() => undefined);
    if (state?.kind === 'missingKey') {
      return { title: 'Executions: unavailable (no API key)', command: COMMAND_IDS.setApiKey, tooltip: 'Set the API key of the Mistral workspace' };
    }
    try {
      const counts = await countExecutions(await this.services.connection.client(), workflow);
      const where = this.services.connection.currentWorkspace().name;
      return { ...show, title: countsTitle(counts), tooltip: `Show the executions of “${workflow}” (Mistral workspace “${where}”)` };
    } catch (error) {
      this.services.log.warn('source', `CodeLens: could not count the executions of ${workflow}: ${userMessage(error)}`);
      // The view then shows the same error with its fix (Set API Key, Retry...).
      return { ...show, title: `Executions: unavailable (${oneLine(userMessage(error), 60)})`, tooltip: userMessage(error) };
    }
  }
}

export function registerWorkflowCodeLens(services: CodeLensServices): vscode.Disposable {
  const provider = new WorkflowCodeLensProvider(services);
  return vscode.Disposable.from(provider, vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, provider));
}
