/**
 * Throwaway certificates for the mTLS tests (unit and inside VS Code), made at test time with the
 * `openssl` CLI (scripts/setup.sh installs it for the tests): nothing secret is committed, and every
 * run proves the extension against a fresh CA rather than fixtures that could expire.
 *
 * What is made, each in PEM files in a fresh temp folder that `remove()` deletes:
 * - `ca`: the CA that signs the server's certificate and the client's (what serverCaFile points at);
 * - `server`: a certificate for 127.0.0.1 and localhost, signed by `ca`;
 * - `client`: a client certificate signed by `ca` (what clientCertFile/clientKeyFile point at);
 * - `otherCa`, and `strangerClient` signed by it: a CA and a client the server does not trust.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { TlsOptions } from 'node:tls';

const run = promisify(execFile);

interface CertFiles {
  cert: string;
  key: string;
}

export interface TestPki {
  dir: string;
  ca: CertFiles;
  server: CertFiles;
  client: CertFiles;
  otherCa: CertFiles;
  strangerClient: CertFiles;
  /** Deletes the folder and everything in it. */
  remove(): void;
}

/** The names the server's certificate is valid for. */
const SERVER_NAMES = { ip: '127.0.0.1', dns: 'localhost' } as const;

export async function makeTestPki(): Promise<TestPki> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mwf-tls-'));
  const files = (name: string): CertFiles => ({ cert: path.join(dir, `${name}.pem`), key: path.join(dir, `${name}.key`) });
  try {
    const ca = files('ca');
    const otherCa = files('other-ca');
    await selfSignedCa(ca, 'Mistral Workflows test CA');
    await selfSignedCa(otherCa, 'Some other CA');
    const server = files('server');
    const client = files('client');
    const strangerClient = files('stranger-client');
    await signed(server, ca, 'mwf-test-server', `subjectAltName=IP:${SERVER_NAMES.ip},DNS:${SERVER_NAMES.dns}\nextendedKeyUsage=serverAuth\n`);
    await signed(client, ca, 'mwf-test-client', 'extendedKeyUsage=clientAuth\n');
    await signed(strangerClient, otherCa, 'mwf-stranger-client', 'extendedKeyUsage=clientAuth\n');
    return { dir, ca, server, client, otherCa, strangerClient, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * What a server that demands a client certificate signed by `pki.ca` passes to https.createServer:
 * Temporal's frontend with `requireClientAuth`.
 */
export function mtlsServerOptions(pki: TestPki): TlsOptions {
  return {
    cert: fs.readFileSync(pki.server.cert),
    key: fs.readFileSync(pki.server.key),
    ca: fs.readFileSync(pki.ca.cert),
    requestCert: true,
    rejectUnauthorized: true,
  };
}

// EC P-256 keys: as good as RSA for a handshake, and made in milliseconds.
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function selfSignedCa(out: CertFiles, name: string): Promise<void> {
  await openssl(
    'req', '-x509', ...EC_KEY, '-keyout', out.key, '-out', out.cert, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  );
}

async function signed(out: CertFiles, issuer: CertFiles, name: string, extensions: string): Promise<void> {
  const csr = `${out.cert}.csr`;
  const ext = `${out.cert}.ext`;
  fs.writeFileSync(ext, extensions);
  await openssl('req', '-new', ...EC_KEY, '-keyout', out.key, '-out', csr, '-subj', `/CN=${name}`);
  await openssl(
    'x509', '-req', '-in', csr, '-CA', issuer.cert, '-CAkey', issuer.key, '-CAcreateserial', '-out', out.cert,
    '-days', '2', '-sha256', '-extfile', ext,
  );
  fs.rmSync(csr);
  fs.rmSync(ext);
}

async function openssl(...args: string[]): Promise<void> {
  try {
    await run('openssl', args, { timeout: 30_000 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('The mTLS tests make their certificates with the openssl CLI: install it (scripts/setup.sh test does).');
    throw new Error(`openssl ${args[0]} failed: ${e.stderr ?? e.message}`);
  }
}
