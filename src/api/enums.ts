/**
 * Temporal enum values, whichever way they are spelt. Servers and exporters write the same value as
 * proto3 JSON's full name (`WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW`, `EVENT_TYPE_WORKFLOW_TASK_COMPLETED`,
 * `TASK_QUEUE_KIND_NORMAL`), the short name older exporters (tctl, the UI) write (`ResetWorkflow`,
 * `WorkflowTaskCompleted`, `Normal`), the full name in Pascal case (`WorkflowTaskFailedCauseResetWorkflow`)
 * or the bare upper snake case the sandbox writes (`RESET_WORKFLOW`). Compare enum values only through
 * `enumNamer`, never as sent.
 */

const LOWER = /[a-z]/;
const CAMEL_BOUNDARY = /([a-z0-9])([A-Z])/g;
const ACRONYM_BOUNDARY = /([A-Z]+)([A-Z][a-z])/g;
const SEPARATORS = /[\s.-]+/g;
/** Bounded so junk input cannot grow a cache without limit. */
const CACHE_LIMIT = 2000;

/** `ResetWorkflow`, `reset-workflow`, `RESET_WORKFLOW` → `RESET_WORKFLOW`. */
export function upperSnake(value: string): string {
  let s = value.trim();
  if (LOWER.test(s)) s = s.replace(CAMEL_BOUNDARY, '$1_$2').replace(ACRONYM_BOUNDARY, '$1_$2');
  return s.replace(SEPARATORS, '_').toUpperCase();
}

/**
 * A function that gives the canonical name of a value of the enum whose proto prefix is `prefix`
 * (e.g. `WORKFLOW_TASK_FAILED_CAUSE_`): upper snake case without the prefix, so
 * `WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW`, `WorkflowTaskFailedCauseResetWorkflow`, `ResetWorkflow`
 * and `RESET_WORKFLOW` all give `RESET_WORKFLOW`. Each namer caches its few distinct values, so it can
 * run once per event of a 51,200-event history.
 */
export function enumNamer(prefix: string): (value: string) => string {
  const cache = new Map<string, string>();
  return (value) => {
    let name = cache.get(value);
    if (name === undefined) {
      const s = upperSnake(value);
      name = s.startsWith(prefix) && s.length > prefix.length ? s.slice(prefix.length) : s;
      if (cache.size < CACHE_LIMIT) cache.set(value, name);
    }
    return name;
  };
}
