import type * as vscode from 'vscode';
import type { ApiKeys } from './auth/apiKeys';
import type { Log } from './common/log';
import type { LiveUpdates } from './live/liveUpdates';
import type { UserInput } from './common/ui';
import type { Connection } from './config/connection';
import type { Settings } from './config/settings';
import type { ResetAudit } from './reset/auditLog';
import type { CheckedRuns } from './replay';
import type { ResetRegistry } from './reset/registry';
import type { DefinitionIndex } from './source/definitionIndex';
import type { EventDocuments } from './tree/eventDocuments';
import type { ExecutionsProvider } from './tree/executionsProvider';
import type { TreeNode } from './tree/node';

/** Every service of the extension, built once by createServices (the composition root) in `activate()`. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: Log;
  readonly settings: Settings;
  readonly keys: ApiKeys;
  readonly connection: Connection;
  readonly tree: ExecutionsProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  readonly eventDocuments: EventDocuments;
  readonly resets: ResetRegistry;
  /** The workspace's Python workflow, activity and handler definitions (Go to Source, CodeLens). */
  readonly definitions: DefinitionIndex;
  readonly audit: ResetAudit;
  /** The latest replay check of each execution (Check Workflow Code Against History). */
  readonly checks: CheckedRuns;
  /** Live runs: following running executions, and watches. */
  readonly liveUpdates: LiveUpdates;
  /** Replaceable so that tests answer the prompts. */
  ui: UserInput;
}
