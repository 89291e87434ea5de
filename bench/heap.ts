/**
 * Memory of the extension's data for the 51,200-event execution, measured by heapProbe.js in its own
 * process (see there for what is kept and how the peak is read).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { DEMO } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { MB, median, Report, round2 } from './measure';

interface HeapProbeResult {
  retainedBytes: number;
  peakHeapBytes: number;
  peakRssBytes: number;
  events: number;
}

function probe(sandbox: Sandbox): Promise<HeapProbeResult> {
  const script = join(__dirname, 'heapProbe.js');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', script, sandbox.baseUrl, sandbox.apiKey, DEMO.big], { timeout: 120_000 }, (error, stdout) => {
      if (error) return reject(error);
      resolve(JSON.parse(stdout) as HeapProbeResult);
    });
  });
}

/** A few fresh processes, medians: one process's GC timing can shift a figure by a few MB. */
export async function heapScenario(sandbox: Sandbox, runs: number, report: Report): Promise<void> {
  const results: HeapProbeResult[] = [];
  for (let i = 0; i < runs; i++) results.push(await probe(sandbox));
  const mb = (pick: (r: HeapProbeResult) => number): number[] => results.map((r) => round2(pick(r) / MB));
  const retained = mb((r) => r.retainedBytes);
  report.figure(`heap retained for the 51,200-event execution (events+kinds+details, after gc, median of ${runs} processes)`, median(retained), 'MB', retained);
  const peak = mb((r) => r.peakHeapBytes);
  report.figure('heap peak above baseline while loading (sampled, lower bound)', median(peak), 'MB', peak);
  const rss = mb((r) => r.peakRssBytes);
  report.figure('rss peak above baseline while loading (ru_maxrss)', median(rss), 'MB', rss);
  if (median(retained) > 60) report.note(`heap target (<= 60 MB) missed: ${median(retained)} MB retained`);
}
