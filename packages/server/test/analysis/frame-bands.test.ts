import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImage } from '@aims/fits';
import { openFits } from '@aims/fits/node';
import { afterAll, describe, expect, it } from 'vitest';
import { BAND_COUNT, measureFrameByRows } from '../../src/analysis/frame-bands.js';
import { measureFrame } from '../../src/analysis/frame-metrics.js';
import { generateFrame } from '../support/synthetic-frames.js';

const dir = mkdtempSync(join(tmpdir(), 'aims-bands-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('measureFrameByRows', () => {
  it('measures a frame over maxPixels on bands read from the FITS file, never more rows than allowed', async () => {
    const frame = generateFrame({
      width: 1200,
      height: 1600,
      seed: 21,
      stars: { count: 900, fwhm: 3.2 },
      cosmicRays: 50,
    });
    const path = join(dir, 'large.fits');
    frame.writeTo(path);
    const whole = measureFrame(frame, { imageType: 'light' });
    const fits = await openFits(path);
    const hdu = fits.structure.hdus[0]!;
    const maxPixels = 900_000;
    const reads: number[] = [];
    const metrics = await measureFrameByRows(
      async (start, end) => {
        reads.push(end - start);
        return (await readImage(fits.source, hdu, { rows: { start, end } })).data;
      },
      { width: 1200, height: 1600 },
      { imageType: 'light', maxPixels },
    );
    await fits.close();
    expect(reads).toHaveLength(BAND_COUNT);
    expect(Math.max(...reads) * 1200 * BAND_COUNT).toBeLessThanOrEqual(maxPixels);
    expect(metrics.analysis_note).toMatch(/measured on 5 bands of 150 rows/);
    expect(Math.abs(metrics.fwhm_px! / 3.2 - 1)).toBeLessThan(0.05);
    expect(Math.abs(metrics.background! / whole.background! - 1)).toBeLessThan(0.005);
    expect(Math.abs(metrics.noise! / whole.noise! - 1)).toBeLessThan(0.03);
    // The star count is extrapolated from 750 of 1600 rows: within 20% of the whole frame's.
    expect(Math.abs(metrics.star_count! / whole.star_count! - 1)).toBeLessThan(0.2);
  });

  it('reads a small frame whole and gives the same metrics as measureFrame', async () => {
    const frame = generateFrame({ width: 300, height: 200, seed: 22, stars: { count: 40, fwhm: 3 } });
    const metrics = await measureFrameByRows(async (s, e) => frame.data.subarray(s * 300, e * 300), frame, {
      imageType: 'light',
    });
    expect(metrics).toEqual(measureFrame(frame, { imageType: 'light' }));
  });

  it('refuses, with a note, a frame too wide for its bands', async () => {
    const metrics = await measureFrameByRows(
      async () => {
        throw new Error('must not read');
      },
      { width: 1_000_000, height: 1000 },
      { imageType: 'light', maxPixels: 10_000_000 },
    );
    expect(metrics.star_count).toBeNull();
    expect(metrics.analysis_note).toMatch(/too wide/);
  });
});
