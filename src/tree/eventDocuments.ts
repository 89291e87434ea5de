import * as vscode from 'vscode';
import type { WorkflowEvent } from '../api/types';
import { BoundedMap } from '../common/boundedMap';

// read by test/unit/bounded-stores.test.ts, which loads this file under a fake vscode
// ts-unused-exports:disable-next-line
export const EVENT_SCHEME = 'mistral-workflows-event';
/** Documents kept: a long session of clicking through events, reports and diffs must not keep them all. */
// read by test/unit/bounded-stores.test.ts, which loads this file under a fake vscode
// ts-unused-exports:disable-next-line
export const MAX_DOCUMENTS = 100;
/** Characters kept across them: a diff of two long histories is tens of millions. */
// read by test/unit/bounded-stores.test.ts, which loads this file under a fake vscode
// ts-unused-exports:disable-next-line
export const MAX_DOCUMENT_CHARS = 64 * 1024 * 1024;

/**
 * Read-only documents: events as JSON, reports, runs as text for diffs (a content provider's documents
 * cannot be edited or saved). Only the most recently shown or read are kept (MAX_DOCUMENTS,
 * MAX_DOCUMENT_CHARS): an open editor keeps its text, and one VS Code asks for again after its content
 * was let go (e.g. after a reload) says how to open it anew.
 */
export class EventDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new BoundedMap<string, string>({ maxEntries: MAX_DOCUMENTS, maxWeight: MAX_DOCUMENT_CHARS, weigh: (text) => text.length });
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fired for each document set again, so that an open one shows its new text (not a stale or "closed" one). */
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(EVENT_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? closedText(uri.path);
  }

  async show(executionId: string, runId: string | undefined, event: WorkflowEvent): Promise<vscode.TextEditor> {
    const name = `${event.idText}-${event.type}.json`.replace(/[^\w.-]+/g, '_');
    const uri = vscode.Uri.from({
      scheme: EVENT_SCHEME,
      path: `/${encodeURIComponent(executionId)}/${encodeURIComponent(runId ?? 'latest')}/${name}`,
    });
    this.keep([[uri, `${JSON.stringify(event.raw, null, 2)}\n`]]);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'json');
    return vscode.window.showTextDocument(document, { preview: true, preserveFocus: true });
  }

  /** Opens a read-only text (a report) beside the tree, e.g. `/replay/<id>.md` as Markdown. */
  async showText(docPath: string, text: string, language: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: EVENT_SCHEME, path: docPath });
    this.keep([[uri, text]]);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, language);
    return vscode.window.showTextDocument(document, { preview: true });
  }

  /** Opens VS Code's diff editor on two read-only texts. */
  async showDiff(left: { path: string; text: string }, right: { path: string; text: string }, title: string): Promise<void> {
    const [l, r] = [left, right].map((doc) => vscode.Uri.from({ scheme: EVENT_SCHEME, path: doc.path }));
    this.keep([[l, left.text], [r, right.text]]); // both sides together: neither evicts the other
    await vscode.commands.executeCommand('vscode.diff', l, r, title, { preview: true });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.contents.clear();
  }

  private keep(documents: readonly (readonly [vscode.Uri, string])[]): void {
    this.contents.setAll(documents.map(([uri, text]) => [uri.toString(), text] as const));
    for (const [uri] of documents) this.changed.fire(uri);
  }
}

/** What a document whose text was let go shows: what it was, and how to open it again. */
function closedText(path: string): string {
  if (path.startsWith('/replay/')) return 'This replay report is closed. Run Show Replay Report (or check the code again) to open it anew.\n';
  if (path.endsWith('.history')) return '// This comparison is closed. Run Compare with Previous Run again to open it anew.\n';
  if (path.endsWith('/call-stack.txt')) return '// This call stack is closed. Run Show Call Stack again to open it anew.\n';
  return '// This event is no longer loaded. Open it again from the Executions view.\n';
}
