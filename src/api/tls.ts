/**
 * TLS settings of a connection and what its failures mean to a user. Node reports a failed handshake as
 * an OpenSSL or X.509 code ("SELF_SIGNED_CERT_IN_CHAIN", "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED"),
 * which names the symptom, not the setting that fixes it; this module does the translation. Messages
 * name codes and settings only, never certificate or key bytes.
 */

/** Passed to tls.connect (through undici's `connect`) for every connection of a client. */
export interface TlsSettings {
  /** Client certificate and key (PEM), for mutual TLS. */
  cert?: Buffer;
  key?: Buffer;
  /** CA certificates (PEM) to trust for the server, instead of the system's. */
  ca?: Buffer;
  /** SNI, and the name the server's certificate must hold, instead of the base URL's host. */
  servername?: string;
}

export type TlsFailure =
  | 'untrusted'
  | 'expired'
  | 'nameMismatch'
  /** The server ended the handshake because we sent no client certificate, or one it refused. */
  | 'clientCertificate'
  | 'keyMismatch'
  | 'notPem'
  | 'notTls';

const FAILURE_BY_CODE: Readonly<Record<string, TlsFailure>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted',
  CERT_UNTRUSTED: 'untrusted',
  CERT_SIGNATURE_FAILURE: 'untrusted',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'nameMismatch',
  // Alerts a server sends when it wants a client certificate it did not get or does not accept.
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'clientCertificate',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'clientCertificate',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: 'clientCertificate',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: 'clientCertificate',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED: 'clientCertificate',
  ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE: 'clientCertificate',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'clientCertificate',
  ERR_SSL_TLSV1_ALERT_ACCESS_DENIED: 'clientCertificate',
  ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR: 'clientCertificate',
  // TLS 1.2 servers answer a missing client certificate with a plain handshake failure.
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'clientCertificate',
  // Thrown while building the secure context from the configured files, before anything is sent.
  ERR_OSSL_X509_KEY_VALUES_MISMATCH: 'keyMismatch',
  ERR_OSSL_PEM_NO_START_LINE: 'notPem',
  ERR_OSSL_PEM_BAD_BASE64_DECODE: 'notPem',
  ERR_OSSL_UNSUPPORTED: 'notPem',
  // A TLS client talking to a plain-HTTP port reads an HTTP answer as a TLS record.
  ERR_SSL_WRONG_VERSION_NUMBER: 'notTls',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'notTls',
};

/** Node's message for a socket closed by the server in the middle of the TLS handshake (TLS 1.2). */
const CLOSED_IN_HANDSHAKE = 'before secure TLS connection was established';

/** What a failed connection's error says about TLS; undefined when it is not a TLS failure. */
export function tlsFailureOf(code: string | undefined, message?: string): TlsFailure | undefined {
  if (code !== undefined && Object.hasOwn(FAILURE_BY_CODE, code)) return FAILURE_BY_CODE[code];
  if (code === 'ECONNRESET' && message?.includes(CLOSED_IN_HANDSHAKE)) return 'clientCertificate';
  return undefined;
}

interface TlsMessageContext {
  origin: string;
  /** The code or alert as Node reported it, to quote. */
  code: string;
  /** Whether the connection offered a client certificate. */
  clientCertificate: boolean;
  /** Name the workspace settings that fix each failure (Temporal workspaces have them; Mistral ones do not). */
  settingsHints: boolean;
  /** For a name mismatch: Node's explanation (the host and the names the certificate holds; both public). */
  reason?: string;
}

export function tlsMessage(failure: TlsFailure, c: TlsMessageContext): string {
  const hint = (text: string): string => (c.settingsHints ? ` ${text}` : '');
  switch (failure) {
    case 'untrusted':
      return `The server's certificate at ${c.origin} is not trusted (${c.code}).` +
        hint('If the cluster uses a private CA, set serverCaFile to the CA certificate that signed it.');
    case 'expired':
      return `The server's certificate at ${c.origin} has expired or is not valid yet (${c.code}).`;
    case 'nameMismatch':
      return `The server's certificate at ${c.origin} is not valid for the name the connection asked for (${c.reason ?? c.code}).` +
        hint('Set serverName to a name the certificate holds, or use that name in the base URL.');
    case 'clientCertificate':
      return c.clientCertificate
        ? `The server at ${c.origin} rejected the client certificate (${c.code}).` +
          hint('Check that clientCertFile is signed by a CA the cluster trusts, is not expired, and matches clientKeyFile.')
        : `The server at ${c.origin} requires a client certificate (mutual TLS) and none was sent (${c.code}).` +
          hint('Set clientCertFile and clientKeyFile.');
    case 'keyMismatch':
      return `The client key does not match the client certificate (${c.code}).` + hint('Check clientCertFile and clientKeyFile.');
    case 'notPem':
      return `A client certificate, key or CA is not in PEM format (${c.code}).` +
        hint('clientCertFile, clientKeyFile and serverCaFile must be PEM files (“-----BEGIN …-----”).');
    case 'notTls':
      return `The server at ${c.origin} does not answer with TLS (${c.code}): if it serves plain HTTP, the base URL must start with http://.`;
  }
}
