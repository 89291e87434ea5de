/**
 * Which way to read a history as it arrives (issue #13): the 51,200-event body fed in 64 KiB chunks,
 * as the network hands it over, to plain `JSON.parse` at the end, to ours (HistoryStream: the first
 * page found early, then `JSON.parse` at the end) and to three streaming JSON parsers. Per contender:
 * time to the first 500 events, time to all of them, and the peak heap above the body itself.
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HistoryStream } from '../src/api';
import { collectGarbage, MB, median, Report } from './measure';

const CHUNK = 64 * 1024;
const FIRST = 500;

interface Outcome {
  firstMs: number;
  allMs: number;
  events: number;
}

type Parser = (chunks: readonly string[], sample: () => void) => Promise<Outcome>;

function clock(): () => number {
  const start = performance.now();
  return () => performance.now() - start;
}

const parsers: Record<string, Parser> = {
  'JSON.parse at the end': async (chunks, sample) => {
    const t = clock();
    for (let i = 0; i < chunks.length; i++) if (i % 16 === 0) sample();
    const body = JSON.parse(chunks.join('')) as { events: unknown[] };
    sample();
    const all = t();
    return { firstMs: all, allMs: all, events: body.events.length };
  },
  'ours (HistoryStream: first page early, JSON.parse at the end)': async (chunks, sample) => {
    const t = clock();
    let firstMs = Number.NaN;
    const sink = new HistoryStream(FIRST, (events) => {
      if (events.length >= FIRST && Number.isNaN(firstMs)) firstMs = t();
    }).sink();
    for (let i = 0; i < chunks.length; i++) {
      sink.write(chunks[i]);
      if (i % 16 === 0) sample();
    }
    const events = sink.end();
    sample();
    return { firstMs, allMs: t(), events: events.length };
  },
  '@streamparser/json 0.0.26 (paths $.events.*)': async (chunks, sample) => {
    const { JSONParser } = await import('@streamparser/json');
    const t = clock();
    let firstMs = Number.NaN;
    const events: unknown[] = [];
    const parser = new JSONParser({ paths: ['$.events.*'], keepStack: false });
    parser.onValue = ({ value }) => {
      events.push(value);
      if (events.length === FIRST) firstMs = t();
    };
    for (let i = 0; i < chunks.length; i++) {
      parser.write(chunks[i]);
      if (i % 16 === 0) sample();
    }
    if (!parser.isEnded) parser.end(); // it ends by itself after the root value
    sample();
    return { firstMs, allMs: t(), events: events.length };
  },
  'stream-json 3.8.0 (parser, pick events, streamArray)': async (chunks, sample) => {
    const { default: parser } = await import('stream-json');
    const { default: pick } = await import('stream-json/filters/pick.js');
    const { default: streamArray } = await import('stream-json/streamers/stream-array.js');
    const t = clock();
    let firstMs = Number.NaN;
    let count = 0;
    let fed = 0;
    await pipeline(
      Readable.from((function* () {
        for (const c of chunks) {
          if (fed++ % 16 === 0) sample();
          yield c;
        }
      })()),
      parser(),
      pick.asStream({ filter: 'events' }),
      streamArray.asStream(),
      new Writable({
        objectMode: true,
        write(_item: unknown, _enc, done) {
          if (++count === FIRST) firstMs = t();
          done();
        },
      }),
    );
    sample();
    return { firstMs, allMs: t(), events: count };
  },
  '@discoveryjs/json-ext 1.1.0 (parseChunked: nothing before the end)': async (chunks, sample) => {
    const { parseChunked } = await import('@discoveryjs/json-ext');
    const t = clock();
    let fed = 0;
    const body = (await parseChunked(function* () {
      for (const c of chunks) {
        if (fed++ % 16 === 0) sample();
        yield c;
      }
    })) as { events: unknown[] };
    sample();
    const all = t();
    return { firstMs: all, allMs: all, events: body.events.length };
  },
};

export async function parserScenario(body: string, reps: number, report: Report): Promise<void> {
  const chunks: string[] = [];
  for (let i = 0; i < body.length; i += CHUNK) chunks.push(body.slice(i, i + CHUNK));
  report.note(`parsers: the ${(body.length / MB).toFixed(1)} MB history in ${chunks.length} chunks of 64 KiB`);
  for (const [name, parse] of Object.entries(parsers)) {
    const first: number[] = [];
    const all: number[] = [];
    const peaks: number[] = [];
    for (let r = 0; r < reps + 1; r++) {
      collectGarbage();
      const base = process.memoryUsage().heapUsed;
      let peak = 0;
      const sample = (): void => {
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      };
      const out = await parse(chunks, sample);
      if (out.events !== 51_200) throw new Error(`${name}: ${out.events} events`);
      if (r === 0) continue; // warm-up
      first.push(out.firstMs);
      all.push(out.allMs);
      peaks.push(peak / MB);
    }
    report.timing(`parser ${name}: first ${FIRST} events`, first);
    report.timing(`parser ${name}: all events`, all);
    report.figure(`parser ${name}: peak heap above the chunks`, Math.round(median(peaks) * 10) / 10, 'MB');
  }
}
