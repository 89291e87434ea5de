import { UserCancelled } from '../common/errors';
import { inertLinks } from '../common/notificationText';
import { workspaceTitle } from '../config/workspaceList';
import type { Services } from '../services';

/** Stores the active workspace's key in SecretStorage (never in settings). */
export async function setApiKey(services: Pick<Services, 'connection' | 'ui' | 'log' | 'keys'>): Promise<void> {
  const workspace = services.connection.currentWorkspace();
  const key = await services.ui.input({
    title: `API key for ${workspaceTitle(workspace)}`,
    prompt: `Kept in VS Code’s secret storage and sent only to ${workspace.baseUrl}.`,
    placeHolder: 'Paste the API key',
    password: true,
    validateInput: (value) => (value.trim().length === 0 ? 'The key cannot be empty.' : /\s/.test(value.trim()) ? 'An API key has no spaces.' : undefined),
  });
  if (key === undefined || key.trim().length === 0) throw new UserCancelled();
  services.log.addSecret(key.trim());
  await services.keys.store(workspace.name, key);
  // The user typed the key while being told where it goes: that origin is allowed.
  await services.connection.rememberKeyOrigin(workspace.name, new URL(workspace.baseUrl).origin);
  services.log.info('auth', `Stored an API key for workspace “${workspace.name}” in secret storage.`);
  services.connection.invalidate('API key set');
  void services.ui.notify('info', inertLinks(`API key saved for the workspace “${workspace.name}”.`));
}
