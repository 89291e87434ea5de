/**
 * Copy Reset as Python / curl on a Temporal workspace: the same reset in Temporal's own terms. curl
 * posts to the cluster's HTTP API the very body TemporalClient sends (resetRequestBody), with a request
 * id made when it was copied; Python calls ResetWorkflowExecution through the temporalio SDK on the
 * cluster's gRPC frontend (TEMPORAL_ADDRESS: the HTTP API's address is not it). A key, when the
 * workspace has one, is read from TEMPORAL_API_KEY, never written in. Pure.
 */
import { randomUUID } from 'node:crypto';
import { normalizeBase, pyString, REASON_PLACEHOLDER, shellQuote, type ResetCode, type ResetCodeFormat, type ResetCodeRequest } from '../resetCode';
import { resetRequestBody } from './client';

const TEMPORAL_KEY_VARIABLE = 'TEMPORAL_API_KEY';

interface TemporalEndpoint {
  baseUrl: string;
  namespace: string;
  withApiKey: boolean;
  /** Who the reset says sent it (the client's identity). */
  identity: string;
  /** The path of the reset below the base URL. */
  resetPath: string;
}

export function temporalResetCode(endpoint: TemporalEndpoint, request: ResetCodeRequest, format: ResetCodeFormat): ResetCode {
  return { text: format === 'python' ? pythonSnippet(endpoint, request) : curlSnippet(endpoint, request), keyVariable: TEMPORAL_KEY_VARIABLE };
}

function curlSnippet(endpoint: TemporalEndpoint, request: ResetCodeRequest): string {
  const body = resetRequestBody(request.executionId, {
    runId: request.runId,
    workflowTaskFinishEventId: request.eventId,
    reason: request.reason ?? REASON_PLACEHOLDER,
    requestId: randomUUID(),
    excludeSignals: request.excludeSignals ?? false,
    excludeUpdates: request.excludeUpdates ?? false,
  }, endpoint.identity);
  return [
    `curl -X POST ${shellQuote(`${normalizeBase(endpoint.baseUrl)}${endpoint.resetPath}`)} \\`,
    ...(endpoint.withApiKey ? [`  -H "Authorization: Bearer $${TEMPORAL_KEY_VARIABLE}" \\`] : []),
    "  -H 'Content-Type: application/json' \\",
    `  --data ${shellQuote(JSON.stringify(body))}`,
    '',
  ].join('\n');
}

function pythonSnippet(endpoint: TemporalEndpoint, request: ResetCodeRequest): string {
  const exclude = [
    ...(request.excludeSignals ? ['ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL'] : []),
    ...(request.excludeUpdates ? ['ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE'] : []),
  ];
  const execution = request.runId
    ? `WorkflowExecution(workflow_id=${pyString(request.executionId)}, run_id=${pyString(request.runId)})`
    : `WorkflowExecution(workflow_id=${pyString(request.executionId)})`;
  const auth = endpoint.withApiKey ? `, api_key=os.environ[${pyString(TEMPORAL_KEY_VARIABLE)}], tls=True` : '';
  return [
    'import asyncio',
    'import os',
    'import sys',
    'import uuid',
    '',
    'from temporalio.api.common.v1 import WorkflowExecution',
    'from temporalio.api.enums.v1 import ResetReapplyExcludeType',
    'from temporalio.api.workflowservice.v1 import ResetWorkflowExecutionRequest',
    'from temporalio.client import Client',
    '',
    // A string literal, never raw text in a comment: nothing in the setting can become code.
    "# The cluster's HTTP API this was copied from; TEMPORAL_ADDRESS is its gRPC frontend (host:7233), not this.",
    `HTTP_API = ${pyString(normalizeBase(endpoint.baseUrl))}`,
    '',
    '',
    'async def main() -> None:',
    `    client = await Client.connect(os.environ["TEMPORAL_ADDRESS"], namespace=${pyString(endpoint.namespace)}${auth})`,
    '    await client.workflow_service.reset_workflow_execution(',
    '        ResetWorkflowExecutionRequest(',
    `            namespace=${pyString(endpoint.namespace)},`,
    `            workflow_execution=${execution},`,
    `            workflow_task_finish_event_id=${request.eventId},`,
    `            reason=${pyString(request.reason ?? REASON_PLACEHOLDER)},`,
    '            request_id=str(uuid.uuid4()),',
    `            reset_reapply_exclude_types=[${exclude.join(', ')}],`,
    `            identity=${pyString(endpoint.identity)},`,
    '        )',
    '    )',
    '',
    '',
    'asyncio.run(main())',
    '# A short-lived temporalio client may crash while Python shuts down (temporalio/sdk-python#300):',
    '# the reset is done by now, so leave without that teardown.',
    'sys.stdout.flush()',
    'os._exit(0)',
    '',
  ].join('\n');
}
