/**
 * Cone searches by declination zone. The cone index (dec_deg, ra_deg, …) can seek only the
 * declination band: a 5° cone read every frame of a 10° band around the whole sky (a tenth of the
 * catalog), and a cone across RA 0 made SQLite take the RA index and read table rows instead. With
 * the whole degree of declination first, each zone of the cone is one RA range seek (two across
 * RA 0), and the unit vector and the date in the same index let a page and its count be found
 * without reading other rows. MariaDB has no expression indexes: it keeps the band search.
 */
import { sql } from 'kysely';
import type { AimsMigration } from './migration.js';

const migration: AimsMigration = {
  async up(db, d) {
    if (d.name === 'mysql') return;
    await db.schema
      .createIndex('images_cone_zone_idx')
      .on('images')
      .expression(sql`floor(dec_deg), ra_deg, pos_x, pos_y, pos_z, dec_deg, date_obs_ms, id`)
      .execute();
  },
};
export default migration;
