/**
 * A body sent in two parts: the first `afterBytes` (of the uncompressed text) at once, the rest after a
 * pause. Compressed bodies go through a streaming compressor flushed after the first part, so that the
 * client can decode that part before the pause ends, as it could from a real gateway's stream.
 */
import type { ServerResponse } from 'node:http';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import { BROTLI_QUALITY, GZIP_LEVEL, type Coding } from './compress';
import type { Reply } from './errors';

export function sendTrickled(
  res: ServerResponse,
  reply: Reply,
  coding: Coding | undefined,
  afterBytes: number,
  pauseMs: number,
  sleep: (ms: number) => Promise<void>,
): void {
  const body = Buffer.from(reply.body ?? '', 'utf8');
  const headers: Record<string, string> = { ...reply.headers, 'content-type': reply.contentType ?? 'application/json', vary: 'Accept-Encoding' };
  const first = body.subarray(0, Math.max(0, afterBytes));
  const rest = body.subarray(first.length);
  if (!coding) {
    headers['content-length'] = String(body.length);
    res.writeHead(reply.status, headers);
    res.write(first);
    void sleep(pauseMs).then(() => res.end(rest));
    return;
  }
  headers['content-encoding'] = coding;
  res.writeHead(reply.status, headers); // chunked: the compressed length is not known up front
  const z = coding === 'br'
    ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } })
    : createGzip({ level: GZIP_LEVEL });
  z.on('data', (chunk: Buffer) => res.write(chunk));
  z.on('end', () => res.end());
  z.write(first);
  z.flush(() => {
    void sleep(pauseMs).then(() => z.end(rest));
  });
}
