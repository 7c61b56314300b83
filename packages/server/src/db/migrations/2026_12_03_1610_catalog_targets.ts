/**
 * The targets list from summary rows (catalog-summary.ts): per target and filter, and per target
 * and night, kept in the frames' own transaction. Grouping every light frame of a million-frame
 * catalog took seconds for the first request of the targets page.
 */
import type { Kysely } from 'kysely';
import { rebuildTargetSummary } from '../catalog-summary.js';
import type { Schema } from '../schema.js';
import type { AimsMigration } from './migration.js';

const migration: AimsMigration = {
  async up(db, d) {
    await db.schema
      .createTable('catalog_targets')
      .addColumn('object_key', d.types.key, (c) => c.notNull())
      .addColumn('filter_key', d.types.key, (c) => c.notNull())
      .addColumn('object_name', d.types.text)
      .addColumn('filter_name', d.types.text)
      .addColumn('frames', d.types.bigint, (c) => c.notNull())
      .addColumn('good_frames', d.types.bigint, (c) => c.notNull())
      .addColumn('exposure_s', d.types.double, (c) => c.notNull())
      .addColumn('good_exposure_s', d.types.double, (c) => c.notNull())
      .addColumn('pos_n', d.types.bigint, (c) => c.notNull())
      .addColumn('pos_x', d.types.double, (c) => c.notNull())
      .addColumn('pos_y', d.types.double, (c) => c.notNull())
      .addColumn('pos_z', d.types.double, (c) => c.notNull())
      .addPrimaryKeyConstraint('catalog_targets_pkey', ['object_key', 'filter_key'])
      .execute();
    await db.schema
      .createTable('catalog_target_nights')
      .addColumn('object_key', d.types.key, (c) => c.notNull())
      .addColumn('night', d.types.key, (c) => c.notNull())
      .addColumn('frames', d.types.bigint, (c) => c.notNull())
      .addColumn('first_ms', d.types.bigint)
      .addColumn('last_ms', d.types.bigint)
      .addPrimaryKeyConstraint('catalog_target_nights_pkey', ['object_key', 'night'])
      .execute();
    await rebuildTargetSummary({ db: db as Kysely<Schema>, dialect: d });
  },
};
export default migration;
