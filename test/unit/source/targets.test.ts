import * as assert from 'node:assert/strict';
import { eventKind, normalizeHistory } from '../../../src/api';
import type { Execution, ListExecutionsQuery } from '../../../src/api/types';
import { eventTarget } from '../../../src/source/eventTarget';
import { countExecutions, countsTitle } from '../../../src/source/executionCounts';

describe('Go to source: event targets and execution counts (pure)', () => {
  const history = normalizeHistory({
    events: [
      { event_id: 1, event_type: 'WORKFLOW_EXECUTION_STARTED', attributes: { workflow_type: { name: 'order-fulfillment' } } },
      { event_id: 5, event_type: 'ACTIVITY_TASK_SCHEDULED', attributes: { activity_type: { name: 'ship_order' } } },
      { event_id: 6, event_type: 'ACTIVITY_TASK_STARTED', attributes: { scheduled_event_id: 5 } },
      { event_id: 7, event_type: 'ACTIVITY_TASK_FAILED', attributes: { scheduled_event_id: 5, failure: { message: 'boom' } } },
      { event_id: 8, event_type: 'WORKFLOW_EXECUTION_SIGNALED', attributes: { signal_name: 'address_updated' } },
      { event_id: 9, event_type: 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED', attributes: { accepted_request: { input: { name: 'set_window' } } } },
      { event_id: 10, event_type: 'WORKFLOW_EXECUTION_UPDATE_COMPLETED', attributes: { accepted_event_id: 9 } },
      { event_id: 11, event_type: 'START_CHILD_WORKFLOW_EXECUTION_INITIATED', attributes: { workflow_type: { name: 'invoice-sync' } } },
      { event_id: 12, event_type: 'CHILD_WORKFLOW_EXECUTION_COMPLETED', attributes: { initiated_event_id: 11 } },
      { event_id: 13, event_type: 'TIMER_STARTED', attributes: { timer_id: 't' } },
      { event_id: 14, event_type: 'WORKFLOW_EXECUTION_FAILED', attributes: { failure: { message: 'boom' } } },
      // A reapplied update (after a reset): only ADMITTED names it; ACCEPTED and COMPLETED carry its id.
      { event_id: 15, event_type: 'WORKFLOW_EXECUTION_UPDATE_ADMITTED', attributes: { request: { meta: { update_id: 'u1' }, input: { name: 'fetch_and_add' } } } },
      { event_id: 16, event_type: 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED', attributes: { protocol_instance_id: 'u1' } },
      { event_id: 17, event_type: 'WORKFLOW_EXECUTION_UPDATE_COMPLETED', attributes: { meta: { update_id: 'u1' }, accepted_event_id: 16 } },
      { event_id: 18, event_type: 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED', attributes: { signal_name: 'go' } },
      { event_id: 19, event_type: 'EXTERNAL_WORKFLOW_EXECUTION_SIGNALED', attributes: { initiated_event_id: 18 } },
    ],
  });
  const target = (id: number, workflow?: string): string => {
    const event = history.find((e) => e.eventId === id);
    assert.ok(event);
    const t = eventTarget(event, eventKind(event.type), history, workflow);
    return t ? `${t.kind} ${t.name}` : 'none';
  };

  it('names the definition an event points at, following references back in the history', () => {
    assert.equal(target(1), 'workflow order-fulfillment');
    assert.equal(target(5), 'activity ship_order');
    assert.equal(target(6), 'activity ship_order');
    assert.equal(target(7), 'activity ship_order');
    assert.equal(target(8), 'signal address_updated');
    assert.equal(target(9), 'update set_window');
    assert.equal(target(10), 'update set_window');
    assert.equal(target(11), 'workflow invoice-sync');
    assert.equal(target(12), 'workflow invoice-sync');
    assert.equal(target(13), 'none');
    assert.equal(target(14, 'order-fulfillment'), 'workflow order-fulfillment', 'the execution’s workflow');
    assert.equal(target(14), 'none');
    assert.equal(target(15), 'update fetch_and_add');
    assert.equal(target(16), 'update fetch_and_add', 'through the update id');
    assert.equal(target(17), 'update fetch_and_add', 'through the accepted event, then the update id');
    assert.equal(target(18), 'signal go');
    assert.equal(target(19), 'signal go', 'through initiated_event_id');
  });

  it('a signal or update the run received is its own workflow’s handler; a signal it sent is not', () => {
    const handlerOf = (id: number): string | undefined => {
      const event = history.find((e) => e.eventId === id);
      assert.ok(event);
      return eventTarget(event, eventKind(event.type), history, 'order-fulfillment')?.handlerOf;
    };
    assert.equal(handlerOf(8), 'order-fulfillment', 'WORKFLOW_EXECUTION_SIGNALED');
    assert.equal(handlerOf(10), 'order-fulfillment', 'an update');
    assert.equal(handlerOf(17), 'order-fulfillment', 'a reapplied update');
    assert.equal(handlerOf(18), undefined, 'a signal sent to another workflow');
    assert.equal(handlerOf(19), undefined);
    assert.equal(handlerOf(5), undefined, 'an activity is nobody’s handler');
  });

  it('counts running and failed executions by their newest run, across pages', async () => {
    const row = (executionId: string, status: string, start: number): Execution => ({ workflowName: 'w', executionId, status, startTime: new Date(start) });
    const queries: ListExecutionsQuery[] = [];
    const pages = [
      { executions: [row('a', 'RUNNING', 30), row('b', 'FAILED', 20), row('c', 'RUNNING', 25)], nextPageToken: 't1' },
      // `c` failed before it was reset: its newer RUNNING run counts, not this row.
      { executions: [row('c', 'FAILED', 10), row('d', 'FAILED', 5)], nextPageToken: undefined },
    ];
    const counts = await countExecutions({ listExecutions: async (q) => (queries.push(q), pages[queries.length - 1]) }, 'w');
    assert.deepEqual(counts, { running: 2, failed: 2, capped: false });
    assert.deepEqual(queries.map((q) => [q.workflow, q.status, q.pageToken]), [['w', ['RUNNING', 'FAILED'], undefined], ['w', ['RUNNING', 'FAILED'], 't1']]);
    assert.equal(countsTitle(counts), 'Executions: 2 running · 2 failed');
  });

  it('stops after a bounded number of pages and says the counts are lower bounds', async () => {
    let n = 0;
    const counts = await countExecutions(
      { listExecutions: async () => ({ executions: [{ workflowName: 'w', executionId: `e${n}`, status: 'FAILED' }], nextPageToken: `t${++n}` }) },
      'w',
    );
    assert.deepEqual(counts, { running: 0, failed: 5, capped: true });
    assert.equal(countsTitle(counts), 'Executions: 0+ running · 5+ failed');
  });
});
