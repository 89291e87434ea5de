/**
 * scripts/bench-readme.ts turns bench/results.json into bench/README.md's tables: a small results
 * object in, the rows a reader sees out.
 */
import * as assert from 'node:assert/strict';
import { BenchResults, GENERATED_HEADER, figureRows, parseBenchResults, ratioRows, renderBenchReadme, targetRows } from '../../scripts/bench-readme';

const RESULTS: BenchResults = {
  machine: { cpuModel: 'Test CPU', cores: 2, totalMemoryGiB: 23.5, os: 'linux 6.18', node: 'v20.20.2', date: '2026-12-01T10:00:00.000Z' },
  settings: { reps: 7, warmups: 2 },
  figures: [
    { name: 'history ours (fetch+parse+normalise, 51,200 events)', value: 166.5, unit: 'ms', samples: [170.25, 166.5, 160] },
    { name: 'tree expand requests', value: 1, unit: 'count' },
    { name: 'sdk trace events', value: 'fails (ResponseValidationError)', unit: '' },
    { name: 'a | in a name', value: 2, unit: 'MB', samples: [2] },
  ],
  ratios: [{ name: 'history ours/raw', value: 1.1 }],
  targets: [
    { name: 'history reads per failed run', measured: 1, atMost: 1, pass: true },
    { name: 'time, ours / raw floor', measured: 1.9, atMost: 1.2, pass: false },
  ],
  notes: ['link loopback: the sandbox in its own process on 127.0.0.1'],
};

describe('bench-readme: bench/results.json into bench/README.md', () => {
  it('one row per figure, in run order: median with its unit, then how many samples and their range', () => {
    assert.deepEqual(figureRows(RESULTS.figures), [
      '| figure | value | samples |',
      '|---|---|---|',
      '| history ours (fetch+parse+normalise, 51,200 events) | 166.5 ms | 3: 160–170.25 |',
      '| tree expand requests | 1 count |  |',
      '| sdk trace events | fails (ResponseValidationError) |  |',
      '| a \\| in a name | 2 MB | 1 |',
    ]);
  });

  it('one row per ratio, with 2 decimals', () => {
    assert.deepEqual(ratioRows(RESULTS.ratios), ['| ratio | value |', '|---|---|', '| history ours/raw | 1.10× |']);
  });

  it('one row per target: measured, the goal, met or MISSED', () => {
    assert.deepEqual(targetRows(RESULTS.targets), [
      '| target | measured | at most | |',
      '|---|---|---|---|',
      '| history reads per failed run | 1 | 1 | met |',
      '| time, ours / raw floor | 1.9 | 1.2 | MISSED |',
    ]);
  });

  it('results written before targets existed still render, without the table', () => {
    const older: Partial<BenchResults> = { ...RESULTS };
    delete older.targets;
    const page = renderBenchReadme(parseBenchResults(JSON.stringify(older)));
    assert.ok(!page.includes('## Targets'));
    assert.ok(renderBenchReadme(parseBenchResults(JSON.stringify(RESULTS))).includes('| time, ours / raw floor | 1.9 | 1.2 | MISSED |'));
  });

  it('the page starts with the header naming the command that writes it, then the machine, the tables and the notes', () => {
    const page = renderBenchReadme(parseBenchResults(JSON.stringify(RESULTS)));
    const lines = page.split('\n');
    assert.equal(lines[0], GENERATED_HEADER);
    assert.match(GENERATED_HEADER, /npm run bench:readme/);
    assert.ok(lines.includes('| CPU | Test CPU, 2 cores |'));
    assert.ok(lines.some((line) => line.startsWith('| repetitions | 7 after 2 warm-up, contenders interleaved, medians')));
    assert.ok(lines.includes('| history ours/raw | 1.10× |'));
    assert.equal(lines.at(-2), '- link loopback: the sandbox in its own process on 127.0.0.1');
    assert.ok(page.endsWith('\n'));
  });

  it('refuses a results file that is not what bench/run.ts writes, saying what is wrong', () => {
    assert.throws(() => parseBenchResults('{"machine": {}}'), /"machine" is missing or incomplete/);
    assert.throws(() => parseBenchResults(JSON.stringify({ ...RESULTS, figures: [{ name: 'x' }] })), /"figures" must be a list/);
  });
});
