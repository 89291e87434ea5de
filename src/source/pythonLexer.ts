/**
 * Just enough Python lexing to find decorators reliably: string literals and comments are blanked out
 * (same length, newlines kept, so offsets, lines and columns still line up with the source), and the
 * text is cut into logical lines (a statement continued inside brackets or after `\` is one line).
 * Pure: no `vscode` import.
 */

interface StringLiteral {
  /** Offsets in the source: from the prefix (`r`, `f`, ...) to after the closing quote. */
  start: number;
  end: number;
  /** The decoded value; undefined when it cannot be known statically (an f-string with fields). */
  value: string | undefined;
}

export interface LogicalLine {
  /** Offset of the first non-blank character, and end offset (exclusive) in the source. */
  start: number;
  end: number;
  /** Leading whitespace of its first physical line, in characters. */
  indent: number;
  /** The masked text of the whole logical line (strings and comments blanked). */
  text: string;
}

export interface LexedPython {
  masked: string;
  strings: StringLiteral[];
  lines: LogicalLine[];
}

const PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/;
const IDENT_CHAR = /[A-Za-z0-9_]/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"' };

function blank(text: string): string {
  return text.replace(/[^\n]/g, ' ');
}

function decode(body: string, raw: boolean): string {
  if (raw) return body;
  return body.replace(/\\(\r?\n|.)/g, (_m, c: string) => (c === '\n' || c === '\r\n' ? '' : (ESCAPES[c] ?? `\\${c}`)));
}

/** The string prefix just before `quoteAt` (`rb`, `f`, ...), or '' when there is none. */
function prefixBefore(source: string, quoteAt: number): string {
  let start = quoteAt;
  while (start > 0 && start > quoteAt - 2 && /[rRbBuUfF]/.test(source[start - 1])) start--;
  const prefix = source.slice(start, quoteAt);
  // Letters glued to a longer identifier (`elif"x"`) are not a prefix.
  if (prefix === '' || !PREFIX.test(prefix) || (start > 0 && IDENT_CHAR.test(source[start - 1]))) return '';
  return prefix;
}

/** Blanks strings and comments, collecting the literals. */
function mask(source: string): { masked: string; strings: StringLiteral[] } {
  const out: string[] = [];
  const strings: StringLiteral[] = [];
  let copiedTo = 0;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '#') {
      const nl = source.indexOf('\n', i);
      const end = nl < 0 ? source.length : nl;
      out.push(source.slice(copiedTo, i), blank(source.slice(i, end)));
      copiedTo = i = end;
      continue;
    }
    if (c !== '"' && c !== "'") {
      i++;
      continue;
    }
    const prefix = prefixBefore(source, i);
    const start = i - prefix.length;
    const triple = source.startsWith(c.repeat(3), i);
    const quote = triple ? c.repeat(3) : c;
    let j = i + quote.length;
    let closed = false;
    while (j < source.length) {
      if (source[j] === '\\') j += 2;
      else if (source.startsWith(quote, j)) {
        closed = true;
        break;
      } else if (!triple && source[j] === '\n') break; // unterminated: stop at the line's end
      else j++;
    }
    const bodyEnd = Math.min(j, source.length);
    const end = closed ? bodyEnd + quote.length : bodyEnd;
    const body = source.slice(i + quote.length, bodyEnd);
    const lower = prefix.toLowerCase();
    const formatted = lower.includes('f') && /\{(?!\{)/.test(body.replace(/\{\{/g, ''));
    strings.push({ start, end, value: formatted ? undefined : decode(body, lower.includes('r')) });
    out.push(source.slice(copiedTo, start), blank(source.slice(start, end)));
    copiedTo = i = end;
  }
  out.push(source.slice(copiedTo));
  return { masked: out.join(''), strings };
}

/** Cuts the masked text into logical lines: brackets and backslashes continue a line. */
function logicalLines(masked: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let depth = 0;
  let lineStart = 0;
  const finish = (end: number): void => {
    const text = masked.slice(lineStart, end);
    const firstLine = text.slice(0, text.search(/\n|$/));
    const indent = firstLine.length - firstLine.trimStart().length;
    const lead = text.length - text.trimStart().length;
    if (text.trim() !== '') lines.push({ start: lineStart + lead, end, indent, text: text.slice(lead) });
    lineStart = end + 1;
  };
  for (let i = 0; i < masked.length; i++) {
    const c = masked[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if (c === '\n' && depth === 0) {
      const before = masked.slice(lineStart, i).trimEnd();
      if (!before.endsWith('\\')) finish(i);
    }
  }
  if (lineStart <= masked.length) finish(masked.length);
  return lines;
}

export function lexPython(source: string): LexedPython {
  const { masked, strings } = mask(source);
  return { masked, strings, lines: logicalLines(masked) };
}

/**
 * The static string value of the source span [start, end): one literal or several adjacent ones
 * (`"a" "b"`), with nothing else but whitespace and brackets around them. Undefined otherwise.
 */
export function stringValueIn(lexed: LexedPython, start: number, end: number): string | undefined {
  const inside = lexed.strings.filter((s) => s.start >= start && s.end <= end);
  if (inside.length === 0 || inside.some((s) => s.value === undefined)) return undefined;
  if (lexed.masked.slice(start, end).replace(/[\s()\\]/g, '') !== '') return undefined;
  return inside.map((s) => s.value).join('');
}
