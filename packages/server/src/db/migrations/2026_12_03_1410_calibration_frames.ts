/**
 * Calibration matching (catalog/calibration.ts): `master_frame` and `combined_frames`
 * (domain/image-fields.ts), filled for frames already catalogued from what the catalog kept of
 * their headers (IMAGETYP's words, the NCOMBINE/STACKCNT keyword rows; HISTORY lines are read on
 * the next re-scan), and an index for darks, whose exposure is the most selective of their rules:
 * the type, a narrow exposure range, then the time window.
 */
import { sql } from 'kysely';
import type { AimsMigration } from './migration.js';

const migration: AimsMigration = {
  async up(db, d) {
    await db.schema.alterTable('images').addColumn('combined_frames', 'integer').execute();
    await db.schema
      .alterTable('images')
      .addColumn('master_frame', d.types.bool, (c) => c.notNull().defaultTo(d.toDbBool(false)))
      .execute();
    const counted = sql`image_keywords k where k.key in ('NCOMBINE', 'STACKCNT', 'NFRAMES', 'NUMFRAMES')
                          and k.num_value >= 1 and k.num_value <= 1000000`;
    await sql`update images
                 set combined_frames = (select max(k.num_value) from ${counted} and k.image_id = images.id)
               where id in (select k.image_id from ${counted})`.execute(db);
    await sql`update images set master_frame = ${d.toDbBool(true)}
              where combined_frames > 1 or lower(image_type_raw) like '%master%'`.execute(db);
    await db.schema
      .createIndex('images_type_exptime_date_idx')
      .on('images')
      .columns(['image_type', 'exptime', 'date_obs_ms'])
      .execute();
  },
  async down(db, d) {
    await db.schema.dropIndex('images_type_exptime_date_idx').$call(d.dropIndexOn('images')).execute();
    await db.schema.alterTable('images').dropColumn('master_frame').execute();
    await db.schema.alterTable('images').dropColumn('combined_frames').execute();
  },
};
export default migration;
