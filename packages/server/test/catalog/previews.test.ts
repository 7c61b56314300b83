import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { expect, it } from 'vitest';
import { renderMissingPreview } from '../../src/catalog/previews.js';
import { describeWithFixtures, fixture } from '../support/fixtures.js';

describeWithFixtures('previews rendered on demand', () => {
  it('streams a real frame into thumbnail and medium previews under its content hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aims-previews-'));
    try {
      const sha256 = 'ab'.repeat(32);
      const path = await renderMissingPreview(
        dir,
        { path: fixture('astropy-astropy-data/M13_blue_0001.fits'), sha256 },
        'thumb',
      );
      expect(path).toBe(join(dir, 'ab', 'ab', `${sha256}-thumb.png`));
      const thumb = await sharp(path!).metadata();
      // 1392 × 1040 scaled to fit 256 px.
      expect(thumb.width).toBe(256);
      expect(thumb.height).toBe(191);
      expect(existsSync(join(dir, 'ab', 'ab', `${sha256}-medium.webp`))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('returns null for a file without an image', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aims-previews-'));
    try {
      const path = await renderMissingPreview(
        dir,
        { path: fixture('feder-observatory-stellarphot/sample_wcs_ey_uma.fits'), sha256: 'cd'.repeat(32) },
        'thumb',
      );
      expect(path).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
