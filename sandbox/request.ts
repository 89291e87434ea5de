/** An API request as the routes see it: the server has parsed the path and the JSON body. */
import { issue, type ValidationIssue } from './errors';

export type RequestBody =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'invalid'; position: number; message: string };

export interface ApiRequest {
  method: string;
  /** Decoded path segments after /v1/workflows. */
  segments: string[];
  query: URLSearchParams;
  body: RequestBody;
}

/** The JSON object body a POST needs, or the 422 issues FastAPI would raise. */
export function bodyObject(body: RequestBody): { issues: ValidationIssue[]; value: Record<string, unknown> } {
  if (body.kind === 'invalid') return { issues: [issue.json(body.position, body.message)], value: {} };
  if (body.kind === 'none') return { issues: [issue.missing(['body'], null)], value: {} };
  const v = body.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return { issues: [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: v }], value: {} };
  }
  return { issues: [], value: v as Record<string, unknown> };
}
