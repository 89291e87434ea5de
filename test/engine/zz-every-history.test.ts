/**
 * Runs last (mocha sorts the files): normalizeHistory reads every history the engine wrote during the
 * suite exactly: the runs come from the engine's own listing, the counts from its describe.
 */
import * as assert from 'node:assert/strict';
import { normalizeHistory } from '../../src/api';
import { resetPointIds, type TemporalExecution } from '../../src/api/temporal';
import { engine } from './engine';

type RawEvent = { eventId: string; eventType: string; eventTime: string } & Record<string, unknown>;

describe('normalizeHistory on every history the engine wrote', () => {
  it('counts, ids, types, times, attributes and reset points match the raw JSON', async function () {
    this.timeout(120_000);
    const { client } = engine();
    const runs: TemporalExecution[] = [];
    let token: string | undefined;
    do {
      const page = await client.listWorkflows({ pageSize: 25, nextPageToken: token });
      runs.push(...page.executions);
      token = page.nextPageToken;
    } while (token !== undefined);
    assert.ok(runs.length >= 15, `the suite wrote ${runs.length} runs`);
    const types = new Set<string>();
    let total = 0;
    for (const run of runs) {
      const raw = (await client.historyAll(run.workflowId, run.runId)) as RawEvent[];
      const where = `${run.workflowId} ${run.runId}`;
      assert.equal(raw.length, (await client.describe(run.workflowId, run.runId)).execution.historyLength, `${where}: describe's historyLength`);
      const events = normalizeHistory({ history: { events: raw } });
      assert.equal(events.length, raw.length, where);
      events.forEach((e, i) => {
        const r = raw[i];
        assert.equal(e.eventId, Number(r.eventId), where);
        assert.equal(e.eventId, i + 1, `${where}: ids are 1..n`);
        assert.equal(`EVENT_TYPE_${e.type}`, r.eventType, where);
        assert.equal(e.time?.getTime(), new Date(r.eventTime).getTime(), where);
        const key = Object.keys(r).find((k) => k.endsWith('EventAttributes'));
        assert.ok(key, `${where}: event ${r.eventId} has attributes`);
        assert.equal(e.attributes, r[key], where);
        assert.equal(e.raw, r);
        types.add(e.type);
      });
      const points = raw.filter((r) => r.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED').map((r) => Number(r.eventId));
      assert.deepEqual(resetPointIds(raw), points, where);
      total += raw.length;
    }
    for (const t of ['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_COMPLETED', 'WORKFLOW_TASK_FAILED', 'ACTIVITY_TASK_COMPLETED', 'ACTIVITY_TASK_FAILED',
      'MARKER_RECORDED', 'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED', 'WORKFLOW_EXECUTION_UPDATE_ADMITTED',
      'WORKFLOW_EXECUTION_TERMINATED', 'WORKFLOW_EXECUTION_CANCELED', 'WORKFLOW_EXECUTION_FAILED', 'WORKFLOW_EXECUTION_COMPLETED']) {
      assert.ok(types.has(t), `some history has ${t}`);
    }
    console.log(`      ${runs.length} runs, ${total} events, ${types.size} event types`);
  });
});
