/**
 * Evaluates the `when` clauses our menus use — `a == b`, `a != b`, `key =~ /re/flags`, `!key`, `key`,
 * joined by `&&` and `||` — against a context, so tests can check where a menu item appears using the
 * real contextValues of the real tree items. Anything else throws, so a new clause shape is noticed.
 */
export function evaluateWhen(clause: string, context: Record<string, string | boolean | undefined>): boolean {
  return clause.split('||').some((conjunction) => conjunction.split('&&').every((term) => evaluateTerm(term.trim(), context)));
}

function evaluateTerm(term: string, context: Record<string, string | boolean | undefined>): boolean {
  if (term === 'true') return true;
  if (term === 'false') return false;
  const regex = /^([\w.]+)\s*=~\s*\/(.*)\/(\w*)$/.exec(term);
  if (regex) return new RegExp(regex[2], regex[3]).test(String(context[regex[1]] ?? ''));
  const equality = /^([\w.]+)\s*(==|!=)\s*(.+)$/.exec(term);
  if (equality) {
    const equal = String(context[equality[1]] ?? '') === equality[3].trim().replace(/^'(.*)'$/, '$1');
    return equality[2] === '==' ? equal : !equal;
  }
  const negated = /^!([\w.]+)$/.exec(term);
  if (negated) return !context[negated[1]];
  if (/^[\w.]+$/.test(term)) return !!context[term];
  throw new Error(`Unsupported when clause term: ${term}`);
}
