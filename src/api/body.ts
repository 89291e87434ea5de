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

const MiB = 1024 * 1024;
/**
 * The most one answer may decode to. Every body is held whole before it is parsed (the streamed history
 * too: HistoryBodySink keeps the text and parses it once at the end), so this bounds what a server, a
 * proxy or a compressed "zip bomb" can make the extension hold. The largest history a Temporal server
 * keeps is 51,200 events and 50 MB of protobuf (its default hard limits); as JSON that is roughly
 * 80 MB at most (payloads in base64), and the bench's 51,200-event history is 11.6 MB. Temporal's paged reads
 * stay far below it page by page.
 */
export const DEFAULT_MAX_BODY_BYTES = 128 * MiB;
/** An error answer is read for its message only: the first 1 MiB is plenty, the rest is dropped. */
export const MAX_ERROR_BODY_BYTES = MiB;

/** `134217728` → `128 MiB`; other sizes in KiB or bytes, as they are. */
function formatBytes(bytes: number): string {
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

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

/** The body decoded to more than the cap: reading stopped there. A BodyDecodeError, so kind 'parse'. */
class BodyTooLargeError extends BodyDecodeError {
  constructor(readonly maxBytes: number, compressed: boolean, serviceName: string) {
    super(
      `${serviceName} sent an answer larger than ${formatBytes(maxBytes)}${compressed ? ' once decompressed' : ''}, the most the ` +
        'extension reads in one answer; it stopped reading there.',
    );
    this.name = 'BodyTooLargeError';
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

/** How much of a body to read: `maxBytes` decoded at most; `serviceName` for the message. */
interface BodyLimit {
  maxBytes: number;
  serviceName: string;
}

/**
 * Streams `body` (decompressed per `contentEncoding`) into `onChunk`. Rejects with BodyDecodeError when
 * the compressed stream is broken or `onChunk` throws, and with BodyTooLargeError (before handing over
 * the chunk that passes it) once the decoded bytes pass `limit.maxBytes`: the decompressor hands over
 * small chunks, so a small compressed body that decodes to gigabytes stops at the cap. Any other
 * rejection is the connection's (a socket closed early, the attempt's timeout or the caller's abort
 * destroying the body), which the transport maps as before. Never waits for more than the body: a
 * truncated gzip ends with an error.
 */
export async function readBody(
  body: AsyncIterable<Buffer> & NodeJS.ReadableStream,
  contentEncoding: string | string[] | undefined,
  onChunk: (chunk: Buffer) => void,
  limit: BodyLimit,
): Promise<void> {
  const unzip = decompressor(contentEncoding);
  let decodeError: unknown;
  let tooLarge: BodyTooLargeError | undefined;
  let total = 0;
  const consume = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > limit.maxBytes) {
        tooLarge = new BodyTooLargeError(limit.maxBytes, unzip !== undefined, limit.serviceName);
        throw tooLarge;
      }
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
    // Node 20's pipeline rejects with an AbortError when its last stage throws: look at what it threw.
    if (tooLarge !== undefined) throw tooLarge;
    if (decodeError !== undefined) throw new BodyDecodeError('The server sent a response that is not valid JSON.', decodeError);
    if (zlibError !== undefined && e === zlibError) {
      const what = (zlibError as { code?: unknown }).code === 'Z_BUF_ERROR' ? 'is cut short (truncated)' : 'is corrupt';
      throw new BodyDecodeError(`The server's compressed response ${what}.`, zlibError);
    }
    throw e;
  }
}

/**
 * An answer's text up to `maxBytes` decoded, the rest dropped: what an error answer needs for its
 * message (a proxy's endless error page must not be held whole, nor hide the status it came with).
 */
export async function readTextUpTo(
  body: AsyncIterable<Buffer> & NodeJS.ReadableStream,
  contentEncoding: string | string[] | undefined,
  maxBytes: number,
): Promise<string> {
  const buffers: Buffer[] = [];
  try {
    await readBody(body, contentEncoding, (b) => buffers.push(b), { maxBytes, serviceName: 'The server' });
  } catch (e) {
    if (!(e instanceof BodyTooLargeError)) throw e; // reading stopped: readBody destroyed the body
  }
  return Buffer.concat(buffers).toString('utf8');
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
