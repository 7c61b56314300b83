import { type FrameJob, type FrameOutcome, processFrame } from './frame.job.js';

/** Entry point of an ingest worker thread (piscina calls the default export once per file). */
export default function run(job: FrameJob): Promise<FrameOutcome> {
  return processFrame(job);
}
