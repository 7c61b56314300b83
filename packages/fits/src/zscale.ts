/**
 * IRAF's zscale display limits (Tody 1986, IRAF `display`), as astropy's ZScaleInterval computes
 * them: fit a straight line to the sorted sample (value against rank) by least squares, reject the
 * points beyond 2.5σ of the line and grow every rejection over 1% of the sample (a star's wings sit
 * next to its core in sorted order), refit, at most 5 times. The range is the median ± the slope
 * divided by the contrast times half the sample, clipped to the sample's extremes. When more than
 * half the sample is rejected the line means nothing, and the limits are the minimum and maximum.
 *
 * One definition for the server's previews and the browser's pixel viewer.
 */

export interface ZscaleOptions {
  /** Pixels sampled on a regular grid (astropy's `n_samples`). Default 1000. */
  samples?: number;
  /** Default 0.25. */
  contrast?: number;
  /** Only the first `count` values of the array are the image (a reused buffer may be longer). */
  count?: number;
}

const KREJ = 2.5;
const MAX_ITERATIONS = 5;
const MAX_REJECT = 0.5;
const MIN_NPIXELS = 5;

/**
 * Finite values on a regular grid over the first `count` values, sorted. The grid steps over
 * positions, NaN included (astropy steps over the finite values; the same grid when there is no NaN),
 * so that a 60-megapixel frame is sampled without a pass over all of it.
 */
export function sortedSample(data: ArrayLike<number>, samples = 1000, count = data.length): Float64Array {
  const stride = Math.max(1, Math.floor(count / samples));
  const values = new Float64Array(Math.min(samples, Math.ceil(count / stride)));
  let n = 0;
  for (let i = 0; i < count && n < values.length; i += stride) {
    const v = data[i]!;
    if (Number.isFinite(v)) values[n++] = v;
  }
  return values.subarray(0, n).sort();
}

/** zscale limits of an image: a regular sample of it, then `zscaleOfSorted`. */
export function zscale(data: ArrayLike<number>, options: ZscaleOptions = {}): [number, number] {
  const sample = sortedSample(data, options.samples ?? 1000, options.count ?? data.length);
  return zscaleOfSorted(sample, options.contrast ?? 0.25);
}

/** zscale limits of a sample already sorted ascending (finite values only). */
export function zscaleOfSorted(sorted: ArrayLike<number>, contrast = 0.25): [number, number] {
  const n = sorted.length;
  if (n === 0) return [0, 1];
  const lo = sorted[0]!;
  const hi = sorted[n - 1]!;
  const minGood = Math.max(MIN_NPIXELS, Math.floor(n * MAX_REJECT));
  const grow = Math.max(1, Math.floor(n * 0.01));
  // numpy's convolve(mode='same') with `grow` ones marks, for a rejected point m, the points
  // m − before … m + after (the extra point of an even window goes after).
  const before = Math.floor((grow - 1) / 2);
  const after = grow - 1 - before;
  const bad = new Uint8Array(n);
  const rejected = new Uint8Array(n);
  let good = n;
  let lastGood = n + 1;
  let slope = 0;
  for (let iteration = 0; iteration < MAX_ITERATIONS && good < lastGood && good >= minGood; iteration++) {
    const fit = fitLine(sorted, bad);
    if (!fit) break;
    slope = fit.slope;
    const threshold = KREJ * residualSigma(sorted, bad, fit.intercept, slope, fit.m);
    rejectBeyond(sorted, bad, fit.intercept, slope, threshold, rejected);
    lastGood = good;
    good = growRejections(rejected, bad, before, after);
  }
  if (good < minGood) return [lo, hi];
  const center = Math.floor((n - 1) / 2);
  const median = n % 2 ? sorted[center]! : 0.5 * (sorted[n / 2 - 1]! + sorted[n / 2]!);
  const scaled = contrast > 0 ? slope / contrast : slope;
  const z1 = Math.max(lo, median - (center - 1) * scaled);
  const z2 = Math.min(hi, median + (n - center) * scaled);
  return z2 > z1 ? [z1, z2] : [lo, hi];
}

/*
 * zscaleOfSorted's passes are functions of their own: V8 compiles each small loop once, where the
 * function that held them all was compiled while its first loop ran and thrown away at the next
 * (a preview is made from every frame an ingest thread measures). Same arithmetic, same order.
 */

/** Least-squares line through the points not marked bad (value against rank); null when degenerate. */
function fitLine(sorted: ArrayLike<number>, bad: Uint8Array): { slope: number; intercept: number; m: number } | null {
  const n = sorted.length;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (bad[i]) continue;
    const y = sorted[i]!;
    sx += i;
    sy += y;
    sxx += i * i;
    sxy += i * y;
    m++;
  }
  const denominator = m * sxx - sx * sx;
  if (denominator === 0) return null;
  const slope = (m * sxy - sx * sy) / denominator;
  const intercept = (sy - slope * sx) / m;
  return { slope, intercept, m };
}

/** σ of the residuals from the line over the `m` points not marked bad. */
function residualSigma(
  sorted: ArrayLike<number>,
  bad: Uint8Array,
  intercept: number,
  slope: number,
  m: number,
): number {
  const n = sorted.length;
  let mean = 0;
  for (let i = 0; i < n; i++) if (!bad[i]) mean += sorted[i]! - (intercept + slope * i);
  mean /= m;
  let variance = 0;
  for (let i = 0; i < n; i++) if (!bad[i]) variance += (sorted[i]! - (intercept + slope * i) - mean) ** 2;
  return Math.sqrt(variance / m);
}

/** Marks in `rejected` the points already bad or beyond `threshold` of the line. */
function rejectBeyond(
  sorted: ArrayLike<number>,
  bad: Uint8Array,
  intercept: number,
  slope: number,
  threshold: number,
  rejected: Uint8Array,
): void {
  const n = sorted.length;
  for (let i = 0; i < n; i++) {
    rejected[i] = bad[i] || Math.abs(sorted[i]! - (intercept + slope * i)) > threshold ? 1 : 0;
  }
}

/** Grows every rejection over `before` points before it and `after` after it into `bad`; returns the points left good. */
function growRejections(rejected: Uint8Array, bad: Uint8Array, before: number, after: number): number {
  const n = rejected.length;
  bad.fill(0);
  for (let i = 0; i < n; i++) {
    if (rejected[i]) for (let j = Math.max(0, i - before); j <= Math.min(n - 1, i + after); j++) bad[j] = 1;
  }
  let good = 0;
  for (let i = 0; i < n; i++) if (!bad[i]) good++;
  return good;
}
