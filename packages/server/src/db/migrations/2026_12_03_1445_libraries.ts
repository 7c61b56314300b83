/**
 * `libraries`: the folders AIMS watches and serves, managed by admins (API and web UI), registered
 * by `aims ingest`, or named by AIMS_IMAGE_DIR/--images (`origin`). Column types that MySQL and
 * MariaDB accept too: bounded varchar for short text, text for paths (never indexed), JSON for the
 * exclusion globs.
 */
import type { AimsMigration } from './migration.js';

const migration: AimsMigration = {
  async up(db, d) {
    await db.schema
      .createTable('libraries')
      .addColumn('id', d.types.id, (c) => d.idColumn(c))
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('origin', 'varchar(16)', (c) => c.notNull())
      .addColumn('exclude', d.types.json)
      .addColumn('rescan_seconds', d.types.bigint)
      .addColumn('use_polling', d.types.bool, (c) => c.notNull())
      .addColumn('paused', d.types.bool, (c) => c.notNull())
      .addColumn('timezone', 'varchar(64)')
      .addColumn('longitude_deg', d.types.double)
      .addColumn('created_at', d.types.bigint, (c) => c.notNull())
      .addColumn('updated_at', d.types.bigint, (c) => c.notNull())
      .execute();
  },
  async down(db) {
    await db.schema.dropTable('libraries').ifExists().execute();
  },
};
export default migration;
