import * as assert from 'node:assert/strict';
import { analyzeReset, normalizeHistory } from '../../src/api';
import { inertLinks } from '../../src/common/notificationText';
import { oneLine } from '../../src/common/text';
import { baseUrlProblem, envKeyOriginAllowed, parseWorkspaces } from '../../src/config/workspaceList';
import { confirmationDetail, confirmationMessage, validateReason, workspaceChangedMessage, workspaceLine } from '../../src/reset/summary';
import { describeFilter, isFiltered, parseFilter } from '../../src/tree/filter';
import { escapeMarkdownText, eventLabel, formatDuration, keyAttributes, moreLabel, relativeTime } from '../../src/tree/labels';
import { notificationLinks } from '../helpers/notificationLinks';

describe('extension wording and settings (pure)', () => {
  it('validates reset reasons: required, trimmed, at most 1024 characters', () => {
    assert.match(validateReason('') ?? '', /required/);
    assert.match(validateReason('  \n ') ?? '', /required/);
    assert.equal(validateReason(' fixed '), undefined);
    assert.equal(validateReason('x'.repeat(1024)), undefined);
    assert.match(validateReason('x'.repeat(1025)) ?? '', /1025 characters long; the limit is 1024/);
    assert.equal(validateReason(`  ${'x'.repeat(1024)}  `), undefined, 'surrounding spaces do not count');
  });

  it('says what a reset discards, re-runs and re-applies', () => {
    const events = normalizeHistory({
      events: [
        { event_id: 1, event_type: 'WORKFLOW_EXECUTION_STARTED', attributes: {} },
        { event_id: 2, event_type: 'WORKFLOW_TASK_COMPLETED', attributes: {} },
        { event_id: 3, event_type: 'ACTIVITY_TASK_SCHEDULED', attributes: { activity_type: { name: 'charge_card' } } },
        { event_id: 4, event_type: 'WORKFLOW_EXECUTION_SIGNALED', attributes: { signal_name: 'approve' } },
        { event_id: 5, event_type: 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED', attributes: { accepted_request: { input: { name: 'set_address' } } } },
      ],
    });
    const impact = analyzeReset(events, 2);
    const detail = confirmationDetail({ executionId: 'exec-1', workflowName: 'orders', runId: 'run-1' }, impact, {
      reason: 'fix\nshipped',
      excludeSignals: true,
      excludeUpdates: false,
    }, { name: 'prod-eu', kind: 'mistral', baseUrl: 'https://api.mistral.ai', production: true });
    assert.match(detail, /^Workspace: “prod-eu” \(Mistral, https:\/\/api\.mistral\.ai\) — PRODUCTION$/m, 'the workspace it goes to, first');
    assert.match(detail, /Execution: orders \(exec-1\)/);
    assert.match(detail, /current run run-1 will be terminated/);
    assert.match(detail, /Discarded: 3 events after event 2/);
    assert.match(detail, /Activities that will run again: charge_card/);
    assert.match(detail, /Signals after this point: 1 \(approve\) — will be EXCLUDED/);
    assert.match(detail, /Updates after this point: 1 \(set_address\) — will be re-applied/);
    assert.match(detail, /Reason: fix shipped/);
  });

  it('names the workspace a reset goes to, and why it stopped when the connection moved on', () => {
    const point = normalizeHistory({ events: [{ event_id: 2, event_type: 'WORKFLOW_TASK_COMPLETED', attributes: {} }] })[0];
    const dev = { name: 'dev', kind: 'temporal' as const, baseUrl: 'http://127.0.0.1:7243', production: false, namespace: 'orders' };
    const prod = { name: 'prod', kind: 'mistral' as const, baseUrl: 'https://api.mistral.ai', production: true };
    assert.match(confirmationMessage('orders', point, dev), /^Reset “orders” to event 2\? The current run in the workspace “dev” will be terminated/);
    assert.equal(workspaceLine(dev), 'Workspace: “dev” (Temporal cluster, namespace orders, http://127.0.0.1:7243)');
    assert.equal(
      workspaceChangedMessage(prod, dev, 'the reset of exec-1'),
      'The active workspace changed from “prod” to “dev” before the reset of exec-1 was sent. Nothing was sent: a reset goes only to the workspace it was started in. Switch back to “prod” to reset there.',
    );
    assert.match(workspaceChangedMessage(prod, { ...prod, baseUrl: 'https://other.example' }, 'the batch reset'), /^The connection to the workspace “prod” changed .* before the batch reset was sent\. Nothing was sent/);
  });

  it('keeps only well-formed workspaces and refuses to send keys over plain HTTP off loopback', () => {
    assert.deepEqual(parseWorkspaces([{ name: ' dev ', baseUrl: 'https://api.mistral.ai' }, { name: 'dev', baseUrl: 'x' }, 7, { baseUrl: 'y' }]), [
      { name: 'dev', kind: 'mistral', baseUrl: 'https://api.mistral.ai', production: false },
    ]);
    assert.deepEqual(
      parseWorkspaces([
        { name: 'local', kind: 'temporal', baseUrl: 'http://127.0.0.1:7243' },
        { name: 'cluster', kind: 'temporal', baseUrl: 'https://t.example', namespace: ' orders ', clientCertFile: '/c.pem', clientKeyFile: '/k.pem' },
        { name: 'other', kind: 'gcp', baseUrl: 'https://api.mistral.ai' },
      ]),
      [
        { name: 'local', kind: 'temporal', baseUrl: 'http://127.0.0.1:7243', production: false, namespace: 'default' },
        { name: 'cluster', kind: 'temporal', baseUrl: 'https://t.example', production: false, namespace: 'orders', clientCertFile: '/c.pem', clientKeyFile: '/k.pem' },
        { name: 'other', kind: 'mistral', baseUrl: 'https://api.mistral.ai', production: false },
      ],
      'a Temporal entry keeps its namespace (default "default") and mTLS file paths; an unknown kind is Mistral',
    );
    assert.deepEqual(parseWorkspaces('nope'), []);
    assert.equal(baseUrlProblem('https://api.eu.mistral.ai'), undefined);
    assert.equal(baseUrlProblem('http://127.0.0.1:8787'), undefined);
    assert.equal(baseUrlProblem('http://localhost:8787'), undefined);
    assert.match(baseUrlProblem('http://api.example.com') ?? '', /plain HTTP/);
    assert.match(baseUrlProblem('ftp://x') ?? '', /https/);
    assert.match(baseUrlProblem('not a url') ?? '', /not a valid URL/);
    assert.match(baseUrlProblem('https://user:pw@api.mistral.ai') ?? '', /user name or password/);
  });

  it('server text in a notification makes no link, and reads the same', () => {
    const hostile = [
      '[x](command:workbench.action.quit)',
      '[Open](https://evil.example/x "title")',
      '[f](file:///etc/passwd)',
      'a[b](command:x)c',
      'order-[1](command:a)](command:b)',
    ];
    for (const text of hostile) {
      assert.ok(notificationLinks(text).length > 0, `VS Code would make a link of ${text}`);
      const message = inertLinks(`Execution ${text} has already completed.`);
      assert.deepEqual(notificationLinks(message), [], message);
      assert.equal(message.replace(/\u200b/g, ''), `Execution ${text} has already completed.`);
      assert.equal(inertLinks(message), message, 'escaping twice changes nothing');
    }
    assert.equal(inertLinks('order-42 (COMPLETED) [draft]'), 'order-42 (COMPLETED) [draft]', 'text without `](` is untouched');
  });

  it('MISTRAL_API_KEY from the environment or .env goes by itself only to Mistral’s API and this machine', () => {
    for (const origin of ['https://api.mistral.ai', 'http://127.0.0.1:8787', 'http://localhost:8787', 'https://localhost', 'http://[::1]:8787', 'http://127.0.0.2:1']) {
      assert.equal(envKeyOriginAllowed(origin), true, origin);
    }
    for (const origin of ['https://api.eu.mistral.ai', 'https://api.mistral.ai.evil.example', 'http://api.mistral.ai', 'https://workflows.example.com', 'https://localhost.evil.example', 'https://127.evil.example', 'https://127.0.0.1.evil.example']) {
      assert.equal(envKeyOriginAllowed(origin), false, origin);
    }
  });

  it('a name that starts with “127.” is not this machine: no plain HTTP with a key', () => {
    assert.equal(baseUrlProblem('http://127.0.0.1:8787'), undefined);
    assert.equal(baseUrlProblem('http://127.1.2.3:8787'), undefined);
    for (const url of ['http://127.evil.example', 'http://127.0.0.1.evil.example:8787', 'http://127.0.0.1.nip.io']) {
      assert.match(baseUrlProblem(url) ?? '', /plain HTTP/, url);
    }
  });

  it('refuses a base URL with a control character, which URL parsing would silently drop', () => {
    for (const [url, code, at] of [
      ['https://api.mistral.ai/\nimport os', '000A', 24],
      ['https://api.mistral.ai\t/v1', '0009', 23],
      ['https://api\r.mistral.ai', '000D', 12],
      ['https://api.mistral.ai/\u0000', '0000', 24],
      ['https://api.mistral.ai/\u007f', '007F', 24],
      ['https://api.mistral.ai/\u0085', '0085', 24],
    ] as const) {
      assert.ok(new URL(url).href.startsWith('https://'), 'the URL parser takes it');
      assert.equal(baseUrlProblem(url), `The base URL contains a control character (U+${code} at position ${at}): remove it from the setting.`, JSON.stringify(url));
    }
  });

  it('describes filters and reads stored ones defensively', () => {
    assert.equal(isFiltered({ statuses: [] }), false);
    assert.equal(describeFilter({ statuses: ['FAILED', 'RUNNING'], workflow: 'orders', search: 'acme' }), 'FAILED, RUNNING · workflow: orders · “acme”');
    assert.deepEqual(parseFilter({ statuses: ['FAILED', 3], workflow: '  ', search: ' x ' }), { statuses: ['FAILED'], workflow: undefined, search: 'x' });
    assert.deepEqual(parseFilter(null), { statuses: [] });
  });

  it('formats labels, times and durations', () => {
    const [event] = normalizeHistory([{ event_id: 12, event_type: 'WORKFLOW_TASK_COMPLETED' }]);
    assert.equal(eventLabel(event), '12 WORKFLOW_TASK_COMPLETED');
    const now = Date.parse('2026-11-24T12:00:00Z');
    assert.equal(relativeTime(new Date(now - 5 * 60_000), now), '5 minutes ago');
    assert.equal(relativeTime(new Date(now - 26 * 3600_000), now), 'yesterday');
    assert.equal(formatDuration(250), '250 ms');
    assert.equal(formatDuration(3400), '3.4 s');
    assert.equal(formatDuration(3_725_000), '1h 02m');
    assert.equal(oneLine('a\n  b', 10), 'a b');
    assert.equal(oneLine('x'.repeat(20), 10), `${'x'.repeat(9)}…`);
    assert.deepEqual(keyAttributes({ activity_type: { name: 'charge' }, attempt: 2, input: null }), [
      ['activity_type.name', 'charge'],
      ['attempt', '2'],
    ]);
  });

  it('says on the Load more row whether the rest is counted, still arriving, or on the server', () => {
    assert.equal(moreLabel(500, 1234, 'complete', 500), 'Load 500 more (500 of 1,234 events)');
    assert.equal(moreLabel(1000, 1234, 'complete', 500), 'Load 234 more (1,000 of 1,234 events)');
    assert.equal(moreLabel(500, 700, 'arriving', 500), 'Load 500 more (500 shown, more arriving…)');
    assert.equal(moreLabel(256, 256, 'paused', 500), 'Load more (256 events shown, more on the server)');
    assert.equal(moreLabel(1280, 1280, 'paused', 500), 'Load more (1,280 events shown, more on the server)');
    assert.equal(moreLabel(500, 1030, 'paused', 500), 'Load 500 more (500 shown, more on the server)', 'a server page larger than ours');
  });

  it('escapes server text so no Markdown link, command URI or HTML can form in a tooltip', () => {
    const escaped = escapeMarkdownText('[x](command:workbench.action.terminal.new) <img src=x> **b** a&b\nnext');
    assert.equal(escaped, '\\[x\\]\\(command\\:workbench\\.action\\.terminal\\.new\\) &lt;img src=x&gt; \\*\\*b\\*\\* a&amp;b next');
    assert.ok(!/(?<!\\)[[\]()<>*]/.test(escaped.replace(/&(lt|gt|amp);/g, '')), 'every syntax character is escaped');
  });
});
