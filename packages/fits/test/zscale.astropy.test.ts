import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sortedSample, zscale, zscaleOfSorted } from '../src/zscale.js';
import { SYSTEM_PYTHON } from './support/fixtures.js';
import { starField } from './support/star-field.js';

const hasAstropy = spawnSync(SYSTEM_PYTHON, ['-c', 'import astropy.visualization']).status === 0;

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
