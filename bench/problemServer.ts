/**
 * Group by Problem's server in a process of its own (problems.ts): the extension reads histories from
 * a server on another machine, so the work of answering them must not land on the event loop and the
 * core whose time is measured. `node out/bench/problemServer.js failed <count> <now ms>` serves
 * problemData.ts's failed executions; `… engine <gRPC address> <namespace> <HTTP base URL>` the engine
 * sandbox's Workflows API and Temporal passthrough in front of a dev server. Prints one line,
 * `READY <baseUrl> <apiKey>`; stops on SIGTERM. Its request log and byte counter are read over the
 * sandbox's admin routes.
 */
import { TemporalClient } from '../src/api/temporal';
import { EngineStore } from '../sandbox/engine/store';
import { startSandbox, type SandboxOptions } from '../sandbox/server';
import { failedExecutions, FailedExecutionsStore } from './problemData';

function optionsFrom(argv: readonly string[]): SandboxOptions {
  const [mode, a, b, c] = argv;
  if (mode === 'failed' && a !== undefined && b !== undefined) {
    const store = new FailedExecutionsStore(failedExecutions(Number(a), Number(b)));
    return { port: 0, store: () => store };
  }
  if (mode === 'engine' && a !== undefined && b !== undefined && c !== undefined) {
    return {
      port: 0,
      engine: { grpcAddress: a, namespace: b },
      temporal: { httpBaseUrl: c },
      store: ({ workers }) => new EngineStore({ client: new TemporalClient({ baseUrl: c, namespace: b, timeoutMs: 120_000 }), workers }),
    };
  }
  throw new Error('usage: problemServer.js failed <count> <now ms> | engine <gRPC address> <namespace> <HTTP base URL>');
}

async function main(): Promise<void> {
  const sandbox = await startSandbox(optionsFrom(process.argv.slice(2)));
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`READY ${sandbox.baseUrl} ${sandbox.apiKey}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
