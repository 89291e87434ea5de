/**
 * What the sandbox remembers of the Mistral workers (mistralai-workflows) that talk to it: the workflow
 * definitions they registered (so an engine-backed store can list the known workflow names and task
 * queues) and the executions they registered. The routes that fill it are in worker-routes.ts.
 */
import { randomUUID } from 'node:crypto';

/** Where workers find the engine (`GET /workers/whoami`): the Temporal frontend's gRPC address. */
export interface EngineAddress {
  /** `host:port`, e.g. `127.0.0.1:7233`. */
  grpcAddress: string;
  namespace: string;
}

interface RegisteredWorkflow {
  name: string;
  /** The platform's id for the workflow: a UUID, the same every time a worker registers this name. */
  workflowId: string;
  /** The latest registration's id (a new one per registration, as the platform does). */
  registrationId: string;
  taskQueue: string;
  deploymentName: string;
  workerName: string;
  /** The SDK's own workflows (`__parallel_execution__`) say `is_technical: true`. */
  technical: boolean;
  signals: string[];
  queries: string[];
  updates: string[];
  /** The definition as the worker sent it, JSON schemas included. */
  definition: Record<string, unknown>;
}

interface RegisteredExecution {
  /** The API's execution id: the Temporal workflow id. */
  executionId: string;
  runId: string;
  workflowName: string;
  taskQueue: string;
  parentExecutionId: string | null;
  rootExecutionId: string | null;
}

/** One `definitions[]` entry of `POST /register`, validated by the route. */
export type Definition = Record<string, unknown> & { name: string; task_queue: string };

export class WorkerRegistry {
  private readonly byName = new Map<string, RegisteredWorkflow>();
  private readonly runs = new Map<string, RegisteredExecution>();
  private received = 0;

  constructor(private readonly newId: () => string = randomUUID) {}

  /** Registers the definitions, in order; returns their ids in the same order. */
  register(deploymentName: string, workerName: string, definitions: Definition[]): RegisteredWorkflow[] {
    return definitions.map((definition) => {
      const workflow: RegisteredWorkflow = {
        name: definition.name,
        workflowId: this.byName.get(definition.name)?.workflowId ?? this.newId(),
        registrationId: this.newId(),
        taskQueue: definition.task_queue,
        deploymentName,
        workerName,
        technical: definition.is_technical === true,
        signals: handlerNames(definition.signals),
        queries: handlerNames(definition.queries),
        updates: handlerNames(definition.updates),
        definition,
      };
      this.byName.set(workflow.name, workflow);
      return workflow;
    });
  }

  /** Every workflow registered so far (the latest registration of each name), first registered first. */
  workflows(): RegisteredWorkflow[] {
    return [...this.byName.values()];
  }

  /** Records a run; false when this run was registered before. */
  registerExecution(execution: RegisteredExecution): boolean {
    const key = `${execution.executionId}\n${execution.runId}`;
    if (this.runs.has(key)) return false;
    this.runs.set(key, execution);
    return true;
  }

  executions(): RegisteredExecution[] {
    return [...this.runs.values()];
  }

  /** Workers' events are acknowledged and counted, not kept: the history is the engine's. */
  countEvents(count: number): void {
    this.received += count;
  }

  get eventsReceived(): number {
    return this.received;
  }
}

function handlerNames(handlers: unknown): string[] {
  if (!Array.isArray(handlers)) return [];
  return handlers.flatMap((h) => (h !== null && typeof h === 'object' && typeof (h as { name?: unknown }).name === 'string' ? [(h as { name: string }).name] : []));
}
