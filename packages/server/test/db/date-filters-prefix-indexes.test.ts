import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { queryImages } from '../../src/db/image-query.js';
import { insertImage } from '../../src/db/images.repository.js';
import migration from '../../src/db/migrations/2026_12_04_2345_drop_date_filters_prefix_indexes.js';
import { DIALECTS, withTestDatabase } from '../support/databases.js';
import { explainQueriesOf } from '../support/explain.js';
import { makeImage, observedAt } from '../support/images.js';

async function indexesOfImages(database: Database): Promise<string[]> {
  const query =
    database.dialect.name === 'sqlite'
      ? sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'images'`
      : database.dialect.name === 'postgres'
        ? sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'images'`
        : sql<{ name: string }>`select distinct index_name as name from information_schema.statistics
            where table_schema = database() and table_name = 'images'`;
  return (await query.execute(database.db)).rows.map((r) => r.name).sort();
}

// Migration 2345: indexes that images_date_filters_idx (date order first) makes redundant.
describe.each(DIALECTS)('indexes covered by the date-filters index (%s)', (dialect) => {
  it('are gone, the date-filters index and the ascending date index where it is needed stay', async () => {
    await withTestDatabase(dialect, async (database) => {
      const names = await indexesOfImages(database);
      expect(names).toContain('images_date_filters_idx');
      expect(names).not.toContain('images_time_of_day_idx');
      expect(names).not.toContain('images_rotator_angle_deg_idx');
      // PostgreSQL's date-filters index is descending with NULLs last: its plain descending twin
      // goes, the ascending one stays for sort=date_obs (NULLs last too). Elsewhere the
      // date-filters index is ascending and (date, id) is its prefix.
      if (dialect === 'postgres') {
        expect(names).not.toContain('images_date_obs_desc_idx');
        expect(names).toContain('images_date_obs_ms_id_idx');
      } else expect(names).not.toContain('images_date_obs_ms_id_idx');
      // Idempotent: a catalog that lost them already (by hand, or a second run) migrates.
      await migration.up(database.db, database.dialect);
      expect(await indexesOfImages(database)).toEqual(names);
    });
  });
});

// The plan on SQLite, whose choice does not hang on a small table's statistics as PostgreSQL's does.
describe('searches of the dropped indexes (sqlite)', () => {
  it('read the date-filters index: a page newest first, and a time-of-night count', async () => {
    await withTestDatabase('sqlite', async (database) => {
      await insertImage(database, makeImage({ metadata: { ...observedAt('2025-01-02T23:04:05') } }));
      const page = await explainQueriesOf(database, (db) =>
        queryImages(db, {}, { sort: { column: 'date_obs', direction: 'desc' }, limit: 50, withTotal: false }),
      );
      const dated = page.find((q) => /order by "date_obs_ms" desc/i.test(q.sql));
      expect(dated?.plan).toContain('images_date_filters_idx');
      expect(dated?.plan).not.toMatch(/TEMP B-TREE/);
      const night = await explainQueriesOf(database, (db) =>
        queryImages(db, { start_time: '22:00', end_time: '04:00' }, { limit: 50, withTotal: true }),
      );
      const count = night.find((q) => /count\(\*\)/i.test(q.sql) && /time_of_day_min/.test(q.sql));
      expect(count?.plan).toContain('images_date_filters_idx');
    });
  });
});
