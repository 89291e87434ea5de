/**
 * JSON writing with exact big integers. Trace timestamps are unix nanoseconds (~1.8e18, above 2^53):
 * a JS number cannot hold them, so they travel as BigInt and are written digit for digit.
 */

const MARK = '__sandbox_bigint__';
const MARKED = new RegExp(`"${MARK}(-?\\d+)"`, 'g');

export function stringifyExact(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${MARK}${v.toString()}` : v));
  return text.replace(MARKED, '$1');
}

/** Unix nanoseconds for an event: its millisecond time plus stable, non-zero sub-millisecond digits. */
export function unixNano(timeMs: number, salt: number): bigint {
  const subMs = ((salt * 7_919 + 104_729) % 999_983) + 1; // 1..999,983 ns: never round
  return BigInt(timeMs) * 1_000_000n + BigInt(subMs);
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
