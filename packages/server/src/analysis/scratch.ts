/**
 * Work buffers reused from one frame to the next within a thread, handed out with whatever the last
 * frame left in them. A 4096×4096 frame needs two 64 MB arrays (background-subtracted, labels);
 * faulting in fresh pages for them cost more than the arithmetic (docs/decisions/0004, figures in
 * docs/performance.md), while an ingest worker analyses frame after frame of the same size. The
 * keep-and-reuse rule is @aims/fits' array pool (the one behind readImage's PixelPool); buffers
 * above MAX_POOLED_ELEMENTS are not kept, so a rare huge frame does not pin its memory. Callers must
 * not keep a pooled array past the analysis of the frame it was taken for.
 */
import { createArrayPool } from '@aims/fits';

export const MAX_POOLED_ELEMENTS = 32 * 1024 * 1024;

let take = createArrayPool(MAX_POOLED_ELEMENTS);

/** Lets go of every work buffer of this thread (after a frame larger than it should keep). */
export function releaseScratch(): void {
  take = createArrayPool(MAX_POOLED_ELEMENTS);
}

export const scratchFloat64 = (name: string, length: number) => take(name, length, (n) => new Float64Array(n));
export const scratchFloat32 = (name: string, length: number) => take(name, length, (n) => new Float32Array(n));
export const scratchUint8 = (name: string, length: number) => take(name, length, (n) => new Uint8Array(n));
export const scratchInt32 = (name: string, length: number) => take(name, length, (n) => new Int32Array(n));
