/**
 * Display limits and stretches for previews: IRAF zscale limits (`zscale` of @aims/fits, the
 * definition the browser's pixel viewer uses too), the sky-anchored limits of the asinh and log
 * stretches, and the mapping of values to bytes.
 */
import { zscale } from '@aims/fits';
import { selectInPlace } from './order-statistics.js';

export type Stretch = 'linear' | 'log' | 'asinh';

/**
 * Limits (and asinh softening) for a stretch. Linear: zscale's limits. asinh and log lift the faint
 * end, so with zscale's lower limit (several σ under the sky) the sky would come out light grey:
 * their black point is 2σ under the sky (median and 1.4826·MAD of a regular sample), the white point
 * zscale's upper limit but at least 8σ over the sky, and the asinh softening is chosen so that the
 * sky lands at SKY_LEVEL of full scale (PixInsight's auto-stretch aims at 0.25 too).
 */
export const SKY_LEVEL = 0.2;

export interface DisplayLimits {
  limits: [number, number];
  /** a in asinh(a·t)/asinh(a). */
  softening: number;
}

/**
 * `spread` widens the limits around the sky by that factor: for an image averaged over blocks
 * `spread` times wider (and taller) than the one whose look is wanted, whose noise, and with it
 * every limit's distance from the sky, is `spread` times smaller (a thumbnail averaged straight
 * from the frame looks as one resized from an image twice its size).
 */
export function displayLimits(data: ArrayLike<number>, count: number, stretch: Stretch, spread = 1): DisplayLimits {
  let [z1, z2] = zscale(data, { count });
  const fallback = () => ({ limits: [z1, z2] as [number, number], softening: 10 });
  const stride = Math.max(1, Math.floor(count / 10000));
  const sample = new Float64Array(Math.ceil(count / stride));
  const n = regularSample(data, count, stride, sample);
  const med = n > 0 ? selectInPlace(sample, n, n >> 1) : Number.NaN;
  if (spread !== 1 && Number.isFinite(med)) {
    z1 = med - spread * (med - z1);
    z2 = med + spread * (z2 - med);
  }
  if (stretch === 'linear' || n < 10) return fallback();
  absoluteDeviations(sample, n, med);
  const sigma = 1.4826 * spread * selectInPlace(sample, n, n >> 1);
  if (!(sigma > 0)) return fallback();
  const black = Math.max(z1, med - 2 * sigma);
  const white = Math.max(z2, med + 8 * sigma);
  const sky = (med - black) / (white - black);
  // asinh(a·t)/asinh(a) grows with a from t (a → 0) toward 1: bisect (in log a) for the sky level.
  let lo = 1e-3;
  let hi = 1e4;
  for (let k = 0; k < 60 && sky < SKY_LEVEL; k++) {
    const a = Math.sqrt(lo * hi);
    if (Math.asinh(a * sky) / Math.asinh(a) < SKY_LEVEL) lo = a;
    else hi = a;
  }
  return { limits: [black, white], softening: sky < SKY_LEVEL ? Math.sqrt(lo * hi) : 1e-3 };
}

/*
 * displayLimits' passes over the values are functions of their own: V8 compiles each small loop
 * once, where the function that held them was compiled again for each loop it entered hot, in
 * every ingest thread's first frames.
 */

/** Every `stride`-th of the first `count` values that is finite, into `sample`; returns how many. */
function regularSample(data: ArrayLike<number>, count: number, stride: number, sample: Float64Array): number {
  let n = 0;
  for (let i = 0; i < count; i += stride) if (Number.isFinite(data[i]!)) sample[n++] = data[i]!;
  return n;
}

/** values[i] ← |values[i] − centre| over values[0..n). */
function absoluteDeviations(values: Float64Array, n: number, centre: number): void {
  for (let i = 0; i < n; i++) values[i] = Math.abs(values[i]! - centre);
}

/** Maps value → 0…255 between the limits with the given stretch. */
export function stretchToBytes(
  data: ArrayLike<number>,
  count: number,
  [z1, z2]: [number, number],
  stretch: Stretch,
  out: Uint8Array,
  outStride = 1,
  outOffset = 0,
  asinhScale = 10,
): void {
  const lut = stretchTable(stretch, asinhScale);
  const scale = (LUT_SIZE - 1) / (z2 - z1 || 1);
  for (let i = 0; i < count; i++) {
    const t = (data[i]! - z1) * scale;
    // NaN and values under the black point → 0; over the white point → 255.
    out[outOffset + i * outStride] = t > 0 ? lut[t < LUT_SIZE - 1 ? Math.round(t) : LUT_SIZE - 1]! : 0;
  }
}

/** The stretch tabulated at 4096 steps of the normalized value: 16× finer than the output's 256. */
const LUT_SIZE = 4096;

/** The last table built: previews call row by row with the same stretch. */
let lastTable: { key: string; lut: Uint8Array } | null = null;

function stretchTable(stretch: Stretch, asinhScale: number): Uint8Array {
  const key = `${stretch}:${asinhScale}`;
  if (lastTable?.key === key) return lastTable.lut;
  const lut = new Uint8Array(LUT_SIZE);
  const asinhNorm = 1 / Math.asinh(asinhScale);
  const logScale = 1000;
  const logNorm = 1 / Math.log(logScale + 1);
  for (let k = 0; k < LUT_SIZE; k++) {
    const t = k / (LUT_SIZE - 1);
    const s =
      stretch === 'asinh'
        ? Math.asinh(asinhScale * t) * asinhNorm
        : stretch === 'log'
          ? Math.log(logScale * t + 1) * logNorm
          : t;
    lut[k] = Math.round(255 * s);
  }
  lastTable = { key, lut };
  return lut;
}
