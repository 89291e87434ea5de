/**
 * Finds Mistral Workflows definitions in Python source text: workflow classes, activities, and the
 * signal, query and update handlers of workflows. Pure (no `vscode` import): the search in the
 * workspace (definitionIndex.ts) and the CodeLens build on it.
 *
 * Recognised, after import aliases are expanded (`import mistralai.workflows as wf`,
 * `from mistralai import workflows`, `from mistralai.workflows import workflow as w`, ...), by the last
 * two parts of the decorator's dotted name, with or without a call:
 * - workflow: `*.workflow.define` / `*.workflow.defn` (`@workflows.workflow.define(name="x")`,
 *   `@workflow.define`, `@workflow.defn(name="x")`). Name: `name=`, else the first positional string,
 *   else the class name.
 * - activity: `*.activity` / `*.activity.defn` / `*.activity.define` (`@workflows.activity()`,
 *   `@activity`, `@activity.defn(name="x")`). Name: `name=`, else a positional string, else the
 *   function name.
 * - signal / query / update: `*.workflow.signal|query|update` (also `workflows.signal`), on methods.
 *   Name: `name=`, else a positional string, else the method name.
 * - nexusOperation: a Nexus service handler's operation, `*.handler.sync_operation` /
 *   `*.handler.operation_handler` (nexusrpc) or `*.nexus.workflow_run_operation` (temporalio), on
 *   methods. Name: `name=`, else the method name.
 * A name may be a literal (quotes of any kind, implicit concatenation, not an f-string with fields) or a
 * module-level constant assigned a literal (`NAME = "x"`). Decorators may span lines and be stacked.
 * Text inside strings and comments never matches.
 */
import { lexPython, LexedPython, LogicalLine, stringValueIn } from './pythonLexer';

export type DefinitionKind = 'workflow' | 'activity' | 'signal' | 'query' | 'update' | 'nexusOperation';

/**
 * Where the registered name came from: the decorator's argument, a module constant, the class or
 * function name (no name given), or nowhere (a name expression that cannot be read statically).
 */
type NameSource = 'argument' | 'constant' | 'identifier' | 'unresolved';

export interface PythonDefinition {
  kind: DefinitionKind;
  /** The name the platform knows it by (for `unresolved`: the identifier, as a best guess). */
  name: string;
  nameSource: NameSource;
  /** The class or function name. */
  identifier: string;
  /** Of the identifier after `class`/`def`, zero-based (UTF-16 columns, as VS Code counts). */
  line: number;
  column: number;
  /** Line of the decorator that makes it a definition (where a CodeLens goes). */
  decoratorLine: number;
  /** The enclosing class, for methods (handlers). */
  container?: string;
}

interface Decorator {
  /** The dotted name with import aliases expanded. */
  path: string[];
  start: number;
  /** Source span of the call's arguments (inside the parentheses), when it is a call. */
  args?: { start: number; end: number };
}

// Python identifiers may be non-ASCII (`def café()`).
const ID = String.raw`[\p{L}_][\p{L}\p{N}_]*`;
const DECORATOR = new RegExp(String.raw`^@\s*(${ID}(?:\s*\.\s*${ID})*)\s*(\()?`, 'u');
const DEF = new RegExp(String.raw`^(?:async\s+)?def\s+(${ID})`, 'u');
const CLASS = new RegExp(String.raw`^class\s+(${ID})`, 'u');
const IMPORT = /^import\s+([\s\S]+)$/;
const FROM_IMPORT = /^from\s+([\w.]+)\s+import\s+\(?([\s\S]*?)\)?\s*$/;
const CONSTANT = new RegExp(String.raw`^(${ID})\s*(?::[^=]*)?=(?!=)`, 'u');
const KEYWORD = new RegExp(String.raw`^\s*(${ID})\s*=(?!=)`, 'u');
const IDENTIFIER = new RegExp(String.raw`^\s*(${ID})\s*$`, 'u');
const HANDLERS: ReadonlySet<string> = new Set(['signal', 'query', 'update']);
const NEXUS_OPERATIONS: ReadonlySet<string> = new Set(['handler.sync_operation', 'handler.operation_handler', 'nexus.workflow_run_operation']);

export function findPythonDefinitions(source: string): PythonDefinition[] {
  const lexed = lexPython(source);
  const aliases = importAliases(lexed.lines);
  const constants = moduleConstants(lexed);
  const lineOf = lineIndex(source);
  const found: PythonDefinition[] = [];
  const classes: { indent: number; name: string }[] = [];
  let pending: Decorator[] = [];
  for (const line of lexed.lines) {
    while (classes.length > 0 && classes[classes.length - 1].indent >= line.indent) classes.pop();
    const decorator = parseDecorator(line, aliases);
    if (decorator) {
      pending.push(decorator);
      continue;
    }
    const target = DEF.exec(line.text) ?? CLASS.exec(line.text);
    if (target) {
      const identifier = target[1];
      const at = lineOf(line.start + target[0].length - identifier.length);
      const container = classes.length > 0 ? classes[classes.length - 1].name : undefined;
      for (const d of pending) {
        const kind = classify(d.path);
        if (!kind) continue;
        const { name, nameSource } = registeredName(lexed, d, identifier, constants);
        found.push({ kind, name, nameSource, identifier, ...at, decoratorLine: lineOf(d.start).line, ...(container ? { container } : {}) });
      }
      if (CLASS.test(line.text)) classes.push({ indent: line.indent, name: identifier });
    }
    pending = [];
  }
  return found;
}

function classify(path: readonly string[]): DefinitionKind | undefined {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if ((last === 'define' || last === 'defn') && parent === 'workflow') return 'workflow';
  if (last === 'activity' || ((last === 'defn' || last === 'define') && parent === 'activity')) return 'activity';
  if (HANDLERS.has(last) && (parent === 'workflow' || parent === 'workflows')) return last as DefinitionKind;
  if (NEXUS_OPERATIONS.has(`${parent}.${last}`)) return 'nexusOperation';
  return undefined;
}

function parseDecorator(line: LogicalLine, aliases: ReadonlyMap<string, string[]>): Decorator | undefined {
  const m = DECORATOR.exec(line.text);
  if (!m) return undefined;
  const written = m[1].split('.').map((s) => s.trim());
  const path = [...(aliases.get(written[0]) ?? [written[0]]), ...written.slice(1)];
  if (!m[2]) return { path, start: line.start };
  const open = m[0].length; // just after `(`
  let depth = 1;
  let close = open;
  for (; close < line.text.length && depth > 0; close++) {
    const c = line.text[close];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
  }
  return { path, start: line.start, args: { start: line.start + open, end: line.start + close - 1 } };
}

/** `name=` first, then the first positional argument, then the identifier. */
function registeredName(
  lexed: LexedPython,
  decorator: Decorator,
  identifier: string,
  constants: ReadonlyMap<string, string>,
): { name: string; nameSource: NameSource } {
  const args = decorator.args ? splitArguments(lexed, decorator.args.start, decorator.args.end) : [];
  const keyword = args.find((a) => a.keyword === 'name');
  const positional = args.find((a) => a.keyword === undefined);
  for (const arg of [keyword, positional]) {
    if (!arg) continue;
    const literal = stringValueIn(lexed, arg.start, arg.end);
    if (literal !== undefined) return { name: literal, nameSource: 'argument' };
    const ident = IDENTIFIER.exec(lexed.masked.slice(arg.start, arg.end));
    const constant = ident ? constants.get(ident[1]) : undefined;
    if (constant !== undefined) return { name: constant, nameSource: 'constant' };
    if (arg === keyword) return { name: identifier, nameSource: 'unresolved' };
  }
  return { name: identifier, nameSource: 'identifier' };
}

interface Argument {
  keyword: string | undefined;
  /** Source span of the value. */
  start: number;
  end: number;
}

function splitArguments(lexed: LexedPython, start: number, end: number): Argument[] {
  const out: Argument[] = [];
  let depth = 0;
  let from = start;
  const push = (to: number): void => {
    const text = lexed.masked.slice(from, to);
    // Literals are blanked in the masked text: a blank span is empty only when it holds none.
    if (text.trim() === '' && !lexed.strings.some((s) => s.start >= from && s.end <= to)) return;
    const kw = KEYWORD.exec(text);
    out.push(kw ? { keyword: kw[1], start: from + kw[0].length, end: to } : { keyword: undefined, start: from, end: to });
  };
  for (let i = start; i < end; i++) {
    const c = lexed.masked[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      push(i);
      from = i + 1;
    }
  }
  push(end);
  return out;
}

/** Local name → the dotted module path it stands for, from `import` and `from ... import` lines. */
function importAliases(lines: readonly LogicalLine[]): Map<string, string[]> {
  const aliases = new Map<string, string[]>();
  for (const { text } of lines) {
    const from = FROM_IMPORT.exec(text);
    const plain = from ? undefined : IMPORT.exec(text);
    const names = from?.[2] ?? plain?.[1];
    if (names === undefined) continue;
    for (const part of names.split(',')) {
      const [target, alias] = part.trim().split(/\s+as\s+/).map((s) => s.replace(/\s+/g, ''));
      if (!target || target === '*') continue;
      const full = from ? `${from[1]}.${target}` : target;
      // `import a.b` binds `a` (already itself); only an alias or a `from` import adds a mapping.
      if (alias) aliases.set(alias, full.split('.'));
      else if (from) aliases.set(target, full.split('.'));
    }
  }
  return aliases;
}

/** Module-level `NAME = "literal"` (annotated or not), for `name=NAME`. */
function moduleConstants(lexed: LexedPython): Map<string, string> {
  const constants = new Map<string, string>();
  for (const line of lexed.lines) {
    if (line.indent !== 0) continue;
    const m = CONSTANT.exec(line.text);
    if (!m) continue;
    const value = stringValueIn(lexed, line.start + m[0].length, line.end);
    if (value !== undefined) constants.set(m[1], value);
  }
  return constants;
}

/** Offset → zero-based line and column. */
function lineIndex(source: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - starts[lo] };
  };
}
