/**
 * TLS settings of a connection. Messages about them name codes and settings only, never certificate
 * or key bytes.
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
