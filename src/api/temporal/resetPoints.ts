/**
 * The reset points of one run's raw Temporal history: the ids of its WORKFLOW_TASK_COMPLETED events,
 * read through the same normalisation and reset-point rule the extension uses for every history.
 * (Temporal itself also accepts _STARTED, _FAILED and _TIMED_OUT targets; Mistral's API does not.)
 */
import { normalizeHistory } from '../history';
import { resetPoints } from '../resetPoints';

export function resetPointIds(events: unknown[]): number[] {
  const ids: number[] = [];
  for (const e of resetPoints(normalizeHistory(events), { latestRun: true })) if (e.eventId !== undefined) ids.push(e.eventId);
  return ids;
}
