/**
 * Opens a replay check's report: the pure report (src/replay/report.ts) with what only the editor
 * knows, the step the divergent event belongs to and where the workspace defines the workflow.
 */
import * as vscode from 'vscode';
import { groupSteps, stepLabel } from '../api';
import type { Services } from '../services';
import { replayReport, type CheckedRun } from '../replay';

export async function showReplayReport(deps: Pick<Services, 'eventDocuments' | 'definitions'>, check: CheckedRun): Promise<vscode.TextEditor> {
  const source = await workflowSource(deps, check.workflowName);
  const divergentStep = divergentStepOf(check);
  const text = replayReport(check, { source, divergentStep });
  const name = `${check.executionId}-replay-check.md`.replace(/[^\w.-]+/g, '_');
  return deps.eventDocuments.showText(`/replay/${encodeURIComponent(check.executionId)}/${name}`, text, 'markdown');
}

/** `workflows/orders.py:13`, where the workspace defines the workflow (Go to Source's search). */
async function workflowSource(deps: Pick<Services, 'definitions'>, workflowName: string): Promise<string | undefined> {
  const { definitions } = await deps.definitions.find('workflow', workflowName);
  const first = definitions[0];
  return first === undefined ? undefined : `${vscode.workspace.asRelativePath(first.uri)}:${first.line + 1}`;
}

/** The step (`activity create_shipment`) the divergent event belongs to, or the workflow task. */
function divergentStepOf(check: CheckedRun): string | undefined {
  if (check.result.outcome !== 'diverges') return undefined;
  const eventId = check.result.eventId;
  const index = check.events.findIndex((e) => e.eventId === eventId);
  if (index < 0) return undefined;
  const owner = groupSteps(check.events).ownerOf(index);
  if (owner?.kind === 'step') return stepLabel(owner.step);
  if (owner?.kind === 'resetPoint') {
    const after = owner.entry.afterStep;
    return after ? `the workflow task after ${stepLabel(after)}` : 'a workflow task';
  }
  return owner?.kind === 'workflowTask' ? 'a workflow task' : undefined;
}
