/**
 * What a long session keeps: the read-only documents (events, replay reports, run diffs, call stacks)
 * and the replay checks are kept for the most recently used only, by count and by size. The documents
 * are the real EventDocuments over the bench's fake `vscode`, whose openTextDocument asks the provider
 * for the text as VS Code does.
 */
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createFakeVscode, installFakeVscode } from '../../bench/fakeVscode';
import { normalizeHistory, type WorkflowEvent } from '../../src/api';
import { BoundedMap } from '../../src/common/boundedMap';
import { CheckedRuns, MAX_CHECKED_EVENTS, MAX_CHECKS, type CheckedRun } from '../../src/replay';

type DocumentsModule = typeof import('../../src/tree/eventDocuments');
interface FakeUri {
  path: string;
  toString(): string;
}
interface Provider {
  provideTextDocumentContent(uri: FakeUri): string;
  onDidChange?: (listener: (uri: FakeUri) => void) => unknown;
}

describe('bounded stores: BoundedMap', () => {
  it('keeps the most recently used entries, by count and by weight, and always the ones just set', () => {
    const map = new BoundedMap<string, string>({ maxEntries: 3, maxWeight: 10, weigh: (v) => v.length });
    for (const k of ['a', 'b', 'c']) map.set(k, 'xx');
    assert.equal(map.get('a'), 'xx'); // a is now the most recent
    map.set('d', 'xx');
    assert.deepEqual(['a', 'b', 'c', 'd'].map((k) => map.has(k)), [true, false, true, true], 'b, the least recently used, went');
    map.set('e', 'x'.repeat(9));
    assert.deepEqual(['a', 'c', 'd', 'e'].map((k) => map.has(k)), [false, false, false, true], 'by weight, down to the one just set');
    map.setAll([['f', 'x'.repeat(8)], ['g', 'x'.repeat(8)]]);
    assert.deepEqual(['e', 'f', 'g'].map((k) => map.has(k)), [false, true, true], 'both set together are kept, over the weight');
    map.set('h', 'x');
    assert.deepEqual(['f', 'g', 'h'].map((k) => map.has(k)), [false, true, true]);
    assert.equal(map.size, 2);
  });
});

describe('bounded stores: the replay checks', () => {
  const events = (n: number): WorkflowEvent[] =>
    normalizeHistory({ events: Array.from({ length: n }, (_, i) => ({ eventId: String(i + 1), eventType: 'EVENT_TYPE_TIMER_STARTED' })) });
  const check = (executionId: string, history: readonly WorkflowEvent[]): CheckedRun => ({
    executionId, runId: 'r', workflowName: 'w', result: { outcome: 'clean', replayedEvents: history.length },
    interpreter: { command: 'python3', source: 'path', description: 'python3' }, dirs: [], checkedAt: new Date(0), events: history,
  });

  it(`keeps the latest ${MAX_CHECKS} checks; one read by the tree stays`, () => {
    const checks = new CheckedRuns();
    const small = events(3);
    for (let i = 0; i < MAX_CHECKS; i++) checks.set(check(`e${i}`, small));
    assert.ok(checks.get('e0', 'r'), 'e0 read again: now the most recent');
    checks.set(check('new', small));
    assert.ok(checks.get('e0', 'r'));
    assert.equal(checks.get('e1', 'r'), undefined, 'e1, the least recently used, was let go');
    assert.ok(checks.get('new', 'r'));
  });

  it(`keeps at most ${MAX_CHECKED_EVENTS.toLocaleString('en')} events of histories across checks, and always the latest`, () => {
    const checks = new CheckedRuns();
    const big = events(51_200);
    for (let i = 0; i < 4; i++) checks.set(check(`big${i}`, big));
    assert.equal(checks.get('big0', 'r'), undefined, 'four of 51,200 events are more than the bound: the oldest went');
    assert.ok(checks.get('big3', 'r') && checks.get('big1', 'r'));
    const huge = events(MAX_CHECKED_EVENTS + 1);
    checks.set(check('huge', huge));
    assert.ok(checks.get('huge', 'r'), 'the latest check is kept, however long its history');
    assert.equal(checks.get('big3', 'r'), undefined);
  });
});

describe('bounded stores: the read-only documents', () => {
  let uninstall: (() => void) | undefined;
  let docs: DocumentsModule;
  let provider: Provider | undefined;
  /** The text VS Code got for each document it opened, in order. */
  const opened: { path: string; text: string }[] = [];

  before(() => {
    const fake = createFakeVscode({ commands: 0, treeViews: 0 });
    const read = (uri: FakeUri): { uri: FakeUri; getText: () => string } => {
      const text = provider?.provideTextDocumentContent(uri) ?? '';
      opened.push({ path: uri.path, text });
      return { uri, getText: () => text };
    };
    const workspace = fake.workspace as Record<string, unknown>;
    workspace.registerTextDocumentContentProvider = (_scheme: string, p: Provider) => {
      provider = p;
      return { dispose: () => undefined };
    };
    workspace.openTextDocument = (uri: FakeUri) => Promise.resolve(read(uri));
    fake.languages = { setTextDocumentLanguage: (doc: unknown) => Promise.resolve(doc) };
    (fake.window as Record<string, unknown>).showTextDocument = (doc: unknown) => Promise.resolve({ document: doc });
    fake.commands = {
      executeCommand: (command: string, left: FakeUri, right: FakeUri) => {
        assert.equal(command, 'vscode.diff');
        read(left);
        read(right);
        return Promise.resolve();
      },
    };
    uninstall = installFakeVscode(fake);
    docs = createRequire(__filename)('../../src/tree/eventDocuments') as DocumentsModule;
  });
  after(() => uninstall?.());
  beforeEach(() => (opened.length = 0));

  const uriOf = (path: string): FakeUri => ({ path, toString: () => `${docs.EVENT_SCHEME}:${path}` });

  it('keeps the most recently used (MAX_DOCUMENTS); one let go says what it was and how to open it again', async () => {
    const documents = new docs.EventDocuments();
    try {
      await documents.showText('/replay/e0/e0-replay-check.md', '# report 0', 'markdown');
      await documents.showText('/e1/call-stack.txt', 'stack', 'plaintext');
      for (let i = 2; i < docs.MAX_DOCUMENTS; i++) await documents.showText(`/r/${i}.txt`, `text ${i}`, 'plaintext');
      assert.equal(provider?.provideTextDocumentContent(uriOf('/e1/call-stack.txt')), 'stack', 'read again: the most recent now');
      await documents.showDiff({ path: '/e2/a.history', text: 'A' }, { path: '/e2/b.history', text: 'B' }, 'a ↔ b');
      assert.deepEqual(opened.slice(-2), [{ path: '/e2/a.history', text: 'A' }, { path: '/e2/b.history', text: 'B' }]);
      const read = (path: string): string | undefined => provider?.provideTextDocumentContent(uriOf(path));
      assert.equal(read('/replay/e0/e0-replay-check.md'), 'This replay report is closed. Run Show Replay Report (or check the code again) to open it anew.\n');
      assert.equal(read('/r/2.txt'), '// This event is no longer loaded. Open it again from the Executions view.\n');
      assert.equal(read('/e1/call-stack.txt'), 'stack');
      assert.equal(read('/r/3.txt'), 'text 3');
      for (let i = 0; i < docs.MAX_DOCUMENTS; i++) await documents.showText(`/s/${i}.txt`, 'x', 'plaintext');
      assert.equal(read('/e2/a.history'), '// This comparison is closed. Run Compare with Previous Run again to open it anew.\n');
      assert.equal(read('/e1/call-stack.txt'), '// This call stack is closed. Run Show Call Stack again to open it anew.\n');
    } finally {
      documents.dispose();
    }
  });

  it('keeps at most MAX_DOCUMENT_CHARS characters, yet both sides of a diff however long', async () => {
    const documents = new docs.EventDocuments();
    try {
      const half = 'x'.repeat(docs.MAX_DOCUMENT_CHARS / 2 + 1);
      await documents.showText('/small.txt', 'small', 'plaintext');
      await documents.showDiff({ path: '/e/a.history', text: half }, { path: '/e/b.history', text: half }, 'a ↔ b');
      assert.deepEqual(opened.slice(-2).map((o) => o.text.length), [half.length, half.length], 'the diff opened with both texts');
      const read = (path: string): string | undefined => provider?.provideTextDocumentContent(uriOf(path));
      assert.match(read('/small.txt') ?? '', /no longer loaded/, 'the older document made room');
      await documents.showText('/next.txt', 'next', 'plaintext');
      assert.match(read('/e/a.history') ?? '', /comparison is closed/);
      assert.equal(read('/next.txt'), 'next');
    } finally {
      documents.dispose();
    }
  });

  it('showing a document again tells VS Code its text changed, so an open one shows the new text', async () => {
    const documents = new docs.EventDocuments();
    const changed: string[] = [];
    documents.onDidChange((uri) => changed.push(uri.path));
    try {
      await documents.showText('/replay/e/r.md', 'first', 'markdown');
      await documents.showText('/replay/e/r.md', 'second', 'markdown');
      assert.deepEqual(changed, ['/replay/e/r.md', '/replay/e/r.md']);
      assert.equal(provider?.provideTextDocumentContent(uriOf('/replay/e/r.md')), 'second');
    } finally {
      documents.dispose();
    }
  });
});
