import { relative } from 'node:path';
import { type Hdu, isFitsError, readImage } from '@aims/fits';
import { openFits } from '@aims/fits/node';
import { expect, it } from 'vitest';
import { measureFrame } from '../../src/analysis/frame-metrics.js';
import type { QualityMetrics } from '../../src/domain/image.js';
import { describeWithFixtures, FIXTURES_DIR, fixture, fixtureFiles } from '../support/fixtures.js';

/**
 * How many fixture files have a 2-D image the analysis measures: all of them in the corpus this was
 * written against. Fewer means files became unreadable, and skipping them must not pass unnoticed.
 */
const MIN_MEASURED = 44;

const isImage = (h: Hdu) =>
  (h.type === 'PRIMARY' || h.type === 'IMAGE' || h.type === 'COMPRESSED_IMAGE') &&
  h.axes.length >= 2 &&
  h.axes[0]! >= 16 &&
  h.axes[1]! >= 16;

async function measureFile(path: string, options: { bayer?: boolean } = {}): Promise<QualityMetrics | string> {
  let fits: Awaited<ReturnType<typeof openFits>>;
  try {
    fits = await openFits(path);
  } catch (error) {
    if (isFitsError(error)) return `not readable: ${error.code}`;
    throw error;
  }
  try {
    const hdu = fits.structure.hdus.find(isImage);
    if (!hdu) return 'no 2-D image';
    let image: Awaited<ReturnType<typeof readImage>>;
    try {
      image = await readImage(fits.source, hdu, { plane: 0 });
    } catch (error) {
      if (isFitsError(error)) return `pixels not readable: ${error.code}`;
      throw error;
    }
    const pattern = hdu.header.get('BAYERPAT');
    return measureFrame(image, {
      imageType: 'light',
      bayerPattern: options.bayer && typeof pattern === 'string' ? pattern : null,
    });
  } finally {
    await fits.close();
  }
}

describeWithFixtures('every image in the shared fixtures is measured without a crash', () => {
  const files = fixtureFiles().filter((f) => /\.(fits?|fz|gz|fts|std)$/i.test(f));
  const measured: string[] = [];
  const notMeasured: string[] = [];
  it('has fixtures to walk', () => {
    expect(files.length).toBeGreaterThan(40);
  });
  for (const file of files)
    it(relative(FIXTURES_DIR, file), async (context) => {
      const result = await measureFile(file);
      if (typeof result === 'string') {
        // The FITS core's own tests cover unreadable files; this one is skipped with its reason.
        notMeasured.push(`${relative(FIXTURES_DIR, file)}: ${result}`);
        context.skip(result);
        return;
      }
      measured.push(file);
      expect(Number.isFinite(result.background)).toBe(true);
      expect(result.noise).toBeGreaterThanOrEqual(0);
      expect(Number.isInteger(result.star_count)).toBe(true);
      if (result.fwhm_px !== null) expect(result.fwhm_px).toBeGreaterThan(0);
      if (result.eccentricity !== null) expect(result.eccentricity).toBeLessThanOrEqual(1);
      expect(result.saturated_fraction).toBeGreaterThanOrEqual(0);
    });
  // Runs after the files above: an unreadable corpus must not pass by skipping every file.
  it('measured all that hold a 2-D image', (context) => {
    if (measured.length + notMeasured.length === 0) context.skip('the per-file tests were filtered out');
    expect(measured.length + notMeasured.length).toBe(files.length);
    expect(measured.length, `not measured:\n${notMeasured.join('\n')}`).toBeGreaterThanOrEqual(MIN_MEASURED);
  });
});

describeWithFixtures('compressed and plain copies of the same frame give the same metrics', () => {
  it('m13.fits and its lossless RICE_1 and GZIP_1 tile-compressed copies', async () => {
    const plain = await measureFile(fixture('nom-tam-fits/m13.fits'));
    expect(typeof plain).toBe('object');
    expect((plain as QualityMetrics).star_count).toBeGreaterThan(50);
    for (const copy of ['nom-tam-fits/m13_rice.fits', 'nom-tam-fits/m13_gzip.fits'])
      expect(await measureFile(fixture(copy))).toEqual(plain);
  });
});

describeWithFixtures('a real colour-sensor frame (ZWO Seestar S50, Bayer GRBG)', () => {
  it('is measured on its binned luminance with plausible stars', async () => {
    const m = (await measureFile(fixture('tinystork-zeseestarstacker/Light_M 94_10.0s_IRCUT_20250327-014513.fit'), {
      bayer: true,
    })) as QualityMetrics;
    expect(m.analysis_note).toMatch(/Bayer/);
    expect(m.star_count).toBeGreaterThan(20);
    // Seestar S50: 250 mm focal length, 2.9 µm pixels → 2.4″/px; seeing-limited stars of 2–5 px.
    expect(m.fwhm_px).toBeGreaterThan(1.5);
    expect(m.fwhm_px).toBeLessThan(6);
  });
});
