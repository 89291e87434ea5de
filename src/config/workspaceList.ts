// Pure helpers for the workspace settings (no \`vscode\` import, so they unit-test under plain mocha).
import { isLoopback } from '../common/loopback';

export type WorkspaceKind = 'mistral' | 'temporal';

export interface WorkspaceConfig {
  name: string;
  /** Mistral's Workflows API (the default), or a Temporal cluster's HTTP API. */
  kind: WorkspaceKind;
  baseUrl: string;
  production: boolean;
  /** Temporal: the namespace (default `default`). */
  namespace?: string;
  /** Temporal with mTLS: paths of the client certificate and key files (never their contents). */
  clientCertFile?: string;
  clientKeyFile?: string;
  /** Temporal over TLS: the path of the CA certificate(s) that signed the server's (a private CA). */
  serverCaFile?: string;
  /** Temporal over TLS: the name sent as SNI and checked in the server's certificate, when not the base URL's host. */
  serverName?: string;
}

export const DEFAULT_WORKSPACE: WorkspaceConfig = {
  name: 'default',
  kind: 'mistral',
  baseUrl: 'https://api.mistral.ai',
  production: false,
};

/** Keeps the well-formed entries; a hand-edited settings file must not break the view. */
export function parseWorkspaces(raw: unknown): WorkspaceConfig[] {
  if (!Array.isArray(raw)) return [];
  const seen = new Set<string>();
  const result: WorkspaceConfig[] = [];
  for (const item of raw) {
    if (typeof item !== 'object' || item === null) continue;
    const { name, baseUrl, production, kind } = item as Record<string, unknown>;
    if (typeof name !== 'string' || !name.trim() || typeof baseUrl !== 'string') continue;
    if (seen.has(name.trim())) continue;
    seen.add(name.trim());
    const entry: WorkspaceConfig = { name: name.trim(), kind: 'mistral', baseUrl: baseUrl.trim(), production: production === true };
    result.push(kind === 'temporal' ? { ...entry, kind: 'temporal', ...temporalFields(item as Record<string, unknown>) } : entry);
  }
  return result;
}

/** How a workspace is named to the user: `Mistral: dev`, `Temporal: local (orders)`. */
export function workspaceTitle(workspace: WorkspaceConfig): string {
  return workspace.kind === 'temporal'
    ? `Temporal: ${workspace.name}${workspace.namespace && workspace.namespace !== 'default' ? ` (${workspace.namespace})` : ''}`
    : `Mistral: ${workspace.name}`;
}

type TemporalFields = Pick<WorkspaceConfig, 'namespace' | 'clientCertFile' | 'clientKeyFile' | 'serverCaFile' | 'serverName'>;
const TEMPORAL_TLS_FIELDS = ['clientCertFile', 'clientKeyFile', 'serverCaFile', 'serverName'] as const;

function temporalFields(item: Record<string, unknown>): TemporalFields {
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const fields: TemporalFields = { namespace: text(item.namespace) ?? 'default' };
  // Only the fields that are set, so that an entry without TLS compares equal to one never given any.
  for (const name of TEMPORAL_TLS_FIELDS) {
    const value = text(item[name]);
    if (value !== undefined) fields[name] = value;
  }
  return fields;
}

/**
 * The clients' `compression` option for `mistralWorkflows.compression` (`auto`, `always`, `never`;
 * anything else is the default, `auto`).
 */
export function compressionOption(value: unknown): 'auto' | 'on' | 'off' {
  return value === 'always' ? 'on' : value === 'never' ? 'off' : 'auto';
}

export function clampInt(value: unknown, min: number, max: number): number {
  return Math.round(clampNumber(value, min, max));
}

export function clampNumber(value: unknown, min: number, max: number): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? value : min;
  return Math.min(max, Math.max(min, n));
}


/**
 * Whether MISTRAL_API_KEY from the environment or a `.env` file may go to `origin` without the user
 * allowing it: Mistral's own API (the default workspace's) and this machine (the sandbox, the demo).
 * That key was given to no workspace in particular, so a workspace whose base URL points anywhere
 * else (a settings file can say so) gets it only once the user allowed that origin.
 */
export function envKeyOriginAllowed(origin: string): boolean {
  const url = new URL(origin);
  return url.origin === new URL(DEFAULT_WORKSPACE.baseUrl).origin || isLoopback(url.hostname);
}

/**
 * Why a base URL must not receive an API key, or undefined when it may. Plain HTTP is allowed only to
 * loopback (the sandbox): anything else would send the key in clear text.
 */
export function baseUrlProblem(baseUrl: string): string | undefined {
  // URL parsing drops tabs and line breaks, so they would never reach a request, but the raw setting is
  // written into copied code and messages: refuse them rather than carry them.
  const control = /\p{Cc}/u.exec(baseUrl); // U+0000-001F and U+007F-009F
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return `The base URL contains a control character (U+${code} at position ${control.index + 1}): remove it from the setting.`;
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return `“${baseUrl}” is not a valid URL.`;
  }
  if (url.username || url.password) return 'The base URL must not contain a user name or password.';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  if (url.protocol === 'http:') {
    return `The base URL ${url.origin} uses plain HTTP: the API key is only sent over HTTPS, or HTTP to this machine (127.0.0.1).`;
  }
  return `The base URL must start with https:// (got ${url.protocol}).`;
}
