/**
 * A cone's newest matches. The zone index (migration 1600) lists a cone's matches by position, so
 * a page newest first, or the newest 2,001 for facets, sorted every match: 5,500 for a 5° cone at a
 * million frames, 55,000 at ten million (60 ms on PostgreSQL). This index keeps the frames of each
 * sky cell (sky-cone.ts: cubes of 1/16 over the unit vector) in date order, with the unit vector
 * for the exact test, and the cone's cells are merged newest first (cone-newest.ts). MariaDB has
 * no expression indexes: it keeps the band search. Created if missing: the bench catalogs hold it
 * from a trial under this name.
 */
import { sql } from 'kysely';
import type { AimsMigration } from './migration.js';

const migration: AimsMigration = {
  async up(db, d) {
    if (d.name === 'mysql') return;
    const order = d.supportsNullsOrderInIndex ? sql`date_obs_ms desc nulls last, id desc` : sql`date_obs_ms, id`;
    await db.schema
      .createIndex('images_cone_cell_date_idx')
      .ifNotExists()
      .on('images')
      // sky-cone.ts SKY_CELL_SQL (an engine uses an expression index only for the same expression),
      // in parentheses as PostgreSQL wants an expression that is not a function call.
      .expression(
        sql`((floor(pos_x * 16) * 33 + floor(pos_y * 16)) * 33 + floor(pos_z * 16)), ${order}, pos_x, pos_y, pos_z`,
      )
      .execute();
  },
};
export default migration;
