/**
 * The bench's sandbox in a process of its own, so that it can live inside the link's network
 * namespace (`ip netns exec … node out/bench/netServer.js <address> [<one-way delay ms>]`). With a
 * delay (kernels without netem), the sandbox listens on 127.0.0.1 inside the namespace and a delay
 * relay on <address> (delayRelay.ts). Prints one line, `READY <baseUrl> <apiKey>`; stops on SIGTERM.
 */
import { startSandbox } from '../sandbox/server';
import { startDelayRelay } from './delayRelay';

async function main(): Promise<void> {
  const address = process.argv[2] ?? '127.0.0.1';
  const delayMs = Number(process.argv[3] ?? '0');
  const host = delayMs > 0 ? '127.0.0.1' : address;
  // The bench's dataset (run.ts): 1,000 executions and the 51,200-event one; resets complete late,
  // so that the timed reset round trips all find a run in the same state.
  // The bench reads the admin routes (bytes sent) at <address>: its Host header names that address.
  const sandbox = await startSandbox({ host, adminHosts: [address], port: 0, historyShape: 'seed', executions: 995, completionDelayMs: 3_600_000 });
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  let baseUrl = sandbox.baseUrl;
  if (delayMs > 0) {
    const relay = await startDelayRelay(address, sandbox.port, delayMs);
    baseUrl = `http://${address}:${relay.port}`;
  }
  process.stdout.write(`READY ${baseUrl} ${sandbox.apiKey}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
