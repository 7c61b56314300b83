/**
 * An ingest worker that gets stuck on purpose: for a file named `stuck*.fits` it takes its share
 * of the analysis memory and then never returns to its event loop (a synchronous loop, as a
 * runaway decompressor would be). Every other file goes to the real worker (the build in dist/).
 */
import run from '../../dist/ingest/frame.worker.js';
import { acquireMemory } from '../../dist/ingest/memory-budget.js';
import { taskStarted } from '../../dist/util/thread-task.js';

export default async function stuckOrReal(envelope) {
  const job = envelope.task;
  if (!/\/stuck[^/]*\.fits$/.test(job.absPath)) return run(envelope);
  taskStarted(envelope.control);
  if (job.memory) await acquireMemory(job.memory.budget, 8 * 1024 * 1024, job.memory.held);
  let spins = 0;
  while (spins >= 0) spins = (spins + 1) % 1_000_000;
  return { ok: false, retry: false, code: 'UNREACHABLE', reason: 'the loop ended' };
}
