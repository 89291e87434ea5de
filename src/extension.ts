import * as vscode from 'vscode';
import { restoreFilter } from './commands/filterExecutions';
import { restoreHistoryMode } from './commands/historyMode';
import { restoreGrouping } from './commands/grouping';
import { registerCommands } from './commands/registerCommands';
import type { Services } from './services';
import { createWorkspaceStatusBar } from './config/statusBar';
import { SECTION } from './config/settings';
import { createStuckStatusBar } from './incidentsUi/stuckStatusBar';
import { createServices } from './createServices';
import { registerWorkflowCodeLens } from './source/workflowCodeLens';

/**
 * What `activate` returns to the extension's own integration tests. Any installed extension can read
 * `exports`, and the services hold the key store: outside ExtensionMode.Test there is nothing to read.
 */
export interface ExtensionApi {
  services: Services;
}

// an entry point: VS Code calls it
// ts-unused-exports:disable-next-line
export function activate(context: vscode.ExtensionContext): ExtensionApi | undefined {
  const services = createServices(context);
  const { log, keys, connection, tree, treeView, eventDocuments, definitions, liveUpdates } = services;
  context.subscriptions.push(
    log, keys, connection, tree, treeView, eventDocuments, definitions,
    ...registerCommands(services),
    registerWorkflowCodeLens(services),
    createWorkspaceStatusBar(connection),
    createStuckStatusBar(services),
    connection.onDidChange(() => tree.refreshAll()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.problems.detectStuck`)) tree.detectStuckChanged();
    }),
    liveUpdates,
  );
  restoreFilter(services);
  restoreHistoryMode(services);
  restoreGrouping(services);
  return context.extensionMode === vscode.ExtensionMode.Test ? { services } : undefined;
}

// an entry point: VS Code calls it
// ts-unused-exports:disable-next-line
export function deactivate(): void {}
