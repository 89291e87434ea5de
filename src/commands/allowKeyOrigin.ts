import { UserCancelled, UserFacingError } from '../common/errors';
import type { Services } from './services';

/**
 * The workspace's base URL moved to another origin (a settings edit, a merged settings file): its stored
 * key goes there only after the user says so.
 */
export async function allowKeyOrigin(services: Services): Promise<void> {
  const state = await services.connection.current();
  if (state.kind !== 'originChanged') {
    throw new UserFacingError('The active workspace’s API key is already allowed for its base URL.');
  }
  const allowed = await services.ui.confirm(
    `Send the API key of “${state.workspace.name}” to ${state.to}?`,
    `The base URL of this workspace changed from ${state.from} to ${state.to}. Its stored API key was only ever sent to ${state.from}. Allow only if you changed the setting yourself and trust the new server.`,
    'Allow',
  );
  if (!allowed) throw new UserCancelled();
  await services.connection.rememberKeyOrigin(state.workspace.name, state.to);
  services.log.info('auth', `Allowed the stored key of “${state.workspace.name}” for ${state.to}.`);
  services.connection.invalidate('new base URL allowed');
}
