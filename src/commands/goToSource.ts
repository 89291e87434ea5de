import * as vscode from 'vscode';
import type { WorkflowEvent } from '../api/types';
import { UserCancelled, UserFacingError } from '../common/errors';
import type { LocatedDefinition } from '../source/definitionIndex';
import { eventTarget, SourceTarget } from '../source/eventTarget';
import { failedStepTargets } from '../source/problemTarget';
import type { DefinitionKind } from '../source/pythonDefinitions';
import { EventNode } from '../tree/eventNode';
import { ExecutionNode } from '../tree/executionNode';
import { ProblemGroupNode } from '../tree/problemNode';
import { RunNode } from '../tree/runNodes';
import type { Services } from '../services';

const KIND_WORDS: Readonly<Record<DefinitionKind, string>> = {
  workflow: 'workflow',
  activity: 'activity',
  signal: 'signal handler',
  query: 'query handler',
  update: 'update handler',
  nexusOperation: 'Nexus operation handler',
};

interface DefinitionItem extends vscode.QuickPickItem {
  definition: LocatedDefinition;
}

/**
 * Opens the Python definition of what an execution, event or problem group row names: the workflow
 * class, the activity function, the signal or update handler, or the Nexus operation's handler method;
 * for a problem group, the step its executions failed in (src/source/problemTarget.ts). Several
 * candidates (e.g. two services with an operation of that name): the user picks one.
 */
export async function goToSource(services: Pick<Services, 'treeView' | 'definitions' | 'ui'>, node?: unknown): Promise<LocatedDefinition> {
  const targets = targetsOf(node ?? services.treeView.selection[0]);
  let files = 0;
  for (const target of targets) {
    const found = await services.definitions.find(target.kind, target.name);
    files = found.files;
    const definitions = await ownHandlers(services, target, found.definitions);
    if (definitions.length > 0) return openDefinition(definitions.length === 1 ? definitions[0] : await pick(services, target, definitions));
  }
  // The first target is what the row names; the later ones were only fallbacks.
  const target = targets[0];
  const where = vscode.workspace.workspaceFolders?.length ? `in this workspace (searched ${files} Python file${files === 1 ? '' : 's'})` : '(no folder is open)';
  throw new UserFacingError(`No Python definition of ${KIND_WORDS[target.kind]} “${target.name}” found ${where}.`);
}

async function openDefinition(chosen: LocatedDefinition): Promise<LocatedDefinition> {
  const start = new vscode.Position(chosen.line, chosen.column);
  await vscode.window.showTextDocument(chosen.uri, { selection: new vscode.Range(start, start.translate(0, chosen.identifier.length)) });
  return chosen;
}

/**
 * A handler name several workflows of the folder use (`approve`, `cancel`): the one in the class of
 * the run's own workflow, when the folder defines that workflow; otherwise all of them, to pick from.
 */
async function ownHandlers(services: Pick<Services, 'definitions'>, target: SourceTarget, definitions: LocatedDefinition[]): Promise<LocatedDefinition[]> {
  if (target.handlerOf === undefined || definitions.length < 2) return definitions;
  const classes = (await services.definitions.find('workflow', target.handlerOf)).definitions;
  const own = definitions.filter((d) => classes.some((c) => c.uri.toString() === d.uri.toString() && c.identifier === d.container));
  return own.length > 0 ? own : definitions;
}

/** What to look for, in order (never empty): the first the workspace defines is opened. */
function targetsOf(node: unknown): SourceTarget[] {
  if (node instanceof ExecutionNode && node.execution.workflowName) return [{ kind: 'workflow', name: node.execution.workflowName }];
  if (node instanceof EventNode) {
    const { history, workflowName } = ownerOf(node);
    const target = eventTarget(node.event, node.kind, history, workflowName);
    if (target) return [target];
    throw new UserFacingError(`Event ${node.event.idText} ${node.event.type} names no workflow, activity, signal, update or Nexus operation to go to.`);
  }
  if (node instanceof ProblemGroupNode) {
    const { step, workflowName, unreadable } = node.group;
    if (unreadable !== undefined || step === undefined) {
      throw new UserFacingError('The problem of these executions could not be read, so it names no step to go to: open one of them instead.');
    }
    const targets = failedStepTargets(step, workflowName);
    if (targets.length > 0) return targets;
    throw new UserFacingError('This problem names neither its step nor its workflow, so there is no definition to go to.');
  }
  throw new UserFacingError('Select an execution, a problem group, or a workflow, activity, signal, update or Nexus event, in the Executions view.');
}

/**
 * The history loaded so far and the workflow of the run an event row belongs to. What has arrived is
 * enough: an event names what it refers to by an earlier event, and every event before a row shown has
 * arrived (a Temporal history's later pages may not have been read).
 */
function ownerOf(node: EventNode): { history: readonly WorkflowEvent[]; workflowName: string | undefined } {
  const owner = node.owner;
  if (owner instanceof ExecutionNode) return { history: owner.rows.history.current?.events ?? [], workflowName: owner.execution.workflowName };
  if (owner instanceof RunNode) return { history: owner.rows.history.current?.events ?? [], workflowName: owner.run.workflowName };
  return { history: [], workflowName: undefined };
}

async function pick(services: Pick<Services, 'ui'>, target: SourceTarget, definitions: readonly LocatedDefinition[]): Promise<LocatedDefinition> {
  const items: DefinitionItem[] = definitions.map((definition) => ({
    label: definition.name,
    description: `${vscode.workspace.asRelativePath(definition.uri)}:${definition.line + 1}`,
    detail: definition.container ? `${definition.container}.${definition.identifier}` : definition.identifier,
    definition,
  }));
  const chosen = await services.ui.pickOne(items, {
    title: `Go to Source: ${definitions.length} definitions of ${KIND_WORDS[target.kind]} “${target.name}”`,
    placeHolder: 'Choose the definition to open',
    matchOnDescription: true,
  });
  if (!chosen) throw new UserCancelled();
  return chosen.definition;
}
