/**
 * Where SODA cutouts are made: in the on-demand worker threads that render previews (their cap,
 * queue, time budget and cancellation; catalog/preview-renders.ts), or, without them (tests,
 * tools), in this thread.
 *
 *   cutoutMaker(runModule?): (job, signal?) => Promise<CutoutOutcome>
 */
import type { OffThreadRunner } from '../catalog/preview-renders.js';
import { compiledWorkerFile } from '../util/thread-pool.js';
import { type CutoutJob, type CutoutOutcome, makeCutout } from './soda.worker.js';

export type CutoutMaker = (job: CutoutJob, signal?: AbortSignal) => Promise<CutoutOutcome>;

export function cutoutMaker(runModule?: OffThreadRunner): CutoutMaker {
  if (!runModule) return (job) => makeCutout(job);
  const file = compiledWorkerFile(new URL('./soda.worker.js', import.meta.url));
  if (!file) throw new Error('the SODA worker is not built (npm run build:lib)');
  return (job, signal) => runModule<CutoutOutcome>(file, job, signal);
}
