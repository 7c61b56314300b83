/**
 * Subtractive dithering of quantized floating-point tiles, as the tiled-image convention defines it
 * (Pence, White & Seaman 2010, PASP 122, 1065; FITS Standard 4.0 §10.2.3, which CFITSIO, fpack and
 * astropy follow). The random values are a fixed table of 10,000 uniform deviates from the
 * Park–Miller "minimal standard" generator, stored in single precision: the writer and every reader
 * must regenerate exactly the same numbers, float rounding included.
 */
import {
  type IntegerLayout,
  SIMD_CHUNK_PIXELS,
  SIMD_TILE_MIN_PIXELS,
  type SimdTiles,
  simdTiles,
} from './simd-tiles.js';

export const RANDOM_COUNT = 10_000;
const MULTIPLIER = 16_807;
const MODULUS = 2_147_483_647;
/** The seed after 10,000 steps, as published with the algorithm: a check that the table is right. */
const LAST_SEED = 1_043_618_065;

/** ZQUANTIZ of the convention. */
export type QuantizeMethod = 'NO_DITHER' | 'SUBTRACTIVE_DITHER_1' | 'SUBTRACTIVE_DITHER_2';

/** SUBTRACTIVE_DITHER_2 stores exact zeros as this integer so they stay exactly 0.0. */
export const DITHER_ZERO_VALUE = -2_147_483_646;

let table: Float32Array | undefined;

export function randomTable(): Float32Array {
  if (table) return table;
  const values = new Float32Array(RANDOM_COUNT);
  let seed = 1;
  for (let i = 0; i < RANDOM_COUNT; i++) {
    // 16807 × (2^31 − 1) < 2^46: exact in a double, so this is the integer recurrence itself.
    const product = MULTIPLIER * seed;
    seed = product - MODULUS * Math.floor(product / MODULUS);
    values[i] = seed / MODULUS;
  }
  if (seed !== LAST_SEED) throw new Error('the dither random table does not match the published sequence');
  table = values;
  return values;
}

/**
 * Turns quantized integers back into floating-point values:
 * `zero + scale × (i − r + 0.5)` with dithering, `zero + scale × i` without; `nullValue` → NaN.
 * `tileRow` is the 1-based row of the tile in the table and `seed` ZDITHER0: together they say
 * where in the random table the tile's sequence starts.
 */
export function unquantize(
  values: Int32Array,
  out: Float32Array | Float64Array,
  scale: number,
  zero: number,
  method: QuantizeMethod,
  tileRow: number,
  seed: number,
  nullValue: number | undefined,
): number {
  const marker = nullValue ?? Number.NaN;
  let nulls = 0;
  const count = values.length;
  if (method === 'NO_DITHER') {
    if (nullValue === undefined) {
      for (let i = 0; i < count; i++) out[i] = zero + scale * values[i]!;
      return 0;
    }
    for (let i = 0; i < count; i++) {
      const stored = values[i]!;
      if (stored === marker) {
        out[i] = Number.NaN;
        nulls++;
      } else {
        out[i] = zero + scale * stored;
      }
    }
    return nulls;
  }

  // Dithered tiles into float32 (the common case: every quantized tile of a float32 frame) in the
  // SIMD kernels, bit for bit what the loop below gives.
  const kernels = out instanceof Float32Array && count >= SIMD_TILE_MIN_PIXELS ? simdTiles() : undefined;
  if (kernels && out instanceof Float32Array) {
    const load = (from: number, n: number) => kernels.loadIntegers(values, from, n);
    return ditherInKernels(kernels, load, count, out, scale, zero, method, tileRow, seed, nullValue);
  }
  const random = randomTable();
  const ditherTwo = method === 'SUBTRACTIVE_DITHER_2';
  let start = ditherStart(tileRow, seed);
  let next = Math.floor(Math.fround(random[start]! * 500));
  let i = 0;
  while (i < count) {
    // The sequence advances on every pixel, null or not, so that tiles stay independent; runs up
    // to the end of the table keep the wrap-around test out of the per-pixel loop.
    const end = Math.min(count, i + (RANDOM_COUNT - next));
    if (ditherTwo || nullValue !== undefined) {
      for (; i < end; i++, next++) {
        const stored = values[i]!;
        if (stored === marker) {
          out[i] = Number.NaN;
          nulls++;
        } else if (ditherTwo && stored === DITHER_ZERO_VALUE) {
          out[i] = 0;
        } else {
          out[i] = (stored - random[next]! + 0.5) * scale + zero;
        }
      }
    } else {
      // The common case (SUBTRACTIVE_DITHER_1, no ZBLANK): nothing to test per pixel.
      const offset = next - i;
      for (; i < end; i++) out[i] = (values[i]! - random[offset + i]! + 0.5) * scale + zero;
      next = offset + i;
    }
    if (next === RANDOM_COUNT) {
      start = (start + 1) % RANDOM_COUNT;
      next = Math.floor(Math.fround(random[start]! * 500));
    }
  }
  return nulls;
}

/** Index in the random table of the value that sets where a tile's sequence starts. */
function ditherStart(tileRow: number, seed: number): number {
  return (((tileRow - 1 + seed - 1) % RANDOM_COUNT) + RANDOM_COUNT) % RANDOM_COUNT;
}

/**
 * `unquantize` of a GZIP tile's inflated bytes (big-endian int32 words for GZIP_1, four byte planes
 * for GZIP_2) straight to float32, without a pass of its own to build the integers, where the
 * WebAssembly SIMD kernels run. Returns the count of nulls, or undefined when the case is not one
 * the kernels take (NO_DITHER, a float64 output, no SIMD): the caller then builds the integers and
 * calls `unquantize`.
 */
export function unquantizeBytes(
  bytes: Uint8Array,
  layout: IntegerLayout,
  count: number,
  out: Float32Array | Float64Array,
  scale: number,
  zero: number,
  method: QuantizeMethod,
  tileRow: number,
  seed: number,
  nullValue: number | undefined,
): number | undefined {
  if (method === 'NO_DITHER' || !(out instanceof Float32Array)) return undefined;
  const kernels = count >= SIMD_TILE_MIN_PIXELS && bytes.length >= count * 4 ? simdTiles() : undefined;
  if (!kernels) return undefined;
  const load = (from: number, n: number) => kernels.loadBytes(bytes, layout, count, from, n);
  return ditherInKernels(kernels, load, count, out, scale, zero, method, tileRow, seed, nullValue);
}

/**
 * The dithered loop of `unquantize` in the SIMD kernels: chunk by chunk, each chunk in runs that
 * do not pass the end of the random table (where the sequence restarts). Returns the null count.
 */
function ditherInKernels(
  kernels: SimdTiles,
  load: (from: number, n: number) => void,
  count: number,
  out: Float32Array,
  scale: number,
  zero: number,
  method: 'SUBTRACTIVE_DITHER_1' | 'SUBTRACTIVE_DITHER_2',
  tileRow: number,
  seed: number,
  nullValue: number | undefined,
): number {
  const random = randomTable();
  const zeroMarked = method === 'SUBTRACTIVE_DITHER_2';
  let nulls = 0;
  let start = ditherStart(tileRow, seed);
  let next = Math.floor(Math.fround(random[start]! * 500));
  for (let from = 0; from < count; from += SIMD_CHUNK_PIXELS) {
    const n = Math.min(SIMD_CHUNK_PIXELS, count - from);
    load(from, n);
    for (let at = 0; at < n; ) {
      const run = Math.min(n - at, RANDOM_COUNT - next);
      nulls += kernels.dither(random, at, run, next, scale, zero, nullValue, zeroMarked);
      at += run;
      next += run;
      if (next === RANDOM_COUNT) {
        start = (start + 1) % RANDOM_COUNT;
        next = Math.floor(Math.fround(random[start]! * 500));
      }
    }
    kernels.store(out, from, n);
  }
  return nulls;
}
