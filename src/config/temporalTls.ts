/**
 * The TLS settings of a Temporal workspace, read from the files its entry names, when connecting (so a
 * renewed certificate is picked up by the next connection, and settings never hold key material).
 * Everything that can be wrong with them is found here, before anything is sent, and becomes a settings
 * problem the view shows as a row: TLS settings on a plain http:// base URL, a certificate without its
 * key, a file that cannot be read or is not PEM, a key that does not belong to the certificate. The
 * messages name files and settings, never what the files contain. No `vscode` here: unit-tested.
 */
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { TlsSettings } from '../api';
import type { WorkspaceConfig } from './workspaceList';

export type TemporalTls =
  | { kind: 'ready'; tls: TlsSettings | undefined; /** For the log: "mTLS, a private CA". */ summary: string[] }
  | { kind: 'problem'; problem: string };

type TlsField = 'clientCertFile' | 'clientKeyFile' | 'serverCaFile' | 'serverName';
const TLS_FIELDS: readonly TlsField[] = ['clientCertFile', 'clientKeyFile', 'serverCaFile', 'serverName'];

const CERTIFICATE = /-----BEGIN (TRUSTED )?CERTIFICATE-----/;
const PRIVATE_KEY = /-----BEGIN ([A-Z0-9]+ )?PRIVATE KEY-----/;
const ENCRYPTED_KEY = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/;

export async function loadTemporalTls(workspace: WorkspaceConfig): Promise<TemporalTls> {
  const set = TLS_FIELDS.filter((f) => workspace[f] !== undefined);
  if (set.length === 0) return { kind: 'ready', tls: undefined, summary: [] };
  const plain = plainHttpProblem(workspace.baseUrl, set);
  if (plain) return problem(plain);
  const { clientCertFile, clientKeyFile, serverCaFile, serverName } = workspace;
  if ((clientCertFile === undefined) !== (clientKeyFile === undefined)) return problem('mTLS needs both clientCertFile and clientKeyFile.');
  const settings: TlsSettings = {};
  const summary: string[] = [];
  if (clientCertFile !== undefined && clientKeyFile !== undefined) {
    const cert = await readPem(clientCertFile, 'The mTLS file', 'client certificate', 'clientCertFile', CERTIFICATE);
    if (typeof cert === 'string') return problem(cert);
    const key = await readPem(clientKeyFile, 'The mTLS file', 'client key', 'clientKeyFile', PRIVATE_KEY);
    if (typeof key === 'string') return problem(key);
    if (ENCRYPTED_KEY.test(key.toString('latin1'))) {
      return problem(`The client key file ${clientKeyFile} (clientKeyFile) is encrypted with a passphrase, which the extension cannot supply: store it decrypted (e.g. openssl pkey -in <file> -out <new file>), readable only by you.`);
    }
    settings.cert = cert;
    settings.key = key;
    summary.push('mTLS');
  }
  if (serverCaFile !== undefined) {
    const ca = await readPem(serverCaFile, 'The server CA file', 'CA certificate', 'serverCaFile', CERTIFICATE);
    if (typeof ca === 'string') return problem(ca);
    settings.ca = ca;
    summary.push(`the CA in ${serverCaFile}`);
  }
  if (serverName !== undefined) {
    const bad = serverNameProblem(serverName);
    if (bad) return problem(bad);
    settings.servername = serverName;
    summary.push(`server name ${serverName}`);
  }
  const unusable = secureContextProblem(settings, workspace);
  return unusable ? problem(unusable) : { kind: 'ready', tls: settings, summary };
}

function problem(text: string): TemporalTls {
  return { kind: 'problem', problem: text };
}

/** TLS settings on http:// would be ignored in silence: the user meant a TLS connection. */
function plainHttpProblem(baseUrl: string, set: readonly TlsField[]): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return undefined; // baseUrlProblem() reports it
  }
  if (url.protocol === 'https:') return undefined;
  const names = set.length === 1 ? set[0] : `${set.slice(0, -1).join(', ')} and ${set.at(-1)}`;
  return `${names} ${set.length === 1 ? 'is' : 'are'} for TLS connections, but the base URL ${url.origin} is plain http://: ` +
    `use the cluster's https:// address, or remove ${set.length === 1 ? 'it' : 'them'}.`;
}

/** The file's bytes, or a message: unreadable, or without the PEM block it must hold. */
async function readPem(file: string, readAs: string, what: string, setting: TlsField, block: RegExp): Promise<Buffer | string> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    return `${readAs} ${file} cannot be read (${readFailure(error)}).`;
  }
  // latin1: any bytes decode, so a DER (binary) file is simply found to have no PEM line.
  if (!block.test(bytes.toString('latin1'))) {
    return `The ${what} file ${file} (${setting}) is not a PEM ${what}: it has no “${block === CERTIFICATE ? '-----BEGIN CERTIFICATE-----' : '-----BEGIN … PRIVATE KEY-----'}” line.` +
      (block === CERTIFICATE ? ' A DER certificate converts with: openssl x509 -inform der -in <file> -out <file>.pem' : '');
  }
  if (block === CERTIFICATE && !decodes(bytes)) {
    // Node skips a CA it cannot decode without a word; the handshake would then fail as "not trusted".
    return `The ${what} file ${file} (${setting}) has a “-----BEGIN CERTIFICATE-----” block that is not a valid certificate.`;
  }
  return bytes;
}

function decodes(pem: Buffer): boolean {
  try {
    new X509Certificate(pem); // the file's first certificate
    return true;
  } catch {
    return false;
  }
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return code ?? 'error';
}

function serverNameProblem(name: string): string | undefined {
  if (/[\s/:@]/.test(name)) return `serverName “${name}” must be a host name (e.g. temporal.internal), not a URL.`;
  // RFC 6066 forbids an IP address as SNI and Node will not send one: the IP belongs in the base URL.
  if (net.isIP(name.replace(/^\[|\]$/g, ''))) return `serverName “${name}” is an IP address: put it in the base URL instead; serverName is a DNS name.`;
  return undefined;
}

/** What Node would throw on the first connection (a key that is not the certificate's), said now. */
function secureContextProblem(settings: TlsSettings, workspace: WorkspaceConfig): string | undefined {
  try {
    tls.createSecureContext({ cert: settings.cert, key: settings.key, ca: settings.ca });
    return undefined;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { reason?: unknown };
    if (e.code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH') {
      return `The client key ${workspace.clientKeyFile} (clientKeyFile) does not belong to the client certificate ${workspace.clientCertFile} (clientCertFile).`;
    }
    // OpenSSL's reason ("bad base64 decode", "unsupported") names the problem, never the bytes.
    const reason = typeof e.reason === 'string' ? `: ${e.reason}` : '';
    return `The TLS files (clientCertFile, clientKeyFile, serverCaFile) cannot be used (${e.code ?? 'error'}${reason}).`;
  }
}
