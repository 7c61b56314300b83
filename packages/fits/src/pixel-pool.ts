/**
 * Arrays that `readImage` reuses from one read to the next instead of allocating fresh ones.
 *
 * A fresh 64 MB output array costs page faults on first touch, and in the virtual machines we
 * measured those cost more than decoding the pixels (docs/performance.md, "Pixels"). A reader that
 * handles frame after frame of the same size (an ingest worker) keeps one pool and pays for its
 * arrays once.
 *
 * Each read through a pool overwrites what the previous read through the same pool returned: keep
 * one pool per reader, finish with one frame's pixels before reading the next, and never share a
 * pool between reads that run at the same time. Arrays above `maxElements` (byte buffers above
 * 4 × `maxElements` bytes) are handed out but not kept, so one huge frame does not pin its memory.
 */
export interface PixelPool {
  /** `length` float32 values (the content is whatever the last user left). */
  float32(length: number): Float32Array;
  float64(length: number): Float64Array;
  /** `length` bytes, all zero (a blank mask only marks the undefined pixels). */
  mask(length: number): Uint8Array;
  /** `length` bytes of scratch for file reads (content undefined). */
  bytes(length: number): Uint8Array;
}

export interface PixelPoolOptions {
  /** Largest array kept for reuse, in elements. Default 64 Mi (a 8192 × 8192 frame). */
  maxElements?: number;
  /**
   * Makes the byte buffers (each must start its own ArrayBuffer, so that typed views of it are
   * aligned). `createNodePixelPool` of `@aims/fits/node` gives Node Buffers here, whose native
   * byte swaps the readers then use.
   */
  allocateBytes?: (length: number) => Uint8Array;
}

const DEFAULT_MAX_ELEMENTS = 64 * 1024 * 1024;

type Pooled = Float32Array | Float64Array | Int32Array | Uint8Array;

/**
 * The keep-and-reuse rule behind every pool: one array per slot name, handed out again (as a view of
 * the requested length, with whatever the last user left in it) while it is large enough; an array
 * above `maxElements` is handed out but not kept. The same rules as PixelPool apply to its users.
 */
export type ArrayPool = <T extends Pooled>(slot: string, length: number, make: (n: number) => T) => T;

export function createArrayPool(maxElements: number): ArrayPool {
  const held = new Map<string, Pooled>();
  return <T extends Pooled>(slot: string, length: number, make: (n: number) => T): T => {
    const kept = held.get(slot) as T | undefined;
    if (kept && kept.length >= length) return kept.subarray(0, length) as T;
    const fresh = make(length);
    if (length <= maxElements) held.set(slot, fresh);
    else held.delete(slot);
    return fresh;
  };
}

export function createPixelPool(options: PixelPoolOptions = {}): PixelPool {
  const maxElements = options.maxElements ?? DEFAULT_MAX_ELEMENTS;
  const take = createArrayPool(maxElements);
  // Byte buffers are kept up to the size in bytes of the largest float32 array kept: a whole data
  // unit read by readStoredImage (104 MB for a 6248×4176 float frame) is then reused too.
  const takeBytes = createArrayPool(maxElements * 4);
  return {
    float32: (length) => take('float32', length, (n) => new Float32Array(n)),
    float64: (length) => take('float64', length, (n) => new Float64Array(n)),
    mask: (length) => take('mask', length, (n) => new Uint8Array(n)).fill(0),
    bytes: (length) => takeBytes('bytes', length, options.allocateBytes ?? ((n) => new Uint8Array(n))),
  };
}
