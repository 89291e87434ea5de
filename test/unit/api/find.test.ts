/**
 * Find in History (src/api/findInHistory.ts): the query forms, what an event is matched against (on
 * every real history, by rules read from the raw files), the steps a match selects, and a search over
 * the sandbox's 51,200-event history: slices, yields, and a cancel half way.
 */
import * as assert from 'node:assert/strict';
import {
  describeEvents, findEvents, groupSteps, HistoryQuery, HistoryStep, isStep, matchSummary, normalizeHistory, parseQuery, stepsMatching,
} from '../../../src/api';
import { BIG_EVENT_COUNT, bigHistory } from '../helpers/bigHistory';
import { get, isJson, rawAttrs, rawType, REAL_FILES } from '../../helpers/realHistoryReader';
import { loadReal } from '../helpers/realHistories';

function query(text: string): HistoryQuery {
  const parsed = parseQuery(text);
  assert.ok(parsed.ok, `${text} parses`);
  return parsed.query;
}

function errorOf(text: string): string {
  const parsed = parseQuery(text);
  assert.ok(!parsed.ok, `${text} is refused`);
  return parsed.error;
}

describe('api/findInHistory parseQuery', () => {
  it('reads plain text as a case-insensitive substring, special characters and all', () => {
    const q = query('  Card (Declined).  ');
    assert.equal(q.kind, 'text');
    assert.ok(q.pattern.test('error: card (declined). retry'));
    assert.ok(!q.pattern.test('card Xdeclined).'));
    assert.ok(query('a.b').pattern.test('A.B') && !query('a.b').pattern.test('axb'));
    assert.ok(query('/').pattern.test('a/b'), 'a lone slash is text');
  });

  it('reads /regex/flags as a regular expression, case-sensitive unless i', () => {
    const q = query('/charge_\\w+ (failed|timed out)/');
    assert.deepEqual([q.kind, q.kind === 'regex' && q.source], ['regex', 'charge_\\w+ (failed|timed out)']);
    assert.ok(q.pattern.test('activity charge_card failed') && !q.pattern.test('Charge_card failed'));
    assert.ok(query('/CHARGE/i').pattern.test('charge'));
    const g = query('/a/gy');
    assert.equal(g.pattern.flags, '', 'g and y would make test() stateful: dropped');
    assert.ok(g.pattern.test('a') && g.pattern.test('a'));
  });

  it('names the problem with a bad regex instead of throwing', () => {
    assert.match(errorOf('/(unclosed/'), /^\/\(unclosed\/ is not a valid regular expression: unterminated group\.$/);
    assert.match(errorOf('/a{2,1}/'), /numbers out of order/);
    assert.match(errorOf('/a/uv'), /not a valid regular expression: invalid flags/i);
    assert.match(errorOf('/usr/bin'), /unknown flags "bn".*search for \/\\\/usr\\\/bin\//);
    assert.match(errorOf('//'), /empty regular expression/);
    assert.match(errorOf('   '), /Type something to find/);
    for (const nasty of ['/[/', '/\\/', '/(?<n>a)(?<n>b)/', '/*/', '/a/ii', '/\\p{Nope}/u', '/(?<=/']) {
      assert.doesNotThrow(() => parseQuery(nasty), nasty);
    }
  });
});

describe('api/findInHistory matchSummary', () => {
  it('counts as the view shows it', () => {
    assert.equal(matchSummary(37, 51_200, 'event'), '37 of 51,200 events match');
    assert.equal(matchSummary(1, 1_234_567, 'step'), '1 of 1,234,567 steps matches');
    assert.equal(matchSummary(0, 1, 'event'), '0 of 1 event match');
  });
});

/** Every JSON payload in a raw value, decoded apart from the code under test. */
function rawPayloads(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) rawPayloads(v, out);
  else if (isJson(value)) {
    const encoding = get(value, 'metadata.encoding');
    if (typeof encoding === 'string') {
      const kind = Buffer.from(encoding, 'base64').toString('utf8');
      if (kind.startsWith('json/') && typeof value.data === 'string') out.push(JSON.parse(Buffer.from(value.data, 'base64').toString('utf8')));
    } else {
      for (const v of Object.values(value)) rawPayloads(v, out);
    }
  }
  return out;
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (isJson(value)) for (const v of Object.values(value)) strings(v, out);
  return out;
}

const totals = { payloadStrings: 0, failures: 0, types: 0, stepNames: 0 };

describe('api/findInHistory findEvents on the real histories', () => {
  for (const file of REAL_FILES) {
    it(`${file}: finds each event by its type, failure message, decoded payload text and step name`, async () => {
      const { raws, events } = loadReal(file);
      const described = describeEvents(events);
      const find = async (text: string): Promise<Set<number>> => new Set((await findEvents(events, described, query(text))).indexes);
      for (const type of new Set(raws.map(rawType))) {
        const found = await find(type);
        raws.forEach((r, i) => rawType(r) === type && assert.ok(found.has(i), `${type} finds event ${String(r.eventId)}`));
        totals.types++;
      }
      // Each distinct text is searched once, for every event expected to match it.
      const expect = new Map<string, number[]>();
      const want = (text: string, i: number): void => void expect.set(text, [...(expect.get(text) ?? []), i]);
      for (let i = 0; i < raws.length; i++) {
        const a = rawAttrs(raws[i]);
        const message = get(a, 'failure.message');
        if (typeof message === 'string' && message !== '') {
          want(message.slice(0, 60), i);
          totals.failures++;
        }
        for (const text of strings(rawPayloads(a)).filter((s) => s.trim().length >= 3).slice(0, 3)) {
          want(text, i);
          totals.payloadStrings++;
        }
      }
      for (const [text, indexes] of expect) {
        const found = await find(text);
        for (const i of indexes) assert.ok(found.has(i), `"${text}" (a failure message or decoded payload text) finds event ${String(raws[i].eventId)}`);
      }
      // Steps: a step matches when any of its events does, so searching a step's name finds the step
      // (a search attribute upsert is named by its keys, and keys are not matched).
      const g = groupSteps(events);
      const byName = new Map<string, HistoryStep[]>();
      for (const step of g.entries.filter(isStep)) {
        if (step.name !== undefined && step.kind !== 'searchAttributes') byName.set(step.name, [...(byName.get(step.name) ?? []), step]);
      }
      for (const [name, named] of byName) {
        const matches = await findEvents(events, described, query(name));
        const selected = stepsMatching(g, matches);
        for (const step of named) assert.ok(selected.entries.includes(step), `"${name}" selects its step at event ${step.firstEventId}`);
        assert.equal(selected.stepCount, selected.entries.filter(isStep).length);
        const owners = new Set(matches.indexes.map((i) => g.ownerOf(i)).flatMap((o) => (o && o.kind !== 'workflowTask' ? [o.entryIndex] : [])));
        assert.deepEqual(selected.entries, [...owners].sort((x, y) => x - y).map((k) => g.entries[k]));
        totals.stepNames += named.length;
      }
    });
  }

  it('matches decoded payloads, not their base64 text (http-response-terminated.pascal.ui.json)', async () => {
    const { events } = loadReal('http-response-terminated.pascal.ui.json');
    const described = describeEvents(events);
    const decoded = await findEvents(events, described, query('signalValue'));
    assert.deepEqual(decoded.indexes.map((i) => events[i].type), ['WORKFLOW_EXECUTION_SIGNALED', 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED']);
    assert.equal((await findEvents(events, described, query('InNpZ25hbFZhbHVlIg'))).indexes.length, 0);
  });

  it('exercised every rule on real data', () => {
    for (const [what, n] of Object.entries(totals)) assert.ok(n > 0, `${what}: ${n}`);
  });
});

describe('api/findInHistory findEvents on synthetic events', () => {
  const json = (value: unknown): Record<string, unknown> => ({
    metadata: { encoding: Buffer.from('json/plain').toString('base64') },
    data: Buffer.from(JSON.stringify(value)).toString('base64'),
  });
  const events = normalizeHistory([
    { event_id: 1, event_type: 'ACTIVITY_TASK_SCHEDULED', attributes: { activity_type: { name: 'charge_card' }, input: { payloads: [json({ order: 'A-77', amount: 1299 })] } } },
    { event_id: 2, event_type: 'ACTIVITY_TASK_FAILED', attributes: { scheduled_event_id: 1, failure: { message: "'shipping_address'", application_failure_info: { type: 'KeyError', details: { payloads: [json(['Card Declined'])] } } } } },
    { event_id: 3, event_type: 'WORKFLOW_EXECUTION_SIGNALED', attributes: { signal_name: 'approve', input: { payloads: [{ metadata: { encoding: Buffer.from('binary/protobuf').toString('base64') }, data: Buffer.from('secret A-77').toString('base64') }] } } },
    { event_id: 4, event_type: 'WORKFLOW_EXECUTION_TERMINATED', attributes: { reason: 'Stuck on A-77', details: null, flag: true } },
  ]);
  const described = describeEvents(events);
  const found = async (text: string): Promise<number[]> => (await findEvents(events, described, query(text))).indexes.map((i) => i + 1);

  it('matches attribute values at any depth, decoded payloads, reasons and numbers', async () => {
    assert.deepEqual(await found('a-77'), [1, 4], 'the JSON payload and the reason; not the binary payload');
    assert.deepEqual(await found('card declined'), [2]);
    assert.deepEqual(await found('1299'), [1]);
    assert.deepEqual(await found('/^KeyError$/'), [2]);
  });

  it('matches the event type, as written or as words, and the step name describe gives', async () => {
    assert.deepEqual(await found('activity task failed'), [2]);
    assert.deepEqual(await found('/_SIGNALED$/'), [3]);
    assert.deepEqual(await found('charge_card'), [1, 2], 'event 2 carries no name: describe resolves it');
    assert.deepEqual(await findEvents(events, described.map((d) => d.detail), query('charge_card')).then((m) => m.indexes), [0, 1], 'details as the tree keeps them');
  });

  it('matches neither keys nor booleans, and answers no match with an empty list', async () => {
    assert.deepEqual(await found('signal_name'), []);
    assert.deepEqual(await found('true'), []);
    assert.deepEqual(await findEvents([], [], query('x')), { indexes: [], searched: 0, total: 0, aborted: false });
  });
});

describe('api/findInHistory on the sandbox’s 51,200-event history', () => {
  const events = bigHistory();
  const described = describeEvents(events);

  it('finds a common word, a regex and nothing, each over every event', async () => {
    const common = await findEvents(events, described, query('embed_chunks'));
    assert.deepEqual([common.indexes.length, common.searched, common.aborted], [3 * 8531, BIG_EVENT_COUNT, false]);
    const signals = await findEvents(events, described, query('/^progress_report_requested$/'));
    assert.equal(signals.indexes.length, 6);
    assert.equal((await findEvents(events, described, query('doc_bulk_2026_archive'))).indexes.length, 1 + 8531 + 1, 'the inputs and the result');
    const none = await findEvents(events, described, query('no such thing anywhere'));
    assert.deepEqual([none.indexes, none.searched], [[], BIG_EVENT_COUNT]);
    assert.equal(matchSummary(none.indexes.length, none.total, 'event'), '0 of 51,200 events match');
    const g = groupSteps(events);
    const steps = stepsMatching(g, common);
    assert.deepEqual([steps.stepCount, steps.entries.length, steps.inWorkflowTasks], [8531, 8531, 0]);
  });

  it('works in slices and yields to the event loop between them', async () => {
    let ticks = 0;
    let ticking = true;
    const tick = (): void => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const progress: number[] = [];
    await findEvents(events, described, query('zzz'), { sliceSize: 2000, onProgress: (n) => progress.push(n) });
    ticking = false;
    assert.equal(progress.length, Math.ceil(BIG_EVENT_COUNT / 2000));
    assert.deepEqual(progress.slice(0, 2), [2000, 4000]);
    assert.equal(progress.at(-1), BIG_EVENT_COUNT);
    assert.ok(ticks >= progress.length - 1, `other work ran between the slices (${ticks} turns)`);
  });

  it('stops when cancelled half way, with what it found so far', async () => {
    const full = await findEvents(events, described, query('embed_chunks'));
    const controller = new AbortController();
    const half = await findEvents(events, described, query('embed_chunks'), {
      signal: controller.signal,
      sliceSize: 2000,
      onProgress: (n) => n >= BIG_EVENT_COUNT / 2 && controller.abort(),
    });
    assert.deepEqual([half.aborted, half.searched, half.total], [true, 26_000, BIG_EVENT_COUNT]);
    assert.deepEqual(half.indexes, full.indexes.filter((i) => i < 26_000));
    const before = new AbortController();
    before.abort();
    assert.deepEqual(await findEvents(events, described, query('embed_chunks'), { signal: before.signal }), { indexes: [], searched: 0, total: BIG_EVENT_COUNT, aborted: true });
  });
});
