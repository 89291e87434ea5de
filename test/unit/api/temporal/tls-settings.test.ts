/**
 * A Temporal workspace's TLS settings, read when connecting (src/config/temporalTls.ts), on real files
 * from a throwaway CA: what is passed to the client, and every settings problem a user can make, each
 * a message that names the file and the setting and never what the file holds.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadTemporalTls, type TemporalTls } from '../../../../src/config/temporalTls';
import { parseWorkspaces, type WorkspaceConfig } from '../../../../src/config/workspaceList';
import { makeTestPki, type TestPki } from '../../../helpers/tls';

const BASE: WorkspaceConfig = { name: 'cluster', kind: 'temporal', baseUrl: 'https://127.0.0.1:7243', production: false, namespace: 'default' };

describe('config/temporalTls: a Temporal workspace’s TLS files, read when connecting', () => {
  let pki: TestPki;
  let mtls: Pick<WorkspaceConfig, 'clientCertFile' | 'clientKeyFile' | 'serverCaFile'>;
  before(async () => {
    pki = await makeTestPki();
    mtls = { clientCertFile: pki.client.cert, clientKeyFile: pki.client.key, serverCaFile: pki.ca.cert };
  });
  after(() => pki?.remove());

  const load = (entry: Partial<WorkspaceConfig>): Promise<TemporalTls> => loadTemporalTls({ ...BASE, ...entry });

  async function problemOf(entry: Partial<WorkspaceConfig>): Promise<string> {
    const result = await load(entry);
    assert.equal(result.kind, 'problem', JSON.stringify(result));
    const { problem } = result as { problem: string };
    // No line of any file the entry names (base64 bodies included) may appear in the message.
    for (const file of [entry.clientCertFile, entry.clientKeyFile, entry.serverCaFile]) {
      if (file === undefined || !fs.existsSync(file) || fs.statSync(file).isDirectory()) continue;
      for (const line of fs.readFileSync(file, 'latin1').split('\n').filter((l) => l.length > 8 && !l.startsWith('-----'))) {
        assert.ok(!problem.includes(line), `the message quotes ${file}`);
      }
    }
    return problem;
  }

  it('nothing set: no TLS settings at all (the system’s CAs, no client certificate)', async () => {
    assert.deepEqual(await load({}), { kind: 'ready', tls: undefined, summary: [] });
  });

  it('client certificate, key, CA and server name: the files’ bytes and the name, for tls.connect', async () => {
    const result = await load({ ...mtls, serverName: 'localhost' });
    assert.equal(result.kind, 'ready');
    const { tls, summary } = result as Extract<TemporalTls, { kind: 'ready' }>;
    assert.deepEqual(tls, {
      cert: fs.readFileSync(pki.client.cert), key: fs.readFileSync(pki.client.key), ca: fs.readFileSync(pki.ca.cert), servername: 'localhost',
    });
    assert.deepEqual(summary, ['mTLS', `the CA in ${pki.ca.cert}`, 'server name localhost']);
  });

  it('a CA alone (server-side TLS with a private CA, no mTLS) is enough', async () => {
    const result = await load({ serverCaFile: pki.ca.cert });
    assert.deepEqual(result, { kind: 'ready', tls: { ca: fs.readFileSync(pki.ca.cert) }, summary: [`the CA in ${pki.ca.cert}`] });
  });

  it('TLS settings on a plain http:// base URL are a problem that names them', async () => {
    assert.equal(
      await problemOf({ baseUrl: 'http://127.0.0.1:7243', ...mtls }),
      'clientCertFile, clientKeyFile and serverCaFile are for TLS connections, but the base URL http://127.0.0.1:7243 is plain http://: ' +
        'use the cluster\'s https:// address, or remove them.',
    );
    assert.match(await problemOf({ baseUrl: 'http://127.0.0.1:7243', serverName: 'temporal.internal' }), /^serverName is for TLS connections, .* or remove it\.$/);
  });

  it('a certificate without its key, or a key without its certificate', async () => {
    assert.equal(await problemOf({ clientCertFile: pki.client.cert }), 'mTLS needs both clientCertFile and clientKeyFile.');
    assert.equal(await problemOf({ clientKeyFile: pki.client.key }), 'mTLS needs both clientCertFile and clientKeyFile.');
  });

  it('a file that cannot be read: named, with why', async () => {
    const missing = path.join(pki.dir, 'nope.pem');
    assert.equal(await problemOf({ ...mtls, clientCertFile: missing }), `The mTLS file ${missing} cannot be read (it does not exist).`);
    assert.equal(await problemOf({ ...mtls, clientKeyFile: missing }), `The mTLS file ${missing} cannot be read (it does not exist).`);
    assert.equal(await problemOf({ ...mtls, serverCaFile: missing }), `The server CA file ${missing} cannot be read (it does not exist).`);
    assert.equal(await problemOf({ serverCaFile: pki.dir }), `The server CA file ${pki.dir} cannot be read (it is a folder).`);
  });

  it('a file that is not PEM, or holds the wrong kind of PEM block', async () => {
    const der = path.join(pki.dir, 'binary.der');
    fs.writeFileSync(der, Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00, 0xc3]));
    assert.match(await problemOf({ ...mtls, clientCertFile: der }), new RegExp(`^The client certificate file ${escape(der)} \\(clientCertFile\\) is not a PEM client certificate: .*openssl x509 -inform der`));
    assert.match(await problemOf({ ...mtls, clientKeyFile: pki.client.cert }), new RegExp(`^The client key file ${escape(pki.client.cert)} \\(clientKeyFile\\) is not a PEM client key`));
    assert.match(await problemOf({ serverCaFile: pki.ca.key }), new RegExp(`^The CA certificate file ${escape(pki.ca.key)} \\(serverCaFile\\) is not a PEM CA certificate`));
    const garbled = path.join(pki.dir, 'garbled.pem');
    fs.writeFileSync(garbled, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    assert.match(await problemOf({ serverCaFile: garbled }), /\(serverCaFile\) has a “-----BEGIN CERTIFICATE-----” block that is not a valid certificate\.$/);
  });

  it('an encrypted key: the extension cannot ask for its passphrase, so it says so', async () => {
    const encrypted = path.join(pki.dir, 'encrypted.key');
    fs.writeFileSync(encrypted, '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n');
    assert.match(await problemOf({ ...mtls, clientKeyFile: encrypted }), /\(clientKeyFile\) is encrypted with a passphrase, which the extension cannot supply/);
  });

  it('a key that does not belong to the certificate: both files named', async () => {
    assert.equal(
      await problemOf({ ...mtls, clientKeyFile: pki.strangerClient.key }),
      `The client key ${pki.strangerClient.key} (clientKeyFile) does not belong to the client certificate ${pki.client.cert} (clientCertFile).`,
    );
  });

  it('a server name that is a URL or an IP address', async () => {
    assert.match(await problemOf({ serverName: 'https://temporal.internal' }), /must be a host name \(e\.g\. temporal\.internal\), not a URL/);
    assert.match(await problemOf({ serverName: '10.0.0.7' }), /is an IP address: put it in the base URL instead/);
  });

  it('parseWorkspaces keeps serverCaFile and serverName of Temporal entries (trimmed), and only those that are set', () => {
    assert.deepEqual(
      parseWorkspaces([
        { name: 'a', kind: 'temporal', baseUrl: 'https://t.example', serverCaFile: ' /ca.pem ', serverName: ' temporal.internal ' },
        { name: 'b', kind: 'temporal', baseUrl: 'https://t.example', serverCaFile: '', serverName: 7 },
        { name: 'c', baseUrl: 'https://api.mistral.ai', serverCaFile: '/ca.pem' },
      ]),
      [
        { name: 'a', kind: 'temporal', baseUrl: 'https://t.example', production: false, namespace: 'default', serverCaFile: '/ca.pem', serverName: 'temporal.internal' },
        { name: 'b', kind: 'temporal', baseUrl: 'https://t.example', production: false, namespace: 'default' },
        { name: 'c', kind: 'mistral', baseUrl: 'https://api.mistral.ai', production: false },
      ],
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
