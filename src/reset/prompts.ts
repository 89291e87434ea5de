import type * as vscode from 'vscode';
import { analyzeReset, nextStepAfter, ResetImpact } from '../api';
import type { WorkflowEvent } from '../api/types';
import { UserCancelled } from '../common/errors';
import type { UserInput } from '../common/ui';
import type { ReplayNote } from '../replayUi/beforeReset';
import { formatTime } from '../tree/labels';
import { confirmationDetail, confirmationMessage, optionLabels, ResetChoices, ResetWorkspace, validateReason } from './summary';

/** Step 1: the reason, required. `previous` pre-fills it so a retried or re-pointed reset keeps it. */
export async function askReason(ui: UserInput, previous?: string, note?: string): Promise<string> {
  const reason = await ui.input({
    title: 'Reset execution (1/3): reason',
    prompt: `${note ? `${note}. ` : ''}Why are you resetting? This is recorded in the execution’s history for auditing.`,
    placeHolder: 'e.g. Deployed fix for KeyError in ship_order (#512)',
    value: previous,
    validateInput: validateReason,
  });
  if (reason === undefined) throw new UserCancelled();
  const problem = validateReason(reason);
  if (problem) throw new UserCancelled(); // The input box cannot be accepted while invalid.
  return reason.trim();
}

interface OptionItem extends vscode.QuickPickItem {
  option: 'signals' | 'updates';
}

/** Step 2: which signals and updates received after the point are left out of the new run. */
export async function askOptions(
  ui: UserInput,
  impact: ResetImpact,
  previous?: Pick<ResetChoices, 'excludeSignals' | 'excludeUpdates'>,
): Promise<{ excludeSignals: boolean; excludeUpdates: boolean }> {
  const labels = optionLabels(impact);
  const items: OptionItem[] = [
    {
      label: labels.signals,
      option: 'signals',
      picked: previous?.excludeSignals ?? false,
      detail: 'Unchecked: the new run receives them again, in order.',
    },
    {
      label: labels.updates,
      option: 'updates',
      picked: previous?.excludeUpdates ?? false,
      detail: 'Unchecked: the new run applies them again, in order.',
    },
  ];
  const picked = await ui.pickMany(items, {
    title: 'Reset execution (2/3): options',
    placeHolder: 'Check what to leave out, then press Enter (nothing checked: re-apply everything)',
  });
  if (picked === undefined) throw new UserCancelled();
  return {
    excludeSignals: picked.some((item) => item.option === 'signals'),
    excludeUpdates: picked.some((item) => item.option === 'updates'),
  };
}

/** Step 3: a modal that names the workspace and says what will be lost; in production, the execution id typed as well. */
export async function confirmReset(
  ui: UserInput,
  execution: { executionId: string; workflowName: string; runId?: string },
  impact: ResetImpact,
  choices: ResetChoices,
  workspace: ResetWorkspace,
  note?: string,
  replay?: ReplayNote,
): Promise<'confirmed' | 'checkFirst'> {
  const detail = [note ? `${note}.` : undefined, replay?.text, confirmationDetail(execution, impact, choices, workspace)].filter(Boolean).join('\n\n');
  const message = confirmationMessage(execution.workflowName, impact.point, workspace);
  if (replay?.offerCheck) {
    const answer = await ui.confirmOr(message, detail, 'Reset', CHECK_FIRST);
    if (answer === 'alternative') return 'checkFirst';
    if (answer !== 'confirm') throw new UserCancelled();
  } else if (!(await ui.confirm(message, detail, 'Reset'))) {
    throw new UserCancelled();
  }
  if (!workspace.production) return 'confirmed';
  const typed = await ui.input({
    title: `Production workspace “${workspace.name}”: confirm the reset`,
    prompt: `Type the execution id (${execution.executionId}) to reset it.`,
    placeHolder: execution.executionId,
    validateInput: (value) =>
      value.trim() === execution.executionId ? undefined : 'Type the execution id exactly as shown to confirm.',
  });
  if (typed === undefined || typed.trim() !== execution.executionId) throw new UserCancelled();
  return 'confirmed';
}

/** The confirmation's second button when the replay check has not run for this run. */
const CHECK_FIRST = 'Check Replay First';

interface ResetPointItem extends vscode.QuickPickItem {
  event: WorkflowEvent;
}

/** Quick-pick rows for reset points: id, time and the step that follows each. */
export function resetPointItems(events: WorkflowEvent[], points: WorkflowEvent[]): ResetPointItem[] {
  const indexOf = new Map<WorkflowEvent, number>();
  events.forEach((event, index) => indexOf.set(event, index));
  return points.map((event) => {
    const next = nextStepAfter(events, indexOf.get(event) ?? -1);
    return {
      label: `$(debug-stackframe-dot) Event ${event.idText}`,
      description: formatTime(event.time),
      detail: next ? `then: ${next}` : 'the last workflow task',
      event,
    };
  });
}

/** Impact of resetting to `point`, for the confirmation. */
export function impactOf(events: WorkflowEvent[], point: WorkflowEvent): ResetImpact {
  if (point.eventId === undefined) throw new Error(`Event ${point.idText} has no integer id.`);
  // The caller offered this point (a Temporal backend also takes other workflow-task events).
  return analyzeReset(events, point.eventId, point.type === 'WORKFLOW_TASK_COMPLETED' ? [] : [point.type]);
}
