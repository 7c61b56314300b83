import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildCatalogSummary, rebuildValueCounts } from '../../src/db/catalog-summary.js';
import { inTransaction } from '../../src/db/connection.js';
import type { ImageFilters, SortColumn } from '../../src/db/image-filters.js';
import { queryImages } from '../../src/db/image-query.js';
import { insertImage } from '../../src/db/images.repository.js';
import { DIALECTS, useSharedTestDatabase } from '../support/databases.js';
import { executedQueriesOf } from '../support/explain.js';
import { fakeSha256, makeImage, observedAt } from '../support/images.js';

/**
 * Pages whose rows are found in two queries and merged in the server: a `camera` or `telescope`
 * part that names values of two columns (camera or instrument, telescope or observatory), read
 * once per column; and deep offsets, whose ids are found before their rows. Each page must be the
 * slice of the brute-force order, and each total exact or a true "more than".
 */

const CAMERAS = ['QHY600M', 'ZWO ASI2600MM', 'qhy268c', null];
const INSTRUMENTS = ['QHY600M', 'FLI PL16803', 'QHY Guide', null];
const TELESCOPES = ['RC8', 'Winer RC16', 'CDK14', null];
const OBSERVATORIES = ['Winer Observatory', 'Home', null];

interface Row {
  id: number;
  date_obs_ms: number | null;
  fwhm_arcsec: number | null;
  camera: string | null;
  instrument: string | null;
  telescope: string | null;
  observatory: string | null;
}

const COUNT = 1150;

function rowsToInsert() {
  return Array.from({ length: COUNT }, (_, n) => {
    const pick = <T>(list: T[], k: number) => list[(n * k + (n >> 3)) % list.length] as T;
    return {
      root: '/merged',
      rel_path: `m${n}.fits`,
      size_bytes: 2880,
      mtime_ms: 0,
      sha256: fakeSha256(20_000_000 + n),
      hdu_index: 0,
      ingested_at: 0,
      updated_at: 0,
      // Ties on the date (every 3 frames share one) and some undated frames.
      date_obs_ms: n % 17 === 5 ? null : 1_700_000_000_000 + Math.floor(n / 3) * 60_000,
      fwhm_arcsec: n % 11 === 2 ? null : 1 + (n % 9) * 0.25,
      camera: pick(CAMERAS, 7),
      instrument: pick(INSTRUMENTS, 5),
      telescope: pick(TELESCOPES, 3),
      observatory: pick(OBSERVATORIES, 13),
    };
  });
}

const has = (v: string | null, part: string) => v?.toLowerCase().includes(part) === true;

for (const dialect of DIALECTS) {
  describe(`${dialect}: pages merged from two name columns, deep offsets`, () => {
    const t = useSharedTestDatabase(dialect);
    let all: Row[] = [];
    beforeAll(async () => {
      const rows = rowsToInsert();
      for (let i = 0; i < rows.length; i += 500)
        await t.database.db
          .insertInto('images')
          .values(rows.slice(i, i + 500))
          .execute();
      // Rows written past the write path: every summary is rebuilt, as the bench loader does.
      await inTransaction(t.database, async (tx) => {
        await rebuildCatalogSummary(tx);
        await rebuildValueCounts(tx);
      });
      const stored = await t.database.db
        .selectFrom('images')
        .select(['id', 'date_obs_ms', 'fwhm_arcsec', 'camera', 'instrument', 'telescope', 'observatory'])
        .where('root', '=', '/merged')
        .execute();
      all = stored.map((r) => ({
        ...r,
        id: Number(r.id),
        date_obs_ms: r.date_obs_ms === null ? null : Number(r.date_obs_ms),
        fwhm_arcsec: r.fwhm_arcsec === null ? null : Number(r.fwhm_arcsec),
      }));
    });

    /** Ids in (column NULLS LAST, id) order. */
    function ordered(rows: Row[], column: 'date_obs_ms' | 'fwhm_arcsec', direction: 'asc' | 'desc'): number[] {
      const sign = direction === 'asc' ? 1 : -1;
      return [...rows]
        .sort((a, b) => {
          const x = a[column];
          const y = b[column];
          if (x === null || y === null) return x === y ? sign * (a.id - b.id) : x === null ? 1 : -1;
          return x !== y ? sign * (x - y) : sign * (a.id - b.id);
        })
        .map((r) => r.id);
    }

    const cases: Array<[string, ImageFilters, (r: Row) => boolean]> = [
      ['camera in both columns', { camera: 'qhy' }, (r) => has(r.camera, 'qhy') || has(r.instrument, 'qhy')],
      ['camera in one column', { camera: 'zwo' }, (r) => has(r.camera, 'zwo') || has(r.instrument, 'zwo')],
      [
        'telescope or observatory',
        { telescope: 'winer' },
        (r) => has(r.telescope, 'winer') || has(r.observatory, 'winer'),
      ],
      [
        'telescope with another filter',
        { telescope: 'winer', camera: 'qhy' },
        (r) =>
          (has(r.telescope, 'winer') || has(r.observatory, 'winer')) &&
          (has(r.camera, 'qhy') || has(r.instrument, 'qhy')),
      ],
      ['every frame', {}, () => true],
    ];
    const sorts: Array<[SortColumn, 'date_obs_ms' | 'fwhm_arcsec']> = [
      ['date_obs', 'date_obs_ms'],
      ['fwhm_arcsec', 'fwhm_arcsec'],
    ];

    for (const [label, filters, matches] of cases)
      for (const [sort, column] of sorts)
        for (const direction of ['desc', 'asc'] as const)
          it(`${label}, ${direction === 'desc' ? '-' : ''}${sort}: offset pages, keyset pages, total`, async () => {
            const expected = ordered(all.filter(matches), column, direction);
            const spec = { column: sort, direction };
            for (const offset of [0, 1, 37, 300, expected.length - 2, 1000, 1100])
              for (const limit of [1, 50]) {
                const page = await queryImages(t.database, filters, { sort: spec, offset, limit, totalBound: 100 });
                expect(
                  page.items.map((i) => i.id),
                  `offset ${offset} limit ${limit}`,
                ).toEqual(expected.slice(offset, offset + limit));
                if (page.total_exact) expect(page.total).toBe(expected.length);
                else expect(expected.length).toBeGreaterThan(page.total ?? 0);
              }
            const walked: number[] = [];
            let cursor: string | undefined;
            do {
              const page = await queryImages(t.database, filters, {
                sort: spec,
                limit: 97,
                withTotal: false,
                ...(cursor ? { cursor } : {}),
              });
              walked.push(...page.items.map((i) => i.id));
              cursor = page.next_cursor ?? undefined;
            } while (cursor);
            expect(walked).toEqual(expected);
          });

    it('a page asked for some fields has the items of the full page with only those fields, and its cursor', async () => {
      // file_path and file_name are made from root and rel_path; ccd_temp is not the sort column.
      const fields = ['id', 'file_path', 'file_name', 'date_obs', 'camera', 'ccd_temp', 'quality_flag'] as const;
      const trimmed = (item: Record<string, unknown>) => Object.fromEntries(fields.map((f) => [f, item[f]]));
      let compared = 0;
      for (const [label, filters] of cases)
        for (const [sort] of sorts)
          for (const direction of ['desc', 'asc'] as const)
            for (const [offset, cursorFrom] of [
              [0, null],
              [37, null],
              [1000, null],
              [0, 300],
            ] as const) {
              const spec = { column: sort, direction };
              let cursor: string | undefined;
              if (cursorFrom !== null) {
                const before = await queryImages(t.database, filters, { sort: spec, offset: cursorFrom, limit: 1 });
                cursor = before.next_cursor ?? undefined;
              }
              const at = { sort: spec, offset, limit: 50, totalBound: 100, ...(cursor ? { cursor } : {}) };
              const full = await queryImages(t.database, filters, at);
              const some = await queryImages(t.database, filters, { ...at, fields: [...fields] });
              const what = `${label}, ${direction} ${sort}, offset ${offset}, cursor ${cursorFrom}`;
              expect(some.items, what).toEqual(full.items.map((i) => trimmed(i as unknown as Record<string, unknown>)));
              for (const item of some.items) expect(Object.keys(item), what).toEqual([...fields]);
              expect({ ...some, items: [] }, what).toEqual({ ...full, items: [] });
              compared += some.items.length;
            }
      expect(compared).toBeGreaterThan(1000);
    });

    it('counts the frames of a lone header filter once each, however many HDUs carry the keyword', async () => {
      const card = (value: number) => ({ key: 'MERGEKEY', value, comment: '' });
      await insertImage(
        t.database,
        makeImage({
          headers: [
            { index: 0, type: 'IMAGE', cards: [card(5)] },
            { index: 1, type: 'IMAGE', cards: [card(5)] },
          ],
        }),
      );
      await insertImage(t.database, makeImage({ headers: [{ index: 0, type: 'IMAGE', cards: [card(5)] }] }));
      await insertImage(t.database, makeImage({ headers: [{ index: 0, type: 'IMAGE', cards: [card(6)] }] }));
      const filters: ImageFilters = { header: [{ key: 'MERGEKEY', op: '=', value: '5' }] };
      const page = await queryImages(t.database, filters, { limit: 10 });
      expect(page.items).toHaveLength(2);
      expect(page).toMatchObject({ total: 2, total_exact: true });
      expect(await queryImages(t.database, filters, { limit: 10, totalBound: 1 })).toMatchObject({
        total: 1,
        total_exact: false,
      });
      expect(
        await queryImages(t.database, { header: [{ key: 'MERGEKEY', op: '>=', value: '5' }] }, { limit: 10 }),
      ).toMatchObject({ total: 3, total_exact: true });
    });

    it('counts a keyword range whose first rows repeat frames, and pages its matches in date order', async () => {
      // 40 frames carry RANGEKEY in two HDUs: the first rows the total counts (the threshold, 59
      // here, plus one) hold about 30 frames, so the count must tell the frames apart again.
      const card = (value: number) => ({ key: 'RANGEKEY', value, comment: '' });
      const ids: number[] = [];
      for (let n = 0; n < 40; n++) {
        const image = makeImage({
          metadata: observedAt(
            `2024-03-${String(1 + (n % 28)).padStart(2, '0')}T${18 + (n % 6)}:${String(n).padStart(2, '0')}:00`,
          ),
          headers: [
            { index: 0, type: 'IMAGE', cards: [card(n)] },
            { index: 1, type: 'IMAGE', cards: [card(n)] },
          ],
        });
        ids.push((await insertImage(t.database, image)).id);
      }
      const all = await queryImages(
        t.database,
        { header: [{ key: 'RANGEKEY', op: '>=', value: '0' }] },
        { limit: 100 },
      );
      expect(all).toMatchObject({ total: 40, total_exact: true });
      const byDate = [...all.items].sort((a, b) => (b.date_obs ?? '').localeCompare(a.date_obs ?? '') || b.id - a.id);
      expect(all.items.map((i) => i.id)).toEqual(byDate.map((i) => i.id));
      expect(new Set(all.items.map((i) => i.id))).toEqual(new Set(ids));
      const some = await queryImages(t.database, { header: [{ key: 'RANGEKEY', op: '<=', value: '9' }] }, { limit: 4 });
      expect(some).toMatchObject({ total: 10, total_exact: true });
      expect(some.items.map((i) => i.id)).toEqual(
        byDate
          .filter((i) => ids.indexOf(i.id) <= 9)
          .map((i) => i.id)
          .slice(0, 4),
      );
      expect(
        await queryImages(
          t.database,
          { header: [{ key: 'RANGEKEY', op: '>=', value: '0' }] },
          { limit: 1, totalBound: 39 },
        ),
      ).toMatchObject({ total: 39, total_exact: false });
    });

    it('pages a keyword across its dated and undated frames, and reads the keyword index once where it lists them', async () => {
      const card = (value: number) => ({ key: 'UNDKEY', value, comment: '' });
      const made: { id: number; ms: number | null }[] = [];
      for (let n = 0; n < 14; n++) {
        // Frames 0–9 match (6 dated, ties on one date, 4 undated); 10–13 carry another value.
        const date = n % 5 === 3 ? null : `2024-05-0${1 + (n % 3)}T22:00:00`;
        const image = makeImage({
          ...(date ? { metadata: observedAt(date) } : {}),
          headers: [{ index: 0, type: 'IMAGE', cards: [card(n < 10 ? 7 : 8)] }],
        });
        const { id } = await insertImage(t.database, image);
        if (n < 10) made.push({ id, ms: date ? Date.parse(`${date}Z`) : null });
      }
      const expected = made
        .sort((a, b) => (a.ms === null ? 1 : 0) - (b.ms === null ? 1 : 0) || (b.ms ?? 0) - (a.ms ?? 0) || b.id - a.id)
        .map((r) => r.id);
      expect(made.filter((r) => r.ms === null)).toHaveLength(2);
      const filters: ImageFilters = { header: [{ key: 'UNDKEY', op: '=', value: '7' }] };
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await queryImages(t.database, filters, { limit: 3, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((i) => i.id));
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(expected);
      for (const offset of [0, 5, 8, 9, 10])
        expect((await queryImages(t.database, filters, { limit: 4, offset })).items.map((i) => i.id)).toEqual(
          expected.slice(offset, offset + 4),
        );
      // A page whose dated part is short reads the rest from the undated frames: where the engine
      // lists a keyword's frames (PostgreSQL), the one list serves the plan, the total and both parts.
      const queries = await executedQueriesOf(t.database, async (db) => {
        const page = await queryImages(db, filters, { limit: 9 });
        expect(page).toMatchObject({ total: 10, total_exact: true });
        expect(page.items.map((i) => i.id)).toEqual(expected.slice(0, 9));
      });
      const keywordReads = queries.filter((q) => q.includes('image_keywords')).length;
      if (t.database.dialect.joinedIds) expect(keywordReads).toBe(1);
      else expect(keywordReads).toBeGreaterThan(1);
    });

    it('pages a keyword that many frames carry newest first, whatever order the frames were catalogued in', async () => {
      // More frames than the threshold (5 % of the catalog) carry each value, so a page walks the
      // dates probing frames ('probe'), and its first page starts from the keyword's highest ids.
      const card = (key: string, value: number) => ({ key, value, comment: '' });
      const orders: Record<string, (n: number) => number | null> = {
        // Catalogued in time order, with ties on a date and some frames undated.
        ORDERKEY: (n) => (n % 10 === 7 ? null : Math.floor(n / 2)),
        // Shuffled: dates a permutation of the ids.
        SHUFKEY: (n) => (n % 10 === 7 ? null : Math.floor(((n * 37) % 150) / 2)),
        // Backwards: the newest frames have the lowest ids.
        BACKKEY: (n) => 150 - n,
        // The highest ids undated: the candidates hold too few dated frames.
        LATEKEY: (n) => (n >= 80 ? null : n),
      };
      for (const [key, minuteOf] of Object.entries(orders)) {
        const made: { id: number; ms: number | null }[] = [];
        for (let n = 0; n < 150; n++) {
          const minute = minuteOf(n);
          const ms = minute === null ? null : Date.UTC(2024, 6, 1, 20) + minute * 60_000;
          const cards = [card(key, n % 13 === 5 ? 2 : 1)];
          const image = makeImage({
            ...(ms === null ? {} : { metadata: observedAt(new Date(ms).toISOString().slice(0, 19)) }),
            // Some frames carry the keyword in a second HDU too.
            headers: [
              { index: 0, type: 'IMAGE', cards },
              ...(n % 9 === 4 ? [{ index: 1, type: 'IMAGE' as const, cards }] : []),
            ],
          });
          const { id } = await insertImage(t.database, image);
          if (n % 13 !== 5) made.push({ id, ms });
        }
        const expected = made
          .sort((a, b) => (a.ms === null ? 1 : 0) - (b.ms === null ? 1 : 0) || (b.ms ?? 0) - (a.ms ?? 0) || b.id - a.id)
          .map((r) => r.id);
        const filters: ImageFilters = { header: [{ key, op: '=', value: '1' }] };
        for (const limit of [1, 20, 60, 200])
          expect(
            (await queryImages(t.database, filters, { limit })).items.map((i) => i.id),
            `${key} ${limit}`,
          ).toEqual(expected.slice(0, limit));
        const seen: number[] = [];
        let cursor: string | undefined;
        do {
          const page = await queryImages(t.database, filters, { limit: 25, ...(cursor ? { cursor } : {}) });
          seen.push(...page.items.map((i) => i.id));
          cursor = page.next_cursor ?? undefined;
        } while (cursor);
        expect(seen, key).toEqual(expected);
      }
    });

    it('knows the exact total of a name in one column, and "more than" when one column alone passes the bound', async () => {
      const zwo = all.filter((r) => has(r.camera, 'zwo') || has(r.instrument, 'zwo')).length;
      expect(await queryImages(t.database, { camera: 'zwo' }, { limit: 1, totalBound: 10 })).toMatchObject({
        total: zwo,
        total_exact: true,
      });
      expect(await queryImages(t.database, { camera: 'qhy' }, { limit: 1, totalBound: 10 })).toMatchObject({
        total: 10,
        total_exact: false,
      });
      const qhy = all.filter((r) => has(r.camera, 'qhy') || has(r.instrument, 'qhy')).length;
      expect(await queryImages(t.database, { camera: 'qhy' }, { limit: 1, totalBound: 5000 })).toMatchObject({
        total: qhy,
        total_exact: true,
      });
    });
  });
}
