/**
 * The fault switch: rules that make matching API requests slow, fail, or break mid-flight, so the
 * extension's error handling can be tested against everything a real network and gateway do.
 */

export interface FaultRule {
  /** Match; undefined = any. */
  method?: string;
  /** Match a substring of the path; undefined = any. */
  pathIncludes?: string;
  /** How many matching requests it applies to; default Infinity. */
  times?: number;
  /** Delay before answering. */
  latencyMs?: number;
  /** Answer with this status and the API's error body for it (not acting on the request). */
  status?: number;
  /** With 429 (or 503): the Retry-After header. */
  retryAfterSeconds?: number;
  /** Raw body to send instead (HTML page, empty string, malformed JSON), with `contentType`. */
  body?: string;
  contentType?: string;
  /** With `body`: a Content-Encoding header sent with it as is (e.g. "gzip" on a body that is not). */
  contentEncoding?: string;
  /**
   * Perform the operation (on the Temporal pass-through: forward it to the engine), then answer this
   * status with the API's error body instead of its answer: a server that failed after the write was
   * applied. The client cannot tell it from a refusal by the status alone.
   */
  statusAfter?: number;
  /** Destroy the socket: 'before' acting, or 'after' performing the operation, without a response. */
  drop?: 'before' | 'after';
  /** With `drop: 'after'` on a stream: how long it streams before the socket is destroyed; default 100. */
  dropAfterMs?: number;
  /** Perform normally but send only the first half of the body. */
  truncate?: boolean;
  /**
   * Perform normally, send the first `trickleAfterBytes` of the body (before compression) at once and
   * the rest only `trickleMs` later (default 500): a slow link's tail, for first-page tests.
   */
  trickleAfterBytes?: number;
  trickleMs?: number;
}

export interface FaultSwitch {
  add(rule: FaultRule): void;
  clear(): void;
  readonly rules: readonly FaultRule[];
}

const FIELDS: Record<keyof FaultRule, 'string' | 'number' | 'boolean'> = {
  method: 'string',
  pathIncludes: 'string',
  times: 'number',
  latencyMs: 'number',
  status: 'number',
  retryAfterSeconds: 'number',
  statusAfter: 'number',
  body: 'string',
  contentType: 'string',
  contentEncoding: 'string',
  drop: 'string',
  dropAfterMs: 'number',
  truncate: 'boolean',
  trickleAfterBytes: 'number',
  trickleMs: 'number',
};

/** Checks a rule that came over HTTP (admin endpoint); returns an error message or undefined. */
export function checkRule(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'a fault rule must be a JSON object';
  for (const [key, v] of Object.entries(value)) {
    const expected = FIELDS[key as keyof FaultRule];
    if (!expected) return `unknown fault rule field "${key}"`;
    if (typeof v !== expected) return `fault rule field "${key}" must be a ${expected}`;
  }
  const drop = (value as FaultRule).drop;
  if (drop !== undefined && drop !== 'before' && drop !== 'after') return 'drop must be "before" or "after"';
  return undefined;
}

export class Faults implements FaultSwitch {
  private readonly active: { rule: FaultRule; left: number }[] = [];

  get rules(): readonly FaultRule[] {
    return this.active.map((a) => a.rule);
  }

  add(rule: FaultRule): void {
    this.active.push({ rule: { ...rule }, left: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.active.length = 0;
  }

  /** The first rule with uses left matching this request, consuming one use. */
  take(method: string, path: string): FaultRule | undefined {
    const hit = this.active.find(
      (a) =>
        a.left > 0 &&
        (a.rule.method === undefined || a.rule.method.toUpperCase() === method.toUpperCase()) &&
        (a.rule.pathIncludes === undefined || path.includes(a.rule.pathIncludes)),
    );
    if (!hit) return undefined;
    if (--hit.left === 0) this.active.splice(this.active.indexOf(hit), 1); // used up: no longer listed
    return hit.rule;
  }
}
