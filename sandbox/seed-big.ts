/**
 * The 51,200-event execution (the platform's history cap). It is built lazily on first read, with
 * its own PRNG, so that building it later gives the same events and starting a sandbox stays fast.
 */
import { HistoryBuilder } from './history';
import type { SandboxEvent } from './model';
import { Random } from './random';

export const BIG_EVENT_COUNT = 51_200;
/** Events are spaced by this much (plus a smaller jitter), so the end time is known without building. */
const STEP_MS = 29;

interface BigRunSpec {
  seed: number;
  startMs: number;
  runId: string;
  workflowName: string;
  worker: { taskQueue: string; identity: string; buildId: string };
}

export function buildBigRun(spec: BigRunSpec): { endMs: number; build: () => SandboxEvent[] } {
  const endMs = spec.startMs + (BIG_EVENT_COUNT - 1) * STEP_MS;
  const build = (): SandboxEvent[] => {
    const rng = new Random(spec.seed);
    const b = new HistoryBuilder({ rng, ...spec.worker }, spec.startMs);
    b.executionStarted(spec.workflowName, { document_id: 'doc_bulk_2026_archive', mime_type: 'application/zip' }, spec.runId);
    b.workflowTask();
    // Six progress signals then one workflow task make the arithmetic land exactly on the cap:
    // 1 + 3 + 6 + 3 + 8531 * (3 activity + 3 workflow task) + 1 = 51,200.
    for (let i = 0; i < 6; i++) b.signal('progress_report_requested', { requested_by: 'ops@example.com' });
    b.workflowTask();
    let chunk = 0;
    while (b.events.length + 6 + 1 <= BIG_EVENT_COUNT) {
      chunk++;
      b.activity('embed_chunks', { document_id: 'doc_bulk_2026_archive', batch: chunk }, { vectors: 64 });
    }
    b.completed({ document_id: 'doc_bulk_2026_archive', status: 'indexed', batches: chunk });
    if (b.events.length !== BIG_EVENT_COUNT) throw new Error(`big history has ${b.events.length} events`);
    // Regular times keep the end time predictable; the jitter stays below the step so time never goes back.
    b.events.forEach((e, i) => {
      e.timeMs = spec.startMs + i * STEP_MS + (i === BIG_EVENT_COUNT - 1 ? 0 : rng.int(0, STEP_MS - 9));
    });
    return b.events;
  };
  return { endMs, build };
}
