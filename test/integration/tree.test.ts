import * as assert from 'node:assert/strict';
import { roots, setUpEnv, tearDownEnv, TestEnv } from './helpers/env';
import { mistralWorld } from './helpers/mistralWorld';
import { treeSuite } from './shared/tree';

// The shared tree suite on Mistral's API; the engine suite runs it on a Temporal cluster too.
treeSuite(mistralWorld);

describe('Executions tree on a Mistral workspace without a key', () => {
  let env: TestEnv;
  before(async () => {
    env = await setUpEnv();
  });
  after(async () => tearDownEnv(env));

  it('shows the welcome view (no rows): a Mistral workspace needs a key', async () => {
    await env.services.keys.clear('sandbox');
    const saved = process.env.MISTRAL_API_KEY;
    delete process.env.MISTRAL_API_KEY;
    try {
      env.services.connection.invalidate('test');
      assert.deepEqual(await roots(env), []);
      const state = await env.services.connection.current();
      assert.equal(state.kind, 'missingKey');
    } finally {
      if (saved !== undefined) process.env.MISTRAL_API_KEY = saved;
      await env.services.keys.store('sandbox', env.sandbox.apiKey);
      env.services.connection.invalidate('test');
    }
  });
});
