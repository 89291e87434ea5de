/**
 * What the user typed in Find in History: plain text (case-insensitive substring) or `/regex/flags`.
 * Parsing never throws: a bad regular expression comes back as a message that names the problem.
 */

export type HistoryQuery =
  | { kind: 'text'; text: string; pattern: RegExp }
  | { kind: 'regex'; source: string; flags: string; pattern: RegExp };

type ParsedQuery = { ok: true; query: HistoryQuery } | { ok: false; error: string };

const REGEX_FORM = /^\/(.*)\/([A-Za-z]*)$/s;
const SPECIAL = /[.*+?^${}()|[\]\\/]/g;
/** Flags that change what matches; g and y only make `test` stateful, so they are dropped. */
const MEANINGFUL_FLAGS = 'dimsuv';
const IGNORED_FLAGS = 'gy';

export function parseQuery(input: string): ParsedQuery {
  const text = input.trim();
  if (text === '') return { ok: false, error: 'Type something to find: text, or a /regular expression/.' };
  const m = REGEX_FORM.exec(text);
  if (m === null) return { ok: true, query: { kind: 'text', text, pattern: new RegExp(text.replace(SPECIAL, '\\$&'), 'i') } };
  const [, source, given] = m;
  if (source === '') return { ok: false, error: `${text} is an empty regular expression: put a pattern between the slashes.` };
  const unknown = [...given].filter((f) => !MEANINGFUL_FLAGS.includes(f) && !IGNORED_FLAGS.includes(f));
  if (unknown.length > 0) {
    const escaped = `/${text.replace(SPECIAL, '\\$&')}/`;
    return {
      ok: false,
      error: `${text} reads as a regular expression with the unknown flag${unknown.length > 1 ? 's' : ''} "${unknown.join('')}" `
        + `(flags are ${[...MEANINGFUL_FLAGS].join(', ')}). To find the text itself, search for ${escaped}.`,
    };
  }
  const flags = [...new Set(given)].filter((f) => !IGNORED_FLAGS.includes(f)).join('');
  try {
    return { ok: true, query: { kind: 'regex', source, flags, pattern: new RegExp(source, flags) } };
  } catch (error) {
    return { ok: false, error: `${text} is not a valid regular expression: ${problemOf(error)}.` };
  }
}

/** `Invalid regular expression: /(/: Unterminated group` → `unterminated group`. */
function problemOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = message.lastIndexOf(': ');
  const problem = (at < 0 ? message : message.slice(at + 2)).trim() || message;
  return problem.charAt(0).toLowerCase() + problem.slice(1);
}
