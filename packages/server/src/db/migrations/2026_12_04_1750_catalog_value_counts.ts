/**
 * Frames per value bucket of the numeric sort columns (catalog-summary.ts BUCKETED_COLUMNS), kept
 * in the frames' own transaction: a deep page in one of their orders (`sort=fwhm_arcsec&offset=
 * 1000000`) finds the bucket its offset falls in and reads from there, where it read the column's
 * index up to the offset (130 ms at ten million frames). Created if missing and filled only when
 * empty: the kept bench catalogs may already hold it, built by hand from the same grouping.
 */
import { type Kysely, sql } from 'kysely';
import { rebuildValueCounts } from '../catalog-summary.js';
import type { Schema } from '../schema.js';
import type { AimsMigration } from './migration.js';

const migration: AimsMigration = {
  async up(db, d) {
    await db.schema
      .createTable('catalog_value_counts')
      .ifNotExists()
      .addColumn('field', d.types.key, (c) => c.notNull())
      .addColumn('bucket', d.types.bigint, (c) => c.notNull())
      .addColumn('frames', d.types.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('catalog_value_counts_pkey', ['field', 'bucket'])
      .execute();
    const { rows } = await sql<{ n: number }>`select count(*) as n from catalog_value_counts`.execute(db);
    if (Number(rows[0]?.n ?? 0) === 0) await rebuildValueCounts({ db: db as Kysely<Schema>, dialect: d });
  },
};
export default migration;
