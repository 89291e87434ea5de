/**
 * The short report of a replay check, as Markdown: the verdict, what ran where, the divergence (the
 * replayer's own message, the event and its step, the workflow's source line) and the reset points it
 * makes safe. Pure: the caller finds the step and the source line.
 */
import type { CheckedRun } from './checked';
import { lastSafePoint, safetyOfResetPoints } from './safety';

interface ReportContext {
  /** The step the divergent event belongs to, e.g. `activity create_shipment`. */
  divergentStep?: string;
  /** Where the workflow is defined, e.g. `workflows/orders.py:13`. */
  source?: string;
}

export function replayReport(check: CheckedRun, context: ReportContext = {}): string {
  const lines = [`# Replay check: ${check.workflowName}`, '', ...facts(check), ''];
  const result = check.result;
  if (result.outcome === 'failed') {
    lines.push('## The check could not run', '', result.message, '', `**What to do:** ${result.whatToDo}`);
    if (result.file !== undefined) lines.push('', `At ${result.file}${result.line === undefined ? '' : `:${result.line}`}.`);
    if (result.stderrTail) lines.push('', 'The end of its output:', '', fence(result.stderrTail));
    lines.push('', 'This is not a verdict: nothing is known about your code and this history until the check runs.');
    return `${lines.join('\n')}\n`;
  }
  const points = safetyOfResetPoints(check.events, result);
  const safe = points.filter((p) => p.safety === 'safe').length;
  if (result.outcome === 'clean') {
    lines.push('## Replays cleanly', '', `Your current code replays all ${result.replayedEvents.toLocaleString('en')} events of this history.`, `Every reset point (${points.length}) is safe.`);
  } else {
    const event = check.events.find((e) => e.eventId === result.eventId);
    lines.push(
      `## Diverges at event ${result.eventId}`,
      '',
      `Event ${result.eventId}${event ? ` ${event.type}` : ''}${context.divergentStep ? `, in ${context.divergentStep}` : ''}: ${result.cause === 'nondeterminism' ? 'your code’s commands differ from what the history recorded' : 'your code raised an error while it replayed this workflow task'}.`,
      '',
      'The replayer said:',
      '',
      fence(result.message),
      '',
      `${safe} of ${points.length} reset points come before it and are safe; at or after event ${result.eventId}, the new run would fail again.`,
    );
    if (context.source) lines.push('', `The workflow is defined at ${context.source}.`);
  }
  const last = lastSafePoint(check.events, result);
  lines.push('', last ? `**Reset to Last Safe Point** resets to event ${last.point.idText}. ${last.why}` : '**Reset to Last Safe Point**: no reset point qualifies.');
  return `${lines.join('\n')}\n`;
}

function facts(check: CheckedRun): string[] {
  return [
    `- Execution: \`${check.executionId}\`${check.runId ? `, run \`${check.runId}\`` : ''} (${check.events.length.toLocaleString('en')} events)`,
    `- Checked: ${check.checkedAt.toISOString()}`,
    `- Python: ${check.interpreter.description}`,
    `- Workflow code: ${check.dirs.map((d) => `\`${d}\``).join(', ') || '(none)'}`,
    '- What ran: temporalio’s replayer, on this machine, over the history read once from the server. Activities are not executed by a replay, and nothing is sent anywhere.',
  ];
}

function fence(text: string): string {
  const ticks = text.includes('```') ? '````' : '```';
  return `${ticks}text\n${text.trimEnd()}\n${ticks}`;
}
