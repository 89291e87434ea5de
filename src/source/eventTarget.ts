/**
 * Which Python definition an event of the history points at. Pure (no `vscode` import).
 *
 * Only some events carry the name: ACTIVITY_TASK_SCHEDULED has `activity_type.name`, the later
 * activity events only `scheduled_event_id`; UPDATE_COMPLETED only `accepted_event_id` and the update
 * id (a reapplied update's ACCEPTED only the update id: its name is on UPDATE_ADMITTED); child
 * workflow events after the first, and a signal sent to another workflow after its INITIATED event,
 * only `initiated_event_id`; Nexus events after SCHEDULED only `scheduled_event_id` (a failure names the
 * operation again). Those are followed back in the history.
 * Workflow events other than STARTED name nothing: the execution's workflow is the answer.
 */
import { attrText } from '../api/attributes';
import { eventKind, UPDATE_NAME_PATHS, updateIdOf, updateName } from '../api/describe';
import type { EventKind } from '../api/describe';
import { NEXUS_OPERATION_PATHS } from '../api/nexus';
import type { WorkflowEvent } from '../api/types';
import type { DefinitionKind } from './pythonDefinitions';

export interface SourceTarget {
  kind: DefinitionKind;
  name: string;
  /**
   * The workflow whose handler this is (a signal or update this run received): when several workflows
   * of the folder have a handler of that name, this workflow's own is the one.
   */
  handlerOf?: string;
}

export function eventTarget(
  event: WorkflowEvent,
  kind: EventKind,
  history: readonly WorkflowEvent[],
  workflowName: string | undefined,
): SourceTarget | undefined {
  const named = (paths: readonly string[], ref: string): string | undefined => {
    for (const path of paths) {
      const name = attrText(event, path);
      if (name !== undefined) return name;
    }
    const id = attrText(event, ref);
    const referenced = id === undefined ? undefined : history.find((e) => e.idText === id);
    for (const path of paths) {
      const name = referenced && attrText(referenced, path);
      if (name) return name;
    }
    return undefined;
  };
  switch (kind) {
    case 'activity':
      return withName('activity', named(['activity_type.name'], 'scheduled_event_id'));
    case 'signal': {
      const target = withName('signal', named(['signal_name'], 'initiated_event_id'));
      // Only a signal this run received is handled here; one it sent is another workflow's.
      return target && event.type === 'WORKFLOW_EXECUTION_SIGNALED' ? ownedBy(target, workflowName) : target;
    }
    case 'update':
      return ownedBy(withName('update', named(UPDATE_NAME_PATHS, 'accepted_event_id') ?? byUpdateId(event, history)), workflowName);
    case 'child':
      return withName('workflow', named(['workflow_type.name'], 'initiated_event_id'));
    case 'nexus':
      return withName('nexusOperation', named(NEXUS_OPERATION_PATHS, 'scheduled_event_id'));
    case 'workflow':
      return withName('workflow', attrText(event, 'workflow_type.name') ?? workflowName);
    default:
      return undefined;
  }
}

/** The name an event of the same update (same update id) carries. */
function byUpdateId(event: WorkflowEvent, history: readonly WorkflowEvent[]): string | undefined {
  const id = updateIdOf(event);
  if (id === undefined) return undefined;
  for (const other of history) {
    if (other === event || eventKind(other.type) !== 'update' || updateIdOf(other) !== id) continue;
    const name = updateName(other);
    if (name !== undefined) return name;
  }
  return undefined;
}

function ownedBy(target: SourceTarget | undefined, workflowName: string | undefined): SourceTarget | undefined {
  return target && workflowName ? { ...target, handlerOf: workflowName } : target;
}

function withName(kind: DefinitionKind, name: string | undefined): SourceTarget | undefined {
  return name ? { kind, name } : undefined;
}
