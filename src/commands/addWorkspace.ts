import type * as vscode from 'vscode';
import { UserCancelled } from '../common/errors';
import { baseUrlProblem, workspaceTitle, type WorkspaceConfig } from '../config/workspaceList';
import type { Services } from '../services';

interface KindItem extends vscode.QuickPickItem {
  service: WorkspaceConfig['kind'];
  /** What the key is for this kind: required, or optional (a self-hosted cluster may have no auth). */
  key: 'required' | 'optional';
  baseUrl: string;
}

/** What adding a workspace uses: the prompts, the settings and key store it writes, the connection it switches. */
export type AddWorkspaceServices = Pick<Services, 'ui' | 'settings' | 'keys' | 'connection' | 'log'>;

const KINDS: readonly KindItem[] = [
  { label: '$(organization) Mistral Workflows', description: 'Mistral’s Workflows API, with an API key', service: 'mistral', key: 'required', baseUrl: 'https://api.mistral.ai' },
  { label: '$(server) Temporal cluster', description: 'self-hosted: its HTTP API (mTLS files can be added in settings)', service: 'temporal', key: 'optional', baseUrl: 'http://127.0.0.1:7243' },
  { label: '$(cloud) Temporal Cloud', description: 'a namespace’s HTTP API, with an API key', service: 'temporal', key: 'required', baseUrl: 'https://' },
];


/**
 * Adds a workspace (Mistral, a Temporal cluster or Temporal Cloud) without editing settings.json:
 * the entry goes to the settings, its key to secret storage, and it becomes the active one.
 * Escape at any step adds nothing.
 */
export async function addWorkspace(services: AddWorkspaceServices): Promise<void> {
  const choice = await services.ui.pickOne(KINDS, { title: 'Add workspace: what kind', placeHolder: 'Which service is this workspace?' });
  if (!choice) throw new UserCancelled();
  const steps = choice.service === 'temporal' ? 6 : 5;
  let n = 1;
  const step = (what: string): string => `Add workspace (${++n}/${steps}): ${what}`;
  const taken = new Set(services.settings.workspaces().map((w) => w.name));
  const name = await ask(services, {
    title: step('name'),
    prompt: 'A short name, shown in the status bar: dev, prod, orders-staging…',
    validateInput: (v) => (!v.trim() ? 'A name is required.' : taken.has(v.trim()) ? `A workspace named “${v.trim()}” exists already.` : undefined),
  });
  const baseUrl = (await ask(services, {
    title: step('base URL'),
    prompt: choice.service === 'temporal' ? 'The cluster’s HTTP API (not its gRPC port): e.g. http://127.0.0.1:7243 for a dev server.' : 'The Workflows API’s base URL.',
    value: choice.baseUrl,
    validateInput: (v) => baseUrlProblem(v.trim()),
  })).replace(/\/+$/, '');
  const namespace = choice.service === 'temporal'
    ? await ask(services, { title: step('namespace'), prompt: 'The Temporal namespace to browse.', value: 'default', validateInput: (v) => (v.trim() ? undefined : 'A namespace is required.') })
    : undefined;
  const production = await services.ui.pickOne(
    [{ label: 'Development', production: false }, { label: 'Production', description: 'resets ask you to type the execution id', production: true }],
    { title: step('production?'), placeHolder: 'Is this a production workspace?' },
  );
  if (!production) throw new UserCancelled();
  const key = await services.ui.input({
    title: step('API key'),
    prompt: choice.key === 'required'
      ? `Kept in VS Code’s secret storage, sent only to ${baseUrl}.${choice.service === 'mistral' ? ' Leave empty to use MISTRAL_API_KEY from the folder’s .env or the environment.' : ''}`
      : `Only if the cluster asks for one (sent as a Bearer token to ${baseUrl} only). Leave empty for none.`,
    password: true,
    validateInput: (v) => (/\s/.test(v.trim()) ? 'An API key has no spaces.' : choice.key === 'required' && choice.service === 'temporal' && !v.trim() ? 'Temporal Cloud needs an API key.' : undefined),
  });
  if (key === undefined) throw new UserCancelled();

  const entry: WorkspaceConfig = { name, kind: choice.service, baseUrl, production: production.production, ...(namespace ? { namespace } : {}) };
  if (key.trim()) {
    services.log.addSecret(key.trim());
    await services.keys.store(name, key.trim());
    await services.connection.rememberKeyOrigin(name, new URL(baseUrl).origin);
  }
  await services.settings.addWorkspace(entry);
  await services.settings.setActiveWorkspace(name);
  services.log.info('connection', `Added the workspace ${workspaceTitle(entry)} (${baseUrl})${key.trim() ? ' with an API key in secret storage' : ''}.`);
  services.connection.invalidate(`workspace “${name}” added`);
}

/** An input whose answer is required: Escape cancels the whole command. */
async function ask(services: Pick<Services, 'ui'>, options: vscode.InputBoxOptions): Promise<string> {
  const answer = await services.ui.input(options);
  if (answer === undefined) throw new UserCancelled();
  return answer.trim();
}
