/**
 * Where Go to Source landed: the editor it opened, on the identifier it should select. Shared by the
 * go-to-source suites (the sandbox's Mistral files, the engine's plain temporalio ones).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export function folder(): vscode.Uri {
  const first = vscode.workspace.workspaceFolders?.[0];
  assert.ok(first, 'a workspace folder is open');
  return first.uri;
}

/** Zero-based line and column of `identifier` in the first line of `relative` that contains `marker`. */
export async function locate(relative: string, marker: string, identifier: string): Promise<{ uri: vscode.Uri; line: number; column: number }> {
  const uri = vscode.Uri.joinPath(folder(), relative);
  // Through a document, not the file: the CodeLens command needs the document loaded.
  const lines = (await vscode.workspace.openTextDocument(uri)).getText().split('\n');
  const line = lines.findIndex((l) => l.includes(marker));
  assert.ok(line >= 0, `${marker} is in ${relative}`);
  return { uri, line, column: lines[line].indexOf(identifier, lines[line].indexOf(marker)) };
}

export async function assertOpenedAt(relative: string, marker: string, identifier: string): Promise<void> {
  const expected = await locate(relative, marker, identifier);
  const editor = vscode.window.activeTextEditor;
  assert.ok(editor, 'an editor is open');
  assert.equal(editor.document.uri.toString(), expected.uri.toString());
  assert.deepEqual(
    [editor.selection.start.line, editor.selection.start.character, editor.selection.end.character],
    [expected.line, expected.column, expected.column + identifier.length],
    `the selection is on ${identifier}`,
  );
}
