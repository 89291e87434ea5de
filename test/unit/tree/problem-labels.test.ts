/** A problem group's row text (pure): the label, and a description with the count, the error, stuck and last seen. */
import * as assert from 'node:assert/strict';
import type { Problem, ProblemGroup } from '../../../src/incidents';
import { problemDescription, problemLabel } from '../../../src/tree/labels';

const NOW = Date.parse('2026-12-03T12:00:00Z');

function group(overrides: Partial<ProblemGroup>): ProblemGroup {
  return {
    key: 'k',
    workflowName: 'order-fulfillment',
    step: { kind: 'activity', name: 'ship_order' },
    errorType: 'ValueError',
    maskedMessage: 'order <n> has no address',
    unreadable: undefined,
    count: 20,
    stuckCount: 0,
    firstSeen: new Date('2026-12-03T09:00:00Z'),
    lastSeen: new Date('2026-12-03T11:55:00Z'),
    deployments: ['prod-eu'],
    latest: {} as Problem,
    executionIds: [],
    ...overrides,
  };
}

describe('tree: a problem group’s row text', () => {
  it('says how many, the error type, how many are stuck and when it was last seen', () => {
    assert.equal(problemDescription(group({ stuckCount: 3 }), NOW), '20 executions · ValueError · 3 stuck · last seen 5 minutes ago');
    assert.equal(problemDescription(group({ count: 1, lastSeen: new Date('2026-12-02T12:00:00Z') }), NOW), '1 execution · ValueError · last seen yesterday');
  });

  it('falls back to the masked message without an error type, and leaves out a last seen it does not know', () => {
    assert.equal(problemDescription(group({ errorType: undefined, lastSeen: undefined }), NOW), '20 executions · order <n> has no address');
  });

  it('an unreadable group says why, in its description and its label', () => {
    const unreadable = group({ unreadable: 'its history could not be read: HTTP 503', step: undefined, errorType: undefined, maskedMessage: undefined });
    assert.equal(problemDescription(unreadable, NOW), '20 executions · its history could not be read: HTTP 503 · last seen 5 minutes ago');
    assert.equal(problemLabel(unreadable), 'order-fulfillment · unreadable');
  });

  it('labels the group by its step’s name, else the kind of step', () => {
    assert.equal(problemLabel(group({})), 'order-fulfillment · ship_order');
    assert.equal(problemLabel(group({ step: { kind: 'workflowTask' } })), 'order-fulfillment · workflow task');
    assert.equal(problemLabel(group({ workflowName: '', step: { kind: 'localActivity' } })), 'unnamed workflow · local activity');
  });
});
