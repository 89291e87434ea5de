/**
 * The tree's real modules under plain mocha: loaded after the bench's fake `vscode` is installed (they
 * import it), with TreeServices over any backend. Shared by the tests that drive ExecutionNode rows.
 */
import { createRequire } from 'node:module';
import { createFakeVscode, installFakeVscode } from '../../../bench/fakeVscode';
import type { WorkflowBackend } from '../../../src/api';
import type { TreeNode } from '../../../src/tree/node';
import type { TreeServices } from '../../../src/tree/services';

export interface TreeModules {
  ExecutionNode: typeof import('../../../src/tree/executionNode').ExecutionNode;
  EventNode: typeof import('../../../src/tree/eventNode').EventNode;
  LoadMoreNode: typeof import('../../../src/tree/node').LoadMoreNode;
  HistoryRows: typeof import('../../../src/tree/historyChildren').HistoryRows;
  StepNode: typeof import('../../../src/tree/stepNode').StepNode;
}

/**
 * In a `describe`: the fake `vscode` for its tests, and the modules `load` requires over it (they import
 * `vscode`, so they are loaded after it is installed). `load` gets a require that resolves like a test file's.
 */
export function useFakeVscode<T>(load: (require: NodeJS.Require) => T): () => T {
  let uninstall: (() => void) | undefined;
  let modules: T | undefined;
  before(() => {
    uninstall = installFakeVscode(createFakeVscode({ commands: 0, treeViews: 0 }));
    modules = load(createRequire(__filename));
  });
  after(() => uninstall?.());
  return () => {
    if (modules === undefined) throw new Error('useFakeVscode(): the modules are loaded in `before`');
    return modules;
  };
}

/** In a `describe`: the fake `vscode` for its tests, and the tree's modules loaded over it. */
export function useFakeTree(): () => TreeModules {
  return useFakeVscode((load) => ({
    ExecutionNode: (load('../../../src/tree/executionNode') as TreeModules).ExecutionNode,
    EventNode: (load('../../../src/tree/eventNode') as TreeModules).EventNode,
    LoadMoreNode: (load('../../../src/tree/node') as TreeModules).LoadMoreNode,
    HistoryRows: (load('../../../src/tree/historyChildren') as TreeModules).HistoryRows,
    StepNode: (load('../../../src/tree/stepNode') as TreeModules).StepNode,
  }));
}

/** The tree's services over `backend`: the events view, pages of `pageSize`, refreshes recorded. */
export function treeServices(backend: WorkflowBackend, pageSize: number, refreshed: (TreeNode | undefined)[] = []): TreeServices {
  return {
    client: () => Promise.resolve(backend),
    eventsPageSize: () => pageSize,
    refresh: (node) => refreshed.push(node),
    describeError: (e) => String(e),
    checkOf: () => undefined,
    historyMode: () => 'events' as const,
    extraResetTargets: () => [],
  };
}
