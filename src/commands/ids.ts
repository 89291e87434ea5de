/**
 * The ids the extension shares with its package.json: its commands, its view, the context keys its
 * `when` clauses read. One typed home, so a typo is a compile error rather than a button that does
 * nothing; a unit test checks these against package.json. Settings keys live with the settings
 * (`src/config/settings.ts`). Imports nothing: any layer may use it without a cycle.
 */

/** Every command the extension contributes (`contributes.commands`), by short name. */
export const COMMAND_IDS = {
  resetToHere: 'mistralWorkflows.resetToHere',
  resetExecution: 'mistralWorkflows.resetExecution',
  openExecution: 'mistralWorkflows.openExecution',
  refresh: 'mistralWorkflows.refresh',
  filterExecutions: 'mistralWorkflows.filterExecutions',
  clearFilter: 'mistralWorkflows.clearFilter',
  setApiKey: 'mistralWorkflows.setApiKey',
  clearApiKey: 'mistralWorkflows.clearApiKey',
  selectWorkspace: 'mistralWorkflows.selectWorkspace',
  addWorkspace: 'mistralWorkflows.addWorkspace',
  copyExecutionId: 'mistralWorkflows.copyExecutionId',
  showEventDetails: 'mistralWorkflows.showEventDetails',
  showLog: 'mistralWorkflows.showLog',
  loadMore: 'mistralWorkflows.loadMore',
  loadAllExecutions: 'mistralWorkflows.loadAllExecutions',
  retryNode: 'mistralWorkflows.retryNode',
  allowKeyOrigin: 'mistralWorkflows.allowKeyOrigin',
  watchExecution: 'mistralWorkflows.watchExecution',
  unwatchExecution: 'mistralWorkflows.unwatchExecution',
  goToSource: 'mistralWorkflows.goToSource',
  showWorkflowExecutions: 'mistralWorkflows.showWorkflowExecutions',
  resetBeforeStep: 'mistralWorkflows.resetBeforeStep',
  copyResetAsPython: 'mistralWorkflows.copyResetAsPython',
  copyResetAsCurl: 'mistralWorkflows.copyResetAsCurl',
  showResetHistory: 'mistralWorkflows.showResetHistory',
  compareWithPreviousRun: 'mistralWorkflows.compareWithPreviousRun',
  resetSelected: 'mistralWorkflows.resetSelected',
  resetAllShown: 'mistralWorkflows.resetAllShown',
  checkReplay: 'mistralWorkflows.checkReplay',
  resetToLastSafePoint: 'mistralWorkflows.resetToLastSafePoint',
  showReplayReport: 'mistralWorkflows.showReplayReport',
  showSteps: 'mistralWorkflows.showSteps',
  showEvents: 'mistralWorkflows.showEvents',
  findInHistory: 'mistralWorkflows.findInHistory',
  clearFind: 'mistralWorkflows.clearFind',
  showCallStack: 'mistralWorkflows.showCallStack',
  groupByProblem: 'mistralWorkflows.groupByProblem',
  showAllExecutions: 'mistralWorkflows.showAllExecutions',
  showStuck: 'mistralWorkflows.showStuck',
} as const;

export type CommandId = (typeof COMMAND_IDS)[keyof typeof COMMAND_IDS];

/** The views the extension contributes (`contributes.views`). */
export const VIEW_IDS = {
  executions: 'mistralWorkflows.executions',
} as const;

/** VS Code's own command that reveals and focuses a view (it makes one per contributed view). */
export function focusViewCommand(view: (typeof VIEW_IDS)[keyof typeof VIEW_IDS]): string {
  return `${view}.focus`;
}

/** The context keys the extension sets with `setContext`, read by package.json's `when` clauses. */
export const CONTEXT_KEYS = {
  /** The name of the active workspace. */
  activeWorkspace: 'mistralWorkflows.activeWorkspace',
  /** The API key's state: `missing`, `originChanged`… (the welcome view and Allow… read it). */
  keyState: 'mistralWorkflows.keyState',
  /** Some execution is watched: “Stop Watching Execution” shows in the palette. */
  watching: 'mistralWorkflows.watching',
  /** `steps` or `events`: which of Show Steps / Show Events the view title offers. */
  historyMode: 'mistralWorkflows.historyMode',
  /** `problems` or `executions`: which of Group by Problem / Show All Executions the view title offers. */
  grouping: 'mistralWorkflows.grouping',
  /** A filter is set: Clear Filter shows. */
  filtered: 'mistralWorkflows.filtered',
} as const;
