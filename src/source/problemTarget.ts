/**
 * Which Python definition a problem group's Go to Source opens: the definition of the step the
 * executions failed in. Pure (no `vscode` import).
 *
 * The candidates come in order; the first the workspace defines is the one opened. An update falls back
 * to its workflow (an index may not know the handler, e.g. one registered dynamically), and a Nexus
 * operation's handler (often in another service's code) to the workflow that called it. A workflow task,
 * a workflow's own failure or a timer is a failure in the workflow code (non-determinism, an exception
 * in the workflow's method): the workflow's definition. A step without its name falls back to the
 * workflow too.
 */
import type { FailedStep } from '../incidents';
import type { SourceTarget } from './eventTarget';

/** The parts `readFailure` joins a Nexus step's name from. */
const NEXUS_NAME_PARTS = 3;

/** Empty when there is nothing to look up: no step name and no workflow name. */
export function failedStepTargets(step: FailedStep, workflowName: string): SourceTarget[] {
  const workflow: SourceTarget[] = workflowName === '' ? [] : [{ kind: 'workflow', name: workflowName }];
  const name = step.name;
  if (name === undefined || name === '') return workflow;
  switch (step.kind) {
    case 'activity':
    case 'localActivity':
      return [{ kind: 'activity', name }];
    case 'child':
      return [{ kind: 'workflow', name }];
    case 'update':
      return [workflowName === '' ? { kind: 'update', name } : { kind: 'update', name, handlerOf: workflowName }, ...workflow];
    case 'nexus':
      return [...nexusOperation(name), ...workflow];
    case 'timer':
    case 'workflowTask':
    case 'workflow':
      return workflow;
  }
}

/** `endpoint · service · operation`: the operation's handler is registered by the operation's name. */
function nexusOperation(name: string): SourceTarget[] {
  const parts = name.split(' · ');
  return parts.length === NEXUS_NAME_PARTS && parts[2] !== '' ? [{ kind: 'nexusOperation', name: parts[2] }] : [];
}
