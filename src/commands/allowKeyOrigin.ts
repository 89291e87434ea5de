import { UserCancelled, UserFacingError } from '../common/errors';
import { DEFAULT_WORKSPACE } from '../config/workspaceList';
import type { Services } from '../services';

/**
 * The workspace's base URL moved to another origin (a settings edit, a merged settings file), or points
 * where MISTRAL_API_KEY from the environment or .env does not go by itself: the key goes there only
 * after the user says so.
 */
export async function allowKeyOrigin(services: Pick<Services, 'connection' | 'ui' | 'log'>): Promise<void> {
  const state = await services.connection.current();
  if (state.kind !== 'originChanged') {
    throw new UserFacingError('The active workspace’s API key is already allowed for its base URL.');
  }
  const allowed = await services.ui.confirm(
    state.from === undefined ? `Send the API key from the ${state.source} to ${state.to}?` : `Send the API key of “${state.workspace.name}” to ${state.to}?`,
    state.from === undefined
      ? `The workspace “${state.workspace.name}” points at ${state.to}. MISTRAL_API_KEY from the ${state.source} goes by itself only to Mistral's API (${DEFAULT_WORKSPACE.baseUrl}) and to this machine. Allow only if you set this base URL yourself and trust that server with the key.`
      : `The base URL of this workspace changed from ${state.from} to ${state.to}. Its stored API key was only ever sent to ${state.from}. Allow only if you changed the setting yourself and trust the new server.`,
    'Allow',
  );
  if (!allowed) throw new UserCancelled();
  await services.connection.rememberKeyOrigin(state.workspace.name, state.to);
  services.log.info('auth', `Allowed the key of “${state.workspace.name}” (from the ${state.source}) for ${state.to}.`);
  services.connection.invalidate('new base URL allowed');
}
