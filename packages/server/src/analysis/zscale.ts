/**
 * Display limits and stretches for previews.
 *
 * zscale is IRAF's `zscale` (display/zscale): sample about 1000 pixels on a regular grid, sort
 * them, fit a straight line to value versus rank with iterative 2.5σ rejection (rejected points
 * grown by 1% of the sample; at most 5 iterations; at least half the points kept) — the same
 * sampling and constants as astropy's ZScaleInterval, which the tests compare against, divide the slope
 * by the contrast (0.25) and centre the range on the median:
 *   z1 = max(min, median − (n/2)·slope/contrast),  z2 = min(max, median + (n/2)·slope/contrast).
 * When too many points are rejected the limits are the sample's minimum and maximum.
 */

export interface ZscaleOptions {
  samples?: number;
  contrast?: number;
}

const KREJ = 2.5;
const MAX_ITERATIONS = 5;
const MAX_REJECT = 0.5;
const MIN_NPIXELS = 5;

export function zscale(data: ArrayLike<number>, count = data.length, options: ZscaleOptions = {}): [number, number] {
  const wanted = options.samples ?? 1000;
  const contrast = options.contrast ?? 0.25;
  const stride = Math.max(1, Math.floor(count / wanted));
  const values: number[] = [];
  for (let i = 0; i < count && values.length < wanted; i += stride) {
    const v = data[i]!;
    if (Number.isFinite(v)) values.push(v);
  }
  const n = values.length;
  if (n === 0) return [0, 1];
  values.sort((a, b) => a - b);
  const zmin = values[0]!;
  const zmax = values[n - 1]!;
  const center = Math.floor((n - 1) / 2);
  const med = n % 2 ? values[center]! : 0.5 * (values[center]! + values[center + 1]!);
  const minpix = Math.max(MIN_NPIXELS, Math.floor(n * MAX_REJECT));
  if (n < minpix) return [zmin, zmax];
  const grow = Math.floor(Math.max(1, Math.floor(n * 0.01)) / 2);
  // x normalized to [-1, 1] over the ranks, as IRAF does, for a well-conditioned fit.
  const xscale = 2 / Math.max(1, n - 1);
  const good = new Uint8Array(n).fill(1);
  let slope = 0;
  let intercept = med;
  let ngood = n;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    let m = 0;
    for (let i = 0; i < n; i++)
      if (good[i]) {
        const x = i * xscale - 1;
        const y = values[i]!;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
        m++;
      }
    const det = m * sxx - sx * sx;
    if (m < 2 || det === 0) break;
    slope = (m * sxy - sx * sy) / det;
    intercept = (sy - slope * sx) / m;
    let ss = 0;
    for (let i = 0; i < n; i++)
      if (good[i]) {
        const r = values[i]! - (intercept + slope * (i * xscale - 1));
        ss += r * r;
      }
    const sigma = Math.sqrt(ss / m);
    const rejected: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = values[i]! - (intercept + slope * (i * xscale - 1));
      if (good[i] && Math.abs(r) > KREJ * sigma) rejected.push(i);
    }
    if (rejected.length === 0) break;
    for (const i of rejected) for (let j = Math.max(0, i - grow); j <= Math.min(n - 1, i + grow); j++) good[j] = 0;
    ngood = good.reduce((a, b) => a + b, 0);
    if (ngood < minpix) break;
  }
  if (ngood < minpix) return [zmin, zmax];
  const perRank = (slope * xscale) / (contrast > 0 ? contrast : 1);
  const z1 = Math.max(zmin, med - (center - 1) * perRank);
  const z2 = Math.min(zmax, med + (n - center) * perRank);
  return z2 > z1 ? [z1, z2] : [zmin, zmax > zmin ? zmax : zmin + 1];
}

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

export function displayLimits(data: ArrayLike<number>, count: number, stretch: Stretch): DisplayLimits {
  const [z1, z2] = zscale(data, count);
  const fallback = { limits: [z1, z2] as [number, number], softening: 10 };
  if (stretch === 'linear') return fallback;
  const stride = Math.max(1, Math.floor(count / 10000));
  const sample: number[] = [];
  for (let i = 0; i < count; i += stride) if (Number.isFinite(data[i]!)) sample.push(data[i]!);
  if (sample.length < 10) return fallback;
  sample.sort((a, b) => a - b);
  const med = sample[sample.length >> 1]!;
  const deviations = sample.map((v) => Math.abs(v - med)).sort((a, b) => a - b);
  const sigma = 1.4826 * deviations[deviations.length >> 1]!;
  if (!(sigma > 0)) return fallback;
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
