import * as vscode from 'vscode';
import { ApiKeys } from './auth/apiKeys';
import type { Services } from './services';
import { userMessage } from './common/errors';
import { Log } from './common/log';
import { VsCodeUserInput } from './common/ui';
import { Connection } from './config/connection';
import { Settings } from './config/settings';
import { LiveUpdates } from './live/liveUpdates';
import { CheckedRuns } from './replay';
import { ResetAudit } from './reset/auditLog';
import { ResetRegistry } from './reset/registry';
import { DefinitionIndex } from './source/definitionIndex';
import { EventDocuments } from './tree/eventDocuments';
import { ExecutionsProvider } from './tree/executionsProvider';
import { VIEW_IDS } from './commands/ids';
import { ProblemReader } from './incidentsUi/problemReader';
import { ProblemsView } from './incidentsUi/problemsView';
import { notificationProgress, viewProgress } from './incidentsUi/progress';
import { StuckRows } from './incidentsUi/stuckRows';

/** Builds every service once; the caller registers them for disposal. */
export function createServices(context: vscode.ExtensionContext): Services {
  const log = new Log();
  const settings = new Settings();
  const keys = new ApiKeys(context.secrets);
  const connection = new Connection(settings, keys, log, context.globalState);
  const checks = new CheckedRuns();
  const problemReader = new ProblemReader({
    client: () => connection.client(),
    concurrency: () => settings.problemsConcurrency(),
    retryingAttempts: () => settings.problemsRetryingAttempts(),
    progress: notificationProgress,
    describeError: userMessage,
    log,
  });
  const stuckRows = new StuckRows({ reader: problemReader, enabled: () => settings.problemsDetectStuck(), progress: viewProgress, describeError: userMessage, log });
  const tree = new ExecutionsProvider(connection, settings, userMessage, checks, new ProblemsView(problemReader, userMessage), stuckRows);
  const auditFile = vscode.Uri.joinPath(context.globalStorageUri, 'reset-history.jsonl').fsPath;
  const services = {
    context,
    log,
    settings,
    keys,
    connection,
    tree,
    treeView: vscode.window.createTreeView(VIEW_IDS.executions, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true }),
    eventDocuments: new EventDocuments(),
    resets: new ResetRegistry(),
    definitions: new DefinitionIndex(log),
    audit: new ResetAudit(auditFile, (e) => log.error('audit', 'Could not write the reset history.', e)),
    checks,
    ui: new VsCodeUserInput(),
  };
  // The same object: live updates read `ui` from it when needed, so a test's replacement is seen.
  return Object.assign(services, { liveUpdates: new LiveUpdates(services) });
}
