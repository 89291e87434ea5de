/**
 * "Will the fix replay?" on the real engine's big history (bench/engine.ts): the replay check the
 * extension runs (src/replay checkReplay → src/replay/replay_check.py), side by side with one full replay of
 * the same history (bench/replay_once.py: the same set-up, one replay, no search), each in a process of
 * its own as a user's check is. The workflow code: big_history.py as it ran (clean), and with its batch
 * size one more from the start (early), from the middle of the history on (middle) and near its end
 * (late), and one fewer from the start (issue #20's case). Target (issue #20): every check ≤ 1.5x one
 * full replay.
 *
 * BENCH_REPLAY_REPS (default 3) rounds, interleaved; each run is stopped after 5 minutes (a failure of
 * the bench, not a figure).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runInGroup } from '../src/common/processGroup';
import { checkReplay, type ReplayResult } from '../src/replay';
import { PROJECT_ROOT, venvBinary } from '../sandbox/engine/paths';
import { WORKFLOWS, withBigHistory, type BigHistory } from './engine';
import { interleave, type Report } from './measure';

const WORKFLOW = 'big-history';
const SCRIPT = path.join(PROJECT_ROOT, 'src', 'replay', 'replay_check.py');
const ONCE = path.join(PROJECT_ROOT, 'bench', 'replay_once.py');
const LIMIT_MS = 5 * 60_000;
const BATCH = 'BATCH = 500';
const RANGE = 'range(BATCH)';

interface Variant {
  name: string;
  /** Where the code changes its batch size, as a share of the history; undefined: it does not. */
  from: number | undefined;
  /** By how much: one more timer (the replayer meets the extra one in a later task) or one fewer. */
  by: 1 | -1;
}

const VARIANTS: Variant[] = [
  { name: 'clean', from: undefined, by: 1 },
  // Issue #20's case: one timer fewer from the start, the 500th timer of the first task has no command.
  { name: 'early, one fewer', from: 0, by: -1 },
  { name: 'early', from: 0, by: 1 },
  { name: 'middle', from: 0.5, by: 1 },
  { name: 'late', from: 0.9, by: 1 },
];

export async function replayScenario(reps: number, report: Report): Promise<void> {
  await withBigHistory(report, (history) => compareChecks(history, reps, report));
}

async function compareChecks({ temporal, built }: BigHistory, reps: number, report: Report): Promise<void> {
  const python = venvBinary('python');
  const historyJson = JSON.stringify({ events: await temporal.historyAll(built.workflowId, built.runId) });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-replay-'));
  try {
    const historyFile = path.join(root, 'history.json');
    fs.writeFileSync(historyFile, historyJson);
    const source = fs.readFileSync(path.join(WORKFLOWS, 'big_history.py'), 'utf8');
    if (!source.includes(BATCH) || !source.includes(RANGE)) throw new Error(`big_history.py no longer has ${BATCH} and ${RANGE}`);
    const dirOf = new Map(VARIANTS.map((v) => [v.name, writeVariant(root, v, source, built.events)]));
    const seen = new Map<string, ReplayResult>();
    const replayOnly: number[] = [];
    const contenders = [
      { name: 'full', run: async () => void replayOnly.push(await replayOnce(python, historyFile, dirOf.get('clean') ?? '', built.events)) },
      ...VARIANTS.map((v) => ({
        name: v.name,
        run: async () => {
          const result = await checkReplay({ python, script: SCRIPT, historyJson, workflowName: WORKFLOW, dirs: [dirOf.get(v.name) ?? ''], timeoutMs: LIMIT_MS });
          expectVerdict(v, result, built.events);
          seen.set(v.name, result);
        },
      })),
    ];
    const samples = await interleave(contenders, reps, 0);
    const full = report.timing(`replay check: one full replay of the big history (${built.events} events, own process)`, samples.get('full') ?? []);
    report.timing('replay check: of which the replay itself (replay_once.py, no start-up, reading or import)', replayOnly);
    for (const v of VARIANTS) {
      const result = seen.get(v.name);
      const what = result?.outcome === 'diverges' ? `diverges at event ${result.eventId}` : 'clean';
      const ms = report.timing(`replay check: ${v.name} (${what})`, samples.get(v.name) ?? []);
      report.ratio(`replay check ${v.name}/one full replay`, ms, full);
      if (ms > full * 1.5) report.note(`TARGET MISSED: the ${v.name} replay check took ${(ms / full).toFixed(2)}x one full replay (target ≤ 1.5x)`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** big_history.py, its batch size changed `by` from `from` (a share of the history) on. */
function writeVariant(root: string, v: Variant, source: string, events: number): string {
  const dir = path.join(root, v.name.replace(/\W+/g, '-'));
  fs.mkdirSync(dir);
  let code = source;
  if (v.from === 0) code = source.replace(BATCH, `BATCH = ${500 + v.by}`);
  else if (v.from !== undefined) {
    const at = Math.round(events * v.from);
    code = source.replace(RANGE, `range(BATCH if temporal_workflow.info().get_current_history_length() < ${at} else BATCH ${v.by > 0 ? '+' : '-'} 1)`);
  }
  fs.writeFileSync(path.join(dir, 'big_history.py'), code);
  return dir;
}

function expectVerdict(v: Variant, result: ReplayResult, events: number): void {
  const wrong = (why: string): Error => new Error(`replay check ${v.name}: ${why}: ${JSON.stringify(result).slice(0, 600)}`);
  if (v.from === undefined) {
    if (result.outcome !== 'clean' || result.replayedEvents !== events) throw wrong('expected clean over every event');
    return;
  }
  if (result.outcome !== 'diverges' || result.cause !== 'nondeterminism') throw wrong('expected a nondeterminism');
  // The changed code starts its first changed batch at or after `from` (a batch is about 1,000 events); the
  // replayer meets the missing or extra timer in that batch or the next.
  const at = Math.round(events * v.from);
  if (result.eventId < at || result.eventId > at + 3_000) throw wrong(`expected the divergence in the batch after event ${at}`);
}

/** One full replay in a process of its own; the ms the replay itself took. */
async function replayOnce(python: string, historyFile: string, dir: string, events: number): Promise<number> {
  const run = await runInGroup([python, ONCE, '--history', historyFile, '--workflow', WORKFLOW, dir], {
    cwd: path.dirname(historyFile),
    env: { ...process.env, OTEL_ENABLED: 'false', PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' }, // as checkReplay runs the check
    timeoutMs: LIMIT_MS,
  });
  const out = run.stdout.trim();
  const body = out === '' ? undefined : (JSON.parse(out) as { replayedEvents?: number; failed?: boolean; replaySeconds?: number });
  if (run.code !== 0 || body?.failed !== false || body.replayedEvents !== events || body.replaySeconds === undefined) {
    throw new Error(`one full replay: exit ${run.code}, ${out || 'no output'}; ${run.stderrTail.slice(-600)}`);
  }
  return body.replaySeconds * 1000;
}
