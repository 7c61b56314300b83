import { describe, expect, it } from 'vitest';
import { type ComparableKey, comparableQuality } from '../../src/db/image-quality.repository.js';
import { insertImage } from '../../src/db/images.repository.js';
import { DIALECTS, useTestDatabase } from '../support/databases.js';
import { makeImage, observedAt } from '../support/images.js';

const FRAME: ComparableKey = {
  object_name: 'M 13',
  filter_name: 'R',
  exptime: 60,
  xbinning: 1,
  ybinning: 1,
  camera: 'ASI294MM Pro',
};

for (const dialect of DIALECTS)
  describe(`comparableQuality (${dialect})`, () => {
    const t = useTestDatabase(dialect);

    /** Inserts one measured frame differing from FRAME by `change`; its star count names it. */
    let n = 0;
    const add = async (change: Partial<ComparableKey>, starCount = ++n * 10) => {
      await insertImage(
        t.database,
        makeImage({
          metadata: { ...observedAt(`2026-01-0${(n % 9) + 1}T22:00:00`), ...FRAME, ...change },
          quality: { star_count: starCount, fwhm_px: 3 },
        }),
      );
      return starCount;
    };
    const stars = async (frame: ComparableKey) =>
      (await comparableQuality(t.database, frame)).map((q) => q.star_count).sort((a, b) => (a ?? 0) - (b ?? 0));

    it('matches case- and blank-insensitive names, exposure to 0.1 s and absent binning as 1', async () => {
      const same = [
        await add({}),
        await add({ object_name: 'm13', filter_name: 'r', camera: 'asi294mm pro' }),
        await add({ object_name: 'm  13' }),
        await add({ exptime: 59.96 }),
        await add({ exptime: 60.04 }),
        await add({ xbinning: null, ybinning: null }),
      ];
      const other = [
        await add({ object_name: 'M 92' }),
        await add({ filter_name: 'G' }),
        await add({ camera: 'ASI1600' }),
        await add({ exptime: 59.9 }),
        await add({ exptime: 60.05 }),
        await add({ xbinning: 2, ybinning: 2 }),
        await add({ filter_name: null }),
      ];
      expect(await stars(FRAME)).toEqual(same);
      expect(other.every((s) => !same.includes(s))).toBe(true);
      // The rule is symmetric: a frame written in other case finds the same set.
      expect(
        await stars({ ...FRAME, object_name: 'M13', filter_name: 'r', camera: 'ASI294MM PRO', exptime: 59.999 }),
      ).toEqual(same);
    });

    it('an absent filter matches only frames without a filter, and unmeasured frames are left out', async () => {
      const none = await add({ filter_name: null });
      await add({});
      await insertImage(t.database, makeImage({ metadata: { ...FRAME, filter_name: null } }));
      expect(await stars({ ...FRAME, filter_name: null })).toEqual([none]);
    });
  });
