/**
 * Subtractive dithering of quantized floating-point tiles, as the tiled-image convention defines it
 * (Pence, White & Seaman 2010, PASP 122, 1065; FITS Standard 4.0 §10.2.3, which CFITSIO, fpack and
 * astropy follow). The random values are a fixed table of 10,000 uniform deviates from the
 * Park–Miller "minimal standard" generator, stored in single precision: the writer and every reader
 * must regenerate exactly the same numbers, float rounding included.
 */
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

  const random = randomTable();
  const ditherTwo = method === 'SUBTRACTIVE_DITHER_2';
  let start = (((tileRow - 1 + seed - 1) % RANDOM_COUNT) + RANDOM_COUNT) % RANDOM_COUNT;
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
