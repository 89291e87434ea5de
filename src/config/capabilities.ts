import type { BackendCapabilities } from '../api';
import { MISTRAL_CAPABILITIES } from '../api/mistral';
import { TEMPORAL_CAPABILITIES } from '../api/temporal';
import type { WorkspaceKind } from './workspaceList';

/** What a kind of workspace's backend can do, known before connecting (for menus and row states). */
export function capabilitiesOf(kind: WorkspaceKind): BackendCapabilities {
  return kind === 'temporal' ? TEMPORAL_CAPABILITIES : MISTRAL_CAPABILITIES;
}
