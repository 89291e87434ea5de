/**
 * Reading an answer's body as it arrives, decompressed when the server compressed it. undici's
 * `request()` hands over the bytes as sent (it decodes nothing; its decompress interceptor would work
 * on the whole dispatcher, streams included, and reports a broken body as a generic error), so the
 * transport decodes here with Node's zlib, streaming: an 11.6 MB history is ~0.6 MB of gzip on the wire,
 * and a consumer (the streaming history parser) sees the first events long before the last bytes.
 */
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createBrotliDecompress, createGunzip, createInflate, type BrotliDecompress, type Gunzip, type Inflate } from 'node:zlib';

/** What the client asks for: every server that compresses at all offers one of these. */
export const ACCEPT_ENCODING = 'gzip, br';

/** Receives the decoded body, chunk by chunk; `end()` gives the value the call returns. */
export interface TextSink<T> {
  write(text: string): void;
  end(): T;
}

/**
 * The body could not be decoded: a compressed stream that is corrupt or ends early, an encoding we
 * never asked for, or a chunk the sink rejected (not JSON). The transport reports it as kind 'parse'.
 */
export class BodyDecodeError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'BodyDecodeError';
  }
}

type Decompressor = Gunzip | BrotliDecompress | Inflate;

function decompressor(contentEncoding: string | string[] | undefined): Decompressor | undefined {
  const raw = Array.isArray(contentEncoding) ? contentEncoding.join(',') : (contentEncoding ?? '');
  const codings = raw.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '' && s !== 'identity');
  if (codings.length === 0) return undefined;
  if (codings.length > 1) throw new BodyDecodeError(`The server sent a body encoded more than once (${raw}), which the client does not decode.`);
  switch (codings[0]) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'br':
      return createBrotliDecompress();
    case 'deflate':
      return createInflate();
    default:
      throw new BodyDecodeError(`The server sent a body in an encoding the client did not ask for (${codings[0]}).`);
  }
}

/**
 * Streams `body` (decompressed per `contentEncoding`) into `onChunk`. Rejects with BodyDecodeError when
 * the compressed stream is broken or `onChunk` throws; any other rejection is the connection's (a
 * socket closed early, the attempt's timeout or the caller's abort destroying the body), which the
 * transport maps as before. Never waits for more than the body: a truncated gzip ends with an error.
 */
export async function readBody(
  body: AsyncIterable<Buffer> & NodeJS.ReadableStream,
  contentEncoding: string | string[] | undefined,
  onChunk: (chunk: Buffer) => void,
): Promise<void> {
  const unzip = decompressor(contentEncoding);
  let decodeError: unknown;
  const consume = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      try {
        onChunk(chunk);
      } catch (e) {
        decodeError = e;
        throw e;
      }
    }
  };
  if (!unzip) {
    await consume(body).catch((e: unknown) => {
      throw e === decodeError ? new BodyDecodeError('The server sent a response that is not valid JSON.', e) : e;
    });
    return;
  }
  let zlibError: unknown;
  unzip.once('error', (e) => {
    // Only zlib's own verdicts (Z_DATA_ERROR, Z_BUF_ERROR, brotli's ERR__ERROR_*): a destroyed body
    // (timeout, Cancel, a dropped connection) reaches the decompressor too, and is not a parse error.
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR__'))) zlibError = e;
  });
  try {
    await pipeline(body, unzip, consume);
  } catch (e) {
    if (e === decodeError) throw new BodyDecodeError('The server sent a response that is not valid JSON.', e);
    if (zlibError !== undefined && e === zlibError) {
      const what = (zlibError as { code?: unknown }).code === 'Z_BUF_ERROR' ? 'is cut short (truncated)' : 'is corrupt';
      throw new BodyDecodeError(`The server's compressed response ${what}.`, zlibError);
    }
    throw e;
  }
}

/** Text chunks for a sink, split safely inside multi-byte UTF-8 characters. */
export function textChunks(write: (text: string) => void): { onChunk: (chunk: Buffer) => void; flush: () => void } {
  const decoder = new StringDecoder('utf8');
  return {
    onChunk: (chunk) => {
      const text = decoder.write(chunk);
      if (text !== '') write(text);
    },
    flush: () => {
      const rest = decoder.end();
      if (rest !== '') write(rest);
    },
  };
}
