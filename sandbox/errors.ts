/**
 * Error bodies as the platform writes them: workflow errors `{detail, code, ...extra}`, FastAPI
 * validation errors `{detail: [{type, loc, msg, input, ctx?}]}`, and the gateway's plain ones.
 */

/** What a route answers; the server decides how to send it (faults may mangle it). */
export interface Reply {
  status: number;
  /** JSON text, raw text or undefined for no body (204). */
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Instead of a body: serve this execution's event stream (see stream.ts). */
  streamExecutionId?: string;
}

export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

export function json(status: number, body: unknown): Reply {
  return { status, body: JSON.stringify(body), contentType: 'application/json' };
}

export function validationError(issues: ValidationIssue[]): Reply {
  return json(422, { detail: issues });
}

export function notFoundExecution(): Reply {
  return json(404, { detail: 'Workflow execution not found', code: 'WF_1100' });
}

export function notRunning(status: string): Reply {
  return json(409, { detail: 'Workflow execution is not running', code: 'WF_1102', status });
}

/** The body the platform sends with a bare HTTP error status. */
export function statusBody(status: number): unknown {
  if (status >= 500) return { detail: 'An error occurred' };
  switch (status) {
    case 401:
      return { detail: 'Unauthorized' };
    case 403:
      return { detail: 'Forbidden' };
    case 404:
      return { detail: 'Not Found' };
    case 405:
      return { detail: 'Method Not Allowed' };
    case 409:
      return { detail: 'Conflict' };
    case 429:
      return { detail: 'Requests rate limit exceeded' };
    default:
      return { detail: 'An error occurred' };
  }
}

export function plainError(status: number): Reply {
  return json(status, statusBody(status));
}

// Pydantic v2 messages, word for word, so clients can be tested against realistic text.
export const issue = {
  missing: (loc: (string | number)[], input: unknown): ValidationIssue => ({ type: 'missing', loc, msg: 'Field required', input }),
  int: (loc: (string | number)[], input: unknown): ValidationIssue =>
    typeof input === 'number'
      ? { type: 'int_from_float', loc, msg: 'Input should be a valid integer, got a number with a fractional part', input }
      : typeof input === 'string'
        ? { type: 'int_parsing', loc, msg: 'Input should be a valid integer, unable to parse string as an integer', input }
        : { type: 'int_type', loc, msg: 'Input should be a valid integer', input },
  bool: (loc: (string | number)[], input: unknown): ValidationIssue => ({
    type: 'bool_parsing',
    loc,
    msg: 'Input should be a valid boolean, unable to interpret input',
    input,
  }),
  string: (loc: (string | number)[], input: unknown): ValidationIssue => ({ type: 'string_type', loc, msg: 'Input should be a valid string', input }),
  list: (loc: (string | number)[], input: unknown): ValidationIssue => ({ type: 'list_type', loc, msg: 'Input should be a valid list', input }),
  dict: (loc: (string | number)[], input: unknown): ValidationIssue => ({ type: 'dict_type', loc, msg: 'Input should be a valid dictionary', input }),
  enumeration: (loc: (string | number)[], input: unknown, values: readonly string[]): ValidationIssue => ({
    type: 'enum',
    loc,
    msg: `Input should be ${values.slice(0, -1).map((v) => `'${v}'`).join(', ')} or '${values[values.length - 1]}'`,
    input,
    ctx: { expected: `${values.slice(0, -1).map((v) => `'${v}'`).join(', ')} or '${values[values.length - 1]}'` },
  }),
  ge: (loc: (string | number)[], input: unknown, ge: number): ValidationIssue => ({
    type: 'greater_than_equal',
    loc,
    msg: `Input should be greater than or equal to ${ge}`,
    input,
    ctx: { ge },
  }),
  le: (loc: (string | number)[], input: unknown, le: number): ValidationIssue => ({
    type: 'less_than_equal',
    loc,
    msg: `Input should be less than or equal to ${le}`,
    input,
    ctx: { le },
  }),
  uuid: (loc: (string | number)[], input: unknown): ValidationIssue => ({
    type: 'uuid_parsing',
    loc,
    msg: 'Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]',
    input,
  }),
  value: (loc: (string | number)[], input: unknown, message: string): ValidationIssue => ({
    type: 'value_error',
    loc,
    msg: `Value error, ${message}`,
    input,
    ctx: { error: message },
  }),
  json: (position: number, message: string): ValidationIssue => ({
    type: 'json_invalid',
    loc: ['body', position],
    msg: 'JSON decode error',
    input: {},
    ctx: { error: message },
  }),
};

/** Pydantic's lax integer: numbers without a fraction and strings of digits. */
export function laxInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}
