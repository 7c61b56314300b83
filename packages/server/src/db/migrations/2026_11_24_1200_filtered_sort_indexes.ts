/**
 * The commonest page is "frames of this telescope (filter, camera), newest first". With only
 * lower(telescope) indexed, SQLite fetched every matching row and sorted them all (a quarter of a
 * million-frame catalog for one telescope; timing in docs/performance.md). With the sort columns in
 * the same index the page is read in order and stops after `limit` rows.
 */
import { sql } from 'kysely';
import type { AimsMigration } from './migration.js';

const COLUMNS = ['telescope', 'filter_name', 'camera', 'instrument'] as const;

const migration: AimsMigration = {
  async up(db, d) {
    for (const column of COLUMNS) {
      const order = d.supportsNullsOrderInIndex ? sql`date_obs_ms desc nulls last, id desc` : sql`date_obs_ms, id`;
      await db.schema
        .createIndex(`images_${column}_lower_date_idx`)
        .on('images')
        .expression(sql`${d.foldedIndexKey(column)}, ${order}`)
        .execute();
    }
  },
};
export default migration;
