/** Go to Source on a problem group: which definition each kind of failed step leads to (pure). */
import * as assert from 'node:assert/strict';
import type { FailedStep } from '../../../src/incidents';
import { failedStepTargets } from '../../../src/source/problemTarget';

describe('Go to source: a problem group’s failed step as definitions to look for (pure)', () => {
  const targets = (step: FailedStep, workflow = 'order-fulfillment'): unknown => failedStepTargets(step, workflow);

  it('an activity or a local activity: the activity’s definition, with no fallback to the workflow', () => {
    assert.deepEqual(targets({ kind: 'activity', name: 'ship_order' }), [{ kind: 'activity', name: 'ship_order' }]);
    assert.deepEqual(targets({ kind: 'localActivity', name: 'validate' }), [{ kind: 'activity', name: 'validate' }]);
  });

  it('a child workflow: the child’s workflow definition, not the parent’s', () => {
    assert.deepEqual(targets({ kind: 'child', name: 'invoice-sync' }), [{ kind: 'workflow', name: 'invoice-sync' }]);
  });

  it('an update: the workflow’s own handler first, then the workflow', () => {
    assert.deepEqual(targets({ kind: 'update', name: 'set_window' }), [
      { kind: 'update', name: 'set_window', handlerOf: 'order-fulfillment' },
      { kind: 'workflow', name: 'order-fulfillment' },
    ]);
  });

  it('a workflow task, the workflow itself or a timer: the failure is in workflow code, so the workflow', () => {
    for (const step of [{ kind: 'workflowTask' }, { kind: 'workflow' }, { kind: 'timer', name: 'wait-for-payment' }] as FailedStep[]) {
      assert.deepEqual(targets(step), [{ kind: 'workflow', name: 'order-fulfillment' }], step.kind);
    }
  });

  it('a Nexus operation: its handler by the operation’s name, then the calling workflow', () => {
    assert.deepEqual(targets({ kind: 'nexus', name: 'payments · billing · charge' }), [
      { kind: 'nexusOperation', name: 'charge' },
      { kind: 'workflow', name: 'order-fulfillment' },
    ]);
    // Only some parts named: which one is the operation is unknown.
    assert.deepEqual(targets({ kind: 'nexus', name: 'payments · billing' }), [{ kind: 'workflow', name: 'order-fulfillment' }]);
  });

  it('a step without its name: the workflow', () => {
    for (const kind of ['activity', 'localActivity', 'child', 'update', 'nexus'] as const) {
      assert.deepEqual(targets({ kind }), [{ kind: 'workflow', name: 'order-fulfillment' }], kind);
    }
  });

  it('no workflow name: only what the step names; nothing when it names nothing', () => {
    assert.deepEqual(targets({ kind: 'update', name: 'set_window' }, ''), [{ kind: 'update', name: 'set_window' }]);
    assert.deepEqual(targets({ kind: 'activity', name: 'ship_order' }, ''), [{ kind: 'activity', name: 'ship_order' }]);
    assert.deepEqual(targets({ kind: 'workflowTask' }, ''), []);
    assert.deepEqual(targets({ kind: 'activity' }, ''), []);
  });
});
