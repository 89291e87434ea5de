import { UserFacingError } from '../common/errors';
import { inertLinks } from '../common/notificationText';
import type { Services } from '../services';

export async function clearApiKey(services: Pick<Services, 'connection' | 'keys' | 'log' | 'ui'>): Promise<void> {
  const workspace = services.connection.currentWorkspace();
  if (!(await services.keys.hasStored(workspace.name))) {
    throw new UserFacingError(`No API key is stored for the workspace “${workspace.name}” in secret storage.`);
  }
  await services.keys.clear(workspace.name);
  services.log.info('auth', `Removed the stored API key of workspace “${workspace.name}”.`);
  services.connection.invalidate('API key cleared');
  const fallback = await services.keys.resolve(workspace.name);
  void services.ui.notify(
    'info',
    inertLinks(fallback
      ? `Removed the stored key of “${workspace.name}”. The key from the ${fallback.source} is used now.`
      : `Removed the stored key of “${workspace.name}”.`),
  );
}
