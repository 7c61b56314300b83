/**
 * Display stretches for raw pixel values, computed in the browser: limits by IRAF's zscale (from
 * `@aims/fits/zscale`, the one the server's previews use) or by the sample's min/max, then a
 * linear, logarithmic or asinh curve to 0–255. The sample is a regular grid of at most
 * SAMPLE_SIZE pixels, so the limits of a 60-megapixel frame cost milliseconds.
 */

import { sortedSample as gridSample } from '@aims/fits/zscale';

/** zscale limits of a sorted sample (`sortedSample`). */
export { zscaleOfSorted as zscaleLimits } from '@aims/fits/zscale';

export type StretchCurve = 'linear' | 'log' | 'asinh';
export type StretchLimits = 'zscale' | 'minmax';

export const SAMPLE_SIZE = 20_000;

/** Finite values on a regular grid of at most `size` pixels over the image, sorted. */
export function sortedSample(data: ArrayLike<number>, size = SAMPLE_SIZE): Float64Array {
  return gridSample(data, size);
}

export function minmaxLimits(sorted: Float64Array): [number, number] {
  if (sorted.length === 0) return [0, 1];
  return [sorted[0]!, sorted[sorted.length - 1]!];
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
