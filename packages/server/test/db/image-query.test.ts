import { beforeAll, describe, expect, it } from 'vitest';
import { type ImageFilters, parseHeaderFilter, parseSort, type SortSpec } from '../../src/db/image-filters.js';
import { countImages, imageConditions, iterateImages, queryImages } from '../../src/db/image-query.js';
import { imageFacets, nightsSummary } from '../../src/db/image-stats.js';
import { insertImage, markMissing, markPresent } from '../../src/db/images.repository.js';
import type { StoredHdu } from '../../src/domain/image.js';
import { DIALECTS, useSharedTestDatabase } from '../support/databases.js';
import { type ImageOverrides, makeImage, observedAt } from '../support/images.js';

const INJECTION = "R'; DROP TABLE images;--";
const OBJECT_INJECTION = "Robert'); DROP TABLE images;-- %_";

const hdu = (cards: Record<string, string | number | boolean>): StoredHdu[] => [
  { index: 0, type: 'IMAGE', cards: Object.entries(cards).map(([key, value]) => ({ key, value, comment: '' })) },
];

/** Seven frames built to sit on the edges of the filters. */
const ROWS: Record<string, ImageOverrides> = {
  A: {
    metadata: {
      ...observedAt('2025-03-10T22:30:00', '2025-03-10'),
      ccd_temp: -10,
      camera: 'ZWO ASI294MM',
      instrument: 'ZWO ASI294MM',
      telescope: 'RC8',
      filter_name: 'R',
      object_name: 'M 13',
      image_type: 'light',
      exptime: 120,
      rotator_angle_deg: 90,
    },
    quality: { fwhm_arcsec: 2.0, fwhm_px: 2.5 },
    score: { quality_score: 80, quality_flag: true },
    headers: hdu({ EXPTIME: 120, SIMPLE: true }),
  },
  B: {
    metadata: {
      ...observedAt('2025-03-11T03:59:00', '2025-03-10'),
      ccd_temp: -5,
      instrument: 'QSI 683',
      telescope: 'rc8',
      filter_name: 'r',
      object_name: 'M13',
      image_type: 'light',
      exptime: 60,
      rotator_angle_deg: 271.5,
    },
    quality: { fwhm_arcsec: 3.0 },
    score: { quality_score: 60 },
    headers: hdu({ EXPTIME: 60 }),
  },
  C: {
    metadata: {
      ...observedAt('2025-03-11T04:00:59', '2025-03-10'),
      ccd_temp: 0,
      filter_name: 'Ha',
      object_name: 'NGC 6205',
      image_type: 'flat',
    },
    headers: hdu({ EXPTIME: '30' }),
  },
  D: {
    metadata: { ...observedAt('2025-03-11T12:00:00', '2025-03-11'), image_type: 'dark' },
    quality: { fwhm_arcsec: 1.0 },
    score: { quality_score: 95, quality_flag: true },
    headers: hdu({ IMAGETYP: 'Dark Frame' }),
  },
  E: {},
  F: {
    metadata: {
      ...observedAt('2025-03-11T23:59:59', '2025-03-11'),
      filter_name: INJECTION,
      object_name: OBJECT_INJECTION,
      telescope: INJECTION,
    },
    quality: { fwhm_arcsec: 2.0 },
  },
  G: {
    metadata: { ...observedAt('2025-03-10T21:59:00', '2025-03-10'), ccd_temp: -12 },
    quality: { fwhm_arcsec: 4.0 },
    score: { quality_score: 70 },
  },
};

for (const dialect of DIALECTS) {
  describe(dialect, () => {
    // The rows are written once; the one test that changes them restores them.
    const t = useSharedTestDatabase(dialect);
    const names = new Map<number, string>();

    beforeAll(async () => {
      for (const [name, overrides] of Object.entries(ROWS)) {
        const { id } = await insertImage(t.database, makeImage({ rel_path: `${name}.fits`, ...overrides }));
        names.set(id, name);
      }
    });

    const find = async (filters: ImageFilters, sort: SortSpec = { column: 'id', direction: 'asc' }) => {
      const page = await queryImages(t.database, filters, { sort, limit: 100 });
      expect(page.total).toBe(page.items.length);
      return page.items.map((i) => names.get(i.id)).join('');
    };

    it.each<[string, ImageFilters, string]>([
      ['no filter', {}, 'ABCDEFG'],
      ['UTC date', { date: '2025-03-11' }, 'BCDF'],
      ['UTC date before', { date: '2025-03-10' }, 'AG'],
      ['date range', { date_from: '2025-03-10', date_to: '2025-03-10' }, 'AG'],
      ['night', { night: '2025-03-10' }, 'ABCG'],
      ['time range across midnight, end minute inclusive', { start_time: '22:00', end_time: '04:00' }, 'ABCF'],
      ['time range within a day', { start_time: '04:01', end_time: '21:59' }, 'DG'],
      ['start time alone', { start_time: '23:00' }, 'F'],
      ['end time alone', { end_time: '04:00' }, 'BC'],
      ['min temp', { min_temp: -6 }, 'BC'],
      ['max temp', { max_temp: -5 }, 'ABG'],
      ['temperature range', { min_temp: -10, max_temp: -5 }, 'AB'],
      ['min quality inclusive', { min_quality: 80 }, 'AD'],
      ['rotator range, both ends inclusive', { min_rotator_angle_deg: 90, max_rotator_angle_deg: 271.5 }, 'AB'],
      ['rotator from an angle', { min_rotator_angle_deg: 180 }, 'B'],
      ['camera is case-insensitive', { camera: 'zwo asi294mm' }, 'A'],
      ['camera matches the instrument', { camera: 'qsi 683' }, 'B'],
      ['telescope is case-insensitive', { telescope: 'Rc8' }, 'AB'],
      ['filter is case-insensitive', { filter_name: 'r' }, 'AB'],
      ['filter is exact', { filter_name: 'H' }, ''],
      ['object ignores case and blanks', { object: 'm13' }, 'AB'],
      ['object with blanks', { object: 'M 13' }, 'AB'],
      ['object prefix wildcard', { object: 'M*' }, 'AB'],
      ['object suffix wildcard', { object: '*6205' }, 'C'],
      ['object % is literal in a pattern', { object: '%*' }, ''],
      ['object _ is literal in a pattern', { object: 'M_3*' }, ''],
      ['image type', { image_type: 'dark' }, 'D'],
      ['header number range', { header: [{ key: 'EXPTIME', op: '>=', value: '100' }] }, 'A'],
      ['header number equal', { header: [{ key: 'EXPTIME', op: '=', value: '60' }] }, 'B'],
      ['header range includes numeric strings', { header: [{ key: 'EXPTIME', op: '<=', value: '60' }] }, 'BC'],
      ['header string, case-insensitive', { header: [{ key: 'IMAGETYP', op: '=', value: 'dark frame' }] }, 'D'],
      [
        'header with a night (checked frame by frame)',
        { night: '2025-03-10', header: [{ key: 'EXPTIME', op: '<=', value: '60' }] },
        'BC',
      ],
      ['header with an object', { object: 'm13', header: [{ key: 'EXPTIME', op: '>=', value: '100' }] }, 'A'],
      [
        'header string with a date',
        { date: '2025-03-11', header: [{ key: 'IMAGETYP', op: '=', value: 'DARK FRAME' }] },
        'D',
      ],
      [
        'two header filters',
        {
          header: [
            { key: 'EXPTIME', op: '>=', value: '30' },
            { key: 'EXPTIME', op: '<=', value: '60' },
          ],
        },
        'BC',
      ],
      [
        'header logical (E, F, G have the default header)',
        { header: [{ key: 'SIMPLE', op: '=', value: 'T' }] },
        'AEFG',
      ],
      ['injection as filter value', { filter_name: INJECTION }, 'F'],
      ['injection as telescope', { telescope: INJECTION.toUpperCase() }, 'F'],
      ['injection as object', { object: OBJECT_INJECTION }, 'F'],
      ['injection as header value', { header: [{ key: 'IMAGETYP', op: '=', value: INJECTION }] }, ''],
      ['combined', { night: '2025-03-10', filter_name: 'R', min_quality: 70 }, 'A'],
    ])('%s', async (_label, filters, expected) => {
      expect(await find(filters)).toBe(expected);
      expect(await countImages(t.database, filters)).toBe(expected.length);
    });

    it('finds the same frames with either shape of a header filter', async () => {
      for (const filters of [
        { header: [{ key: 'EXPTIME', op: '<=', value: '60' }] },
        { night: '2025-03-10', header: [{ key: 'SIMPLE', op: '=', value: 'true' }] },
        {
          header: [
            { key: 'IMAGETYP', op: '=', value: 'dark frame' },
            { key: 'NOPE', op: '>=', value: '1' },
          ],
        },
      ] as ImageFilters[]) {
        const ids = async (shape: 'probe' | 'list') =>
          (
            await t.database.db
              .selectFrom('images')
              .select('id')
              .where((eb) => imageConditions(eb, filters, shape))
              .orderBy('id')
              .execute()
          ).map((r) => names.get(r.id));
        expect(await ids('probe'), JSON.stringify(filters)).toEqual(await ids('list'));
      }
      expect(
        (
          await t.database.db
            .selectFrom('images')
            .select('id')
            .where((eb) => imageConditions(eb, { header: [{ key: 'EXPTIME', op: '<=', value: '60' }] }, 'probe'))
            .orderBy('id')
            .execute()
        ).map((r) => names.get(r.id)),
      ).toEqual(['B', 'C']);
    });

    it('filters on missing files', async () => {
      await markMissing(t.database, '/data/images', 'B.fits');
      expect(await find({ missing: true })).toBe('B');
      expect(await find({ missing: false })).toBe('ACDEFG');
      await markPresent(t.database, '/data/images', 'B.fits');
      expect(await find({ missing: false })).toBe('ABCDEFG');
    });

    it('sorts with NULLs last in both directions and ties broken by id', async () => {
      expect(await find({}, { column: 'quality_score', direction: 'desc' })).toBe('DAGBFEC');
      expect(await find({}, { column: 'quality_score', direction: 'asc' })).toBe('BGADCEF');
      expect(await find({}, { column: 'fwhm_arcsec', direction: 'asc' })).toBe('DAFBGCE');
      expect(await find({}, { column: 'date_obs', direction: 'desc' })).toBe('FDCBAGE');
      expect(await find({}, { column: 'rotator_angle_deg', direction: 'desc' })).toBe('BAGFEDC');
    });

    it('visits every row exactly once by keyset pages, in the order of offset pages', async () => {
      for (const sort of ['quality_score', '-quality_score', 'fwhm_arcsec', '-date_obs', 'object_name', 'id', '-id']) {
        const spec = parseSort(sort);
        const byOffset = await find({}, spec);
        let cursor: string | undefined;
        let visited = '';
        let pages = 0;
        do {
          const page = await queryImages(t.database, {}, { sort: spec, limit: 2, ...(cursor ? { cursor } : {}) });
          expect(page.total).toBe(7);
          visited += page.items.map((i) => names.get(i.id)).join('');
          cursor = page.next_cursor ?? undefined;
          pages++;
        } while (cursor);
        expect(visited, sort).toBe(byOffset);
        expect(pages).toBe(4);
        const second = await queryImages(t.database, {}, { sort: spec, limit: 2, offset: 2 });
        expect(second.items.map((i) => names.get(i.id)).join('')).toBe(byOffset.slice(2, 4));
      }
      const all: string[] = [];
      for await (const item of iterateImages(t.database, { night: '2025-03-10' }, { batchSize: 3 }))
        all.push(names.get(item.id) ?? '?');
      expect(all.join('')).toBe('ABCG');
    });

    it('refuses a cursor of another sort order and bad filters with stable codes', async () => {
      const page = await queryImages(t.database, {}, { sort: parseSort('-quality_score'), limit: 1 });
      await expect(
        queryImages(t.database, {}, { sort: parseSort('quality_score'), cursor: page.next_cursor ?? '' }),
      ).rejects.toMatchObject({ code: 'BAD_CURSOR' });
      await expect(queryImages(t.database, {}, { cursor: 'garbage!' })).rejects.toMatchObject({ code: 'BAD_CURSOR' });
      for (const bad of [
        { date: '2025-02-30' },
        { start_time: '24:00' },
        { ra: 10, dec: 10 },
        { ra: 10, dec: 10, radius: 0 },
        { dec: 91, ra: 0, radius: 1 },
        { image_type: 'science' },
        { min_quality: 101 },
        { header: [{ key: 'EXPTIME', op: '>=', value: 'abc' }] },
        { header: [{ key: "A'B", op: '=', value: '1' }] },
      ] as ImageFilters[])
        await expect(queryImages(t.database, bad), JSON.stringify(bad)).rejects.toMatchObject({ code: 'BAD_FILTER' });
    });

    it('answers night, filter, time-of-day and header filters together; sort names are whitelisted', async () => {
      const filters: ImageFilters = {
        night: '2025-03-10',
        filter_name: 'R',
        start_time: '22:00',
        end_time: '04:00',
        // `header.EXPTIME>=100` in a URL arrives as the key `header.EXPTIME>` with the value 100.
        header: [parseHeaderFilter('header.EXPTIME>', '100')],
      };
      expect(filters.header).toEqual([{ key: 'EXPTIME', op: '>=', value: '100' }]);
      expect(await find(filters)).toBe('A');
      expect(() => parseSort('rel_path; drop table images')).toThrow(/sort/);
    });

    it('counts facets under the filters, alike spellings together', async () => {
      const facets = await imageFacets(t.database, { night: '2025-03-10' });
      expect(facets.filter_name).toEqual([
        { value: expect.stringMatching(/^[Rr]$/), count: 2 },
        { value: 'Ha', count: 1 },
      ]);
      expect(facets.object_name).toEqual([
        { value: expect.stringMatching(/^M ?13$/), count: 2 },
        { value: 'NGC 6205', count: 1 },
      ]);
      expect(facets.telescope).toEqual([{ value: expect.stringMatching(/^(RC8|rc8)$/), count: 2 }]);
      expect(facets.camera).toEqual([{ value: 'ZWO ASI294MM', count: 1 }]);
      expect(facets.instrument.map((f) => [f.value, f.count]).sort()).toEqual([
        ['QSI 683', 1],
        ['ZWO ASI294MM', 1],
      ]);
      expect(facets.night).toEqual([{ value: '2025-03-10', count: 4 }]);
      expect(facets.image_type).toEqual([
        { value: 'light', count: 2 },
        { value: 'flat', count: 1 },
      ]);
      const all = await imageFacets(t.database, {});
      expect(all.night).toEqual([
        { value: '2025-03-11', count: 2 },
        { value: '2025-03-10', count: 4 },
      ]);
      expect(all.filter_name.reduce((n, f) => n + f.count, 0)).toBe(4);
    });

    it('summarizes nights: frames, median FWHM, temperature range, mean quality', async () => {
      const nights = await nightsSummary(t.database, {});
      expect(nights).toEqual([
        {
          night: '2025-03-11',
          frames: 2,
          exposure_seconds: 0,
          first_date_obs: '2025-03-11T12:00:00.000Z',
          last_date_obs: '2025-03-11T23:59:59.000Z',
          median_fwhm_arcsec: 1.5,
          median_fwhm_px: null,
          min_ccd_temp: null,
          max_ccd_temp: null,
          mean_quality: 95,
          flagged: 1,
        },
        {
          night: '2025-03-10',
          frames: 4,
          exposure_seconds: 180,
          first_date_obs: '2025-03-10T21:59:00.000Z',
          last_date_obs: '2025-03-11T04:00:59.000Z',
          median_fwhm_arcsec: 3,
          median_fwhm_px: 2.5,
          min_ccd_temp: -12,
          max_ccd_temp: 0,
          mean_quality: 70,
          flagged: 1,
        },
      ]);
      const lights = await nightsSummary(t.database, { image_type: 'light' });
      expect(lights.map((n) => [n.night, n.frames, n.median_fwhm_arcsec])).toEqual([['2025-03-10', 2, 2.5]]);
    });
  });
}
