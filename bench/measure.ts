/**
 * Timing, statistics and reporting helpers shared by the scenarios. No project imports: this file is
 * only about measuring and printing.
 */
import { cpus, totalmem, release, platform } from 'node:os';
import { performance } from 'node:perf_hooks';

/** One printed line: `name: value unit`. A string value is a verdict (e.g. "fails (...)"). */
export interface Figure {
  name: string;
  value: number | string;
  unit: string;
  /** Every timed sample, in run order, so results.json shows the spread behind the median. */
  samples?: number[];
}

export interface Ratio {
  name: string;
  value: number;
}

/** A goal checked by the bench (issue #22's "≤ 1 history read per failed run"): the measured value and whether it met it. */
export interface Target {
  name: string;
  measured: number;
  /** The goal: `measured` at most this. */
  atMost: number;
  pass: boolean;
}

export interface Machine {
  cpuModel: string;
  cores: number;
  totalMemoryGiB: number;
  os: string;
  node: string;
  date: string;
}

/** A contender of a side-by-side comparison: one run of it, awaited. */
interface Contender {
  name: string;
  run: () => Promise<void>;
  /**
   * Off the clock, after each run: what the run started and left going (a history still arriving
   * after its first page), finished before the next contender's clock starts.
   */
  after?: () => Promise<void>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Collects garbage when the process runs with --expose-gc. Called before every timed run so that
 * one contender's garbage (a 51,200-event history is tens of MB) is not collected on the next
 * contender's clock.
 */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc(); // a second pass frees what the first one's finalizers released
  }
}

export function hasGc(): boolean {
  return typeof (globalThis as { gc?: unknown }).gc === 'function';
}

/**
 * The sandbox runs in this process: after a long synchronous stretch (the SDK validating 51,200 trace
 * events takes seconds) its keep-alive timers fire late, and a client that reuses its idle socket
 * before they run gets ECONNRESET. A short real wait lets expired timers and socket closes happen
 * before the clock starts, as they would with the server in another process.
 */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}

export async function timeOnce(run: () => Promise<void>): Promise<number> {
  collectGarbage();
  await settle();
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/**
 * Runs the contenders side by side: `warmups + reps` rounds, each round running every contender once.
 * The starting contender rotates each round, so neither the order nor background load (which comes
 * and goes on a shared machine) favours one of them. Warm-up rounds are run (JIT, connection pools,
 * the sandbox's lazily built history) but not recorded. Returns the samples by contender name.
 */
export async function interleave(contenders: readonly Contender[], reps: number, warmups: number): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < warmups + reps; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(round + k) % contenders.length];
      const ms = await timeOnce(contender.run);
      await contender.after?.();
      if (round >= warmups) samples.get(contender.name)?.push(ms);
    }
  }
  return samples;
}

export function machineInfo(): Machine {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    totalMemoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
  };
}

export const MB = 1024 * 1024;
export const KB = 1024;

/** Collects figures and ratios, prints each as it comes (so a long run shows progress), and serialises. */
export class Report {
  readonly figures: Figure[] = [];
  readonly ratios: Ratio[] = [];
  readonly notes: string[] = [];
  readonly targets: Target[] = [];

  figure(name: string, value: number | string, unit = '', samples?: number[]): number | string {
    this.figures.push(samples ? { name, value, unit, samples: samples.map(round2) } : { name, value, unit });
    const shown = typeof value === 'number' ? formatNumber(value) : value;
    console.log(`${name}: ${shown}${unit ? ` ${unit}` : ''}`);
    return value;
  }

  /** The median of the samples as a figure in ms; returns the median for ratios. */
  timing(name: string, samples: number[]): number {
    const m = median(samples);
    this.figure(name, round2(m), 'ms', samples);
    return m;
  }

  ratio(name: string, numerator: number, denominator: number): void {
    const value = numerator / denominator;
    this.ratios.push({ name, value: round2(value) });
    console.log(`ratio ${name}: ${value.toFixed(2)}`);
  }

  /** Records whether `measured` is at most `atMost`; a miss is also a note, as the other scenarios' misses are. */
  target(name: string, measured: number, atMost: number): boolean {
    const pass = measured <= atMost;
    this.targets.push({ name, measured, atMost, pass });
    console.log(`target ${name}: ${formatNumber(measured)} (at most ${formatNumber(atMost)}): ${pass ? 'pass' : 'FAIL'}`);
    if (!pass) this.notes.push(`TARGET MISSED: ${name}: ${formatNumber(measured)}, at most ${formatNumber(atMost)} wanted`);
    return pass;
  }

  note(text: string): void {
    this.notes.push(text);
    console.log(`# ${text}`);
  }
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return n >= 100 ? n.toFixed(1) : n.toFixed(2);
}
