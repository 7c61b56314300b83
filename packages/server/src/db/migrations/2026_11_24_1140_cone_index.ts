/**
 * The cone search reads the declination band and RA range from the index, then tests
 * x·x0 + y·y0 + z·z0 ≥ cos r. With the unit vector in the index too, counting a cone never touches
 * the table (SQLite: covering index; PostgreSQL: index-only scan once the table is vacuumed).
 */
import type { Kysely } from 'kysely';
import type { DialectInfo } from '../dialect.js';
import type { AimsMigration } from './migration.js';

async function up(db: Kysely<unknown>, d: DialectInfo): Promise<void> {
  await db.schema
    .createIndex('images_cone_idx')
    .on('images')
    .columns(['dec_deg', 'ra_deg', 'pos_x', 'pos_y', 'pos_z'])
    .execute();
  await db.schema.dropIndex('images_dec_ra_idx').$call(d.dropIndexOn('images')).execute();
}

const migration: AimsMigration = { up };
export default migration;
