import { describe, expect, it } from 'vitest';
import { curveFunction, minmaxLimits, renderRgba, sortedSample, zscaleLimits } from '../src/lib/stretch.js';
import { starField } from './support/star-field.js';

describe('display stretch', () => {
  it('minmax spans the sample; a flat frame does not divide by zero', () => {
    const data = starField(50, 40, 7);
    const sample = sortedSample(data);
    expect(minmaxLimits(sample)).toEqual([Math.min(...data), 65535]);
    const flat = sortedSample(new Float64Array(100).fill(5));
    expect(zscaleLimits(flat)).toEqual([5, 5]);
    const rgba = renderRgba(new Float64Array(4).fill(5), 2, 2, 'linear', [5, 5]);
    expect(Array.from(rgba.subarray(0, 4))).toEqual([0, 0, 0, 255]);
  });

  it('curves map the limits to 0 and 1 and order values', () => {
    for (const curve of ['linear', 'log', 'asinh'] as const) {
      const f = curveFunction(curve, 100, 200);
      expect(f(100)).toBe(0);
      expect(f(200)).toBeCloseTo(1, 12);
      expect(f(50)).toBe(0);
      expect(f(300)).toBeCloseTo(1, 12);
      expect(f(150)).toBeGreaterThan(f(120));
    }
    // log and asinh lift the faint end above linear.
    expect(curveFunction('log', 0, 1)(0.1)).toBeGreaterThan(curveFunction('asinh', 0, 1)(0.1));
    expect(curveFunction('asinh', 0, 1)(0.1)).toBeGreaterThan(0.1);
  });

  it('renders FITS rows bottom-up and blank pixels transparent', () => {
    // Row 0 (FITS y = 1) is the bottom of the display.
    const data = Float64Array.from([0, 0, 10, Number.NaN]);
    const rgba = renderRgba(data, 2, 2, 'linear', [0, 10]);
    // Display row 0 is FITS row 1: values 10 and NaN.
    expect(Array.from(rgba.subarray(0, 8))).toEqual([255, 255, 255, 255, 0, 0, 0, 0]);
    expect(Array.from(rgba.subarray(8, 16))).toEqual([0, 0, 0, 255, 0, 0, 0, 255]);
  });
});
