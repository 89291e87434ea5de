/**
 * TemporalClient over TLS with real handshakes: a node:https server on 127.0.0.1 that demands a client
 * certificate signed by a throwaway CA (test/helpers/tls.ts), answering like Temporal's HTTP API. Each
 * way the handshake can fail must come back as the message that names the setting to fix, and none of
 * them may reach the server's HTTP layer. Run against a TLS 1.3 server (what Temporal negotiates today;
 * a refused client certificate then surfaces only after the handshake) and a TLS 1.2 one (it surfaces
 * as an alert during the handshake).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { WorkflowsApiError } from '../../../../src/api';
import { WorkflowsClient } from '../../../../src/api/mistral';
import { TemporalClient, type TemporalClientOptions } from '../../../../src/api/temporal';
import { tlsFailureOf, tlsMessage } from '../../../../src/api/tls';
import { makeTestPki, mtlsServerOptions, type TestPki } from '../../../helpers/tls';
import { rejection } from '../testServer';

const LIST = '/api/v1/namespaces/default/workflows';
const EXECUTION = { execution: { workflowId: 'mtls-order', runId: 'run-1' }, type: { name: 'order' }, status: 'WORKFLOW_EXECUTION_STATUS_RUNNING' };

interface TlsServer {
  port: number;
  /** Requests that reached the HTTP layer, with the client certificate's CN. */
  requests: { method: string; url: string; clientCn: string | undefined }[];
  /** TCP connections accepted: the client's and any probe's. */
  connections: number;
  close(): Promise<void>;
}

async function startTlsServer(pki: TestPki, options: { maxVersion?: 'TLSv1.2' | 'TLSv1.3'; requestCert?: boolean; dropFirst?: boolean } = {}): Promise<TlsServer> {
  const requests: TlsServer['requests'] = [];
  const tls = { ...mtlsServerOptions(pki), ...(options.requestCert === false ? { requestCert: false, rejectUnauthorized: false } : {}) };
  const server = https.createServer({ ...tls, maxVersion: options.maxVersion ?? 'TLSv1.3' }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    requests.push({ method: req.method ?? '', url: req.url ?? '', clientCn: typeof peer.subject?.CN === 'string' ? peer.subject.CN : undefined });
    const list = req.url?.startsWith(LIST) === true;
    if (options.dropFirst === true && list && requests.filter((r) => r.url.startsWith(LIST)).length === 1) {
      req.socket.destroy(); // a server that hangs up on a request once, TLS being fine
      return;
    }
    const body = list ? { executions: [EXECUTION] } : { code: 5, message: 'not found', details: [] };
    res.writeHead(list ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  const result: TlsServer = {
    port: 0, requests, connections: 0,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  server.on('connection', () => result.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  result.port = (server.address() as AddressInfo).port;
  return result;
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

  /** The error of one list call, which made `connections` connections; the server's HTTP layer must not have seen it. */
  async function listFailure(server: TlsServer, options: Partial<TemporalClientOptions>, connections = 1): Promise<WorkflowsApiError> {
    return withClient(server, options, async (client) => {
      const e = await rejection(client.listWorkflows());
      assert.ok(e instanceof WorkflowsApiError, `not a WorkflowsApiError: ${String(e)}`);
      assert.equal(e.kind, 'network');
      assert.equal(e.retryable, false, 'the same settings meet the same certificate again: not retried');
      assert.doesNotMatch(e.message, /BEGIN|PRIVATE KEY/, 'no file contents in messages');
      assert.equal(server.requests.length, 0, 'nothing reached the server’s HTTP layer');
      assert.equal(server.connections, connections, 'connections: the request’s, and the probe’s when one was needed; no retry');
      return e;
    });
  }

  for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
    describe(`a server that requires client certificates (${maxVersion})`, () => {
      // Under TLS 1.3 a refused client certificate reaches undici as a bare hang-up: the probe tells.
      const refusal = maxVersion === 'TLSv1.3' ? 2 : 1;
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

      it('without a client certificate: the server requires one, set clientCertFile and clientKeyFile', async () => {
        const e = await listFailure(server, { tls: { ca: pem(pki.ca.cert) } }, refusal);
        assert.equal(e.tls, 'clientCertificate');
        assert.match(e.message, new RegExp(`^The server at https://127\\.0\\.0\\.1:${server.port} requires a client certificate`));
        assert.match(e.message, /Set clientCertFile and clientKeyFile\.$/);
      });

      it('with a client certificate from a CA the server does not trust: rejected', async () => {
        const e = await listFailure(server, { tls: { cert: pem(pki.strangerClient.cert), key: pem(pki.strangerClient.key), ca: pem(pki.ca.cert) } }, refusal);
        assert.equal(e.tls, 'clientCertificate');
        assert.match(e.message, /rejected the client certificate/);
        assert.match(e.message, /clientCertFile is signed by a CA the cluster trusts/);
      });

      it('with a CA that did not sign the server’s certificate: not trusted, set serverCaFile', async () => {
        const e = await listFailure(server, { tls: { ...trusted(), ca: pem(pki.otherCa.cert) } });
        assert.equal(e.tls, 'untrusted');
        assert.match(e.message, /The server's certificate at https:\/\/127\.0\.0\.1:\d+ is not trusted \(SELF_SIGNED_CERT_IN_CHAIN\)/);
        assert.match(e.message, /set serverCaFile to the CA certificate that signed it/);
      });

      it('with a serverName the certificate does not hold: the name, and what it holds', async () => {
        const e = await listFailure(server, { tls: { ...trusted(), servername: 'temporal.example' } });
        assert.equal(e.tls, 'nameMismatch');
        assert.match(e.message, /not valid for the name the connection asked for \(.*temporal\.example.*DNS:localhost/);
        assert.match(e.message, /Set serverName to a name the certificate holds/);
      });
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
      assert.equal(e.tls, 'nameMismatch');
    } finally {
      await server.close();
    }
  });

  it('a key that is not the certificate’s: said before anything is sent', async () => {
    const server = await startTlsServer(pki);
    try {
      const e = await listFailure(server, { tls: { ...trusted(), key: pem(pki.strangerClient.key) } }, 0);
      assert.equal(e.tls, 'keyMismatch');
      assert.match(e.message, /^The client key does not match the client certificate \(ERR_OSSL_X509_KEY_VALUES_MISMATCH\)\. Check clientCertFile and clientKeyFile\.$/);
    } finally {
      await server.close();
    }
  });

  it('a server that hangs up once, TLS being fine: the probe hears an answer, the read is retried and succeeds', async () => {
    const server = await startTlsServer(pki, { requestCert: false, dropFirst: true });
    try {
      await withClient(server, { tls: { ca: pem(pki.ca.cert) } }, async (client) => {
        assert.deepEqual((await client.listWorkflows()).executions.map((e) => e.workflowId), ['mtls-order']);
      });
      assert.deepEqual(server.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`), [`GET ${LIST}`, 'HEAD /', `GET ${LIST}`]);
    } finally {
      await server.close();
    }
  });

  it('a Mistral workspace meets an untrusted certificate: the message names no Temporal setting', async () => {
    const server = await startTlsServer(pki, { requestCert: false });
    const client = new WorkflowsClient({ baseUrl: `https://127.0.0.1:${server.port}`, apiKey: 'sk-test', timeoutMs: 10_000, maxRetries: 0 });
    try {
      const e = await rejection(client.listExecutions({}));
      assert.ok(e instanceof WorkflowsApiError);
      assert.equal(e.tls, 'untrusted');
      assert.match(e.message, /is not trusted \(SELF_SIGNED_CERT_IN_CHAIN\)\.$/);
      assert.doesNotMatch(e.message, /serverCaFile/);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe('api/tls: codes no test server here produces, read the same way', () => {
  const ctx = { origin: 'https://t.example', code: 'X', clientCertificate: true, settingsHints: true };
  it('every way the server’s certificate can be untrusted asks for serverCaFile', () => {
    for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']) {
      assert.equal(tlsFailureOf(code), 'untrusted', code);
    }
    assert.match(tlsMessage('untrusted', ctx), /set serverCaFile/);
  });
  it('alerts a Go server (Temporal) sends for a missing or refused client certificate', () => {
    for (const code of ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA']) {
      assert.equal(tlsFailureOf(code), 'clientCertificate', code);
    }
    assert.match(tlsMessage('clientCertificate', { ...ctx, clientCertificate: false }), /requires a client certificate .* Set clientCertFile and clientKeyFile\.$/);
  });
  it('a plain-HTTP port behind an https:// base URL, and a reset that is not about TLS', () => {
    assert.equal(tlsFailureOf('ERR_SSL_WRONG_VERSION_NUMBER'), 'notTls');
    assert.match(tlsMessage('notTls', ctx), /does not answer with TLS .* must start with http:\/\//);
    assert.equal(tlsFailureOf('ECONNRESET', 'read ECONNRESET'), undefined);
    assert.equal(tlsFailureOf('ECONNRESET', 'Client network socket disconnected before secure TLS connection was established'), 'clientCertificate');
  });
});
