/**
 * The five Mistral endpoints a real worker calls (engine/README.md, "What the worker needs from our
 * API"), and nothing else: whoami names the local Temporal; register, heartbeat, executions/register
 * and events say yes. Records every request, so tests can check what the worker sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WorkerApiRequest {
  method: string;
  path: string;
  authorization?: string;
  body: unknown;
}

export interface FakeMistralApi {
  url: string;
  requests: WorkerApiRequest[];
  close(): Promise<void>;
}

export async function startFakeMistralApi(temporal: { grpcAddress: string; namespace: string }): Promise<FakeMistralApi> {
  const requests: WorkerApiRequest[] = [];
  let ids = 0;
  const id = (): string => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;
  const answer = (method: string, path: string, body: unknown): [number, unknown] => {
    const route = `${method} ${path}`;
    if (route === 'GET /v1/workflows/workers/whoami') {
      // events v1: the SDK defaults to v2's route-token protocol otherwise.
      return [200, { scheduler_url: temporal.grpcAddress, namespace: temporal.namespace, tls: false, features: { upload_graph: false, events_api_version: 'v1' } }];
    }
    if (route === 'POST /v1/workflows/register') {
      const definitions = isObject(body) && Array.isArray(body.definitions) ? body.definitions : [];
      // workflow_version_id is "deprecated" but required by the SDK's response model (else the worker exits).
      const refs = definitions.map(() => {
        const registration = id();
        return { workflow_id: id(), workflow_registration_id: registration, workflow_version_id: registration };
      });
      return [200, { has_conflicts: false, workflow_registration_ids: refs.map((r) => r.workflow_registration_id), workflow_registration_refs: refs, warnings: [] }];
    }
    if (route === 'POST /v1/workflows/workers/heartbeat') return [200, { all_active: true }];
    if (route === 'POST /v1/workflows/executions/register') {
      const executionId = isObject(body) ? body.temporal_workflow_id : undefined;
      return [200, { execution_id: executionId, created: true, metadata_status: 'ok' }];
    }
    if (route === 'POST /v1/workflows/events' || route === 'POST /v1/workflows/events/batch') return [200, { status: 'success', message: null }];
    return [404, { detail: 'Not Found' }]; // untagged: the SDK reads it as "route absent"
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        /* kept as text */
      }
      const path = (req.url ?? '').split('?')[0];
      requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
      const [status, out] = answer(req.method ?? '', path, body);
      const json = JSON.stringify(out);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
      res.end(json);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
