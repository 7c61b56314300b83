import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordFrame } from '../../src/catalog/frame-record.js';
import type { Database } from '../../src/db/connection.js';
import type { NewImage } from '../../src/db/image.mapper.js';
import { getImage } from '../../src/db/images.repository.js';
import { getLedgerEntry, upsertDiscovered } from '../../src/db/ingest-ledger.repository.js';
import { DIALECTS, useTestDatabase } from '../support/databases.js';
import { emptyQuality, fakeSha256, makeImage } from '../support/images.js';

// The move rule looks at the disk: a frame whose first path is gone was renamed, not copied.
const root = mkdtempSync(join(tmpdir(), 'aims-record-'));
mkdirSync(join(root, 'night'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function onDisk(relPath: string): void {
  writeFileSync(join(root, relPath), 'frame');
}

/** A frame at relPath with the given content hash, and its ledger entry. */
async function discovered(database: Database, relPath: string, sha256: string, extra: Partial<NewImage> = {}) {
  const [entry] = await upsertDiscovered(database, [
    { root, rel_path: relPath, size_bytes: 2880, mtime_ms: Date.now(), inode: null },
  ]);
  return { ledgerId: entry!.id, image: { ...makeImage({ root, rel_path: relPath, sha256 }), ...extra } };
}

for (const dialect of DIALECTS) {
  describe(`recordFrame (${dialect})`, () => {
    const t = useTestDatabase(dialect);

    it('catalogues a new frame and settles its ledger entry', async () => {
      const { ledgerId, image } = await discovered(t.database, 'night/a.fits', fakeSha256());
      const result = await recordFrame(t.database, ledgerId, image);
      expect(result.outcome).toBe('ingested');
      expect((await getImage(t.database, result.imageId!))?.rel_path).toBe('night/a.fits');
      expect(await getLedgerEntry(t.database, ledgerId)).toMatchObject({ state: 'ingested', image_id: result.imageId });
    });

    it('the same content at the same path again changes nothing', async () => {
      const sha = fakeSha256();
      const first = await discovered(t.database, 'night/b.fits', sha);
      const { imageId } = await recordFrame(t.database, first.ledgerId, first.image);
      const again = await discovered(t.database, 'night/b.fits', sha);
      expect(await recordFrame(t.database, again.ledgerId, again.image)).toEqual({
        outcome: 'unchanged',
        imageId: null,
      });
      expect(await getLedgerEntry(t.database, again.ledgerId)).toMatchObject({
        state: 'unchanged',
        image_id: imageId,
        reason: 'content already catalogued at this path',
      });
    });

    it('an exact copy elsewhere is recorded against the first image, never as a second image', async () => {
      const sha = fakeSha256();
      onDisk('night/c.fits');
      const first = await discovered(t.database, 'night/c.fits', sha);
      const { imageId } = await recordFrame(t.database, first.ledgerId, first.image);
      const copy = await discovered(t.database, 'night/c-copy.fits', sha);
      expect(await recordFrame(t.database, copy.ledgerId, copy.image)).toEqual({ outcome: 'duplicate', imageId });
      const image = await getImage(t.database, imageId!);
      expect(image?.rel_path).toBe('night/c.fits');
      expect(image?.paths.map((p) => [p.rel_path, p.kind])).toContainEqual(['night/c-copy.fits', 'copy']);
      expect(await getLedgerEntry(t.database, copy.ledgerId)).toMatchObject({ state: 'duplicate', image_id: imageId });
    });

    it('the same bytes at a new path while the first path is gone: the image moves', async () => {
      const sha = fakeSha256();
      const first = await discovered(t.database, 'night/d.fits', sha); // never written to disk
      const { imageId } = await recordFrame(t.database, first.ledgerId, first.image);
      const moved = await discovered(t.database, 'night/d-renamed.fits', sha);
      expect(await recordFrame(t.database, moved.ledgerId, moved.image)).toEqual({ outcome: 'moved', imageId });
      expect((await getImage(t.database, imageId!))?.rel_path).toBe('night/d-renamed.fits');
      expect((await getLedgerEntry(t.database, moved.ledgerId))?.reason).toBe(
        `moved from ${join(root, 'night/d.fits')}`,
      );
    });

    it('new content at a known path updates its image', async () => {
      const first = await discovered(t.database, 'night/e.fits', fakeSha256());
      const { imageId } = await recordFrame(t.database, first.ledgerId, first.image);
      const newer = fakeSha256();
      const rewritten = await discovered(t.database, 'night/e.fits', newer);
      expect(await recordFrame(t.database, rewritten.ledgerId, rewritten.image)).toEqual({
        outcome: 'updated',
        imageId,
      });
      expect((await getImage(t.database, imageId!))?.sha256).toBe(newer);
      expect((await getLedgerEntry(t.database, rewritten.ledgerId))?.reason).toBe('new content at a known path');
    });

    it('scores a frame with metrics, flagging it by the threshold given', async () => {
      const quality = { ...emptyQuality(), star_count: 120, fwhm_px: 2.5, noise: 10, background: 100 };
      const low = await discovered(t.database, 'night/f.fits', fakeSha256(), { quality });
      const high = await discovered(t.database, 'night/g.fits', fakeSha256(), { quality });
      const a = await recordFrame(t.database, low.ledgerId, low.image, { qualityThreshold: 0 });
      const b = await recordFrame(t.database, high.ledgerId, high.image, { qualityThreshold: 101 });
      const [scoredA, scoredB] = [await getImage(t.database, a.imageId!), await getImage(t.database, b.imageId!)];
      expect(scoredA?.quality_score).not.toBeNull();
      expect(scoredA?.quality_flag).toBe(true);
      expect(scoredB?.quality_flag).toBe(false);
    });
  });
}
