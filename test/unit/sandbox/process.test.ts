/** spawnGroup's output excerpt: a Go panic says why in its first lines and then prints many stacks. */
import * as assert from 'node:assert/strict';
import { spawnGroup } from '../../../sandbox/engine/process';

/** Runs `script` until its last line (`last`) has been read: the pipes may still hold it after the exit. */
async function outputOf(script: string, last: string): Promise<ReturnType<typeof spawnGroup>> {
  const proc = spawnGroup(['bash', '-c', script], { env: process.env });
  await proc.exited;
  for (let i = 0; i < 100 && !proc.tail(1).endsWith(last); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return proc;
}

describe('sandbox/engine/process: what a failed start shows of the output', () => {
  it('keeps the first lines and the last ones of a long output, saying how many were left out', async () => {
    const proc = await outputOf('echo "panic: listen tcp: address already in use"; echo; for i in $(seq 1 300); do echo "goroutine frame $i"; done; exit 2', 'frame 300');
    const excerpt = proc.excerpt(3, 4);
    assert.deepEqual(excerpt.split('\n'), [
      'panic: listen tcp: address already in use',
      'goroutine frame 1',
      'goroutine frame 2',
      '… 294 lines left out …',
      'goroutine frame 297',
      'goroutine frame 298',
      'goroutine frame 299',
      'goroutine frame 300',
    ]);
    assert.ok(!proc.tail(40).includes('panic:'), 'the tail alone has lost the reason');
  });

  it('shows a short output whole, and a last line without a newline too', async () => {
    const proc = await outputOf('echo one; echo two >&2; printf three', 'three');
    assert.deepEqual(proc.excerpt(3, 4).split('\n').sort(), ['one', 'three', 'two']);
  });
});
