import * as vscode from 'vscode';
import type { WorkflowEvent } from '../api/types';

export const EVENT_SCHEME = 'mistral-workflows-event';

/** Read-only documents: events as JSON, runs as text for diffs (a content provider's documents cannot be edited or saved). */
export class EventDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(EVENT_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '// This event is no longer loaded. Open it again from the Executions view.\n';
  }

  async show(executionId: string, runId: string | undefined, event: WorkflowEvent): Promise<vscode.TextEditor> {
    const name = `${event.idText}-${event.type}.json`.replace(/[^\w.-]+/g, '_');
    const uri = vscode.Uri.from({
      scheme: EVENT_SCHEME,
      path: `/${encodeURIComponent(executionId)}/${encodeURIComponent(runId ?? 'latest')}/${name}`,
    });
    // Bound the cache: a long session of clicking through events must not keep every payload.
    if (this.contents.size > 200) this.contents.delete(this.contents.keys().next().value as string);
    this.contents.set(uri.toString(), `${JSON.stringify(event.raw, null, 2)}\n`);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'json');
    return vscode.window.showTextDocument(document, { preview: true, preserveFocus: true });
  }

  /** Opens a read-only text (a report) beside the tree, e.g. `/replay/<id>.md` as Markdown. */
  async showText(docPath: string, text: string, language: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: EVENT_SCHEME, path: docPath });
    this.contents.set(uri.toString(), text);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, language);
    return vscode.window.showTextDocument(document, { preview: true });
  }

  /** Opens VS Code's diff editor on two read-only texts. */
  async showDiff(left: { path: string; text: string }, right: { path: string; text: string }, title: string): Promise<void> {
    const uri = (doc: { path: string; text: string }): vscode.Uri => {
      const u = vscode.Uri.from({ scheme: EVENT_SCHEME, path: doc.path });
      this.contents.set(u.toString(), doc.text);
      return u;
    };
    await vscode.commands.executeCommand('vscode.diff', uri(left), uri(right), title, { preview: true });
  }

  dispose(): void {
    this.registration.dispose();
    this.contents.clear();
  }
}
