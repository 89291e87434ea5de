import * as assert from 'node:assert/strict';
import {
  attr, describeEvent, describeEvents, enumNamer, HistoryFormatError, isResetMarker, normalizeHistory, WorkflowEvent,
} from '../../../src/api';
import { inEventOrder, normalizeEvents } from '../../../src/api/history';

const ISO = '2026-03-01T10:00:00.000Z';

describe('api/history normalizeHistory', () => {
  it('reads Temporal JSON (string ids, EVENT_TYPE_ prefix, *EventAttributes in camelCase)', () => {
    const [e] = normalizeHistory({
      events: [{
        eventId: '5', eventTime: ISO, eventType: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED',
        workflowTaskCompletedEventAttributes: { scheduledEventId: '3', workerVersion: { buildId: 'b1' } },
      }],
    });
    assert.equal(e.eventId, 5);
    assert.equal(e.idText, '5');
    assert.equal(e.type, 'WORKFLOW_TASK_COMPLETED');
    assert.equal(e.time?.toISOString(), ISO);
    assert.equal(attr(e, 'scheduled_event_id'), '3');
    assert.equal(attr(e, 'worker_version.build_id'), 'b1');
  });

  it('converts PascalCase type names and numeric Temporal ids', () => {
    const events = normalizeHistory({ events: [
      { eventId: 1, eventType: 'WorkflowExecutionStarted' },
      { eventId: 2, eventType: 'WorkflowTaskCompleted' },
      { eventId: 3, eventType: 'EventTypeActivityTaskScheduled' },
      { eventId: 4, eventType: 'StartChildWorkflowExecutionInitiated' },
    ] });
    assert.deepEqual(events.map((e) => e.type), [
      'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_COMPLETED', 'ACTIVITY_TASK_SCHEDULED', 'START_CHILD_WORKFLOW_EXECUTION_INITIATED',
    ]);
    assert.deepEqual(events.map((e) => e.eventId), [1, 2, 3, 4]);
  });

  it('reads the seed snake_case shape, wrapped or as a bare array', () => {
    const ev = { event_id: 7, event_type: 'ACTIVITY_TASK_SCHEDULED', event_time: ISO, attributes: { activity_type: { name: 'charge' } } };
    for (const body of [{ events: [ev] }, [ev], { history: { events: [ev] } }]) {
      const [e] = normalizeHistory(body);
      assert.equal(e.eventId, 7);
      assert.equal(e.type, 'ACTIVITY_TASK_SCHEDULED');
      assert.equal(e.time?.toISOString(), ISO);
      assert.equal(attr(e, 'activity_type.name'), 'charge');
      assert.equal(e.raw, ev);
    }
  });

  it('reads trace events: name as type, string ids, nanos beyond 2^53 as number or string', () => {
    const nanos = JSON.parse('1795000000123456789') as number; // as a wire body delivers it
    assert.ok(nanos > Number.MAX_SAFE_INTEGER);
    const events = normalizeHistory({
      execution_id: 'x',
      events: [
        { type: 'EVENT', name: 'ACTIVITY_TASK_SCHEDULED', id: '9', timestamp_unix_nano: nanos, attributes: { 'activity_type.name': 'ship' } },
        { type: 'EVENT', name: 'WORKFLOW_TASK_COMPLETED', id: '10', timestamp_unix_nano: '1795000000123456789', attributes: {} },
        { type: 'EVENT_PROGRESS', name: 'CUSTOM_TASK_IN_PROGRESS', id: 'ct-1a', timestamp_unix_nano: nanos, attributes: {}, status: 'RUNNING' },
      ],
    });
    assert.equal(events.length, 3);
    assert.equal(events[0].type, 'ACTIVITY_TASK_SCHEDULED');
    assert.equal(events[0].eventId, 9);
    assert.equal(events[0].time?.getTime(), 1795000000123);
    assert.equal(events[1].time?.getTime(), 1795000000123);
    assert.equal(events[1].eventId, 10);
    assert.equal(events[2].eventId, undefined);
    assert.equal(events[2].idText, 'ct-1a');
    assert.equal(attr(events[0], 'activity_type.name'), 'ship');
  });

  it('gives eventId only for safe non-negative integers; idText always', () => {
    const ids: unknown[] = ['12', 12, '1.5', 1.5, -3, '-3', '99999999999999999999', 2 ** 60, 'abc', undefined];
    const events = normalizeHistory(ids.map((id) => ({ id, name: 'TIMER_FIRED' })));
    assert.deepEqual(events.map((e) => e.eventId), [12, 12, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
    assert.deepEqual(events.map((e) => typeof e.idText), ids.map(() => 'string'));
    assert.equal(events[2].idText, '1.5');
    assert.equal(events[9].idText, '');
  });

  it('keeps unknown types and fields, and an order that is not newest first as sent', () => {
    const raw = { event_id: 3, event_type: 'SOMETHING_NEW', extra: { a: 1 }, attributes: { weird: true } };
    const events = normalizeHistory([{ event_id: 1, event_type: 'TIMER_STARTED' }, raw, { event_id: 9, event_type: 'TIMER_FIRED' }]);
    assert.deepEqual(events.map((e) => e.eventId), [1, 3, 9]);
    assert.equal(events[1].type, 'SOMETHING_NEW');
    assert.deepEqual(events[1].attributes, { weird: true });
    assert.equal(events[1].raw, raw);
    assert.deepEqual(describeEvent(events[1]), { kind: 'other' });
  });

  it('puts a history sent newest first (history-reverse) into event order, in every wrapper', () => {
    const newestFirst = [
      { eventId: '4', eventType: 'ActivityTaskStarted', activityTaskStartedEventAttributes: { scheduledEventId: '3' } },
      { eventId: '3', eventType: 'ActivityTaskScheduled', activityTaskScheduledEventAttributes: { activityType: { name: 'charge' } } },
      { eventId: '2', eventType: 'WorkflowTaskCompleted' },
      { eventId: '1', eventType: 'WorkflowExecutionStarted' },
    ];
    for (const body of [newestFirst, { events: newestFirst }, { history: { events: newestFirst }, nextPageToken: null }]) {
      const events = normalizeHistory(body);
      assert.deepEqual(events.map((e) => e.eventId), [1, 2, 3, 4]);
      assert.equal(events[0].raw, newestFirst[3]);
      assert.deepEqual(describeEvents(events).map((d) => d.detail), [undefined, undefined, 'charge', 'charge']);
    }
  });

  it('decides the order from the first and last integer ids, passing over events without one', () => {
    const ids = (list: unknown[]): unknown[] => normalizeHistory(list).map((e) => e.idText);
    assert.deepEqual(ids([{ id: 'ct-1a', name: 'X' }, { id: '9', name: 'X' }, { id: '2', name: 'X' }, { id: 'ct-1b', name: 'X' }]), ['ct-1b', '2', '9', 'ct-1a']);
    assert.deepEqual(ids([{ id: 'ct-1a', name: 'X' }, { id: '2', name: 'X' }, { id: '9', name: 'X' }]), ['ct-1a', '2', '9']);
    assert.deepEqual(ids([{ id: '5', name: 'X' }, { id: 'ct', name: 'X' }, { id: '5', name: 'X' }]), ['5', 'ct', '5']);
    assert.deepEqual(ids([{ id: '7', name: 'X' }, { id: 'ct', name: 'X' }]), ['7', 'ct']);
    assert.deepEqual(ids([{ id: 'b', name: 'X' }, { id: 'a', name: 'X' }]), ['b', 'a']);
  });

  it('skips junk events and types a type-less event UNKNOWN', () => {
    const events = normalizeHistory({ events: [null, 42, 'x', [], { event_id: 4 }, { event_id: 5, event_type: '' }, { event_id: 6, event_type: 7 }] });
    assert.deepEqual(events.map((e) => [e.eventId, e.type]), [[4, 'UNKNOWN'], [5, 'UNKNOWN'], [6, 'UNKNOWN']]);
    assert.deepEqual(events[0].attributes, {});
    assert.equal(events[0].time, undefined);
  });

  it('treats an object without events as empty, and throws HistoryFormatError for non-lists', () => {
    assert.deepEqual(normalizeHistory({}), []);
    assert.deepEqual(normalizeHistory({ events: null }), []);
    for (const body of [null, undefined, 'events', 42, { events: 'nope' }]) {
      assert.throws(() => normalizeHistory(body), HistoryFormatError);
    }
  });

  it('ignores unreadable times', () => {
    const [a, b] = normalizeHistory([{ event_id: 1, event_type: 'X', event_time: 'not a date' }, { id: '2', name: 'X', timestamp_unix_nano: 'abc' }]);
    assert.equal(a.time, undefined);
    assert.equal(b.time, undefined);
  });

  it('normalises and describes 51,200 events, the platform limit (npm run bench measures the speed)', () => {
    const body = { events: Array.from({ length: 51_200 }, (_, i) => ({
      eventId: String(i + 1), eventTime: ISO, eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
      activityTaskScheduledEventAttributes: { activityType: { name: `a${i % 7}` } },
    })) };
    const events = normalizeHistory(body);
    const described = describeEvents(events);
    assert.equal(events.length, 51_200);
    assert.equal(events[51_199].eventId, 51_200);
    assert.equal(events[51_199].type, 'ACTIVITY_TASK_SCHEDULED');
    assert.equal(described[51_199].detail, `a${51_199 % 7}`);
  });

  it('normalised page by page into one list, then put in order once, is normalizeHistory of all the pages', () => {
    const raw = [
      { eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' }, null, { eventType: 'x' },
      { eventId: '4', eventType: 'EVENT_TYPE_TIMER_STARTED', timerStartedEventAttributes: { timerId: 't' } },
      { id: 'progress', name: 'trace' }, { eventId: 6, eventType: 'TimerFired' }, 7,
      { eventId: '8', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED' },
    ];
    const view = (events: WorkflowEvent[]): unknown[] => events.map((e) => [e.idText, e.eventId, e.type, e.attributes]);
    for (const list of [raw, [...raw].reverse()]) {
      const whole = normalizeHistory(list);
      for (let size = 1; size <= list.length; size++) {
        const paged: WorkflowEvent[] = [];
        for (let i = 0; i < list.length; i += size) normalizeEvents(list.slice(i, i + size), paged);
        assert.deepEqual(view(inEventOrder(paged)), view(whole), `pages of ${size}`);
      }
    }
    assert.equal(normalizeHistory([...raw].reverse())[0].idText, '1', 'newest first is turned round once, on the whole list');
  });
});

function ev(eventId: number, type: string, attributes: Record<string, unknown>): WorkflowEvent {
  return { eventId, idText: String(eventId), type, attributes, raw: null };
}

describe('api/enums enumNamer', () => {
  it('gives one name for the full, short, Pascal-with-prefix and bare spellings of a value', () => {
    const cases: [string, string, string[]][] = [
      ['WORKFLOW_TASK_FAILED_CAUSE_', 'RESET_WORKFLOW', ['WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW', 'ResetWorkflow', 'WorkflowTaskFailedCauseResetWorkflow', 'RESET_WORKFLOW']],
      ['EVENT_TYPE_', 'WORKFLOW_TASK_COMPLETED', ['EVENT_TYPE_WORKFLOW_TASK_COMPLETED', 'WorkflowTaskCompleted', 'EventTypeWorkflowTaskCompleted', 'WORKFLOW_TASK_COMPLETED']],
      ['TASK_QUEUE_KIND_', 'NORMAL', ['TASK_QUEUE_KIND_NORMAL', 'Normal', 'TaskQueueKindNormal', 'NORMAL']],
      ['RETRY_STATE_', 'MAXIMUM_ATTEMPTS_REACHED', ['RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED', 'MaximumAttemptsReached', 'RetryStateMaximumAttemptsReached']],
      ['TIMEOUT_TYPE_', 'START_TO_CLOSE', ['TIMEOUT_TYPE_START_TO_CLOSE', 'StartToClose', 'TimeoutTypeStartToClose', 'START_TO_CLOSE']],
    ];
    for (const [prefix, name, spellings] of cases) {
      const namer = enumNamer(prefix);
      for (const value of spellings) assert.equal(namer(value), name, `${prefix} ${value}`);
    }
  });

  it('keeps a value that is only the prefix, and a value of another enum, whole', () => {
    const namer = enumNamer('TIMEOUT_TYPE_');
    assert.equal(namer('TIMEOUT_TYPE_'), 'TIMEOUT_TYPE_');
    assert.equal(namer('RETRY_STATE_TIMEOUT'), 'RETRY_STATE_TIMEOUT');
  });
});

describe('api/history attr', () => {
  const layouts: Record<string, unknown>[] = [
    { activity_type: { name: 'charge' }, failure: { application_failure_info: { type: 'E' } } },
    { activityType: { name: 'charge' }, failure: { applicationFailureInfo: { type: 'E' } } },
    { 'activity_type.name': 'charge', 'failure.application_failure_info.type': 'E' },
  ];
  for (const attributes of layouts) {
    it(`reads dotted snake paths from ${Object.keys(attributes).join(',')}`, () => {
      const e = ev(1, 'ACTIVITY_TASK_FAILED', attributes);
      assert.equal(attr(e, 'activity_type.name'), 'charge');
      assert.equal(attr(e, 'failure.application_failure_info.type'), 'E');
      assert.equal(attr(e, 'missing.path'), undefined);
      assert.equal(attr(e, 'constructor'), undefined);
    });
  }
});

describe('api/history describeEvent(s)', () => {
  it('resolves activity names through scheduled_event_id in one pass', () => {
    const events = [
      ev(1, 'WORKFLOW_EXECUTION_STARTED', { workflow_type: { name: 'order' } }),
      ev(5, 'ACTIVITY_TASK_SCHEDULED', { activity_type: { name: 'charge_card' } }),
      ev(6, 'ACTIVITY_TASK_STARTED', { scheduled_event_id: 5 }),
      ev(7, 'ACTIVITY_TASK_FAILED', { scheduled_event_id: '5', failure: { message: 'card declined\nstack...' } }),
      ev(8, 'TIMER_STARTED', { timer_id: '2' }),
      ev(9, 'WORKFLOW_EXECUTION_SIGNALED', { signal_name: 'approve' }),
      ev(10, 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED', { accepted_request: { input: { name: 'set_limit' } } }),
      ev(11, 'WORKFLOW_EXECUTION_UPDATE_COMPLETED', { accepted_event_id: 10 }),
      ev(12, 'START_CHILD_WORKFLOW_EXECUTION_INITIATED', { workflow_type: { name: 'ship' } }),
      ev(13, 'CHILD_WORKFLOW_EXECUTION_COMPLETED', { initiated_event_id: 12 }),
      ev(14, 'MARKER_RECORDED', { marker_name: 'version' }),
      ev(15, 'WORKFLOW_TASK_FAILED', { cause: 'RESET_WORKFLOW', failure: { message: 'fix deployed' } }),
      ev(16, 'WORKFLOW_EXECUTION_TERMINATED', { reason: 'stuck' }),
      ev(17, 'WORKFLOW_EXECUTION_FAILED', { failure: { message: 'x'.repeat(300) } }),
      ev(18, 'CUSTOM_TASK_STARTED', { name: 'review' }),
    ];
    const d = describeEvents(events);
    assert.deepEqual(d.slice(0, 14).map((x) => [x.kind, x.detail]), [
      ['workflow', 'order'], ['activity', 'charge_card'], ['activity', 'charge_card'], ['activity', 'charge_card: card declined'],
      ['timer', '2'], ['signal', 'approve'], ['update', 'set_limit'], ['update', 'set_limit'], ['child', 'ship'], ['child', 'ship'],
      ['marker', 'version'], ['workflowTask', 'Reset: fix deployed'], ['workflow', 'stuck'], ['workflow', `${'x'.repeat(119)}…`],
    ]);
    assert.deepEqual(d[14], { kind: 'customTask', detail: 'review' });
    // Alone, an activity event without the name shows no name.
    assert.deepEqual(describeEvent(events[2]), { kind: 'activity' });
    assert.ok(isResetMarker(events[11]));
    assert.ok(!isResetMarker(events[1]));
  });

  it('names a reapplied update through its update id, and a signal sent elsewhere through its initiated event', () => {
    // As Temporal writes them: after a reset the ACCEPTED event has only the protocol instance id.
    const events = normalizeHistory({ events: [
      { eventId: '5', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED', workflowExecutionUpdateAdmittedEventAttributes: { request: { meta: { updateId: 'u1' }, input: { name: 'fetch_and_add' } } } },
      { eventId: '9', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED', workflowExecutionUpdateAcceptedEventAttributes: { protocolInstanceId: 'u1', acceptedRequestSequencingEventId: '5' } },
      { eventId: '10', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED', workflowExecutionUpdateAcceptedEventAttributes: { protocolInstanceId: 'u2', acceptedRequest: { meta: { updateId: 'u2' }, input: { name: 'echo' } } } },
      { eventId: '15', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED', workflowExecutionUpdateCompletedEventAttributes: { meta: { updateId: 'u1' }, acceptedEventId: '9' } },
      { eventId: '16', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED', workflowExecutionUpdateCompletedEventAttributes: { acceptedEventId: '9' } },
      { eventId: '17', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED', workflowExecutionUpdateCompletedEventAttributes: { meta: { updateId: 'u2' } } },
      { eventId: '25', eventType: 'SignalExternalWorkflowExecutionInitiated', signalExternalWorkflowExecutionInitiatedEventAttributes: { signalName: 'go' } },
      { eventId: '26', eventType: 'ExternalWorkflowExecutionSignaled', externalWorkflowExecutionSignaledEventAttributes: { initiatedEventId: '25' } },
      { eventId: '27', eventType: 'SignalExternalWorkflowExecutionFailed', signalExternalWorkflowExecutionFailedEventAttributes: { initiatedEventId: '25' } },
    ] });
    assert.deepEqual(describeEvents(events).map((d) => `${d.kind} ${d.detail}`), [
      'update fetch_and_add', 'update fetch_and_add', 'update echo', 'update fetch_and_add', 'update fetch_and_add', 'update echo',
      'signal go', 'signal go', 'signal go',
    ]);
  });

  it('puts a Python exception type before its message, once', () => {
    const typed = (message: string) =>
      describeEvent(ev(7, 'ACTIVITY_TASK_FAILED', {
        activity_type: { name: 'ship_order' },
        failure: { message, application_failure_info: { type: 'KeyError' } },
      })).detail;
    assert.equal(typed("'shipping_address'"), "ship_order: KeyError: 'shipping_address'");
    assert.equal(typed("KeyError: 'shipping_address'"), "ship_order: KeyError: 'shipping_address'");
  });

  it('recognises Temporal enum names for the reset cause', () => {
    const [e] = normalizeHistory({ events: [{
      eventId: '4', eventType: 'EVENT_TYPE_WORKFLOW_TASK_FAILED',
      workflowTaskFailedEventAttributes: { cause: 'WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW', failure: { message: 'why' } },
    }] });
    assert.deepEqual(describeEvent(e), { kind: 'workflowTask', detail: 'Reset: why' });
  });

  it('recognises the reset cause and shows other causes the same in every enum spelling', () => {
    const failed = (cause: string, failure?: { message: string }): WorkflowEvent =>
      normalizeHistory([{ eventId: '4', eventType: 'WorkflowTaskFailed', workflowTaskFailedEventAttributes: { cause, failure } }])[0];
    for (const cause of ['WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW', 'ResetWorkflow', 'WorkflowTaskFailedCauseResetWorkflow', 'RESET_WORKFLOW']) {
      assert.equal(isResetMarker(failed(cause, { message: 'why' })), true, cause);
      assert.deepEqual(describeEvent(failed(cause, { message: 'why' })), { kind: 'workflowTask', detail: 'Reset: why' }, cause);
    }
    for (const cause of ['WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND', 'UnhandledCommand', 'UNHANDLED_COMMAND']) {
      assert.equal(isResetMarker(failed(cause)), false, cause);
      assert.deepEqual(describeEvent(failed(cause)), { kind: 'workflowTask', detail: 'UNHANDLED_COMMAND' }, cause);
    }
    assert.equal(isResetMarker(failed('WorkflowWorkerUnhandledFailure', { message: 'boom' })), false);
  });
});
