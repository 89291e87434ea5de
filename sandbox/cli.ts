/**
 * `node out/sandbox/cli.js --port 8787 --api-key K --seed N --history-shape seed --completion-delay-ms 3000`
 * `node out/sandbox/cli.js --engine temporal [--workflows DIR] [--no-seed] [--port N] [--api-key K]`
 * Starts the sandbox in the foreground (in memory, or on a real Temporal engine with a real Mistral
 * worker, after the set-up step that installs the engine on first use); Ctrl+C (SIGINT) or SIGTERM
 * stops it cleanly, the engine and the worker included.
 */
import { parseArgs } from 'node:util';
import { HISTORY_SHAPES, type HistoryShape } from './store';
import { venvBinary } from './engine/paths';
import { runSetup } from './engine/setup';
import { DEMO_WORKFLOW, ENGINE_DEMO, startEngineSandbox, TASK_QUEUE } from './engine/sandbox';
import { DEMO, startSandbox, type SandboxOptions } from './server';

const USAGE = `Usage: node out/sandbox/cli.js [--port N] [--api-key K] [--seed N]
       [--history-shape ${HISTORY_SHAPES.join('|')}] [--completion-delay-ms N] [--executions N]
   or: node out/sandbox/cli.js --engine temporal [--workflows DIR] [--no-seed] [--port N] [--api-key K]`;

interface CliOptions extends SandboxOptions {
  /** `--engine`: the in-memory store, or a real Temporal engine. */
  mode: 'memory' | 'temporal';
  /** With the temporal engine: the workflow files the worker runs and watches. */
  workflowsDir?: string;
  /** With the temporal engine: false (`--no-seed`) starts no demo executions, even on the demo's files. */
  seedDemo: boolean;
}

class UsageError extends Error {}

function integer(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

export function parseCli(argv: string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'api-key': { type: 'string' },
        seed: { type: 'string' },
        'history-shape': { type: 'string' },
        'completion-delay-ms': { type: 'string' },
        executions: { type: 'string' },
        engine: { type: 'string' },
        workflows: { type: 'string' },
        'no-seed': { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const shape = values['history-shape'];
  if (shape !== undefined && !(HISTORY_SHAPES as readonly string[]).includes(shape)) {
    throw new UsageError(`--history-shape must be one of ${HISTORY_SHAPES.join(', ')}, got "${shape}"`);
  }
  const apiKey = values['api-key'];
  if (apiKey !== undefined && apiKey.trim() === '') throw new UsageError('--api-key must not be empty');
  const engine = values.engine ?? 'memory';
  if (engine !== 'memory' && engine !== 'temporal') throw new UsageError(`--engine must be memory or temporal, got "${engine}"`);
  const memoryOnly = (['seed', 'history-shape', 'completion-delay-ms', 'executions'] as const).filter((k) => values[k] !== undefined);
  if (engine === 'temporal' && memoryOnly.length > 0) {
    throw new UsageError(`--${memoryOnly[0]} is for the in-memory sandbox: the engine's executions are real ones`);
  }
  if (engine === 'memory' && values.workflows !== undefined) throw new UsageError('--workflows goes with --engine temporal');
  if (engine === 'memory' && values['no-seed'] !== undefined) throw new UsageError('--no-seed goes with --engine temporal (the in-memory sandbox has --seed N, its random seed)');
  return {
    mode: engine,
    workflowsDir: values.workflows,
    seedDemo: values['no-seed'] !== true,
    port: integer('port', values.port, 0, 65535),
    apiKey,
    seed: integer('seed', values.seed, 0, 2 ** 32 - 1),
    historyShape: shape as HistoryShape | undefined,
    completionDelayMs: integer('completion-delay-ms', values['completion-delay-ms'], 0, 3_600_000),
    executions: integer('executions', values.executions, 0, 100_000),
  };
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`sandbox: ${err.message}\n${USAGE}`);
    process.exit(2);
  }
  let close: () => Promise<void>;
  if (options.mode === 'temporal') {
    // As `npm run demo -- --engine temporal` does: a fresh clone installs the engine here, once.
    runSetup('engine', (line) => console.log(`sandbox: ${line}`));
    const running = await startEngineSandbox({ workflowsDir: options.workflowsDir, seed: options.seedDemo, port: options.port, apiKey: options.apiKey, log: (line) => console.log(`sandbox: ${line}`) });
    close = () => running.stop();
    console.log(`Sandbox listening on ${running.sandbox.baseUrl} (on the real engine, Temporal HTTP API ${running.engine.httpBaseUrl})`);
    console.log(`API key: ${running.sandbox.apiKey}`);
    console.log(`Workflow files (edit them: the worker restarts with your code): ${running.workflowsDir}`);
    if (running.seeded.orders) {
      console.log(`Demo executions: failed ${ENGINE_DEMO.failed}, waiting ${ENGINE_DEMO.waiting}, completed ${ENGINE_DEMO.completed}`);
    } else {
      console.log(`No demo executions: ${options.seedDemo ? `${running.workflowsDir} defines no ${DEMO_WORKFLOW} workflow` : '--no-seed'}`);
    }
    // The Temporal CLI that came with the engine starts one of the folder's workflows on the worker's queue.
    console.log(`Start an execution: ${venvBinary('temporal')} workflow start --address ${running.engine.grpcAddress} --task-queue ${TASK_QUEUE} --type WORKFLOW_NAME --input '{"parameter": "value"}'`);
  } else {
    const sandbox = await startSandbox(options);
    close = () => sandbox.close();
    console.log(`Sandbox listening on ${sandbox.baseUrl}`);
    console.log(`API key: ${sandbox.apiKey}`);
    console.log(`Demo executions: failed ${DEMO.failed}, running ${DEMO.running}, reset ${DEMO.reset}, big ${DEMO.big}`);
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`Sandbox stopping (${signal})`);
    void close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error('sandbox: failed to start:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
