import * as vscode from 'vscode';

/**
 * A view-title choice remembered per folder (Show Steps / Show Events, Group by Problem / Show All
 * Executions): kept in the folder's workspaceState and mirrored in a context key, which the view
 * title's `when` clauses read to show the button that switches back.
 */
export interface FolderChoice<T extends string> {
  /** The workspaceState key. */
  readonly stateKey: string;
  readonly contextKey: string;
  /** What a folder that never chose gets; anything unknown read back counts as it. */
  readonly fallback: T;
  readonly values: readonly T[];
}

/** Remembers `value` for this folder and tells the `when` clauses. */
export async function saveChoice<T extends string>(state: vscode.Memento, choice: FolderChoice<T>, value: T): Promise<void> {
  await state.update(choice.stateKey, value);
  await vscode.commands.executeCommand('setContext', choice.contextKey, value);
}

/** At activation: the choice this folder had last time; the `when` clauses are told in the background. */
export function restoreChoice<T extends string>(state: vscode.Memento, choice: FolderChoice<T>): T {
  const kept: unknown = state.get(choice.stateKey);
  const value = choice.values.find((v) => v === kept) ?? choice.fallback;
  void vscode.commands.executeCommand('setContext', choice.contextKey, value);
  return value;
}
