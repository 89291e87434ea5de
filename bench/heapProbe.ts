/**
 * Child process of heap.ts (run with --expose-gc): the extension's data for the 51,200-event
 * execution, measured in a process that holds nothing else (the sandbox and the other scenarios' data
 * live in the parent). The data is what the tree keeps: RunHistory's events + kinds + details.
 * Prints `{ retainedBytes, peakHeapBytes, peakRssBytes, events }`.
 * Usage: node --expose-gc out/bench/heapProbe.js <baseUrl> <apiKey> <executionId>
 */
import { WorkflowsClient } from '../src/api/mistral';
import { RunHistory } from '../src/tree/runHistory';
import { collectGarbage, hasGc } from './measure';

async function main(): Promise<void> {
  const [baseUrl, apiKey, executionId] = process.argv.slice(2);
  if (!baseUrl || !apiKey || !executionId) throw new Error('usage: heapProbe.js <baseUrl> <apiKey> <executionId>');
  if (!hasGc()) throw new Error('run with --expose-gc');
  const client = new WorkflowsClient({ baseUrl, apiKey, maxRetries: 0, timeoutMs: 60_000 });
  // A small read first, so that the baseline already holds the client's code, pool and connection.
  await client.getExecution(executionId);

  collectGarbage();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  // Sampled between I/O callbacks: the synchronous JSON.parse and normalisation are not sampled,
  // so this is a lower bound; the reading right after load() (garbage not yet collected) adds to it.
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 1);
  // As the tree reads it: streamed, the first page found early, then the whole body parsed.
  const history = new RunHistory((stream) => client.getHistory(executionId, { stream }), () => 500);
  const loaded = await history.load();
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  clearInterval(sampler);
  // ru_maxrss is the process's high-water mark (KiB on Linux), so it sees the synchronous peaks too.
  const peakRss = process.resourceUsage().maxRSS * 1024;

  collectGarbage();
  const after = process.memoryUsage();
  const events = loaded.events.length; // `history` stays referenced up to here
  await client.close();
  process.stdout.write(
    JSON.stringify({
      retainedBytes: after.heapUsed - before.heapUsed,
      peakHeapBytes: peakHeap - before.heapUsed,
      peakRssBytes: peakRss - before.rss,
      events,
      kept: history.shown,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
