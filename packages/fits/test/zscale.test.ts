import { describe, expect, it } from 'vitest';
import { sortedSample, zscale, zscaleOfSorted } from '../src/zscale.js';
import { starField } from './support/star-field.js';

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
