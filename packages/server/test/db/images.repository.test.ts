import { describe, expect, it } from 'vitest';
import {
  CatalogWriteError,
  findImageByPath,
  findImageIdBySha256,
  getImage,
  getImages,
  insertImage,
  keywordRows,
  linkCopy,
  markMissing,
  markPresent,
  movePath,
  updateImage,
  updateQuality,
} from '../../src/db/images.repository.js';
import { getLedgerEntry, upsertDiscovered } from '../../src/db/ingest-ledger.repository.js';
import { DIALECTS, useTestDatabase } from '../support/databases.js';
import { emptyQuality, makeImage, observedAt } from '../support/images.js';

const HEADERS = [
  {
    index: 0,
    type: 'IMAGE',
    cards: [
      { key: 'SIMPLE', value: true, comment: 'conforms' },
      { key: 'EXPTIME', value: 120, comment: '' },
      { key: 'FILTER', value: "Ha'7nm", comment: '' },
      { key: 'SET-TEMP', value: '-10.5', comment: 'as a string' },
      { key: 'COMMENT', value: 'ignored', comment: '' },
      { key: 'CPLX', value: [1, 2] as [number, number], comment: '' },
      { key: 'EXPTIME', value: 999, comment: 'duplicate: first wins' },
    ],
  },
];

describe('keywordRows', () => {
  it('keeps the first of each keyword, numbers as numbers, text lower-cased, logicals as t/f', () => {
    expect(keywordRows(7, HEADERS)).toEqual([
      { image_id: 7, hdu_index: 0, key: 'SIMPLE', num_value: 1, str_value: 't' },
      { image_id: 7, hdu_index: 0, key: 'EXPTIME', num_value: 120, str_value: null },
      { image_id: 7, hdu_index: 0, key: 'FILTER', num_value: null, str_value: "ha'7nm" },
      { image_id: 7, hdu_index: 0, key: 'SET-TEMP', num_value: -10.5, str_value: '-10.5' },
    ]);
  });
});

for (const dialect of DIALECTS) {
  describe(dialect, () => {
    const t = useTestDatabase(dialect);

    it('inserts an image with its ledger row and reads it back with every field', async () => {
      const [ledger] = await upsertDiscovered(t.database, [
        { root: '/data/images', rel_path: 'n1/a.fits', size_bytes: 28800, mtime_ms: 5, inode: 1 },
      ]);
      const image = makeImage({
        rel_path: 'n1/a.fits',
        headers: HEADERS,
        metadata: {
          ...observedAt('2025-03-11T03:35:20.734', '2025-03-10'),
          object_name: 'M 13',
          filter_name: 'R',
          ra_deg: 250.42,
          dec_deg: 36.46,
          airmass_computed: true,
          footprint: [
            [1, 2],
            [3, 4],
            [5, 6],
            [7, 8],
          ],
          image_type: 'light',
        },
        quality: { fwhm_arcsec: 2.5 },
        score: { quality_score: 81.5, quality_flag: true, quality_components: { z: [1, 2] }, quality_version: 2 },
      });
      const result = await insertImage(t.database, image, { ledgerId: ledger?.id ?? -1, nowMs: 1_700_000_000_000 });
      expect(result.status).toBe('inserted');
      const detail = await getImage(t.database, result.id);
      expect(detail).toMatchObject({
        id: result.id,
        file_path: '/data/images/n1/a.fits',
        file_name: 'a.fits',
        date_obs: '2025-03-11T03:35:20.734',
        night: '2025-03-10',
        object_name: 'M 13',
        airmass_computed: true,
        footprint: [
          [1, 2],
          [3, 4],
          [5, 6],
          [7, 8],
        ],
        fwhm_arcsec: 2.5,
        quality_score: 81.5,
        quality_flag: true,
        quality_components: { z: [1, 2] },
        image_type: 'light',
        ingested_at: '2023-11-14T22:13:20.000Z',
        missing_since: null,
        header: HEADERS,
        normalization: { reasons: {}, sources: {} },
        previous_versions: [],
        paths: [],
      });
      expect(detail).not.toHaveProperty('object_key');
      expect(detail).not.toHaveProperty('pos_x');
      const entry = await getLedgerEntry(t.database, ledger?.id ?? -1);
      expect(entry).toMatchObject({ state: 'ingested', image_id: result.id, claimed_by: null });
      expect(await getImage(t.database, result.id + 1000)).toBeNull();
    });

    it('answers a second insert of the same content with duplicate, writes nothing, and links the copy', async () => {
      const first = await insertImage(t.database, makeImage({ sha256: 'ab'.repeat(32), rel_path: 'a.fits' }));
      const [ledger] = await upsertDiscovered(t.database, [
        { root: '/other', rel_path: 'copy.fits', size_bytes: 1, mtime_ms: 1, inode: null },
      ]);
      const second = await insertImage(
        t.database,
        makeImage({ sha256: 'ab'.repeat(32), root: '/other', rel_path: 'copy.fits' }),
        { ledgerId: ledger?.id ?? -1 },
      );
      expect(second).toEqual({ status: 'duplicate', id: first.id });
      expect(await getLedgerEntry(t.database, ledger?.id ?? -1)).toMatchObject({ state: 'pending' });
      await linkCopy(t.database, first.id, '/other', 'copy.fits', { ledgerId: ledger?.id ?? -1 });
      await linkCopy(t.database, first.id, '/other', 'copy.fits'); // idempotent
      expect(await getLedgerEntry(t.database, ledger?.id ?? -1)).toMatchObject({
        state: 'duplicate',
        image_id: first.id,
      });
      const detail = await getImage(t.database, first.id);
      expect(detail?.paths.map((p) => [p.file_path, p.kind])).toEqual([['/other/copy.fits', 'copy']]);
      expect(await findImageByPath(t.database, '/other', 'copy.fits')).toMatchObject({ id: first.id, kind: 'copy' });
      expect(await findImageByPath(t.database, '/data/images', 'a.fits')).toMatchObject({
        id: first.id,
        kind: 'primary',
        missing: false,
      });
      expect(await findImageByPath(t.database, '/nowhere', 'a.fits')).toBeNull();
      expect(await findImageIdBySha256(t.database, 'ab'.repeat(32))).toBe(first.id);
      const count = await t.database.db
        .selectFrom('images')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(1);
    });

    it('finds the image at a path: its primary path before any copy, then the first copy recorded', async () => {
      const a = await insertImage(
        t.database,
        makeImage({ sha256: 'a1'.repeat(32), rel_path: 'a.fits', size_bytes: 11 }),
      );
      const b = await insertImage(
        t.database,
        makeImage({ sha256: 'b2'.repeat(32), rel_path: 'b.fits', size_bytes: 22 }),
      );
      const c = await insertImage(
        t.database,
        makeImage({ sha256: 'c3'.repeat(32), rel_path: 'c.fits', size_bytes: 33 }),
      );
      // Copies recorded at a's primary path (recorded before, then the file was replaced), and two
      // images' copies at one other path, the later image's first.
      await linkCopy(t.database, b.id, '/data/images', 'a.fits');
      await linkCopy(t.database, c.id, '/other', 'x.fits');
      await linkCopy(t.database, b.id, '/other', 'x.fits');
      const atA = await findImageByPath(t.database, '/data/images', 'a.fits');
      expect(atA).toMatchObject({ id: a.id, sha256: 'a1'.repeat(32), size_bytes: 11, kind: 'primary', missing: false });
      expect(typeof atA?.mtime_ms).toBe('number');
      expect(await findImageByPath(t.database, '/other', 'x.fits')).toMatchObject({
        id: c.id,
        sha256: 'c3'.repeat(32),
        size_bytes: 33,
        kind: 'copy',
        missing: false,
      });
      expect(await markMissing(t.database, '/other', 'x.fits', 5000)).toBeGreaterThan(0);
      expect(await findImageByPath(t.database, '/other', 'x.fits')).toMatchObject({ id: c.id, missing: true });
    });

    it('refuses a second image at a taken path with IMAGE_PATH_TAKEN and rolls back', async () => {
      await insertImage(t.database, makeImage({ rel_path: 'same.fits' }));
      const error = await insertImage(t.database, makeImage({ rel_path: 'same.fits', headers: HEADERS })).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CatalogWriteError);
      expect((error as CatalogWriteError).code).toBe('IMAGE_PATH_TAKEN');
      const keywords = await t.database.db.selectFrom('image_keywords').selectAll().execute();
      expect(keywords.map((k) => k.key)).toEqual(['SIMPLE']);
    });

    it('updates an image in place, keeping its previous version, and rebuilds its keywords', async () => {
      const first = await insertImage(
        t.database,
        makeImage({ sha256: 'c'.repeat(64), rel_path: 'x.fits', size_bytes: 100 }),
      );
      const updated = await updateImage(
        t.database,
        first.id,
        makeImage({ sha256: 'd'.repeat(64), rel_path: 'x.fits', headers: HEADERS, metadata: { exptime: 120 } }),
        { nowMs: Date.UTC(2026, 0, 1) },
      );
      expect(updated).toEqual({ status: 'updated', id: first.id });
      const detail = await getImage(t.database, first.id);
      expect(detail?.sha256).toBe('d'.repeat(64));
      expect(detail?.exptime).toBe(120);
      expect(detail?.previous_versions).toEqual([
        {
          sha256: 'c'.repeat(64),
          size_bytes: 100,
          mtime_ms: expect.any(Number),
          replaced_at: '2026-01-01T00:00:00.000Z',
        },
      ]);
      const keys = await t.database.db
        .selectFrom('image_keywords')
        .select('key')
        .where('image_id', '=', first.id)
        .orderBy('key')
        .execute();
      expect(keys.map((k) => k.key)).toEqual(['EXPTIME', 'FILTER', 'SET-TEMP', 'SIMPLE']);
      const other = await insertImage(t.database, makeImage({ sha256: 'e'.repeat(64) }));
      expect(
        await updateImage(t.database, first.id, makeImage({ sha256: 'e'.repeat(64), rel_path: 'x.fits' })),
      ).toEqual({
        status: 'duplicate',
        id: other.id,
      });
      await expect(updateImage(t.database, 999_999, makeImage())).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND' });
    });

    it('moves a path, remembering the old one, and marks files missing and present again', async () => {
      const { id } = await insertImage(t.database, makeImage({ rel_path: 'old/a.fits' }));
      await movePath(t.database, id, '/data/images', 'new/a.fits', { nowMs: 1000 });
      expect(await findImageByPath(t.database, '/data/images', 'new/a.fits')).toMatchObject({ id, kind: 'primary' });
      expect(await findImageByPath(t.database, '/data/images', 'old/a.fits')).toBeNull();
      const detail = await getImage(t.database, id);
      expect(detail?.rel_path).toBe('new/a.fits');
      expect(detail?.paths).toEqual([
        expect.objectContaining({
          rel_path: 'old/a.fits',
          kind: 'previous',
          missing_since: '1970-01-01T00:00:01.000Z',
        }),
      ]);
      expect(await markMissing(t.database, '/data/images', 'new/a.fits', 5000)).toBe(1);
      expect(await markMissing(t.database, '/data/images', 'new/a.fits', 6000)).toBe(0);
      expect((await getImage(t.database, id))?.missing_since).toBe('1970-01-01T00:00:05.000Z');
      expect(await findImageByPath(t.database, '/data/images', 'new/a.fits')).toMatchObject({ missing: true });
      expect(await markPresent(t.database, '/data/images', 'new/a.fits')).toBe(1);
      expect((await getImage(t.database, id))?.missing_since).toBeNull();
    });

    it('updates quality alone and returns items in the order of the ids asked for', async () => {
      const a = await insertImage(t.database, makeImage());
      const b = await insertImage(t.database, makeImage());
      expect(
        await updateQuality(
          t.database,
          b.id,
          { ...emptyQuality(), fwhm_px: 3.25, star_count: 120 },
          { quality_score: 42, quality_flag: false, quality_components: null, quality_version: 1 },
        ),
      ).toBe(true);
      const items = await getImages(t.database, [b.id, 424242, a.id]);
      expect(items.map((i) => i.id)).toEqual([b.id, a.id]);
      expect(items[0]).toMatchObject({ fwhm_px: 3.25, star_count: 120, quality_score: 42, quality_flag: false });
      expect(items[0]).not.toHaveProperty('header');
    });
  });
}
