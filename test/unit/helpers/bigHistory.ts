/**
 * The sandbox's 51,200-event history (sandbox/seed-big.ts: a start, six signals, 8,531 activities each
 * followed by a workflow task, the close) in the seed's snake_case shape, normalised as the client
 * normalises it. Built once per process: several suites use it.
 */
import { normalizeHistory, WorkflowEvent } from '../../../src/api';
import { iso } from '../../../sandbox/json';
import { BIG_EVENT_COUNT, buildBigRun } from '../../../sandbox/seed-big';

export { BIG_EVENT_COUNT };

let built: WorkflowEvent[] | undefined;

export function bigHistory(): WorkflowEvent[] {
  built ??= normalizeHistory({
    events: buildBigRun({
      seed: 20_260_101,
      startMs: Date.UTC(2026, 0, 1),
      runId: '5f0c1c2e-0000-4000-8000-000000000001',
      workflowName: 'document-ingestion',
      worker: { taskQueue: 'ingestion', identity: '1@worker-big', buildId: 'document-ingestion@1.0.0' },
    }).build().map((e) => ({ event_id: e.eventId, event_type: e.type, event_time: iso(e.timeMs), attributes: e.attributes })),
  });
  return built;
}

/** The events again, each counting how often its attributes and time are read, and the list each index read. */
export function counted(events: readonly WorkflowEvent[]): { events: WorkflowEvent[]; reads: { attributes: number; time: number; index: number } } {
  const reads = { attributes: 0, time: 0, index: 0 };
  const wrapped = events.map((e): WorkflowEvent => ({
    eventId: e.eventId,
    idText: e.idText,
    type: e.type,
    raw: e.raw,
    get attributes() {
      reads.attributes++;
      return e.attributes;
    },
    get time() {
      reads.time++;
      return e.time;
    },
  }));
  const list = new Proxy(wrapped, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads.index++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { events: list, reads };
}
