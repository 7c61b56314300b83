/**
 * Three indexes of `images` that `images_date_filters_idx` (migration 1620: the date order, then
 * quality_score, ccd_temp, time_of_day_min, rotator_angle_deg) makes redundant. Every image insert
 * writes each index of `images` (about 5 µs each on SQLite), and a catalog-only ingest is bound by
 * that write (docs/performance.md, "Catalog writes", sixth session).
 *
 * - The plain date index with the same order as the date-filters index, its prefix: on PostgreSQL
 *   `images_date_obs_desc_idx` (date desc nulls last, id desc); where an index cannot say where
 *   NULLs go (SQLite, MariaDB) `images_date_obs_ms_id_idx` (date, id). PostgreSQL keeps its
 *   ascending (date, id) index: `sort=date_obs` wants NULLs last, which a backward scan of the
 *   descending index does not give.
 * - `images_time_of_day_idx`: the bounded count of a time-of-night filter walks the date-filters
 *   index instead (it holds time_of_day_min); the page already did.
 * - `images_rotator_angle_deg_idx`: no search seeks by rotator angle (calibration matching seeks
 *   by type and exposure and tests the angle on the rows it found).
 *
 * Checked by planning every SELECT on `images` that bench/catalog-http.bench.mjs issues, with and
 * without each index, at a million frames on SQLite and PostgreSQL, and timing the searches whose
 * plans changed (docs/performance.md). `if exists`: a catalog may have lost them by hand.
 */
import { sql } from 'kysely';
import type { AimsMigration } from './migration.js';

const DROPPED = ['images_time_of_day_idx', 'images_rotator_angle_deg_idx'] as const;

/** The date index that is a prefix of images_date_filters_idx on this engine. */
const datePrefixIndex = (nullsOrder: boolean) =>
  nullsOrder ? 'images_date_obs_desc_idx' : 'images_date_obs_ms_id_idx';

const migration: AimsMigration = {
  async up(db, d) {
    for (const name of [...DROPPED, datePrefixIndex(d.supportsNullsOrderInIndex)])
      await db.schema.dropIndex(name).ifExists().$call(d.dropIndexOn('images')).execute();
  },
  async down(db, d) {
    await db.schema.createIndex('images_time_of_day_idx').on('images').column('time_of_day_min').execute();
    await db.schema.createIndex('images_rotator_angle_deg_idx').on('images').column('rotator_angle_deg').execute();
    if (d.supportsNullsOrderInIndex)
      await db.schema
        .createIndex('images_date_obs_desc_idx')
        .on('images')
        .expression(sql`date_obs_ms desc nulls last, id desc`)
        .execute();
    else await db.schema.createIndex('images_date_obs_ms_id_idx').on('images').columns(['date_obs_ms', 'id']).execute();
  },
};
export default migration;
