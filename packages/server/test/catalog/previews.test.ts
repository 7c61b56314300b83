import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { findPreview, type PreviewRenderer, renderMissingPreview } from '../../src/catalog/previews.js';
import { fixedRoots } from '../../src/catalog/served-roots.js';
import { previewPath } from '../../src/util/preview-paths.js';
import { describeWithFixtures, fixture } from '../support/fixtures.js';

describeWithFixtures('previews rendered on demand', () => {
  it('streams a real frame into the one preview asked for, under its content hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aims-previews-'));
    try {
      const sha256 = 'ab'.repeat(32);
      const original = { path: fixture('astropy-astropy-data/M13_blue_0001.fits'), sha256 };
      const path = await renderMissingPreview(dir, original, 'thumb');
      expect(path).toBe(join(dir, 'ab', 'ab', `${sha256}-thumb.png`));
      const thumb = await sharp(path!).metadata();
      // 1392 × 1040 scaled to fit 256 px (191.3; averaged over 5×5 blocks, the last 2 columns
      // are left out, which makes it 191.5 and rounds to 192).
      expect(thumb.width).toBe(256);
      expect(Math.abs(thumb.height! - (1040 * 256) / 1392)).toBeLessThan(1);
      // Only that one: no other size or format was encoded.
      for (const other of ['thumb.webp', 'medium.png', 'medium.webp'])
        expect(existsSync(join(dir, 'ab', 'ab', `${sha256}-${other}`))).toBe(false);
      const medium = await renderMissingPreview(dir, original, 'medium', { format: 'webp' });
      expect(medium).toBe(join(dir, 'ab', 'ab', `${sha256}-medium.webp`));
      // Averaged over 2×2 blocks to fit 1024 px, never enlarged.
      expect(await sharp(medium!).metadata()).toMatchObject({ format: 'webp', width: 696, height: 520 });
      expect(existsSync(join(dir, 'ab', 'ab', `${sha256}-medium.png`))).toBe(false);
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

describe('a gzip bomb rendered on demand', () => {
  it('stops inflating at the ratio and renders nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aims-previews-'));
    try {
      const header = [
        'SIMPLE  =                    T',
        'BITPIX  =                   16',
        'NAXIS   =                    2',
      ]
        .concat(['NAXIS1  =                 8192', 'NAXIS2  =                 4096', 'END'])
        .map((card) => card.padEnd(80))
        .join('')
        .padEnd(2880, ' ');
      // A 64 MiB image of zeros: gzip makes it about a thousand times smaller.
      const file = join(dir, 'bomb.fits.gz');
      writeFileSync(
        file,
        gzipSync(Buffer.concat([Buffer.from(header, 'latin1'), Buffer.alloc(8192 * 4096 * 2)]), { level: 9 }),
      );
      const sha256 = 'ef'.repeat(32);
      await expect(
        renderMissingPreview(join(dir, 'previews'), { path: file, sha256 }, 'thumb', { maxInflateRatio: 100 }),
      ).rejects.toMatchObject({ code: 'FITS_TOO_LARGE', message: expect.stringMatching(/100× its compressed size/) });
      expect(existsSync(previewPath(join(dir, 'previews'), sha256, 'thumb', 'png'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('finding the preview of an image', () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'aims-find-preview-')));
  const previewDir = join(base, 'previews');
  const root = join(base, 'images');
  mkdirSync(root);
  writeFileSync(join(root, 'frame.fits'), 'SIMPLE');
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  const written = { id: 1, sha256: 'ab'.repeat(32), root, rel_path: 'frame.fits' };
  for (const format of ['png', 'webp'] as const) {
    const path = previewPath(previewDir, written.sha256, 'thumb', format);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, format);
  }
  const missing = { id: 2, sha256: 'cd'.repeat(32), root, rel_path: 'frame.fits' };
  const warnings: string[] = [];
  const log = { warn: (_fields: object, message: string) => warnings.push(message) };
  const sources = (render?: PreviewRenderer) => ({ previewDir, roots: fixedRoots([root]), render });

  it('WebP when the client takes it, else PNG', async () => {
    expect(await findPreview(sources(), written, 'thumb', log, 'image/avif,image/webp,*/*')).toBe(
      previewPath(previewDir, written.sha256, 'thumb', 'webp'),
    );
    expect(await findPreview(sources(), written, 'thumb', log)).toBe(
      previewPath(previewDir, written.sha256, 'thumb', 'png'),
    );
  });

  it('renders a missing preview from the original, in the format the client prefers, only into the preview folder', async () => {
    const asked: string[] = [];
    const target = previewPath(previewDir, missing.sha256, 'medium', 'png');
    const render: PreviewRenderer = async (image, size, _signal, format) => {
      asked.push(`${image.path} ${size} ${format}`);
      return target;
    };
    expect(await findPreview(sources(render), missing, 'medium', log)).toBe(target);
    expect(await findPreview(sources(render), missing, 'medium', log, 'image/webp,*/*')).toBe(target);
    expect(asked).toEqual([`${join(root, 'frame.fits')} medium png`, `${join(root, 'frame.fits')} medium webp`]);
    expect(
      await findPreview(
        sources(async () => join(base, 'elsewhere.png')),
        missing,
        'medium',
        log,
      ),
    ).toBeNull();
  });

  it('none without a renderer, without a readable original, or when rendering fails (logged)', async () => {
    expect(await findPreview(sources(), missing, 'thumb', log)).toBeNull();
    const gone = { ...missing, rel_path: 'gone.fits' };
    expect(
      await findPreview(
        sources(async () => 'never'),
        gone,
        'thumb',
        log,
      ),
    ).toBeNull();
    const failing: PreviewRenderer = async () => {
      throw new Error('not FITS');
    };
    expect(await findPreview(sources(failing), missing, 'thumb', log)).toBeNull();
    expect(warnings).toEqual(['preview rendering failed']);
  });
});
