import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import type { HeaderFilter } from '../../src/db/image-filters.js';
import { queryImages } from '../../src/db/image-query.js';
import { insertImage } from '../../src/db/images.repository.js';
import migration from '../../src/db/migrations/2026_12_04_2350_partial_keyword_value_indexes.js';
import type { StoredHdu } from '../../src/domain/image.js';
import { DIALECTS, withTestDatabase } from '../support/databases.js';
import { explainQueriesOf } from '../support/explain.js';
import { makeImage, observedAt } from '../support/images.js';

/** The definition of each index of image_keywords, by name, lower case and without quotes. */
async function keywordIndexes(database: Database): Promise<Record<string, string>> {
  const query =
    database.dialect.name === 'sqlite'
      ? sql<{ name: string; def: string }>`select name, sql as def from sqlite_master
          where type = 'index' and tbl_name = 'image_keywords' and sql is not null`
      : database.dialect.name === 'postgres'
        ? sql<{ name: string; def: string }>`select indexname as name, indexdef as def from pg_indexes
            where tablename = 'image_keywords'`
        : sql<{ name: string; def: string }>`select index_name as name,
            group_concat(column_name order by seq_in_index) as def from information_schema.statistics
            where table_schema = database() and table_name = 'image_keywords' group by index_name`;
  const rows = (await query.execute(database.db)).rows;
  return Object.fromEntries(rows.map((r) => [r.name, String(r.def).toLowerCase().replace(/["`]/g, '')]));
}

const VALUE_INDEXES = { num_value: 'image_keywords_key_num_idx', str_value: 'image_keywords_key_str_idx' } as const;

// Migration 2350: a keyword row has a number or a text, so each value index holds only its own.
describe.each(DIALECTS)('the value indexes of image_keywords (%s)', (dialect) => {
  it('hold only the rows with such a value where the engine has partial indexes', async () => {
    await withTestDatabase(dialect, async (database) => {
      const before = await keywordIndexes(database);
      for (const [column, name] of Object.entries(VALUE_INDEXES)) {
        expect(before[name]).toContain(column);
        // MySQL/MariaDB have no partial indexes: there the index stays whole.
        if (database.dialect.supportsPartialIndex)
          expect(before[name]).toMatch(new RegExp(`where \\(?${column} is not null`));
        else expect(before[name]).not.toContain('where');
      }
      expect(Object.keys(before)).toContain('image_keywords_image_key_idx');
      // Run again (a second run, or a catalog migrated by hand): the same indexes.
      await migration.up(database.db, database.dialect);
      expect(await keywordIndexes(database)).toEqual(before);
    });
  });
});

const headers: StoredHdu[] = [
  {
    index: 0,
    type: 'IMAGE',
    cards: [
      { key: 'FOCPOS', value: 12345, comment: '' },
      { key: 'FILTER', value: 'Ha', comment: '' },
      { key: 'SIMPLE', value: true, comment: '' },
    ],
  },
];

// Every form of a `header.KEY` filter reads the keyword rows through the value index of its column
// (the lone filter counts its frames there, and a keyword that matches few lists them), which the
// test above shows is partial: the filter's comparison implies `IS NOT NULL` to the planner.
// PostgreSQL plans a test-sized table by sequential scan; told not to, it shows which index it can use.
describe.each(DIALECTS.filter((d) => d !== 'mysql'))('header filters on the partial indexes (%s)', (dialect) => {
  it.each<[string, HeaderFilter, string[]]>([
    ['a number range', { key: 'FOCPOS', op: '>=', value: '12000' }, [VALUE_INDEXES.num_value]],
    ['a number at most', { key: 'FOCPOS', op: '<=', value: '12400' }, [VALUE_INDEXES.num_value]],
    ['a number (as a number or a text)', { key: 'FOCPOS', op: '=', value: '12345' }, Object.values(VALUE_INDEXES)],
    ['a text', { key: 'FILTER', op: '=', value: 'ha' }, [VALUE_INDEXES.str_value]],
    ['a logical', { key: 'SIMPLE', op: '=', value: 'T' }, [VALUE_INDEXES.str_value]],
  ])('%s', async (_label, filter, indexes) => {
    await withTestDatabase(dialect, async (database) => {
      for (let i = 0; i < 3; i++)
        await insertImage(database, makeImage({ headers, metadata: observedAt(`2025-01-0${i + 1}T23:04:05`) }));
      const explain = (db: Database['db']) =>
        explainQueriesOf({ ...database, db }, (d) =>
          queryImages(d, { header: [filter] }, { limit: 50, withTotal: true }),
        );
      const queries =
        dialect === 'postgres'
          ? await database.db.transaction().execute(async (trx) => {
              await sql`set local enable_seqscan = off`.execute(trx);
              return explain(trx);
            })
          : await explain(database.db);
      const keywordPlans = queries.filter(
        (q) => /from "image_keywords"/.test(q.sql) && !/"image_keywords"\."image_id" = "images"\."id"/.test(q.sql),
      );
      expect(keywordPlans.length).toBeGreaterThan(0);
      // Each read of the keyword takes a value index; a number's reads take both between them
      // (one query of two parts, or a first page's two parts read one after the other).
      for (const q of keywordPlans)
        expect(
          indexes.some((index) => q.plan.includes(index)),
          q.sql,
        ).toBe(true);
      for (const index of indexes)
        expect(
          keywordPlans.some((q) => q.plan.includes(index)),
          index,
        ).toBe(true);
      const page = await queryImages(database, { header: [filter] }, { limit: 50, withTotal: true });
      expect(page.total).toBe(3);
    });
  });
});

// A keyword most frames carry is found by walking the dates and probing each frame ('probe').
// PostgreSQL would pull the EXISTS up into a semi-join costed from the whole num_value column's
// statistics (at 1M frames: every match hashed and read, 215 ms instead of 15); the page keeps it
// a SubPlan run per walked frame. Counts stay joins: they need every match.
describe.each(DIALECTS.filter((d) => d === 'postgres'))('a probing page (%s)', (dialect) => {
  it('walks the dates and probes each frame, without a join', async () => {
    await withTestDatabase(dialect, async (database) => {
      for (let i = 0; i < 3; i++)
        await insertImage(database, makeImage({ headers, metadata: observedAt(`2025-01-0${i + 1}T23:04:05`) }));
      const filters = { header: [{ key: 'FOCPOS', op: '=', value: '12345' } as HeaderFilter] };
      const queries = await explainQueriesOf(database, (d) => queryImages(d, filters, { limit: 50 }));
      // The page's own queries, not a count's (whose subquery is recorded too).
      const counts = queries.filter((q) => q.sql.startsWith('select count(*)'));
      const pages = queries.filter(
        (q) => q.sql.startsWith('select "id" from "images"') && !counts.some((c) => c.sql.includes(q.sql)),
      );
      expect(pages.length).toBeGreaterThan(0);
      for (const q of pages) {
        expect(q.sql).toMatch(/offset \$\d+\)/);
        expect(q.plan).toContain('SubPlan');
        expect(q.plan).not.toMatch(/Semi Join|Hash Join/);
      }
      const page = await queryImages(database, filters, { limit: 2 });
      expect(page.items.map((i) => i.date_obs)).toEqual(['2025-01-03T23:04:05', '2025-01-02T23:04:05']);
      expect(page.total).toBe(3);
    });
  });
});
