import type * as vscode from 'vscode';
import { UserCancelled } from '../common/errors';
import { addWorkspace, type AddWorkspaceServices } from './addWorkspace';

interface WorkspaceItem extends vscode.QuickPickItem {
  /** Undefined: the “Add Workspace…” item. */
  name?: string;
}

/** Switches the view to another configured workspace, Mistral or Temporal (status bar click, palette). */
export async function selectWorkspace(services: AddWorkspaceServices): Promise<void> {
  const active = services.connection.currentWorkspace();
  const items: WorkspaceItem[] = services.settings.workspaces().map((w) => ({
    label: `${w.name === active.name ? '$(check) ' : ''}${w.name}`,
    description: `${w.kind === 'temporal' ? `Temporal · ${w.namespace ?? 'default'} · ` : 'Mistral · '}${w.baseUrl}`,
    detail: w.production ? '$(warning) production: resets ask you to type the execution id' : undefined,
    name: w.name,
  }));
  items.push({ label: '$(add) Add Workspace…', description: 'Mistral, a Temporal cluster or Temporal Cloud' });
  const picked = await services.ui.pickOne(items, {
    title: 'Select the workspace (Mistral or Temporal)',
    placeHolder: 'Workspaces come from the mistralWorkflows.workspaces setting',
  });
  if (!picked) throw new UserCancelled();
  if (picked.name === undefined) return addWorkspace(services);
  if (picked.name === active.name) return;
  await services.settings.setActiveWorkspace(picked.name);
  services.connection.invalidate(`workspace switched to “${picked.name}”`);
}
