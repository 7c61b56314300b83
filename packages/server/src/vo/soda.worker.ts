/**
 * A SODA cutout as a job for the on-demand worker threads (catalog/preview-renders.ts runModule):
 * the request is parsed again in the thread from its parameters (a region's test is a function,
 * which cannot cross threads), and a refusal comes back as a value, since an error's class does not.
 *
 *   makeCutout(job): Promise<CutoutOutcome>     also the worker module's default export
 */
import { DaliParameterError, type DaliParams } from './dali-params.js';
import { type CutoutResult, cutoutFits } from './soda.cutout.js';
import { parseSodaRequest } from './soda.js';

export interface CutoutJob {
  /** The original, resolved inside the image roots. */
  path: string;
  hduIndex: number;
  params: DaliParams;
  maxInflateRatio?: number;
  label: string;
}

export type CutoutOutcome = ({ ok: true } & CutoutResult) | { ok: false; message: string };

export async function makeCutout(job: CutoutJob): Promise<CutoutOutcome> {
  try {
    const request = parseSodaRequest(job.params);
    const result = await cutoutFits(job.path, job.hduIndex, request, {
      label: job.label,
      ...(job.maxInflateRatio === undefined ? {} : { maxInflateRatio: job.maxInflateRatio }),
    });
    return { ok: true, ...result };
  } catch (error) {
    if (error instanceof DaliParameterError) return { ok: false, message: error.message };
    throw error;
  }
}

export default makeCutout;
