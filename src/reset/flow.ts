import { randomUUID } from 'node:crypto';
import { isResetPoint, WorkflowsApiError } from '../api';
import type { ResetImpact, WorkflowBackend } from '../api';
import type { Services } from '../services';
import { UserCancelled, UserFacingError, userMessage } from '../common/errors';
import { inertLinks } from '../common/notificationText';
import { replayNoteFor, type ReplayNoteDeps } from '../replayUi/beforeReset';
import { bindToWorkspace, offerReasonCopy, WorkspaceChanged, type ResetBinding } from './binding';
import { askOptions, askReason, confirmReset, impactOf, resetPointItems } from './prompts';
import { announceFound, findOurReset, sendReset, SendOutcome, type SendResetServices } from './send';
import { ResetChoices } from './summary';
import type { ResetTarget } from './target';

/** What the whole flow uses: the replay check in the confirmation, and the reset itself (its prompts and log among them). */
export type ResetFlowServices = ReplayNoteDeps & SendResetServices;

/**
 * Reason → options → confirmation (→ typed id in production) → one POST, all bound to the workspace
 * the flow started in (binding.ts). The typed reason survives every error: an invalid point (Mistral's
 * WF_1001) offers the server's valid points and asks again with the same reason; any other failure
 * offers Retry with the same choices; a workspace switch stops the flow with the reason to copy.
 * Nothing is ever re-sent without the user's click, a reset whose answer was lost is read back before
 * anything else is offered, and a Retry reads the execution back before it sends.
 */
export async function runResetFlow(services: ResetFlowServices, initial: ResetTarget): Promise<void> {
  if (services.resets.isBusy(initial.execution.executionId)) {
    throw new UserFacingError(`A reset of ${initial.execution.executionId} is already in progress. Wait for it to finish.`);
  }
  // Taken now: whatever the connection does while a prompt is open or the replay check runs, this
  // reset goes to this workspace, with its production guard, or nowhere.
  const binding = await bindToWorkspace(services.connection);
  const reason = await askReason(services.ui, undefined, initial.why);
  try {
    await resetBound(services, binding, initial, reason);
  } catch (error) {
    if (!(error instanceof WorkspaceChanged)) throw error;
    services.log.warn('reset', error.message);
    offerReasonCopy(services, error.message, reason);
    throw new UserCancelled(); // said above, with the reason to copy
  }
}

async function resetBound(services: ResetFlowServices, binding: ResetBinding, initial: ResetTarget, reason: string): Promise<void> {
  let target = initial;
  let impact = impactOf(target.events, target.point);
  let choices: ResetChoices = { reason, ...(await askOptions(services.ui, impact)) };
  let confirmNeeded = true;
  let lastOutcome: SendOutcome | undefined;

  for (;;) {
    if (confirmNeeded) {
      await confirmWithReplayCheck(services, binding, target, impact, choices);
      choices = { ...choices, requestId: randomUUID() };
    }
    let meanwhile: SendOutcome | undefined;
    try {
      meanwhile = await appliedMeanwhile(binding, target, choices, lastOutcome);
    } catch (error) {
      if (!(error instanceof WorkflowsApiError)) throw error;
      // Nothing is sent without the read-back; Retry reads again, with the same reason and choices.
      const unread = `Before sending the reset of ${target.execution.executionId} again, the execution could not be read to check whether the last attempt was applied: ${userMessage(error)} Nothing was sent.`;
      if ((await services.ui.notify('error', unread, 'Retry')) !== 'Retry') throw new UserCancelled();
      continue;
    }
    if (meanwhile?.kind === 'done') {
      await announceFound(services, binding, target, meanwhile.latest);
      return;
    }
    const outcome: SendOutcome = meanwhile ?? (await sendReset(services, binding, target, choices)); // announced if done
    lastOutcome = outcome;
    if (outcome.kind === 'done') return;
    const error = outcome.error;
    if (error instanceof WorkflowsApiError && error.problem === 'invalidResetPoint') {
      binding.ensureActive(`the reset of ${target.execution.executionId}`);
      target = await pickServerPoint(services, binding.backend, target, error);
      impact = impactOf(target.events, target.point);
      choices = { ...choices, ...(await askOptions(services.ui, impact, choices)) };
      confirmNeeded = true;
      continue;
    }
    const message = outcome.kind === 'notSent' ? `${userMessage(error)} The reset was not applied.` : userMessage(error);
    const choice = await services.ui.notify('error', inertLinks(message), 'Retry');
    if (choice !== 'Retry') throw new UserCancelled();
    confirmNeeded = false; // The user confirmed these exact choices and asked to try again.
  }
}

/**
 * The confirmation, with the replay check's verdict for the chosen point; “Check Replay First” runs
 * the check and asks again with its verdict. Only the user's Reset goes on to the POST. A switch while
 * the check ran stops here, before the user is asked to confirm a reset that could not be sent.
 */
async function confirmWithReplayCheck(
  services: ReplayNoteDeps & Pick<Services, 'ui'>,
  binding: ResetBinding,
  target: ResetTarget,
  impact: ResetImpact,
  choices: ResetChoices,
): Promise<void> {
  const what = `the reset of ${target.execution.executionId}`;
  let replay = await replayNoteFor(services, target.execution, target.point, 'auto');
  binding.ensureActive(what);
  while ((await confirmReset(services.ui, target.execution, impact, choices, binding.workspace, target.why, replay)) === 'checkFirst') {
    replay = await replayNoteFor(services, target.execution, target.point, 'now');
    binding.ensureActive(what);
  }
}

/**
 * Before a Retry: the attempt before may have been applied after all (a server that was slow, an
 * answer lost on the way). Sending again would reset twice, so the execution is read back first.
 */
async function appliedMeanwhile(
  binding: ResetBinding,
  target: ResetTarget,
  choices: ResetChoices,
  last: SendOutcome | undefined,
): Promise<SendOutcome | undefined> {
  if (last === undefined) return undefined;
  binding.ensureActive(`the reset of ${target.execution.executionId}`);
  const evidence = await findOurReset(binding.backend, target, choices);
  if (evidence.kind === 'ours') return { kind: 'done', latest: evidence.latest };
  if (evidence.kind === 'other') {
    throw new UserFacingError(`${target.execution.executionId} has a new run (${evidence.latest.runId ?? 'unknown'}) that this reset did not start. Review it before resetting again.`);
  }
  return undefined;
}

/** After an invalid point: the run may have changed since the tree loaded; offer the server's valid points. */
async function pickServerPoint(services: Pick<Services, 'ui' | 'log'>, client: WorkflowBackend, target: ResetTarget, error: WorkflowsApiError): Promise<ResetTarget> {
  const [execution, events] = await Promise.all([
    client.getExecution(target.execution.executionId),
    client.getHistory(target.execution.executionId),
  ]);
  const valid = new Set(error.validResetEvents ?? []);
  const points = events.filter((e) => isResetPoint(e) && e.eventId !== undefined && valid.has(e.eventId));
  if (points.length === 0) {
    throw new UserFacingError(
      `Event ${target.point.idText} is not a valid reset point, and the server offered none that this run's history contains.`,
    );
  }
  const runChanged = execution.runId !== target.execution.runId;
  const picked = await services.ui.pickOne(resetPointItems(events, points), {
    title: `Event ${target.point.idText} is not a valid reset point${runChanged ? ' (the execution has a newer run)' : ''}`,
    placeHolder: 'Choose one of the reset points the server accepts (your reason is kept)',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) throw new UserCancelled();
  services.log.info('reset', `Invalid reset point event ${target.point.idText}; the user chose event ${picked.event.idText}.`);
  return { execution, events, point: picked.event, node: target.node };
}
