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
 * IRAF zscale (Tody 1986): fit a line to the sorted sample by least squares with iterative
 * k-sigma rejection; the display range is the median ± (slope / contrast) × half the sample,
 * clipped to the sample's extremes. A flat sample (slope 0) gives its min/max.
 */
export function zscaleLimits(sorted: Float64Array, contrast = 0.25): [number, number] {
  const n = sorted.length;
  if (n === 0) return [0, 1];
  const lo = sorted[0]!;
  const hi = sorted[n - 1]!;
  if (n < 5) return [lo, hi];
  const center = Math.floor((n - 1) / 2);
  const median = n % 2 ? sorted[center]! : 0.5 * (sorted[center]! + sorted[center + 1]!);
  const keep = new Uint8Array(n).fill(1);
  let slope = 0;
  let intercept = median;
  for (let iteration = 0; iteration < 5; iteration++) {
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      const x = i - center;
      const y = sorted[i]!;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
      count++;
    }
    if (count < n / 2) break;
    const denominator = count * sxx - sx * sx;
    if (denominator === 0) break;
    slope = (count * sxy - sx * sy) / denominator;
    intercept = (sy - slope * sx) / count;
    let sumSq = 0;
    for (let i = 0; i < n; i++) if (keep[i]) sumSq += (sorted[i]! - (intercept + slope * (i - center))) ** 2;
    const sigma = Math.sqrt(sumSq / count);
    let rejected = 0;
    for (let i = 0; i < n; i++) {
      if (keep[i] && Math.abs(sorted[i]! - (intercept + slope * (i - center))) > 2.5 * sigma) {
        keep[i] = 0;
        rejected++;
      }
    }
    if (rejected === 0) break;
  }
  const scaled = slope / contrast;
  const z1 = Math.max(lo, median - scaled * center);
  const z2 = Math.min(hi, median + scaled * (n - 1 - center));
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
