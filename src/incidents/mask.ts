/**
 * An error message with its variable parts masked, so that one cause seen in many executions reads the
 * same: `parcel order-2 weighs 45 kg` and `parcel order-7 weighs 51 kg` both give
 * `parcel order-<n> weighs <n> kg`. Words are kept; only values become placeholders.
 *
 * Every pattern here is linear: fixed-width or single-class repetitions, each anchored where a run of
 * its characters begins, so a long hostile message costs one pass per pattern.
 */

const QUOTED = /(?<![\w'"`])(?:'[^'\n]*'|"[^"\n]*"|`[^`\n]*`)(?![\w'"`])/g;
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\\.?';
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\\s';
/** ISO 8601 / RFC 3339 (`2024-06-24T17:07:54.194Z`, `2024-06-24 17:07:54+02:00`), a date alone. */
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?\b/g;
/** `Mon, 02 Jan 2006`, `Jan 2, 2006`, `2 January 2006`: the time of day, if any, is masked after. */
const WORDED_DATE = new RegExp(`\\b(?:${DAY})?(?:\\d{1,2}\\s${MONTH}\\s\\d{4}|${MONTH}\\s\\d{1,2},?\\s\\d{4})\\b`, 'g');
const SLASHED_DATE = /\b\d{1,4}\/\d{1,2}\/\d{1,4}\b/g;
const CLOCK_TIME = /(?<![\w.:])\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?![\d:])(?:\s?[AaPp][Mm]\b)?/g;
/** `<time> <time> UTC` (a worded date then its time of day) is one time. */
const TIME_RUN = /<time>(?:[ ,T]{0,3}<time>)*(?:\s?(?:UTC|GMT|Z)\b)?/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
/** `300ms`, `1.5s`, `2h45m10s`: Go's and protobuf's way of writing durations. */
const UNIT = '(?:ns|us|µs|ms|s|m|h|d)';
const DURATION = new RegExp(`\\b\\d+(?:\\.\\d+)?${UNIT}(?:\\d+(?:\\.\\d+)?${UNIT})*(?![\\w])`, 'g');
const TOKEN = /[A-Za-z0-9]+/g;
const HEX_LITERAL = /^0x[0-9a-f]+$/i;
const HEX = /^[0-9a-f]+$/i;
const DIGIT = /\d/;
const LETTER = /[a-z]/i;
/** A number standing on its own (not the `1100` of `TMPRL1100`), with its decimals: `45`, `3.14`, `1.2.3`. */
const NUMBER = /(?<![A-Za-z0-9_.])\d+(?:\.\d+)*/g;
const WHITESPACE = /\s+/g;

/** Ids at least this long are told from words by their mix of letters and digits. */
const MIN_MIXED_ID = 10;
/** Hex runs at least this long with a digit in them are ids (`7f3a9c`, a commit, a run id's tail). */
const MIN_HEX_ID = 6;

/**
 * Masks the variable parts of `text`: quoted values → `<value>`, times and dates → `<time>`, UUIDs →
 * `<uuid>`, durations → `<duration>`, long hex or mixed letter-and-digit ids → `<id>`, numbers →
 * `<n>`; whitespace collapsed. Deterministic: the same text always gives the same result.
 */
export function maskMessage(text: string): string {
  return text
    .replace(QUOTED, '<value>')
    .replace(ISO_TIME, '<time>')
    .replace(WORDED_DATE, '<time>')
    .replace(SLASHED_DATE, '<time>')
    .replace(CLOCK_TIME, '<time>')
    .replace(TIME_RUN, '<time>')
    .replace(UUID, '<uuid>')
    .replace(DURATION, '<duration>')
    .replace(TOKEN, (token) => (isId(token) ? '<id>' : token))
    .replace(NUMBER, '<n>')
    .replace(WHITESPACE, ' ')
    .trim();
}

/**
 * Whether a run of letters and digits is an id rather than a word or a code: a hex literal, a hex run
 * with letters and digits (`7f3a9c`), or a long run where letters and digits alternate more than once
 * (`eyJ0IjoxLCJucyI6`, base62 ids). `TMPRL1100`, `sha256` and `utf8` change only once: they stay.
 */
function isId(token: string): boolean {
  if (HEX_LITERAL.test(token)) return true;
  const mixed = DIGIT.test(token) && LETTER.test(token);
  if (!mixed) return false;
  if (token.length >= MIN_HEX_ID && HEX.test(token)) return true;
  return token.length >= MIN_MIXED_ID && letterDigitChanges(token) >= 2;
}

function letterDigitChanges(token: string): number {
  let changes = 0;
  for (let i = 1; i < token.length; i++) {
    if (isDigitCode(token.charCodeAt(i)) !== isDigitCode(token.charCodeAt(i - 1))) changes++;
  }
  return changes;
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}
