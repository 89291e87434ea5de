import * as vscode from 'vscode';
import { UserFacingError } from '../common/errors';
import { applyFilter, type FilterServices } from './filterExecutions';
import { focusViewCommand, VIEW_IDS } from './ids';

/** The CodeLens's action: the Executions view, filtered to one workflow (any status). */
export async function showWorkflowExecutions(services: FilterServices, workflow?: unknown): Promise<void> {
  if (typeof workflow !== 'string' || workflow.trim() === '') throw new UserFacingError('No workflow name was given.');
  await applyFilter(services, { statuses: [], workflow: workflow.trim() });
  await vscode.commands.executeCommand(focusViewCommand(VIEW_IDS.executions));
}
