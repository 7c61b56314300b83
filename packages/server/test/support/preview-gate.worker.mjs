/**
 * A preview worker for tests of the render queue: a file whose name holds `stuck` never returns
 * (a synchronous loop); one whose name holds `gated` waits until a file `<path>.go` exists, then
 * renders. Every other file goes straight to the real worker (the build in dist/).
 */
import { existsSync } from 'node:fs';
import real from '../../dist/catalog/preview.worker.js';
import { taskStarted } from '../../dist/util/thread-task.js';

export default async function gatedOrReal(envelope) {
  const { path } = envelope.task;
  if (path.includes('stuck')) {
    taskStarted(envelope.control);
    let spins = 0;
    while (spins >= 0) spins = (spins + 1) % 1_000_000;
  }
  if (path.includes('gated')) {
    taskStarted(envelope.control);
    const sleep = new Int32Array(new SharedArrayBuffer(4));
    while (!existsSync(`${path}.go`)) Atomics.wait(sleep, 0, 0, 20);
  }
  return real(envelope);
}
