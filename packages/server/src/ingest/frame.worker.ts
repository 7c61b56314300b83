import type { ThreadTask } from '../util/thread-task.js';
import { taskStarted } from '../util/thread-task.js';
import { type FrameJob, type FrameOutcome, processFrame } from './frame.job.js';

/** Entry point of an ingest worker thread (the ThreadPool calls the default export once per file). */
export default function run({ control, task }: ThreadTask<FrameJob>): Promise<FrameOutcome> {
  taskStarted(control);
  return processFrame(task);
}
