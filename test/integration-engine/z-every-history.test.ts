/**
 * Every history the engine wrote during the suite, read by the extension's reader: counts, types, ids
 * and reset points exactly as in the engine's own JSON.
 */
import * as assert from 'node:assert/strict';
import { normalizeHistory } from '../../src/api';
import { enumName } from '../../src/api/temporal';
import { useEngineEnv, type EngineEnv } from './helpers';

describe('On the real engine: every history it wrote', function () {
  this.timeout(120_000);
  const world = useEngineEnv();
  let env: EngineEnv;
  beforeEach(() => {
    env = world();
  });

  it('is read exactly: count, types, ids, reset points', async () => {
    const { executions } = await env.temporal.listWorkflows({ pageSize: 1000 });
    assert.ok(executions.length >= 8, `the suite's runs (${executions.length})`);
    for (const run of executions) {
      const raw = (await env.temporal.historyAll(run.workflowId, run.runId)) as { eventId: string; eventType: string }[];
      const events = normalizeHistory(raw);
      const where = `${run.workflowId}/${run.runId}`;
      assert.equal(events.length, raw.length, where);
      assert.deepEqual(events.map((e) => e.eventId), raw.map((e) => Number(e.eventId)), where);
      assert.deepEqual(events.map((e) => e.type), raw.map((e) => enumName(e.eventType, 'EVENT_TYPE_')), where);
      const completed = raw.filter((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED').map((e) => Number(e.eventId));
      assert.deepEqual(events.filter((e) => e.type === 'WORKFLOW_TASK_COMPLETED').map((e) => e.eventId), completed, where);
    }
  });
});
