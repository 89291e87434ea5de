import * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Wired up in the tree-and-commands work.
}

export function deactivate(): void {}
