import * as assert from 'node:assert/strict';
import { normalizeHistory, resetPointBefore } from '../../src/api';
import { REASON_PLACEHOLDER } from '../../src/api/resetCode';
import { curlSnippet, pythonSnippet } from '../../src/api/mistral/resetCode';

const history = normalizeHistory({
  events: [
    { event_id: 1, event_type: 'WORKFLOW_EXECUTION_STARTED', attributes: {} },
    { event_id: 2, event_type: 'WORKFLOW_TASK_SCHEDULED', attributes: {} },
    { event_id: 3, event_type: 'WORKFLOW_TASK_STARTED', attributes: {} },
    { event_id: 4, event_type: 'WORKFLOW_TASK_COMPLETED', attributes: {} },
    { event_id: 5, event_type: 'ACTIVITY_TASK_SCHEDULED', attributes: { activity_type: { name: 'charge' }, workflow_task_completed_event_id: 4 } },
    { event_id: 6, event_type: 'TIMER_STARTED', attributes: { timer_id: 't1' } },
    { event_id: 7, event_type: 'ACTIVITY_TASK_STARTED', attributes: { scheduled_event_id: 5 } },
    { event_id: 8, event_type: 'ACTIVITY_TASK_COMPLETED', attributes: { scheduled_event_id: 5 } },
    { event_id: 9, event_type: 'WORKFLOW_TASK_COMPLETED', attributes: {} },
    { event_id: 10, event_type: 'WORKFLOW_EXECUTION_SIGNALED', attributes: { signal_name: 'approve' } },
    { event_id: 11, event_type: 'TIMER_FIRED', attributes: { timer_id: 't1', started_event_id: 6 } },
    { event_id: 12, event_type: 'ACTIVITY_TASK_SCHEDULED', attributes: { activity_type: { name: 'ship' } } },
    { event_id: 13, event_type: 'ACTIVITY_TASK_FAILED', attributes: { scheduled_event_id: 12 } },
  ],
});
const at = (id: number): number => history.findIndex((e) => e.eventId === id);

describe('Reset to before this step (pure)', () => {
  it('follows a step back to the workflow task that decided it', () => {
    const found = resetPointBefore(history, at(8));
    assert.equal(found?.point.eventId, 4);
    assert.equal(found?.stepStart.eventId, 5);
    assert.match(found?.why ?? '', /event 4 is the completed workflow task that decided this step \(event 5\)/);
  });

  it('otherwise takes the last completed workflow task before the step began', () => {
    assert.equal(resetPointBefore(history, at(11))?.point.eventId, 4, 'a timer fired after event 9 began at event 6');
    assert.equal(resetPointBefore(history, at(10))?.point.eventId, 9, 'a signal');
    const failed = resetPointBefore(history, at(13));
    assert.equal(failed?.point.eventId, 9);
    assert.match(failed?.why ?? '', /last completed workflow task before this step \(event 12\)/);
  });

  it('follows a signal sent to another workflow back to its INITIATED event', () => {
    const sent = normalizeHistory([
      { event_id: 4, event_type: 'WORKFLOW_TASK_COMPLETED', attributes: {} },
      { event_id: 5, event_type: 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED', attributes: { signal_name: 'go', workflow_task_completed_event_id: 4 } },
      { event_id: 6, event_type: 'WORKFLOW_TASK_COMPLETED', attributes: {} },
      { event_id: 7, event_type: 'EXTERNAL_WORKFLOW_EXECUTION_SIGNALED', attributes: { initiated_event_id: 5 } },
    ]);
    const found = resetPointBefore(sent, 3);
    assert.equal(found?.stepStart.eventId, 5);
    assert.equal(found?.point.eventId, 4);
  });

  it('offers nothing for events that are not steps, or steps before any workflow task', () => {
    assert.equal(resetPointBefore(history, at(4)), undefined);
    const early = normalizeHistory([{ event_id: 1, event_type: 'WORKFLOW_EXECUTION_SIGNALED', attributes: {} }]);
    assert.equal(resetPointBefore(early, 0), undefined);
  });
});

describe('Copy reset as code (pure)', () => {
  it('writes the Python SDK call, with the key from the environment', () => {
    const code = pythonSnippet({ baseUrl: 'https://api.mistral.ai/', executionId: 'exec-1', eventId: 16, reason: 'fix "quotes"\n' });
    assert.match(code, /client = Mistral\(api_key=os\.environ\["MISTRAL_API_KEY"\]\)/);
    assert.match(code, /reset_workflow\(\n {4}execution_id="exec-1",\n {4}event_id=16,\n {4}reason="fix \\"quotes\\"\\n",\n {4}exclude_signals=False,\n {4}exclude_updates=False,\n\)/);
    assert.match(pythonSnippet({ baseUrl: 'http://127.0.0.1:8787', executionId: 'e', eventId: 1 }), /server_url="http:\/\/127\.0\.0\.1:8787"/);
    assert.ok(pythonSnippet({ baseUrl: 'https://api.mistral.ai', executionId: 'e', eventId: 1 }).includes(JSON.stringify(REASON_PLACEHOLDER)));
  });

  it('writes a curl command whose quoting survives any reason and id', () => {
    const code = curlSnippet({ baseUrl: 'https://api.eu.mistral.ai', executionId: 'a/b c', eventId: 4, reason: "it's $HOME", excludeSignals: true });
    assert.ok(code.startsWith("curl -X POST 'https://api.eu.mistral.ai/v1/workflows/executions/a%2Fb%20c/reset' \\\n"));
    assert.ok(code.includes('-H "Authorization: Bearer $MISTRAL_API_KEY"'));
    assert.ok(code.includes(`--data '{"event_id":4,"reason":"it'\\''s $HOME","exclude_signals":true,"exclude_updates":false}'`));
  });
});
