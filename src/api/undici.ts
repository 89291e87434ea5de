/**
 * Only the parts of undici the transport uses: a Pool, an Agent (streams) and `request()` on dispatchers. Importing
 * 'undici' itself also bundles fetch, WebSocket, caches and mocks: about 230 KB more in the extension
 * bundle and ~20 ms more to load at activation (measured by `npm run bench`). These module paths are
 * undici 7's layout, not a documented entry point: undici is pinned in package-lock.json and the
 * client's tests exercise every path through them, so an upgrade that moves them fails the tests.
 */
import type { Agent as AgentType, Pool as PoolType } from 'undici';

/* eslint-disable @typescript-eslint/no-require-imports -- deep paths have no type declarations */
const DispatcherBase = require('undici/lib/dispatcher/dispatcher') as { prototype: object };
// What 'undici' does on load for its whole API; we use request() only (stream, pipeline… stay out).
Object.assign(DispatcherBase.prototype, { request: require('undici/lib/api/api-request') as unknown });
export const Pool = require('undici/lib/dispatcher/pool') as typeof PoolType;
export const Agent = require('undici/lib/dispatcher/agent') as typeof AgentType;
/* eslint-enable @typescript-eslint/no-require-imports */

export type Pool = PoolType;
export type Agent = AgentType;
