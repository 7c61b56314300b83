/** `rotator_angle_deg` (domain/image-fields.ts), indexed for its range filter and its sort. */
import type { AimsMigration } from './migration.js';

const migration: AimsMigration = {
  async up(db, d) {
    await db.schema.alterTable('images').addColumn('rotator_angle_deg', d.types.double).execute();
    await db.schema.createIndex('images_rotator_angle_deg_idx').on('images').column('rotator_angle_deg').execute();
  },
  async down(db, d) {
    await db.schema.dropIndex('images_rotator_angle_deg_idx').$call(d.dropIndexOn('images')).execute();
    await db.schema.alterTable('images').dropColumn('rotator_angle_deg').execute();
  },
};
export default migration;
