/**
 * The four `lower(column)` indexes of the first catalog (filter, telescope, camera, instrument)
 * are prefixes of the `(lower(column), date, id)` indexes added for filtered sorts: every search
 * that used one (equality, `in`, an OR of two names, a count, a grouping) is served by the longer
 * one, which SQLite's and PostgreSQL's planners then chose (EXPLAIN at a million frames,
 * docs/performance.md "Catalog writes"). Each index is written by every image insert (about 5 µs
 * each); the images table had 39.
 */
import type { AimsMigration } from './migration.js';

const COLUMNS = ['filter_name', 'telescope', 'camera', 'instrument'] as const;

const migration: AimsMigration = {
  async up(db, d) {
    for (const column of COLUMNS)
      await db.schema.dropIndex(`images_${column}_lower_idx`).$call(d.dropIndexOn('images')).execute();
  },
  async down(db, d) {
    for (const column of COLUMNS)
      await db.schema
        .createIndex(`images_${column}_lower_idx`)
        .on('images')
        .expression(d.foldedIndexKey(column))
        .execute();
  },
};
export default migration;
