/** The Follower (src/live, no vscode): stream first, polling when the stream endpoint is missing. */
import { strict as assert } from 'node:assert';
import { DEMO, startSandbox, type Sandbox } from '../../../sandbox/server';
import type { WorkflowsClient } from '../../../src/api/mistral';
import { Follower, type FollowerDeps } from '../../../src/live/follower';
import { clientFor } from '../api/testServer';
import { until } from '../../helpers/eventually';

describe('live: Follower', () => {
  let sb: Sandbox;
  let client: WorkflowsClient;
  let follower: Follower | undefined;
  let activity = 0;
  let unsupported = false;
  const deps = (): FollowerDeps => ({
    client: () => Promise.resolve(client),
    onActivity: () => activity++,
    pollIntervalMs: () => 50,
    onStreamUnsupported: () => {
      unsupported = true;
    },
    log: { info: () => undefined, warn: () => undefined },
  });

  beforeEach(async () => {
    sb = await startSandbox();
    client = clientFor(sb.baseUrl, { apiKey: sb.apiKey });
    activity = 0;
    unsupported = false;
  });
  afterEach(async () => {
    follower?.stop();
    await client.close();
    await sb.close();
  });

  it('follows the stream: activity on appended events, no polling; stop() closes the stream', async () => {
    follower = new Follower(DEMO.running, deps(), false);
    await until('the stream is being served', () => sb.openStreams() === 1);
    await client.signal(DEMO.running, 'approve');
    await until('activity', () => activity > 0);
    assert.equal(follower.polling, false);
    follower.stop();
    await until('the follower closed its stream', () => sb.openStreams() === 0);
    assert.equal(sb.requests.filter((r) => r.path.endsWith('/stream')).length, 1, 'one stream request, no reconnect');
  });

  it('polls when the stream endpoint answers 404 without a workflow code, and says it is unsupported', async () => {
    sb.faults.add({ pathIncludes: '/stream', status: 404 });
    follower = new Follower(DEMO.running, deps(), false);
    await until('polling ticks', () => follower?.polling === true && activity >= 3);
    assert.equal(unsupported, true);
    assert.equal(sb.requests.filter((r) => r.path.endsWith('/stream')).length, 1, 'the stream was tried once');
  });

  it('poll-only never opens a stream, and stops ticking when stopped', async () => {
    follower = new Follower(DEMO.running, deps(), true);
    await until('polling ticks', () => activity >= 2);
    follower.stop();
    const ticks = activity;
    // A second follower on the same 50 ms interval is the clock: when it has ticked 4 times, the stopped
    // one would have ticked too.
    let controlTicks = 0;
    const control = new Follower(DEMO.running, { ...deps(), onActivity: () => controlTicks++ }, true);
    try {
      await until('the control follower ticks', () => controlTicks >= 4);
    } finally {
      control.stop();
    }
    assert.equal(activity, ticks, 'no tick after stop()');
    assert.equal(sb.requests.filter((r) => r.path.endsWith('/stream')).length, 0);
  });
});
