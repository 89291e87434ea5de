/**
 * The real Temporal histories of test/fixtures/real-histories (see PROVENANCE.md there) as the
 * extension reads them, beside their raw events as the tests' own reader (test/helpers/realHistoryReader.ts)
 * reads them, so that the two can disagree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normalizeHistory, WorkflowEvent } from '../../../src/api';
import { rawEventsOf, REAL_DIR, type Json } from '../../helpers/realHistoryReader';

export interface RealHistory {
  file: string;
  raws: Json[];
  events: WorkflowEvent[];
}

export function loadReal(file: string): RealHistory {
  const body: unknown = JSON.parse(fs.readFileSync(path.join(REAL_DIR, file), 'utf8'));
  return { file, raws: rawEventsOf(body, file), events: normalizeHistory(body) };
}

/** Every real history, and the same events newest first as Temporal's history-reverse sends them. */
export function realVariants(history: RealHistory): { name: string; events: WorkflowEvent[] }[] {
  return [
    { name: 'as stored', events: history.events },
    { name: 'newest first', events: normalizeHistory({ events: [...history.raws].reverse() }) },
  ];
}
