import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Services } from '../services';

/** Opens the audit trail: one JSON line per reset the extension sent. */
export async function showResetHistory(services: Pick<Services, 'audit' | 'ui'>): Promise<void> {
  const file = services.audit.file;
  const exists = await fs.stat(file).then(() => true, () => false);
  if (!exists) {
    void services.ui.notify('info', 'No reset has been sent from this VS Code yet. Each one will be recorded here.');
    return;
  }
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(document, { preview: true });
}
