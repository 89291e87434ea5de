/**
 * TemporalClient over TLS with real handshakes: a node:https server on 127.0.0.1 that demands a client
 * certificate signed by a throwaway CA (test/helpers/tls.ts), answering like Temporal's HTTP API. Run
 * against a TLS 1.3 server (what Temporal negotiates today) and a TLS 1.2 one.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { WorkflowsApiError } from '../../src/api';
import { TemporalClient, type TemporalClientOptions } from '../../src/api/temporal';
import { makeTestPki, mtlsServerOptions, type TestPki } from '../helpers/tls';
import { rejection } from './api-testServer';

const LIST = '/api/v1/namespaces/default/workflows';
const EXECUTION = { execution: { workflowId: 'mtls-order', runId: 'run-1' }, type: { name: 'order' }, status: 'WORKFLOW_EXECUTION_STATUS_RUNNING' };

interface TlsServer {
  port: number;
  /** Requests that reached the HTTP layer, with the client certificate's CN. */
  requests: { method: string; url: string; clientCn: string | undefined }[];
  close(): Promise<void>;
}

async function startTlsServer(pki: TestPki, options: { maxVersion?: 'TLSv1.2' | 'TLSv1.3' } = {}): Promise<TlsServer> {
  const requests: TlsServer['requests'] = [];
  const server = https.createServer({ ...mtlsServerOptions(pki), maxVersion: options.maxVersion ?? 'TLSv1.3' }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    requests.push({ method: req.method ?? '', url: req.url ?? '', clientCn: typeof peer.subject?.CN === 'string' ? peer.subject.CN : undefined });
    const list = req.url?.startsWith(LIST) === true;
    const body = list ? { executions: [EXECUTION] } : { code: 5, message: 'not found', details: [] };
    res.writeHead(list ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe('api/temporal: TemporalClient over TLS, with real handshakes', () => {
  let pki: TestPki;
  const pem = (file: string): Buffer => fs.readFileSync(file);
  const trusted = (): TemporalClientOptions['tls'] => ({ cert: pem(pki.client.cert), key: pem(pki.client.key), ca: pem(pki.ca.cert) });

  before(async () => {
    pki = await makeTestPki();
  });
  after(() => pki?.remove());

  async function withClient<T>(server: TlsServer, options: Partial<TemporalClientOptions>, fn: (client: TemporalClient) => Promise<T>): Promise<T> {
    const client = new TemporalClient({ baseUrl: `https://127.0.0.1:${server.port}`, namespace: 'default', timeoutMs: 10_000, retryBaseDelayMs: 1, maxRetryDelayMs: 5, ...options });
    try {
      return await fn(client);
    } finally {
      await client.close();
    }
  }

  for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
    describe(`a server that requires client certificates (${maxVersion})`, () => {
      let server: TlsServer;
      beforeEach(async () => {
        server = await startTlsServer(pki, { maxVersion });
      });
      afterEach(() => server.close());

      it('with the client certificate, its key and the CA: lists, and the server saw that certificate', () =>
        withClient(server, { tls: trusted() }, async (client) => {
          const page = await client.listWorkflows();
          assert.deepEqual(page.executions.map((e) => e.workflowId), ['mtls-order']);
          assert.deepEqual(server.requests.map((r) => r.clientCn), ['mwf-test-client']);
        }));
    });
  }

  it('serverName replaces the base URL’s host for SNI and the check: right on 127.0.0.1, wrong on localhost', async () => {
    const server = await startTlsServer(pki);
    try {
      await withClient(server, { tls: { ...trusted(), servername: 'localhost' } }, async (client) => {
        assert.deepEqual((await client.listWorkflows()).executions.map((e) => e.workflowId), ['mtls-order']);
      });
      // localhost is in the certificate: only the override can make this fail.
      const e = await withClient(server, { baseUrl: `https://localhost:${server.port}`, tls: { ...trusted(), servername: 'temporal.example' } }, (client) => rejection(client.listWorkflows()));
      assert.ok(e instanceof WorkflowsApiError);
      assert.equal((e.cause as { code?: unknown } | undefined)?.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
    } finally {
      await server.close();
    }
  });
});
