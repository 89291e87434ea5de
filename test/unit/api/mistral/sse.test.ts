/** The SSE parser: line endings split anywhere, comments, multi-line data, ids, retry, UTF-8 splits. */
import { strict as assert } from 'node:assert';
import { SseParser, type SseMessage } from '../../../../src/api/mistral';

function parseAll(chunks: (string | Uint8Array)[], parser = new SseParser()): SseMessage[] {
  return chunks.flatMap((c) => parser.push(c));
}

describe('SSE parser', () => {
  it('parses id, event and data, and defaults the event to "message"', () => {
    assert.deepEqual(parseAll(['id: 7\nevent: TICK\ndata: {"a":1}\n\n', 'data: plain\n\n']), [
      { id: '7', event: 'TICK', data: '{"a":1}' },
      { id: '7', event: 'message', data: 'plain' }, // the id carries over
    ]);
  });

  it('joins multi-line data with \\n and keeps a value without the single leading space', () => {
    assert.deepEqual(parseAll(['data: one\ndata:two\ndata:  three\ndata\n\n']), [{ id: undefined, event: 'message', data: 'one\ntwo\n three\n' }]);
  });

  it('ignores comments (heartbeats), unknown fields and blank lines without data', () => {
    assert.deepEqual(parseAll([': heartbeat\n\n', 'foo: bar\n\n', '\n\n', 'event: X\n\n', 'data: y\n\n']), [{ id: undefined, event: 'message', data: 'y' }]);
  });

  it('handles a message split at every possible position, with LF, CRLF and CR line endings', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = `: c${eol}id: 12${eol}event: E${eol}data: a${eol}data: b${eol}${eol}`;
      for (let cut = 0; cut <= text.length; cut++) {
        const got = parseAll([text.slice(0, cut), text.slice(cut)]);
        assert.deepEqual(got, [{ id: '12', event: 'E', data: 'a\nb' }], `eol ${JSON.stringify(eol)} cut at ${cut}`);
      }
    }
  });

  it('does not dispatch an incomplete message (a partial line is kept until its end arrives)', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('id: 1\ndata: {"par'), []);
    assert.deepEqual(parser.push('tial":true}\n'), []);
    assert.deepEqual(parser.push('\n'), [{ id: '1', event: 'message', data: '{"partial":true}' }]);
  });

  it('decodes a multi-byte character split across byte chunks, and drops a leading BOM', () => {
    const bytes = Buffer.from('\uFEFFdata: café ✓\n\n', 'utf8');
    const chunks = [...bytes].map((b) => Uint8Array.of(b)); // one byte at a time
    assert.deepEqual(parseAll(chunks), [{ id: undefined, event: 'message', data: 'café ✓' }]);
  });

  it('reads retry (digits only) and keeps the id given to resume from', () => {
    const parser = new SseParser('41');
    parser.push('retry: 2500\nretry: soon\n\ndata: x\n\n');
    assert.equal(parser.retryMs, 2500);
    assert.equal(parser.lastEventId, '41');
    parser.push('id: a\0b\ndata: y\n\n');
    assert.equal(parser.lastEventId, '41', 'an id with NUL is ignored');
  });
});
