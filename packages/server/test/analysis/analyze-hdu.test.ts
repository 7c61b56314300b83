import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFits } from '@aims/fits/node';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeHdu } from '../../src/analysis/index.js';
import { fixture, itWithFixtures } from '../support/fixtures.js';
import { generateFrame } from '../support/synthetic-frames.js';

const dir = mkdtempSync(join(tmpdir(), 'aims-analyze-hdu-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('analyzeHdu', () => {
  const frame = generateFrame({ width: 1000, height: 800, seed: 51, stars: { count: 300, fwhm: 3.5 } });
  const path = join(dir, 'frame.fits');
  frame.writeTo(path);

  it('reads a frame once, measures it and writes its previews', async () => {
    const fits = await openFits(path);
    const { metrics, previews } = await analyzeHdu(fits.source, fits.structure.hdus[0]!, {
      imageType: 'light',
      previews: { dir, name: 'whole', formats: ['webp'] },
    });
    await fits.close();
    expect(Math.abs(metrics.fwhm_px! / 3.5 - 1)).toBeLessThan(0.05);
    expect(previews.map((p) => [p.size, p.width, p.height])).toEqual([
      ['thumbnail', 256, 205],
      ['medium', 1000, 800],
    ]);
    expect((await sharp(previews[0]!.path).metadata()).format).toBe('webp');
  });

  it('streams a frame over maxPixels: banded metrics and previews from row chunks', async () => {
    const fits = await openFits(path);
    const { metrics, previews } = await analyzeHdu(fits.source, fits.structure.hdus[0]!, {
      imageType: 'light',
      maxPixels: 700_000,
      previews: { dir, name: 'streamed', formats: ['png'] },
    });
    await fits.close();
    expect(metrics.analysis_note).toMatch(/bands/);
    expect(Math.abs(metrics.fwhm_px! / 3.5 - 1)).toBeLessThan(0.05);
    expect(previews).toHaveLength(2);
    expect(existsSync(join(dir, 'streamed-medium.png'))).toBe(true);
  });

  itWithFixtures('measures a tile-compressed extension and says why a 1-D HDU is not measured', async () => {
    const fits = await openFits(fixture('nom-tam-fits/m13_rice.fits'));
    const [primary, compressed] = fits.structure.hdus;
    const none = await analyzeHdu(fits.source, primary!, { imageType: 'light' });
    expect(none.metrics.analysis_note).toMatch(/not a 2-D image/);
    const m13 = await analyzeHdu(fits.source, compressed!, { imageType: 'light' });
    await fits.close();
    expect(m13.metrics.star_count).toBeGreaterThan(50);
  });
});
