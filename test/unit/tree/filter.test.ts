/**
 * The filter's Stuck entry, pure: what the list asks the backend for, which listed rows wait to be
 * found stuck, how it reads in the view's title, and that a stored filter keeps it.
 */
import * as assert from 'node:assert/strict';
import { describeFilter, isFiltered, listedStatuses, parseFilter, shownOnlyIfStuck } from '../../../src/tree/filter';

describe('tree/filter: the Stuck entry', () => {
  it('asks for RUNNING beside the statuses checked, once', () => {
    assert.deepEqual(listedStatuses({ statuses: [], stuck: true }), ['RUNNING']);
    assert.deepEqual(listedStatuses({ statuses: ['FAILED'], stuck: true }), ['FAILED', 'RUNNING']);
    assert.deepEqual(listedStatuses({ statuses: ['RUNNING', 'FAILED'], stuck: true }), ['RUNNING', 'FAILED']);
    assert.deepEqual(listedStatuses({ statuses: ['FAILED'] }), ['FAILED']);
    assert.equal(listedStatuses({ statuses: [] }), undefined, 'no status, no Stuck: every status');
  });

  it('holds back a running row until it is found stuck, unless RUNNING itself was checked', () => {
    assert.equal(shownOnlyIfStuck({ statuses: ['FAILED'], stuck: true }, 'RUNNING'), true);
    assert.equal(shownOnlyIfStuck({ statuses: ['FAILED'], stuck: true }, 'FAILED'), false, 'a failed row shows as listed');
    assert.equal(shownOnlyIfStuck({ statuses: ['RUNNING'], stuck: true }, 'RUNNING'), false, 'RUNNING + Stuck: every running row');
    assert.equal(shownOnlyIfStuck({ statuses: [] }, 'RUNNING'), false, 'without Stuck nothing is held back');
  });

  it('counts as a filter, reads as “stuck” in the title, and is kept when stored (only as true)', () => {
    assert.equal(isFiltered({ statuses: [], stuck: true }), true);
    assert.equal(describeFilter({ statuses: [], stuck: true }), 'stuck');
    assert.equal(describeFilter({ statuses: ['FAILED'], stuck: true, workflow: 'orders' }), 'FAILED, stuck · workflow: orders');
    assert.deepEqual(parseFilter({ statuses: ['FAILED'], stuck: true }), { statuses: ['FAILED'], workflow: undefined, search: undefined, stuck: true });
    assert.equal(parseFilter({ statuses: [], stuck: 'yes' }).stuck, undefined, 'a hand-edited value that is not true is dropped');
  });
});
