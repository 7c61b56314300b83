/**
 * Fixity: the FITS checksums verified at ingest (`checksum_status`, `checksum_hdus`), the last check
 * of each file against its SHA-256 (`verified_at`, `fixity_status`, `fixity_reason`, on `images`
 * for the primary path and on `image_paths` for copies), and `fixity_runs`, one row per run.
 * Frames already catalogued were hashed when they were ingested: that counts as their first check,
 * so the background check starts with the oldest.
 */
import { sql } from 'kysely';
import type { AimsMigration } from './migration.js';

const migration: AimsMigration = {
  async up(db, d) {
    await db.schema.alterTable('images').addColumn('checksum_status', d.types.key).execute();
    await db.schema.alterTable('images').addColumn('checksum_hdus', d.types.json).execute();
    await db.schema.alterTable('images').addColumn('verified_at', d.types.bigint).execute();
    await db.schema.alterTable('images').addColumn('fixity_status', d.types.key).execute();
    await db.schema.alterTable('images').addColumn('fixity_reason', d.types.text).execute();
    await db
      .updateTable('images')
      .set({ verified_at: sql.ref('ingested_at'), fixity_status: 'ok' })
      .execute();
    await db.schema.createIndex('images_checksum_status_idx').on('images').column('checksum_status').execute();
    await db.schema.createIndex('images_fixity_status_idx').on('images').column('fixity_status').execute();
    await db.schema.createIndex('images_verified_at_idx').on('images').columns(['verified_at', 'id']).execute();

    await db.schema.alterTable('image_paths').addColumn('verified_at', d.types.bigint).execute();
    await db.schema.alterTable('image_paths').addColumn('fixity_status', d.types.key).execute();
    await db.schema.alterTable('image_paths').addColumn('fixity_reason', d.types.text).execute();
    await db
      .updateTable('image_paths')
      .set({ verified_at: sql.ref('recorded_at'), fixity_status: 'ok' })
      .execute();
    await db.schema.createIndex('image_paths_fixity_status_idx').on('image_paths').column('fixity_status').execute();

    await db.schema
      .createTable('fixity_runs')
      .addColumn('id', d.types.id, d.idColumn)
      .addColumn('source', d.types.text, (c) => c.notNull())
      .addColumn('started_at', d.types.bigint, (c) => c.notNull())
      .addColumn('finished_at', d.types.bigint, (c) => c.notNull())
      .addColumn('files', 'integer', (c) => c.notNull())
      .addColumn('ok', 'integer', (c) => c.notNull())
      .addColumn('changed', 'integer', (c) => c.notNull())
      .addColumn('missing', 'integer', (c) => c.notNull())
      .addColumn('unreadable', 'integer', (c) => c.notNull())
      .addColumn('checksum_bad', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('fixity_runs_finished_at_idx').on('fixity_runs').column('finished_at').execute();
  },
  async down(db, d) {
    await db.schema.dropTable('fixity_runs').ifExists().execute();
    await db.schema.dropIndex('image_paths_fixity_status_idx').$call(d.dropIndexOn('image_paths')).execute();
    for (const column of ['verified_at', 'fixity_status', 'fixity_reason'])
      await db.schema.alterTable('image_paths').dropColumn(column).execute();
    for (const index of ['images_checksum_status_idx', 'images_fixity_status_idx', 'images_verified_at_idx'])
      await db.schema.dropIndex(index).$call(d.dropIndexOn('images')).execute();
    for (const column of ['checksum_status', 'checksum_hdus', 'verified_at', 'fixity_status', 'fixity_reason'])
      await db.schema.alterTable('images').dropColumn(column).execute();
  },
};
export default migration;
