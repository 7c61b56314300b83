import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImage } from '@aims/fits';
import { openFits } from '@aims/fits/node';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeFrame, measureFrame } from '../../src/analysis/frame-metrics.js';
import { generateFrame } from '../support/synthetic-frames.js';

const dir = mkdtempSync(join(tmpdir(), 'aims-calibration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const relative = (measured: number | null, truth: number) => Math.abs((measured ?? Number.NaN) - truth) / truth;

describe('Bayer frames', () => {
  it('are measured on the 2×2-binned luminance, FWHM reported in sensor pixels', () => {
    const frame = generateFrame({
      width: 1200,
      height: 1000,
      seed: 31,
      bayer: 'RGGB',
      stars: { count: 300, fwhm: 5 },
      background: 800,
    });
    const { metrics, binning } = analyzeFrame(frame, {
      imageType: 'light',
      bayerPattern: 'RGGB',
      pixelScaleArcsec: 1.5,
    });
    expect(binning).toBe(2);
    // Binning 2×2 adds a pixel's width of blur in binned pixels, which the pixel correction removes.
    expect(relative(metrics.fwhm_px, 5)).toBeLessThan(0.05);
    expect(metrics.fwhm_arcsec).toBeCloseTo(metrics.fwhm_px! * 1.5, 10);
    expect(metrics.analysis_note).toMatch(/Bayer/);
    // Sky of the binned luminance: R + 2G + B responses (0.8 + 2 + 0.6) × 800.
    expect(relative(metrics.background, 3.4 * 800)).toBeLessThan(0.01);
    expect(metrics.star_count).toBeGreaterThan(200);
  });

  it('without the pattern, the mosaic still measures (as a grey frame)', () => {
    const frame = generateFrame({ width: 600, height: 600, seed: 32, bayer: 'GRBG', stars: { count: 80, fwhm: 5 } });
    const grey = analyzeFrame(frame, { imageType: 'light' });
    expect(grey.binning).toBe(1);
    expect(grey.metrics.analysis_note).toBeNull();
    // The grey mean of the mosaic: (G + R + B + G) / 4 responses of the 1000-ADU sky.
    expect(relative(grey.metrics.background, 850)).toBeLessThan(0.1);
  });
});

describe('calibration frames: level, noise, uniformity, no star metrics', () => {
  it('bias and dark: level and noise from a FITS file of every integer BITPIX', async () => {
    for (const bitpix of [16, 32] as const) {
      const bias = generateFrame({
        width: 512,
        height: 512,
        seed: 40 + bitpix,
        bitpix,
        background: 0,
        pedestal: 1024,
        gain: 0,
        readNoise: 8,
        imageType: 'Bias Frame',
        hotPixels: 30,
      });
      const path = join(dir, `bias${bitpix}.fits`);
      bias.writeTo(path);
      const fits = await openFits(path);
      const image = await readImage(fits.source, fits.structure.hdus[0]!);
      await fits.close();
      const m = measureFrame(image, { imageType: 'bias' });
      expect(relative(m.level, 1024)).toBeLessThan(0.001);
      expect(relative(m.noise, 8)).toBeLessThan(0.05);
      expect([m.star_count, m.fwhm_px, m.eccentricity, m.uniformity]).toEqual([null, null, null, null]);
    }
    const dark = generateFrame({
      width: 512,
      height: 512,
      seed: 43,
      background: 50,
      pedestal: 500,
      gain: 1,
      readNoise: 6,
    });
    const m = measureFrame(dark, { imageType: 'dark' });
    expect(relative(m.level, 550)).toBeLessThan(0.01);
    expect(relative(m.noise, Math.sqrt(50 + 36))).toBeLessThan(0.05);
  });

  it('flat: uniformity is 1 for an even field and drops with vignetting', () => {
    const even = measureFrame(generateFrame({ width: 512, height: 512, seed: 44, background: 20000, bitpix: -32 }), {
      imageType: 'flat',
    });
    expect(even.uniformity!).toBeGreaterThan(0.98);
    const vignetted = measureFrame(
      generateFrame({ width: 512, height: 512, seed: 45, background: 20000, gradient: { x: 8000, y: 0 }, bitpix: -32 }),
      { imageType: 'flat' },
    );
    // 16000 … 24000 across the frame; the mesh's outer box centres sit 32 px in: ≈ 16500 / 23500.
    expect(vignetted.uniformity!).toBeGreaterThan(0.66);
    expect(vignetted.uniformity!).toBeLessThan(0.75);
    expect(relative(vignetted.level, 20000)).toBeLessThan(0.01);
  });
});
