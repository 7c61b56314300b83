import { workerData } from 'node:worker_threads';
import type { ThreadTask } from '../util/thread-task.js';
import { taskStarted } from '../util/thread-task.js';
import { analysisModules, type FrameJob, type FrameOutcome, processFrame } from './frame.job.js';
import type { FrameThreadData } from './worker-pool.js';

// Started with the thread, not awaited: a frame that arrives meanwhile waits for the same imports
// (a failed import fails that frame, as it would have anyway).
if ((workerData as FrameThreadData | undefined)?.preloadAnalysis) analysisModules().catch(() => {});

/** Entry point of an ingest worker thread (the ThreadPool calls the default export once per file). */
export default function run({ control, task }: ThreadTask<FrameJob>): Promise<FrameOutcome> {
  if (!taskStarted(control)) return Promise.resolve(WITHDRAWN);
  return processFrame(task);
}

/** Returned for a file withdrawn before this thread came to it (nobody reads it). */
const WITHDRAWN: FrameOutcome = { ok: false, retry: true, code: 'WITHDRAWN', reason: 'withdrawn before it was read' };
