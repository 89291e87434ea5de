/**
 * Temporal payloads as its HTTP API writes them. A `json/plain` payload comes out as the plain JSON value
 * ("payload shorthand"); any other encoding stays `{ metadata: { encoding: <base64> , ... }, data: <base64> }`.
 * Mistral's worker SDK writes `json/wf_v1` (JSON, with extra metadata), so its results, activity inputs
 * and outputs are all in the long form: `decodePayload` reads both.
 */
import { isObject } from '../json';

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function base64Text(v: unknown): string | undefined {
  return typeof v === 'string' && BASE64.test(v) ? Buffer.from(v, 'base64').toString('utf8') : undefined;
}

/** The encoding named by a long-form payload (`json/plain`, `json/wf_v1`, `binary/null`...), else undefined. */
function payloadEncoding(payload: unknown): string | undefined {
  if (!isObject(payload) || !isObject(payload.metadata)) return undefined;
  return base64Text(payload.metadata.encoding);
}

/**
 * The value a payload carries: long-form JSON encodings (`json/*`) are decoded, `binary/null` is null,
 * anything else (shorthand values, binary or encrypted payloads) is returned as it came.
 */
export function decodePayload(payload: unknown): unknown {
  const encoding = payloadEncoding(payload);
  if (encoding === undefined || !isObject(payload)) return payload;
  if (encoding === 'binary/null') return null;
  if (!encoding.startsWith('json/')) return payload;
  const text = base64Text(payload.data ?? '');
  if (text === undefined) return payload;
  try {
    return JSON.parse(text);
  } catch {
    return payload;
  }
}

/** `{ payloads: [...] }` (Temporal's Payloads message) or a bare array → the decoded values. */
export function decodePayloads(payloads: unknown): unknown[] {
  const list = isObject(payloads) ? payloads.payloads : payloads;
  return Array.isArray(list) ? list.map(decodePayload) : [];
}
