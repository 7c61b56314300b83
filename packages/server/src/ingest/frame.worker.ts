import { workerData } from 'node:worker_threads';
import type { ThreadTask } from '../util/thread-task.js';
import { taskStarted } from '../util/thread-task.js';
import { analysisModules, type FrameJob, type FrameOutcome, processFrame } from './frame.job.js';
import type { FrameThreadData } from './worker-pool.js';

// Awaited as part of loading this script: piscina binds the thread's task port only once the script
// is loaded, and until a task comes it blocks the thread in Atomics.wait, which stops every
// asynchronous step, so imports started and left running stalled there. In profiles of `aims
// ingest` each thread loaded sharp inside its first frame (~70 ms) after idling 40-80 ms for it.
// A failed import fails the first frame, as it would have anyway.
if ((workerData as FrameThreadData | undefined)?.preloadAnalysis) await analysisModules().catch(() => {});

/** Entry point of an ingest worker thread (the ThreadPool calls the default export once per file). */
export default function run({ control, task }: ThreadTask<FrameJob>): Promise<FrameOutcome> {
  if (!taskStarted(control)) return Promise.resolve(WITHDRAWN);
  return processFrame(task);
}

/** Returned for a file withdrawn before this thread came to it (nobody reads it). */
const WITHDRAWN: FrameOutcome = { ok: false, retry: true, code: 'WITHDRAWN', reason: 'withdrawn before it was read' };
