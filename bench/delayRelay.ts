/**
 * One-way delay for kernels without `sch_netem` (CONFIG_NET_SCH_NETEM unset, as on this bench's VM):
 * a TCP relay in the link's namespace that forwards every chunk `oneWayMs` after it arrived, in both
 * directions, in order (a pipeline: chunks are not held behind each other, only shifted in time). The
 * rate is still the kernel's (tbf on the veth). What it cannot model: the client's TCP sees the relay
 * close by, so its slow start is not held back by the round trip the way a real 40 ms link holds it.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

function forwardDelayed(from: Socket, to: Socket, oneWayMs: number): void {
  const queue: { due: number; chunk: Buffer | undefined }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const pump = (): void => {
    timer = undefined;
    const now = Date.now();
    while (queue.length > 0 && queue[0].due <= now) {
      const { chunk } = queue.shift() as { chunk: Buffer | undefined };
      if (chunk === undefined) to.end();
      else to.write(chunk);
    }
    if (queue.length > 0) timer = setTimeout(pump, Math.max(0, queue[0].due - now));
  };
  const push = (chunk: Buffer | undefined): void => {
    queue.push({ due: Date.now() + oneWayMs, chunk });
    timer ??= setTimeout(pump, oneWayMs);
  };
  from.on('data', (chunk: Buffer) => push(chunk));
  from.on('end', () => push(undefined));
  from.on('close', () => {
    if (queue.length === 0) to.destroy();
  });
}

export function startDelayRelay(listenHost: string, targetPort: number, oneWayMs: number): Promise<{ port: number; server: Server }> {
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const fail = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', fail);
    upstream.on('error', fail);
    forwardDelayed(client, upstream, oneWayMs);
    forwardDelayed(upstream, client, oneWayMs);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, listenHost, () => {
      const address = server.address();
      resolve({ port: typeof address === 'object' && address ? address.port : 0, server });
    });
  });
}
