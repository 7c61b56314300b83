/**
 * Summary tables read instead of scanning a million frames: per facet value (catalog_counts) and
 * per night (catalog_nights), kept by the write path in the frames' own transaction
 * (catalog-summary.ts). The (night, fwhm) indexes let a night's median be found again after each
 * write by reading half a night's index entries instead of sorting the night.
 */
import type { Kysely } from 'kysely';
import { rebuildCatalogSummary } from '../catalog-summary.js';
import type { Schema } from '../schema.js';
import type { AimsMigration } from './migration.js';

const migration: AimsMigration = {
  async up(db, d) {
    await db.schema
      .createTable('catalog_counts')
      .addColumn('field', d.types.key, (c) => c.notNull())
      .addColumn('key', d.types.key, (c) => c.notNull())
      .addColumn('value', d.types.text, (c) => c.notNull())
      .addColumn('frames', d.types.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('catalog_counts_pkey', ['field', 'key'])
      .execute();
    await db.schema
      .createTable('catalog_nights')
      .addColumn('night', d.types.key, (c) => c.primaryKey())
      .addColumn('frames', d.types.bigint, (c) => c.notNull())
      .addColumn('exposure_s', d.types.double, (c) => c.notNull())
      .addColumn('exposure_n', d.types.bigint, (c) => c.notNull())
      .addColumn('quality_sum', d.types.double, (c) => c.notNull())
      .addColumn('quality_n', d.types.bigint, (c) => c.notNull())
      .addColumn('flagged', d.types.bigint, (c) => c.notNull())
      .addColumn('first_ms', d.types.bigint)
      .addColumn('last_ms', d.types.bigint)
      .addColumn('min_ccd_temp', d.types.double)
      .addColumn('max_ccd_temp', d.types.double)
      .addColumn('median_fwhm_arcsec', d.types.double)
      .addColumn('median_fwhm_px', d.types.double)
      .execute();
    for (const column of ['fwhm_arcsec', 'fwhm_px'])
      await db.schema.createIndex(`images_night_${column}_idx`).on('images').columns(['night', column]).execute();
    // The tables as they are at this migration; rebuildCatalogSummary reads and writes only those.
    await rebuildCatalogSummary({ db: db as Kysely<Schema>, dialect: d });
  },
};
export default migration;
