import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readImage } from '@aims/fits';
import { openFits } from '@aims/fits/node';
import { describe, expect, it } from 'vitest';
import { analyzeFrame, type FrameAnalysis, median } from '../../src/analysis/frame-metrics.js';
import { DETECTION_KERNEL, SMOOTHED_NOISE_FACTOR } from '../../src/analysis/stars.js';
import { fixture, HAVE_FIXTURES, SYSTEM_PYTHON } from '../support/fixtures.js';

/**
 * Cross-check against SEP (the SExtractor library, C) on real frames, with the same mesh (64 px, 3×3
 * median filter), the same detection kernel and threshold, no deblending, and flux_radius in the
 * same aperture. Tolerances: background within 0.1 σ; RMS within 3% (ours is corrected for the
 * ±3σ truncation, +1.5%); object count within 15% (we also remove cosmic rays and trails); median
 * half-flux radius within 10% on uncrowded fields.
 */
const SCRIPT = new URL('../support/sep-measure.py', import.meta.url).pathname;
const hasSep = existsSync(SYSTEM_PYTHON) && spawnSync(SYSTEM_PYTHON, ['-c', 'import sep, astropy']).status === 0;
const reason = 'SEP cross-check skipped: /usr/bin/python3 has no sep/astropy (Debian: apt install python3-sep)';

const FIXTURES = [
  { file: 'kbarbary-sep/image.fits', fluxRadius: true },
  { file: 'rlancaste-stellarsolver/randomsky.fits', fluxRadius: true },
  { file: 'astropy-astropy-data/M13_blue_0001.fits', fluxRadius: false },
  // A DSS plate of a globular cluster: crowded, so flux radii differ by design (we mask neighbours).
  { file: 'nom-tam-fits/m13.fits', fluxRadius: false },
  { file: 'OpenPHDGuiding-phd2/savetest.fit', fluxRadius: false },
];

interface SepResult {
  background: number;
  rms: number;
  objects: number;
  measured: number;
  median_flux_radius: number | null;
  flux_radius: Array<[number, number, number]>;
}

describe.skipIf(!hasSep || !HAVE_FIXTURES)('analysis agrees with SEP on real frames', () => {
  if (!hasSep) console.warn(reason);
  const ours: FrameAnalysis[] = [];
  let sep: SepResult[] = [];

  it('measures every fixture, then runs SEP once on all of them', async () => {
    const kernel = Array.from(DETECTION_KERNEL, (a) => Array.from(DETECTION_KERNEL, (b) => a * b));
    const jobs = [];
    for (const { file } of FIXTURES) {
      const fits = await openFits(fixture(file));
      const image = await readImage(fits.source, fits.structure.hdus[0]!, { plane: 0 });
      await fits.close();
      const analysis = analyzeFrame(image, { imageType: 'light' });
      ours.push(analysis);
      jobs.push({
        path: fixture(file),
        hdu: 0,
        rmax: analysis.detection!.apertureRadius,
        thresh: 5 * SMOOTHED_NOISE_FACTOR,
        kernel,
      });
    }
    sep = JSON.parse(
      execFileSync(SYSTEM_PYTHON, [SCRIPT, JSON.stringify(jobs)], { encoding: 'utf8', maxBuffer: 1 << 24 }),
    );
    expect(sep).toHaveLength(FIXTURES.length);
  });

  FIXTURES.forEach(({ file, fluxRadius }, i) => {
    it(`${file}: background, RMS, object count${fluxRadius ? ', median flux radius' : ''}`, () => {
      const a = ours[i]!;
      const s = sep[i]!;
      expect(Math.abs(a.metrics.background! - s.background)).toBeLessThan(0.1 * s.rms);
      expect(Math.abs(a.metrics.noise! / s.rms - 1)).toBeLessThan(0.03);
      const d = a.detection!;
      // Every detection above the threshold, as SEP counts them (cosmic rays excepted).
      const count = d.stars.length + d.rejectedExtended + d.rejectedFaint;
      expect(Math.abs(count - s.objects)).toBeLessThanOrEqual(Math.max(3, 0.15 * s.objects));
      if (fluxRadius) {
        // The same stars (within 1 px), bright enough (SNR ≥ 20) for the radius not to be noise.
        const ratios: number[] = [];
        for (const st of d.stars) {
          if (st.saturated || st.edge || st.snr < 20) continue;
          const match = s.flux_radius.find(([x, y]) => Math.hypot(x - st.x, y - st.y) < 1);
          if (match) ratios.push(st.fluxRadius / match[2]);
        }
        expect(ratios.length).toBeGreaterThanOrEqual(5);
        expect(Math.abs(median(ratios)! - 1)).toBeLessThan(0.1);
      }
    });
  });
});
