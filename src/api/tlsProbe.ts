/**
 * Why did an https server close a fresh connection without a byte of answer? Through undici, a TLS 1.3
 * server that refuses our client certificate (or wants one we did not send) looks exactly like that:
 * the handshake completes on our side, our request goes out, then the server's alert arrives and is
 * lost when undici sees the connection end ("other side closed"). One plain tls.connect with the same
 * settings reads the alert, or sees the server hang up, and so tells a refused certificate apart from
 * a server that answers (then the failure was something else).
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { TlsSettings } from './tls';

type TlsProbeResult =
  /** The handshake failed or the server sent an alert: Node's code and message. */
  | { kind: 'error'; code: string; message: string }
  /** The server hung up after the handshake without answering a request. */
  | { kind: 'closed' }
  /** The server answered: TLS is fine. */
  | { kind: 'answered' }
  /** Timed out, cancelled or otherwise inconclusive. */
  | { kind: 'unknown' };

export function probeTls(url: URL, settings: TlsSettings | undefined, timeoutMs: number, signal?: AbortSignal): Promise<TlsProbeResult> {
  return new Promise((resolve) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // Node refuses an IP address as SNI; undici sends none for one either.
    const servername = settings?.servername ?? (net.isIP(host) ? undefined : host);
    let socket: tls.TLSSocket | undefined;
    let secure = false;
    let settled = false;
    const done = (result: TlsProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
      socket?.destroy();
      resolve(result);
    };
    const cancel = (): void => done({ kind: 'unknown' });
    const timer = setTimeout(cancel, timeoutMs);
    if (signal?.aborted) return cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      socket = tls.connect({
        host, port: Number(url.port || 443), servername, ALPNProtocols: ['http/1.1'],
        cert: settings?.cert, key: settings?.key, ca: settings?.ca,
      });
    } catch (error) {
      // The secure context could not be built (e.g. a key that does not match the certificate).
      const e = error as NodeJS.ErrnoException;
      return done({ kind: 'error', code: e.code ?? 'ERR_TLS', message: e.message });
    }
    socket.once('secureConnect', () => {
      secure = true;
      // A request without credentials: any answer, even a 404, proves the server accepted the connection.
      socket?.write(`HEAD / HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`);
    });
    socket.once('data', () => done({ kind: 'answered' }));
    socket.once('error', (e: NodeJS.ErrnoException) => done({ kind: 'error', code: e.code ?? 'ERR_TLS', message: e.message }));
    socket.once('close', () => done(secure ? { kind: 'closed' } : { kind: 'unknown' }));
  });
}
