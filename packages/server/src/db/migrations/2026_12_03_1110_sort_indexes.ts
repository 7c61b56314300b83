/**
 * Every sortable column gets an index on (column, id): a page in that order, either direction, is
 * read from the index and stops after `limit` rows (values first, then the NULLs by id; see
 * image-query.ts). PostgreSQL needs the id in the index: its btree keeps equal values in heap
 * order, not in id order, and a column with few values (filter, night) would be sorted per value.
 * The single-column indexes they replace served the same filters. dec_deg needs none: the cone
 * index starts with it (an index of its own drew SQLite's cone searches away from the cone index).
 * lower(observatory) with the date order serves `telescope=…` when the part names an observatory.
 */
import { sql } from 'kysely';
import type { AimsMigration } from './migration.js';

const REPLACED: Record<string, string> = {
  images_night_idx: 'night',
  images_exptime_idx: 'exptime',
  images_ccd_temp_idx: 'ccd_temp',
  images_quality_score_idx: 'quality_score',
  images_fwhm_arcsec_idx: 'fwhm_arcsec',
};

const ADDED = [
  'object_name',
  'filter_name',
  'fwhm_px',
  'airmass',
  'star_count',
  'ra_deg',
  'ingested_at',
  'rel_path',
] as const;

const migration: AimsMigration = {
  async up(db, d) {
    for (const [old, column] of Object.entries(REPLACED)) {
      await db.schema.dropIndex(old).$call(d.dropIndexOn('images')).execute();
      await db.schema.createIndex(`images_${column}_id_idx`).on('images').columns([column, 'id']).execute();
    }
    for (const column of ADDED)
      await db.schema.createIndex(`images_${column}_id_idx`).on('images').columns([column, 'id']).execute();
    const order = d.supportsNullsOrderInIndex ? sql`date_obs_ms desc nulls last, id desc` : sql`date_obs_ms, id`;
    await db.schema
      .createIndex('images_observatory_lower_date_idx')
      .on('images')
      .expression(sql`${d.foldedIndexKey('observatory')}, ${order}`)
      .execute();
  },
};
export default migration;
