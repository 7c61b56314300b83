/**
 * Work buffers reused from one frame to the next within a thread, handed out with whatever the last
 * frame left in them. A 4096×4096 frame needs two 64 MB arrays (background-subtracted, labels);
 * faulting in fresh pages for them cost more than the arithmetic (docs/decisions/0004, figures in
 * docs/performance.md), while an ingest worker analyses frame after frame of the same size. Buffers above MAX_POOLED_ELEMENTS are
 * not kept, so a rare huge frame does not pin its memory. Callers must not keep a pooled array past
 * the analysis of the frame it was taken for.
 */
export const MAX_POOLED_ELEMENTS = 32 * 1024 * 1024;

type Pooled = Float64Array | Float32Array | Int32Array | Uint8Array;
const pool = new Map<string, Pooled>();

function take<T extends Pooled>(name: string, length: number, make: (n: number) => T): T {
  const held = pool.get(name) as T | undefined;
  if (held && held.length >= length) return held.subarray(0, length) as T;
  const fresh = make(length);
  if (length <= MAX_POOLED_ELEMENTS) pool.set(name, fresh);
  else pool.delete(name);
  return fresh;
}

/** Lets go of every work buffer of this thread (after a frame larger than it should keep). */
export function releaseScratch(): void {
  pool.clear();
}

export const scratchFloat64 = (name: string, length: number) => take(name, length, (n) => new Float64Array(n));
export const scratchFloat32 = (name: string, length: number) => take(name, length, (n) => new Float32Array(n));
export const scratchUint8 = (name: string, length: number) => take(name, length, (n) => new Uint8Array(n));
export const scratchInt32 = (name: string, length: number) => take(name, length, (n) => new Int32Array(n));
