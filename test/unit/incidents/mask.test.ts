/**
 * maskMessage (src/incidents/mask.ts): each kind of variable part becomes its placeholder, words and
 * codes stay, and two messages that differ only in their values compare equal.
 */
import * as assert from 'node:assert/strict';
import { maskMessage } from '../../../src/incidents';

describe('maskMessage', () => {
  const cases: [kind: string, text: string, masked: string][] = [
    ['a UUID', 'run 0193abcd-1234-7def-8abc-0123456789ab not found', 'run <uuid> not found'],
    ['an upper-case UUID', 'id 0193ABCD-1234-7DEF-8ABC-0123456789AB', 'id <uuid>'],
    ['a hex id inside a word', 'order-7f3a9c2e failed', 'order-<id> failed'],
    ['a base64 token', 'token eyJ0IjoxLCJucyI6ImRlZmF1bHQi is stale', 'token <id> is stale'],
    ['a hex literal', 'bad pointer 0x1F2E', 'bad pointer <id>'],
    ['integers and decimals', 'weighs 45.5 kg after 3 tries', 'weighs <n> kg after <n> tries'],
    ['a number after a dash', 'parcel order-2 weighs 45 kg, over the 30 kg limit', 'parcel order-<n> weighs <n> kg, over the <n> kg limit'],
    ['single quotes', "KeyError: 'shipping_address'", 'KeyError: <value>'],
    ['double quotes and backticks', 'no "carrier one" for `EU-7`', 'no <value> for <value>'],
    ['an RFC 3339 time', 'deadline 2024-06-24T17:07:54.194254422Z passed', 'deadline <time> passed'],
    ['an ISO time with a space and an offset', 'at 2024-06-24 17:07:54+02:00', 'at <time>'],
    ['a date alone', 'due 2024-06-24', 'due <time>'],
    ['a time of day', 'at 10:42:07 then 9:05 PM', 'at <time> then <time>'],
    ['an RFC 1123 date', 'expired Mon, 02 Jan 2006 15:04:05 GMT', 'expired <time>'],
    ['a slashed date', 'on 12/31/2024', 'on <time>'],
    ['durations', 'took 1.5s, then 300ms, then 2h45m10s', 'took <duration>, then <duration>, then <duration>'],
    ['whitespace', '  line one\n\tline   two  ', 'line one line two'],
  ];
  for (const [kind, text, masked] of cases) {
    it(`masks ${kind}`, () => assert.equal(maskMessage(text), masked));
  }

  it('keeps words, error codes and names with digits', () => {
    for (const text of ['[TMPRL1100] Nondeterminism error', 'sha256 of utf8 on x86_64 over http2', 'nexus-tour-carriers · CarrierService · book_pickup', "can't charge the card", 'v1.2.3']) {
      assert.equal(maskMessage(text), text);
    }
  });

  it('makes the same cause with other values equal', () => {
    const pairs: [string, string][] = [
      ['parcel order-2 weighs 45 kg, over the 30 kg limit', 'parcel order-19 weighs 51.5 kg, over the 30 kg limit'],
      ["KeyError: 'shipping_address'", "KeyError: 'billing_address'"],
      ['run 0193abcd-1234-7def-8abc-0123456789ab timed out after 1.5s at 2024-06-24T17:07:54Z', 'run 01a2376d-4bc0-7593-80fd-fcda9fb8d0f6 timed out after 300ms at 2026-12-02T15:44:00.265160777Z'],
      ['order-7f3a9c2e: card declined', 'order-c0ffee42: card declined'],
    ];
    for (const [a, b] of pairs) assert.equal(maskMessage(a), maskMessage(b), `${a} | ${b}`);
  });

  it('keeps different causes apart', () => {
    assert.notEqual(maskMessage('card declined for order-2'), maskMessage('card expired for order-2'));
    assert.notEqual(maskMessage('[TMPRL1100] Nondeterminism error'), maskMessage('[TMPRL1101] Nondeterminism error'));
  });

  it('is deterministic', () => {
    const text = 'order-7f3a9c2e at 2024-06-24T17:07:54Z: "x" weighs 45 kg';
    assert.equal(maskMessage(text), maskMessage(text));
  });

  it('stays linear on long hostile input', () => {
    const hostile = [
      "'a".repeat(50_000),
      '1'.repeat(100_000) + 'x',
      '1.'.repeat(50_000),
      '2024-06-24T'.repeat(10_000),
      'a1'.repeat(50_000) + '-',
      '"'.repeat(100_000),
      '1h'.repeat(50_000) + 'q',
    ];
    const started = Date.now();
    for (const text of hostile) maskMessage(text);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });
});
