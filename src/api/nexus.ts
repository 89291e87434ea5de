/**
 * Nexus operations as their events write them. NEXUS_OPERATION_SCHEDULED names the endpoint, service
 * and operation; the later events only point back (`scheduled_event_id`), except that a failure's
 * `nexus_operation_execution_failure_info` names them again. A failure is Temporal's wrapper ("nexus
 * operation completed unsuccessfully") around what the handler said: its `cause`.
 */
import { attr, attrText } from './attributes';
import { isObject } from './json';
import { WorkflowEvent } from './types';

const NAME_PATHS = [
  ['endpoint', 'service', 'operation'],
  ['failure.nexus_operation_execution_failure_info.endpoint', 'failure.nexus_operation_execution_failure_info.service', 'failure.nexus_operation_execution_failure_info.operation'],
] as const;

/** `endpoint · service · operation`, as far as this event names them; undefined when it names none. */
export function nexusOperationName(event: WorkflowEvent): string | undefined {
  for (const paths of NAME_PATHS) {
    const parts = paths.map((p) => attrText(event, p)).filter((p): p is string => p !== undefined);
    if (parts.length > 0) return parts.join(' · ');
  }
  return undefined;
}

/** Where an event names the operation alone (what its handler is registered as). */
export const NEXUS_OPERATION_PATHS = ['operation', 'failure.nexus_operation_execution_failure_info.operation'] as const;

/**
 * Where the handler's own failure is, when the Failure at `path` is a Nexus one (an operation's outcome,
 * or a handler error) with a cause: `${path}.cause`. Undefined for any other failure.
 */
export function nexusCausePath(event: WorkflowEvent, path: string): string | undefined {
  const cause = `${path}.cause`;
  if (!isObject(attr(event, cause))) return undefined;
  const nexus = isObject(attr(event, `${path}.nexus_operation_execution_failure_info`)) || isObject(attr(event, `${path}.nexus_handler_failure_info`));
  return nexus ? cause : undefined;
}
