/**
 * Compression the way gateways in front of the real API do it: only when the client asks
 * (`Accept-Encoding`, q-values honoured, br preferred on a tie), only above a size threshold, and
 * always with `Vary: Accept-Encoding`. Big bodies are compressed once and cached, so that a benchmark
 * measures the transfer and the client, not this sandbox's zlib on every request.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export type Coding = 'gzip' | 'br';

/** Gateways compress dynamic answers at a fast level, not the maximum (br 11 takes seconds for 11 MB). */
const BROTLI_QUALITY = 4;
const GZIP_LEVEL = 6;

/** The coding to answer with for this Accept-Encoding header, or undefined for none. */
export function negotiate(header: string | string[] | undefined, offered: readonly Coding[] = ['br', 'gzip']): Coding | undefined {
  const raw = Array.isArray(header) ? header.join(',') : header;
  if (!raw) return undefined;
  const q = new Map<string, number>();
  for (const part of raw.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q=([0-9.]+)\s*$/.exec(p);
      if (m) weight = Number(m[1]);
    }
    q.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const star = q.get('*');
  const weightOf = (c: Coding): number => q.get(c) ?? (c === 'gzip' ? q.get('x-gzip') : undefined) ?? star ?? 0;
  let best: Coding | undefined;
  for (const c of offered) if (weightOf(c) > 0 && (best === undefined || weightOf(c) > weightOf(best))) best = c;
  return best;
}

function compress(coding: Coding, body: Buffer): Buffer {
  return coding === 'br'
    ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : gzipSync(body, { level: GZIP_LEVEL });
}

export { BROTLI_QUALITY, GZIP_LEVEL };

/** The last few compressed bodies, keyed by coding and the exact text (a history is built once and reused). */
export class CompressionCache {
  private readonly entries = new Map<string, { text: string; coding: Coding; data: Buffer }>();

  constructor(private readonly size = 8) {}

  get(coding: Coding, text: string): Buffer {
    // Long strings hash by length in V8, so the key is cheap; the text comparison settles collisions.
    const key = `${coding}:${text.length}:${text.slice(0, 64)}:${text.slice(-64)}`;
    const hit = this.entries.get(key);
    if (hit && hit.coding === coding && hit.text === text) return hit.data;
    const data = compress(coding, Buffer.from(text, 'utf8'));
    this.entries.set(key, { text, coding, data });
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
    return data;
  }
}
