/**
 * Display stretches for raw pixel values, computed in the browser: limits by IRAF's zscale
 * (a line fitted to the sorted sample's middle, its slope divided by `contrast`) or by the
 * sample's min/max, then a linear, logarithmic or asinh curve to 0–255. The sample is a regular
 * grid of at most SAMPLE_SIZE pixels, so the limits of a 60-megapixel frame cost milliseconds.
 */

export type StretchCurve = 'linear' | 'log' | 'asinh';
export type StretchLimits = 'zscale' | 'minmax';

export const SAMPLE_SIZE = 20_000;

/** Finite values on a regular grid over the image, sorted. */
export function sortedSample(data: ArrayLike<number>, size = SAMPLE_SIZE): Float64Array {
  const step = Math.max(1, Math.floor(data.length / size));
  const values: number[] = [];
  for (let i = 0; i < data.length; i += step) {
    const v = data[i]!;
    if (Number.isFinite(v)) values.push(v);
  }
  return Float64Array.from(values).sort();
}

export function minmaxLimits(sorted: Float64Array): [number, number] {
  if (sorted.length === 0) return [0, 1];
  return [sorted[0]!, sorted[sorted.length - 1]!];
}

/**
 * IRAF zscale (Tody 1986), as astropy's ZScaleInterval does it: fit a line to the sorted sample by
 * least squares, reject points beyond 2.5σ of the line and grow each rejection by 1 % of the
 * sample (star wings sit next to star cores in sorted order), refit, at most 5 times. The display
 * range is the median ± (slope / contrast) × half the sample, clipped to the sample's extremes.
 * When more than half the sample is rejected, the line means nothing: min/max.
 */
export function zscaleLimits(sorted: Float64Array, contrast = 0.25): [number, number] {
  const n = sorted.length;
  if (n === 0) return [0, 1];
  const lo = sorted[0]!;
  const hi = sorted[n - 1]!;
  const minGood = Math.max(5, Math.floor(n * 0.5));
  const grow = Math.max(1, Math.floor(n * 0.01));
  const bad = new Uint8Array(n);
  let good = n;
  let lastGood = n + 1;
  let slope = 0;
  for (let iteration = 0; iteration < 5 && good < lastGood && good >= minGood; iteration++) {
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (bad[i]) continue;
      const y = sorted[i]!;
      sx += i;
      sy += y;
      sxx += i * i;
      sxy += i * y;
      count++;
    }
    const denominator = count * sxx - sx * sx;
    if (denominator === 0) break;
    slope = (count * sxy - sx * sy) / denominator;
    const intercept = (sy - slope * sx) / count;
    let mean = 0;
    for (let i = 0; i < n; i++) if (!bad[i]) mean += sorted[i]! - (intercept + slope * i);
    mean /= count;
    let variance = 0;
    for (let i = 0; i < n; i++) if (!bad[i]) variance += (sorted[i]! - (intercept + slope * i) - mean) ** 2;
    const threshold = 2.5 * Math.sqrt(variance / count);
    const rejected = new Uint8Array(n);
    for (let i = 0; i < n; i++)
      if (bad[i] || Math.abs(sorted[i]! - (intercept + slope * i)) > threshold) rejected[i] = 1;
    // Grow: a window of `grow` points centred on each rejected one (numpy convolve, mode 'same').
    const left = Math.floor((grow - 1) / 2);
    const right = grow - 1 - left;
    bad.fill(0);
    for (let i = 0; i < n; i++)
      if (rejected[i]) for (let j = Math.max(0, i - right); j <= Math.min(n - 1, i + left); j++) bad[j] = 1;
    lastGood = good;
    good = 0;
    for (let i = 0; i < n; i++) if (!bad[i]) good++;
  }
  if (good < minGood) return [lo, hi];
  const center = Math.floor((n - 1) / 2);
  const median = n % 2 ? sorted[center]! : 0.5 * (sorted[n / 2 - 1]! + sorted[n / 2]!);
  const scaled = slope / contrast;
  const z1 = Math.max(lo, median - (center - 1) * scaled);
  const z2 = Math.min(hi, median + (n - center) * scaled);
  return z2 > z1 ? [z1, z2] : [lo, hi];
}

/** value → 0…1 after the limits, through the curve. */
export function curveFunction(curve: StretchCurve, z1: number, z2: number): (v: number) => number {
  const range = z2 - z1 || 1;
  const clamp = (t: number) => (t < 0 ? 0 : Math.min(t, 1));
  switch (curve) {
    case 'linear':
      return (v) => clamp((v - z1) / range);
    case 'log': {
      // a = 1000: the curve ds9 uses for its log scale.
      const a = 1000;
      const norm = Math.log(a + 1);
      return (v) => Math.log(a * clamp((v - z1) / range) + 1) / norm;
    }
    case 'asinh': {
      const beta = 10;
      const norm = Math.asinh(beta);
      return (v) => Math.asinh(beta * clamp((v - z1) / range)) / norm;
    }
  }
}

/**
 * Grey RGBA bytes for a canvas, rows flipped (FITS row 1 is the bottom one). NaN (blank) pixels
 * are drawn transparent.
 */
export function renderRgba(
  data: ArrayLike<number>,
  width: number,
  height: number,
  curve: StretchCurve,
  limits: [number, number],
  out: Uint8ClampedArray = new Uint8ClampedArray(width * height * 4),
): Uint8ClampedArray {
  const f = curveFunction(curve, limits[0], limits[1]);
  // A lookup table over the limits: 4096 steps are finer than 256 grey levels need.
  const steps = 4096;
  const lut = new Uint8ClampedArray(steps + 1);
  for (let s = 0; s <= steps; s++) lut[s] = Math.round(255 * f(limits[0] + ((limits[1] - limits[0]) * s) / steps));
  const scale = steps / (limits[1] - limits[0] || 1);
  for (let y = 0; y < height; y++) {
    const source = y * width;
    const target = (height - 1 - y) * width * 4;
    for (let x = 0; x < width; x++) {
      const v = data[source + x]!;
      const o = target + x * 4;
      if (!Number.isFinite(v)) {
        out[o + 3] = 0;
        continue;
      }
      const index = (v - limits[0]) * scale;
      const g = lut[index <= 0 ? 0 : index >= steps ? steps : Math.round(index)]!;
      out[o] = g;
      out[o + 1] = g;
      out[o + 2] = g;
      out[o + 3] = 255;
    }
  }
  return out;
}
