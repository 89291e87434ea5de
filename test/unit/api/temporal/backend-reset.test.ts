/**
 * TemporalBackend.reset resets the latest run only: Temporal itself resets whatever run it is given,
 * so a point of a run that is no longer the latest (a stale tree) is refused before anything is sent,
 * as Mistral's API refuses it (WF_1001), with the latest run's points.
 */
import * as assert from 'node:assert/strict';
import { WorkflowsApiError } from '../../../../src/api';
import { TemporalBackend, TemporalClient } from '../../../../src/api/temporal';
import { json, rejection, startServer, type TestServer } from '../testServer';

const NS = '/api/v1/namespaces/default/workflows/w';
const event = (eventId: number, eventType: string): Record<string, string> => ({ eventId: String(eventId), eventType: `EVENT_TYPE_${eventType}` });
/** The latest run's history: reset points 4 and 10. */
const LATEST_HISTORY = [
  event(1, 'WORKFLOW_EXECUTION_STARTED'), event(2, 'WORKFLOW_TASK_SCHEDULED'), event(3, 'WORKFLOW_TASK_STARTED'), event(4, 'WORKFLOW_TASK_COMPLETED'),
  event(5, 'WORKFLOW_EXECUTION_SIGNALED'), event(6, 'WORKFLOW_TASK_SCHEDULED'), event(7, 'WORKFLOW_TASK_FAILED'), event(8, 'WORKFLOW_TASK_SCHEDULED'),
  event(9, 'WORKFLOW_TASK_STARTED'), event(10, 'WORKFLOW_TASK_COMPLETED'),
];

async function withEngine(fn: (backend: TemporalBackend, server: TestServer) => Promise<void>): Promise<void> {
  const server = await startServer((req, res) => {
    if (req.method === 'GET' && req.url === NS) {
      json(res, 200, { workflowExecutionInfo: { execution: { workflowId: 'w', runId: 'run-2' }, type: { name: 'order' }, status: 'WORKFLOW_EXECUTION_STATUS_RUNNING' } });
    } else if (req.method === 'GET' && req.url?.startsWith(`${NS}/history`)) {
      json(res, 200, { history: { events: LATEST_HISTORY } });
    } else if (req.method === 'POST' && req.url === `${NS}/reset`) {
      json(res, 200, { runId: 'run-3' });
    } else {
      json(res, 404, { code: 5, message: 'Not Found' });
    }
  });
  const client = new TemporalClient({ baseUrl: server.baseUrl, namespace: 'default', timeoutMs: 5000 });
  try {
    await fn(new TemporalBackend(client), server);
  } finally {
    await client.close();
    await server.close();
  }
}

const request = (runId: string | undefined): Parameters<TemporalBackend['reset']>[0] =>
  ({ executionId: 'w', runId, eventId: 10, reason: 'fix', excludeSignals: false, excludeUpdates: false, requestId: 'req-1' });

describe('api/temporal: TemporalBackend.reset resets the latest run only', () => {
  it('a point of an older run is refused with the latest run’s points, and nothing is posted', () =>
    withEngine(async (backend, server) => {
      const e = await rejection(backend.reset(request('run-1')));
      assert.ok(e instanceof WorkflowsApiError);
      assert.equal(e.problem, 'invalidResetPoint');
      assert.deepEqual(e.validResetEvents, [4, 10]);
      assert.match(e.message, /Event 10 is not a valid reset point\. Valid reset points: 4, 10\. \(run run-1 is no longer the latest: run-2 is\)/);
      assert.equal(e.outcomeUnknown, false, 'nothing was sent: nothing to read back');
      assert.deepEqual(server.requests.filter((r) => r.method === 'POST'), []);
    }));

  it('a point of the latest run is reset, with that run id in the request', () =>
    withEngine(async (backend, server) => {
      await backend.reset(request('run-2'));
      const posts = server.requests.filter((r) => r.method === 'POST');
      assert.equal(posts.length, 1);
      assert.deepEqual((JSON.parse(posts[0].body) as { workflowExecution: unknown }).workflowExecution, { workflowId: 'w', runId: 'run-2' });
    }));

  it('without a run id (the palette, someone’s script) the current run is reset without a check', () =>
    withEngine(async (backend, server) => {
      await backend.reset(request(undefined));
      assert.deepEqual(server.requests.map((r) => r.method), ['POST']);
    }));
});
