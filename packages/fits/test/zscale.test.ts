import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sortedSample, zscale, zscaleOfSorted } from '../src/zscale.js';
import { SYSTEM_PYTHON } from './support/fixtures.js';

const hasAstropy = spawnSync(SYSTEM_PYTHON, ['-c', 'import astropy.visualization']).status === 0;

/** Sky 1000 ± 10 with Gaussian stars and a few hot pixels: what a short exposure looks like. */
function starField(width: number, height: number, seed: number, stars = 30): Float64Array {
  let s = seed;
  const random = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const data = new Float64Array(width * height);
  for (let i = 0; i < data.length; i++) {
    const u = Math.max(random(), 1e-12);
    data[i] = 1000 + 10 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  }
  for (let k = 0; k < stars; k++) {
    const x0 = random() * width;
    const y0 = random() * height;
    const peak = 200 + random() * 20000;
    for (let y = Math.max(0, Math.floor(y0 - 8)); y < Math.min(height, y0 + 8); y++)
      for (let x = Math.max(0, Math.floor(x0 - 8)); x < Math.min(width, x0 + 8); x++)
        data[y * width + x]! += peak * Math.exp(-((x - x0) ** 2 + (y - y0) ** 2) / (2 * 1.5 ** 2));
  }
  for (let k = 0; k < 5; k++) data[Math.floor(random() * data.length)] = 65535;
  return data;
}

function astropyZscale(values: ArrayLike<number>, samples?: number): [number, number] {
  const run = spawnSync(SYSTEM_PYTHON, [fileURLToPath(new URL('./support/zscale-oracle.py', import.meta.url))], {
    input: JSON.stringify(
      samples === undefined ? { values: Array.from(values) } : { values: Array.from(values), samples },
    ),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as [number, number];
}

describe.skipIf(!hasAstropy)('zscale against astropy ZScaleInterval', () => {
  it('gives astropy’s limits on star fields, sampled as astropy samples (1000 pixels)', () => {
    for (const seed of [1, 2, 3]) {
      const data = starField(300, 200, seed, 60);
      const [lo, hi] = zscale(data);
      const [refLo, refHi] = astropyZscale(data);
      // Both hug the sky (1000 ± 10) and ignore the stars and hot pixels.
      expect(lo).toBeGreaterThan(950);
      expect(hi).toBeLessThan(1200);
      // Same sample, same fit: equal but for the rounding of two least-squares solvers.
      expect(lo).toBeCloseTo(refLo, 6);
      expect(hi).toBeCloseTo(refHi, 6);
    }
  });

  it('gives astropy’s limits over every pixel of a sorted sample (the pixel viewer’s use)', () => {
    for (const seed of [4, 5]) {
      const data = starField(120, 100, seed);
      const sample = sortedSample(data, data.length);
      expect(sample.length).toBe(data.length);
      const [lo, hi] = zscaleOfSorted(sample);
      const [refLo, refHi] = astropyZscale(sample, sample.length);
      expect(lo).toBeCloseTo(refLo, 6);
      expect(hi).toBeCloseTo(refHi, 6);
    }
  });
});

describe('zscale', () => {
  it('samples only the first `count` values and skips NaN', () => {
    const data = starField(200, 100, 9);
    const padded = new Float64Array(data.length + 5000).fill(1e6);
    padded.set(data);
    expect(zscale(padded, { count: data.length })).toEqual(zscale(data));
    const holes = Float64Array.from(data, (v, i) => (i % 50 === 0 ? Number.NaN : v));
    const [lo, hi] = zscale(holes);
    expect(Number.isFinite(lo) && Number.isFinite(hi)).toBe(true);
    expect(lo).toBeGreaterThan(950);
    expect(hi).toBeLessThan(1200);
  });

  it('falls back to the extremes on a flat or empty sample', () => {
    expect(zscale(new Float64Array(100).fill(5))).toEqual([5, 5]);
    expect(zscale(new Float64Array(0))).toEqual([0, 1]);
    expect(zscale(new Float64Array(10).fill(Number.NaN))).toEqual([0, 1]);
    // Three values: fewer than the five points a fit needs, so min and max.
    expect(zscaleOfSorted([1, 2, 30])).toEqual([1, 30]);
  });

  it('sorts a regular grid of finite values', () => {
    // Every second value (6 values, 3 wanted): 9, NaN and 1; the NaN is left out.
    const sample = sortedSample(Float64Array.from([9, 0, Number.NaN, 7, 1, 5]), 3);
    expect(Array.from(sample)).toEqual([1, 9]);
  });
});
