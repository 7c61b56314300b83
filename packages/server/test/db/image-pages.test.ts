import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageFilters, SortColumn } from '../../src/db/image-filters.js';
import { queryImages } from '../../src/db/image-query.js';
import { FACET_FIELDS, imageFacets, imageFacetsByScan } from '../../src/db/image-stats.js';
import { insertImage } from '../../src/db/images.repository.js';
import { DIALECTS, useSharedTestDatabase } from '../support/databases.js';
import { explainQueriesOf } from '../support/explain.js';
import { emptyQuality, fakeSha256, makeImage, observedAt } from '../support/images.js';

/** Frames over a few days, some without a date, some without FWHM, with ties on both. */
function frames() {
  return Array.from({ length: 23 }, (_, i) => {
    const day = 10 + (i % 4);
    const dated = i % 7 !== 3;
    return makeImage({
      metadata: {
        ...(dated ? observedAt(`2025-03-${day}T0${i % 3}:00:00`, `2025-03-${day - 1}`) : {}),
        image_type: i % 5 === 0 ? 'flat' : 'light',
        filter_name: i % 2 ? 'R' : 'Ha',
      },
      // fwhm_px: a few values within one count bucket and on both sides of an edge (1/128 px).
      quality: {
        ...emptyQuality(),
        fwhm_arcsec: i % 4 === 1 ? null : 1 + (i % 5) * 0.5,
        fwhm_px: i % 6 === 2 ? null : 2 + (i % 7) * 0.003,
      },
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: pages in every order, NULLs last, by offset and by cursor`, () => {
    const t = useSharedTestDatabase(dialect);
    beforeAll(async () => {
      for (const f of frames()) await insertImage(t.database, f);
    });

    async function expected(
      column: 'date_obs_ms' | 'fwhm_arcsec' | 'fwhm_px',
      direction: 'asc' | 'desc',
      filters: ImageFilters,
    ) {
      const rows = await t.database.db
        .selectFrom('images')
        .select(['id', column])
        .$if(filters.image_type !== undefined, (q) => q.where('image_type', '=', filters.image_type ?? 'light'))
        .execute();
      const sign = direction === 'asc' ? 1 : -1;
      return rows
        .sort((a, b) => {
          const x = a[column] === null ? null : Number(a[column]);
          const y = b[column] === null ? null : Number(b[column]);
          if (x === null || y === null) return x === y ? sign * (a.id - b.id) : x === null ? 1 : -1;
          return x !== y ? sign * (x - y) : sign * (a.id - b.id);
        })
        .map((r) => r.id);
    }

    const cases: Array<[SortColumn, 'date_obs_ms' | 'fwhm_arcsec' | 'fwhm_px']> = [
      ['date_obs', 'date_obs_ms'],
      ['fwhm_arcsec', 'fwhm_arcsec'],
      ['fwhm_px', 'fwhm_px'],
    ];
    for (const [sort, column] of cases)
      for (const direction of ['asc', 'desc'] as const)
        for (const filters of [{}, { image_type: 'light' as const }])
          it(`${direction === 'desc' ? '-' : ''}${sort} ${JSON.stringify(filters)}`, async () => {
            const all = await expected(column, direction, filters);
            for (let offset = 0; offset <= all.length + 1; offset++)
              for (const limit of [1, 4]) {
                const page = await queryImages(t.database, filters, {
                  sort: { column: sort, direction },
                  offset,
                  limit,
                });
                expect(
                  page.items.map((i) => i.id),
                  `offset ${offset} limit ${limit}`,
                ).toEqual(all.slice(offset, offset + limit));
                expect(page.total).toBe(all.length);
                expect(page.total_exact).toBe(true);
              }
            const walked: number[] = [];
            let cursor: string | undefined;
            do {
              const page = await queryImages(t.database, filters, {
                sort: { column: sort, direction },
                limit: 3,
                ...(cursor ? { cursor } : {}),
              });
              walked.push(...page.items.map((i) => i.id));
              cursor = page.next_cursor ?? undefined;
            } while (cursor);
            expect(walked).toEqual(all);
          });

    it('a total past the bound says so; one the summary counts stays exact', async () => {
      const bounded = await queryImages(t.database, { filter_name: 'r', image_type: 'light' }, { totalBound: 5 });
      expect(bounded).toMatchObject({ total: 5, total_exact: false });
      const small = await queryImages(t.database, { filter_name: 'r', image_type: 'flat' }, { totalBound: 5 });
      const flatsR = frames().filter((f) => f.metadata.image_type === 'flat' && f.metadata.filter_name === 'R').length;
      expect(small).toMatchObject({ total: flatsR, total_exact: true });
      const counted = await queryImages(t.database, { image_type: 'light' }, { totalBound: 5 });
      expect(counted).toMatchObject({ total: 23 - 5, total_exact: true });
      const day = await queryImages(t.database, { date_from: '2025-03-11', date_to: '2025-03-12' }, { totalBound: 1 });
      const inDays = frames().filter((f) => /^2025-03-1[12]/.test(f.metadata.date_obs ?? '')).length;
      expect(day).toMatchObject({ total: inDays, total_exact: true });
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: telescope and camera match a part of a name`, () => {
    const t = useSharedTestDatabase(dialect);
    const ids: Record<string, number> = {};
    beforeAll(async () => {
      const at = (
        telescope: string | null,
        observatory: string | null,
        camera: string | null,
        instrument: string | null,
      ) => makeImage({ metadata: { telescope, observatory, camera, instrument } });
      const frames: Record<string, ReturnType<typeof at>> = {
        site: at('RC8', 'Winer Observatory', 'QHY600M', null),
        name: at('WINER 0.5m', null, null, 'ZWO ASI6200MM Pro'),
        other: at('RC8', 'Bench Observatory', 'qhy268m', 'QHY268M'),
        none: at(null, null, null, null),
      };
      for (const [k, f] of Object.entries(frames)) ids[k] = (await insertImage(t.database, f)).id;
    });
    const found = async (filters: ImageFilters) =>
      (await queryImages(t.database, filters, { sort: { column: 'id', direction: 'asc' } })).items.map((i) => i.id);

    it('telescope: in the telescope name or the observatory name, any case', async () => {
      expect(await found({ telescope: 'winer' })).toEqual([ids.site, ids.name]);
      expect(await found({ telescope: 'WINER OBS' })).toEqual([ids.site]);
      expect(await found({ telescope: 'rc' })).toEqual([ids.site, ids.other]);
      expect(await found({ telescope: 'observatory' })).toEqual([ids.site, ids.other]);
      expect(await found({ telescope: 'nowhere' })).toEqual([]);
      expect(await found({ telescope: 'rc', camera: '268' })).toEqual([ids.other]);
    });

    it('camera: in the camera name or the instrument name, any case', async () => {
      expect(await found({ camera: 'qhy' })).toEqual([ids.site, ids.other]);
      expect(await found({ camera: 'asi6200' })).toEqual([ids.name]);
      expect(await found({ camera: '%' })).toEqual([]);
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: facets of a filtered set`, () => {
    const t = useSharedTestDatabase(dialect);
    beforeAll(async () => {
      for (const f of frames()) await insertImage(t.database, f);
    });
    const asPairs = (facets: Record<string, Array<{ value: string; count: number }>>) =>
      Object.fromEntries(FACET_FIELDS.map((f) => [f, facets[f]?.map((c) => [c.value.toLowerCase(), c.count]) ?? []]));

    it('are exact up to the bound, equal to grouping every match', async () => {
      for (const filters of [
        { filter_name: 'r' },
        { date_from: '2025-03-11' },
        { min_quality: 0 },
        {},
      ] as ImageFilters[]) {
        const facets = await imageFacets(t.database, filters, { limit: 100 });
        expect(facets.exact).toBe(true);
        expect(asPairs(facets)).toEqual(asPairs(await imageFacetsByScan(t.database, filters, { limit: 100 })));
      }
    });

    it('count the first frames of the page order, each value spelled as its first frame spells it', async () => {
      // Other spellings of the same values, dated and undated, so that the grouping, the order of
      // the groups and the bound all show in the answer.
      const spellings = ['r', 'HA', 'R', 'Ha', 'ha'];
      for (let i = 0; i < 12; i++)
        await insertImage(
          t.database,
          makeImage({
            metadata: {
              ...(i % 4 === 3 ? {} : observedAt(`2025-03-1${i % 5}T05:0${i % 3}:00`, `2025-03-0${i % 5}`)),
              image_type: 'light',
              filter_name: spellings[i % spellings.length] ?? null,
              object_name: i % 2 ? 'M 42' : 'm42',
              telescope: i % 3 ? 'RC8' : 'rc8',
              // A value of each frame's own: a frame past the bound must not show at all.
              instrument: `Cam ${i}`,
            },
          }),
        );
      const keyOf: Record<string, (v: string) => string> = {
        object_name: (v) => v.toLowerCase().replace(/\s+/g, ''),
        night: (v) => v,
        image_type: (v) => v,
      };
      const filters: ImageFilters = { image_type: 'light' };
      const every = (await queryImages(t.database, filters, { limit: 1000 })).items;
      const undated = every.filter((i) => i.date_obs === null).length;
      expect(undated).toBeGreaterThan(2);
      // Bounds inside the dated frames, at their end, and inside the undated ones; then all.
      const dated = every.length - undated;
      for (const bound of [1, 4, dated - 1, dated, dated + 2, every.length - 1, every.length + 3]) {
        const facets = await imageFacets(t.database, filters, { limit: 100, bound });
        expect(facets.exact, `bound ${bound}`).toBe(every.length <= bound);
        const first = every.slice(0, bound) as unknown as Array<Record<string, string | null>>;
        for (const field of FACET_FIELDS) {
          const byKey = new Map<string, { value: string; count: number }>();
          for (const item of first) {
            const value = item[field];
            if (value === null || value === undefined) continue;
            const key = (keyOf[field] ?? ((v: string) => v.toLowerCase()))(value);
            const c = byKey.get(key);
            if (c) c.count++;
            else byKey.set(key, { value, count: 1 });
          }
          const expected = [...byKey.entries()]
            .sort(([ka, a], [kb, b]) =>
              field === 'night' ? (ka < kb ? 1 : -1) : b.count - a.count || (ka < kb ? -1 : ka > kb ? 1 : 0),
            )
            .map(([, c]) => c);
          expect(facets[field], `bound ${bound}, ${field}`).toEqual(expected);
        }
      }
    });

    it('past the bound count the newest frames and say so', async () => {
      const facets = await imageFacets(t.database, { image_type: 'light' }, { limit: 100, bound: 5 });
      expect(facets.exact).toBe(false);
      expect(facets.image_type).toEqual([{ value: 'light', count: 5 }]);
      const newest = await queryImages(t.database, { image_type: 'light' }, { limit: 5 });
      const nights = new Set(newest.items.map((i) => i.night));
      expect(facets.night.map((n) => n.value).sort()).toEqual([...nights].sort());
    });
  });

  describe(`${dialect}: a page of some fields is planned as the page of every field`, () => {
    const t = useSharedTestDatabase(dialect);
    beforeAll(async () => {
      // Quality spread as the bench catalog's (light frames only, from the FWHM with noise), dates
      // one a minute: SQLite took the quality index and sorted its matches for `min_quality=90` at
      // 5,000 such frames when the page asked few columns, where every column made it walk the dates.
      let seed = 7;
      const r = () => {
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
        return seed / 2 ** 32;
      };
      const rows = Array.from({ length: 5000 }, (_, n) => {
        const light = r() < 0.7;
        const fwhm = 1.2 + r() * 3;
        return {
          root: '/plans',
          rel_path: `p${n}.fits`,
          size_bytes: 2880,
          mtime_ms: 0,
          sha256: fakeSha256(30_000_000 + n),
          hdu_index: 0,
          ingested_at: 0,
          updated_at: 0,
          date_obs_ms: 1_700_000_000_000 + n * 60_000,
          quality_score: light ? Math.min(100, Math.max(0, 100 - (fwhm - 1.2) * 25 + (r() - 0.5) * 20)) : null,
        };
      });
      for (let i = 0; i < rows.length; i += 500)
        await t.database.db
          .insertInto('images')
          .values(rows.slice(i, i + 500))
          .execute();
      if (dialect === 'sqlite') await sql`pragma analysis_limit = 0`.execute(t.database.db);
      await (dialect === 'mysql' ? sql`analyze table images` : sql`analyze`).execute(t.database.db);
    });

    /** The plan lines that read `images` of the page's last statement. */
    const planOf = async (filters: ImageFilters, fields?: Array<'id' | 'date_obs' | 'file_name'>) => {
      const queries = await explainQueriesOf(t.database, (db) =>
        queryImages(db, filters, { limit: 50, withTotal: false, ...(fields ? { fields } : {}) }),
      );
      return (
        (queries.at(-1)?.plan ?? '')
          .split('\n')
          .filter((line) => /images/.test(line))
          // SQLite's node numbers and PostgreSQL's costs differ with the result columns; the access does not.
          .map((line) =>
            line
              .replace(/^\d+ \d+ \d+ /, '')
              .replace(/\(cost=[^)]*\)/, '')
              .trim(),
          )
      );
    };

    it('takes the same index for every quality bound', async () => {
      const seen = new Set<string>();
      for (const min_quality of [50, 70, 80, 85, 88, 90, 92, 95, 97, 99]) {
        const full = await planOf({ min_quality });
        expect(full.length, `min_quality=${min_quality}`).toBeGreaterThan(0);
        expect(await planOf({ min_quality }, ['id', 'date_obs', 'file_name']), `min_quality=${min_quality}`).toEqual(
          full,
        );
        seen.add(full.join('\n'));
      }
      // The bounds cross the planner's choice between the two indexes (where it has one).
      if (dialect === 'sqlite') expect(seen.size).toBeGreaterThan(1);
    });
  });
}
