import { ExecutionNode } from '../tree/executionNode';
import { PendingNode } from '../tree/pendingNode';
import { pickExecutionId } from './pickExecution';
import type { Services } from '../services';

/** The engine's built-in query: every coroutine of the workflow and the line it is waiting at. */
const STACK_TRACE_QUERY = '__stack_trace';

/**
 * Show Call Stack on a running execution (or its Pending row): runs `__stack_trace` through the API's
 * query route and opens the answer read-only. The answer is the worker's, so it needs a worker polling.
 */
export async function showCallStack(services: Pick<Services, 'tree' | 'ui' | 'connection' | 'eventDocuments' | 'log'>, node?: unknown): Promise<string> {
  const owner = node instanceof PendingNode ? node.owner : node;
  const executionId = owner instanceof ExecutionNode ? owner.executionId : (await pickExecutionId(services, 'Show Call Stack')).trim();
  const execution = owner instanceof ExecutionNode ? owner.execution : undefined;
  const client = await services.connection.client();
  const result = await client.query(executionId, STACK_TRACE_QUERY);
  const text = stackText(result);
  services.log.info('query', `${STACK_TRACE_QUERY} of ${executionId}: ${text.length} characters.`);
  const title = `${execution?.workflowName ?? 'execution'} ${executionId} call stack`;
  await services.eventDocuments.showText(`/${encodeURIComponent(executionId)}/call-stack.txt`, `// ${title} (${new Date().toISOString()})\n${text}\n`, 'plaintext');
  return text;
}

/** Temporal's SDKs answer with one string; anything else is shown as JSON rather than lost. */
function stackText(result: unknown): string {
  if (typeof result === 'string') return result.trim() === '' ? '(the workflow reported an empty call stack)' : result;
  if (Array.isArray(result) && result.every((r) => typeof r === 'string')) return result.join('\n');
  return JSON.stringify(result, null, 2) ?? String(result);
}
