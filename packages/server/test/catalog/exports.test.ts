import { beforeAll, describe, expect, it } from 'vitest';
import { exportImages } from '../../src/catalog/exports.js';
import { imageDetail, searchImages } from '../../src/catalog/images.service.js';
import { DEFAULT_SORT, ImageQueryError } from '../../src/db/image-filters.js';
import { queryImages } from '../../src/db/image-query.js';
import { insertImage } from '../../src/db/images.repository.js';
import { CSV_EXPORT_FIELDS } from '../../src/domain/image-fields.js';
import { csvRow } from '../../src/util/csv.js';
import { DIALECTS, useSharedTestDatabase } from '../support/databases.js';
import { makeImage, observedAt } from '../support/images.js';

async function collect(lines: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const line of lines) text += line;
  return text;
}

for (const dialect of DIALECTS) {
  describe(`searches and exports (${dialect})`, () => {
    const t = useSharedTestDatabase(dialect);
    const ids: number[] = [];
    const sort = { column: 'date_obs' as const, direction: 'asc' as const };

    beforeAll(async () => {
      for (const [i, object] of ['M 13', '=HYPERLINK("x")', 'M 92'].entries()) {
        const image = makeImage({ metadata: { object_name: object, ...observedAt(`2025-01-0${i + 1}T20:00:00`) } });
        ids.push((await insertImage(t.database, image)).id);
      }
    });

    it('a page keeps only the fields asked for', async () => {
      const page = await searchImages(t.database, {
        filters: {},
        sort,
        fields: ['id', 'object_name'],
        limit: 2,
        offset: 0,
      });
      expect(page.total).toBe(3);
      expect(page.items).toEqual([
        { id: ids[0], object_name: 'M 13' },
        { id: ids[1], object_name: '=HYPERLINK("x")' },
      ]);
      expect(page.next_cursor).not.toBeNull();
    });

    it('CSV: the contract fields by default, formulas defused', async () => {
      const file = await exportImages(
        t.database,
        { filters: {}, sort, fields: null },
        'csv',
        new Date('2025-02-03T04:05:06Z'),
      );
      expect(file.fileName).toBe('aims-images-20250203-040506.csv');
      expect(file.mediaType).toBe('text/csv; charset=utf-8');
      const rows = (await collect(file.lines)).trimEnd().split('\r\n');
      expect(rows[0]).toBe(CSV_EXPORT_FIELDS.join(','));
      expect(rows).toHaveLength(4);
      expect(rows[2]).toContain(`"'=HYPERLINK(""x"")"`);
    });

    it('JSON: every match with the fields asked for', async () => {
      const file = await exportImages(t.database, { filters: { object: 'M13' }, sort, fields: ['id'] }, 'json');
      expect(file.mediaType).toBe('application/json; charset=utf-8');
      expect(JSON.parse(await collect(file.lines))).toEqual([{ id: ids[0] }]);
    });

    it('reading only the exported columns gives the values of a full read', async () => {
      const full = (await queryImages(t.database, {}, { sort, limit: 10 })).items;
      expect(full).toHaveLength(3);
      const csv = await collect((await exportImages(t.database, { filters: {}, sort, fields: null }, 'csv')).lines);
      expect(csv).toBe(
        [CSV_EXPORT_FIELDS, ...full.map((image) => CSV_EXPORT_FIELDS.map((f) => image[f]))].map(csvRow).join(''),
      );
      const json = await exportImages(t.database, { filters: {}, sort, fields: null }, 'json');
      expect(JSON.parse(await collect(json.lines))).toEqual(JSON.parse(JSON.stringify(full)));
      const some = await exportImages(t.database, { filters: {}, sort, fields: ['object_name', 'id'] }, 'json');
      const items = JSON.parse(await collect(some.lines)) as Array<Record<string, unknown>>;
      expect(items.map((i) => Object.keys(i))).toEqual([
        ['object_name', 'id'],
        ['object_name', 'id'],
        ['object_name', 'id'],
      ]);
      expect(items.map((i) => i.id)).toEqual(ids);
    });

    it('a filter the catalog refuses fails before the file starts', async () => {
      // A cone needs all three of ra, dec and radius.
      await expect(
        exportImages(t.database, { filters: { ra: 10 }, sort: DEFAULT_SORT, fields: null }, 'csv'),
      ).rejects.toBeInstanceOf(ImageQueryError);
    });

    it('one image in full, or CATALOG_NOT_FOUND', async () => {
      expect((await imageDetail(t.database, ids[2]!)).object_name).toBe('M 92');
      await expect(imageDetail(t.database, 999_999)).rejects.toMatchObject({ code: 'CATALOG_NOT_FOUND' });
    });
  });
}
