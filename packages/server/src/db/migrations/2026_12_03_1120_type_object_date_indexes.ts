/**
 * `image_type=flat` or `object=M 31` newest first: with only (image_type) or (object_key) indexed,
 * the engine fetched every flat (a few percent of the catalog, tens of thousands of frames at a
 * million) and sorted them for a page of 200. With the date order in the same index the page is
 * read in order and stops at its limit, as the telescope and filter indexes already do. The
 * single-column indexes are prefixes of the new ones and go.
 */
import { sql } from 'kysely';
import type { AimsMigration } from './migration.js';

const COLUMNS = { image_type: 'images_image_type_idx', object_key: 'images_object_key_idx' } as const;

const migration: AimsMigration = {
  async up(db, d) {
    const order = d.supportsNullsOrderInIndex ? sql`date_obs_ms desc nulls last, id desc` : sql`date_obs_ms, id`;
    for (const [column, old] of Object.entries(COLUMNS)) {
      await db.schema
        .createIndex(`images_${column}_date_idx`)
        .on('images')
        .expression(sql`${sql.ref(column)}, ${order}`)
        .execute();
      await db.schema.dropIndex(old).$call(d.dropIndexOn('images')).execute();
    }
  },
};
export default migration;
