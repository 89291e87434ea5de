import * as vscode from 'vscode';
import { ApiKeys } from './auth/apiKeys';
import { applyFilter, FILTER_STATE_KEY, showFilter } from './commands/filterExecutions';
import { registerCommands } from './commands/registerCommands';
import type { Services } from './commands/services';
import { userMessage } from './common/errors';
import { Log } from './common/log';
import { LiveUpdates } from './live/liveUpdates';
import { VsCodeUserInput } from './common/ui';
import { Connection } from './config/connection';
import { Settings } from './config/settings';
import { createWorkspaceStatusBar } from './config/statusBar';
import { ResetAudit } from './reset/auditLog';
import { ResetRegistry } from './reset/registry';
import { DefinitionIndex } from './source/definitionIndex';
import { registerWorkflowCodeLens } from './source/workflowCodeLens';
import { EventDocuments } from './tree/eventDocuments';
import { ExecutionsProvider } from './tree/executionsProvider';
import { parseFilter } from './tree/filter';

/** What `activate` returns: the services, for the extension's own integration tests. */
export interface ExtensionApi {
  services: Services;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = new Log();
  const settings = new Settings();
  const keys = new ApiKeys(context.secrets);
  const connection = new Connection(settings, keys, log, context.globalState);
  const tree = new ExecutionsProvider(connection, settings, userMessage);
  const treeView = vscode.window.createTreeView('mistralWorkflows.executions', { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  const services: Services = {
    context, log, settings, keys, connection, tree, treeView,
    eventDocuments: new EventDocuments(),
    resets: new ResetRegistry(),
    definitions: new DefinitionIndex(log),
    audit: new ResetAudit(vscode.Uri.joinPath(context.globalStorageUri, 'reset-history.jsonl').fsPath, (e) => log.error('audit', 'Could not write the reset history.', e)),
    ui: new VsCodeUserInput(),
    liveUpdates: new LiveUpdates(),
  };
  context.subscriptions.push(
    log, keys, connection, tree, treeView, services.eventDocuments,
    ...registerCommands(services),
    services.definitions, registerWorkflowCodeLens(services),
    createWorkspaceStatusBar(connection),
    connection.onDidChange(() => tree.refreshAll()),
    services.liveUpdates.start(services),
  );
  const filter = parseFilter(context.workspaceState.get(FILTER_STATE_KEY));
  showFilter(treeView, filter);
  if (filter.statuses.length > 0 || filter.workflow || filter.search) void applyFilter(services, filter);
  return { services };
}

export function deactivate(): void {}
