/**
 * The catalog: images (typed metadata, quality, file facts, all headers as JSON), their other paths,
 * a keyword table for `header.KEY` filters, and the ingest ledger.
 */
import { type Kysely, sql } from 'kysely';
import type { DialectInfo } from '../dialect.js';
import type { AimsMigration } from './migration.js';

/** Text that an index holds (`types.key`: a varchar on MySQL), then text that none does. */
const KEY_COLUMNS = [
  'night',
  'object_name',
  'object_key',
  'image_type',
  'filter_name',
  'telescope',
  'observatory',
  'instrument',
  'camera',
] as const;
const TEXT_COLUMNS = [
  'date_obs',
  'image_type_raw',
  'position_source',
  'observer',
  'program',
  'software',
  'bayer_pattern',
  'analysis_note',
] as const;

const DOUBLE_COLUMNS = [
  'mjd_obs',
  'jd_obs',
  'exptime',
  'ra_deg',
  'dec_deg',
  'pos_x',
  'pos_y',
  'pos_z',
  'ccd_temp',
  'set_temp',
  'gain',
  'offset',
  'site_lat_deg',
  'site_lon_deg',
  'site_elev_m',
  'focal_length_mm',
  'aperture_mm',
  'pixel_size_um',
  'focuser_position',
  'focuser_temp',
  'airmass',
  'altitude_deg',
  'azimuth_deg',
  'pixel_scale_arcsec',
  'fov_width_deg',
  'fov_height_deg',
  'sun_alt_deg',
  'moon_illumination',
  'moon_separation_deg',
  'moon_alt_deg',
  'background',
  'noise',
  'fwhm_px',
  'fwhm_arcsec',
  'hfr_px',
  'eccentricity',
  'snr_weight',
  'saturated_fraction',
  'level',
  'uniformity',
  'quality_score',
] as const;

const INTEGER_COLUMNS = [
  'time_of_day_min',
  'xbinning',
  'ybinning',
  'naxis',
  'naxis1',
  'naxis2',
  'naxis3',
  'bitpix',
  'star_count',
  'quality_version',
] as const;

/** Plain indexes on what people filter and sort on (name → column list). */
const IMAGE_INDEXES: Record<string, string[]> = {
  images_date_obs_ms_id_idx: ['date_obs_ms', 'id'],
  images_night_idx: ['night'],
  images_time_of_day_idx: ['time_of_day_min'],
  // The cone search prefilters on a declination band, then on an RA range inside it.
  images_dec_ra_idx: ['dec_deg', 'ra_deg'],
  images_object_key_idx: ['object_key'],
  images_image_type_idx: ['image_type'],
  images_ccd_temp_idx: ['ccd_temp'],
  images_quality_score_idx: ['quality_score'],
  images_fwhm_arcsec_idx: ['fwhm_arcsec'],
  images_exptime_idx: ['exptime'],
  images_missing_since_idx: ['missing_since'],
};

/** Case-insensitive filters compare lower(col); these expression indexes serve them. */
const LOWER_INDEXES: Record<string, string> = {
  images_filter_name_lower_idx: 'filter_name',
  images_telescope_lower_idx: 'telescope',
  images_camera_lower_idx: 'camera',
  images_instrument_lower_idx: 'instrument',
};

async function up(db: Kysely<unknown>, d: DialectInfo): Promise<void> {
  let images = db.schema
    .createTable('images')
    .addColumn('id', d.types.id, d.idColumn)
    .addColumn('root', d.types.key, (c) => c.notNull())
    .addColumn('rel_path', d.types.path, (c) => c.notNull())
    .addColumn('size_bytes', d.types.bigint, (c) => c.notNull())
    .addColumn('mtime_ms', d.types.bigint, (c) => c.notNull())
    .addColumn('inode', d.types.bigint)
    .addColumn('sha256', d.types.key, (c) => c.notNull().unique())
    .addColumn('hdu_index', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ingested_at', d.types.bigint, (c) => c.notNull())
    .addColumn('updated_at', d.types.bigint, (c) => c.notNull())
    .addColumn('missing_since', d.types.bigint)
    .addColumn('previous_versions', d.types.json)
    .addColumn('headers', d.types.json)
    .addColumn('normalization', d.types.json)
    .addColumn('date_obs_ms', d.types.bigint)
    .addColumn('airmass_computed', d.types.bool, (c) => c.notNull().defaultTo(d.toDbBool(false)))
    .addColumn('footprint', d.types.json)
    .addColumn('quality_flag', d.types.bool, (c) => c.notNull().defaultTo(d.toDbBool(false)))
    .addColumn('quality_components', d.types.json)
    .addUniqueConstraint('images_root_rel_path_key', ['root', 'rel_path']);
  for (const name of KEY_COLUMNS) images = images.addColumn(name, d.types.key);
  for (const name of TEXT_COLUMNS) images = images.addColumn(name, d.types.text);
  for (const name of DOUBLE_COLUMNS) images = images.addColumn(name, d.types.double);
  for (const name of INTEGER_COLUMNS) images = images.addColumn(name, 'integer');
  await images.execute();

  for (const [name, columns] of Object.entries(IMAGE_INDEXES))
    await db.schema.createIndex(name).on('images').columns(columns).execute();
  for (const [name, column] of Object.entries(LOWER_INDEXES))
    await db.schema.createIndex(name).on('images').expression(d.foldedIndexKey(column)).execute();

  await db.schema
    .createTable('image_paths')
    .addColumn('id', d.types.id, d.idColumn)
    .addColumn('image_id', d.types.bigint, (c) => c.notNull().references('images.id').onDelete('cascade'))
    .addColumn('root', d.types.key, (c) => c.notNull())
    .addColumn('rel_path', d.types.path, (c) => c.notNull())
    .addColumn('kind', d.types.key, (c) => c.notNull())
    .addColumn('recorded_at', d.types.bigint, (c) => c.notNull())
    .addColumn('missing_since', d.types.bigint)
    .addUniqueConstraint('image_paths_path_kind_key', ['root', 'rel_path', 'image_id', 'kind'])
    .execute();
  await db.schema.createIndex('image_paths_image_id_idx').on('image_paths').column('image_id').execute();
  await db.schema.createIndex('image_paths_path_idx').on('image_paths').columns(['root', 'rel_path']).execute();

  await db.schema
    .createTable('image_keywords')
    .addColumn('image_id', d.types.bigint, (c) => c.notNull().references('images.id').onDelete('cascade'))
    .addColumn('hdu_index', 'integer', (c) => c.notNull())
    .addColumn('key', d.types.key, (c) => c.notNull())
    .addColumn('num_value', d.types.double)
    .addColumn('str_value', d.types.text)
    .execute();
  await db.schema.createIndex('image_keywords_num_idx').on('image_keywords').columns(['key', 'num_value']).execute();
  await db.schema
    .createIndex('image_keywords_str_idx')
    .on('image_keywords')
    .expression(sql`${sql.ref('key')}, ${d.indexPrefix('str_value', 255)}`)
    .execute();
  await db.schema.createIndex('image_keywords_image_id_idx').on('image_keywords').column('image_id').execute();

  await db.schema
    .createTable('ingest_ledger')
    .addColumn('id', d.types.id, d.idColumn)
    .addColumn('root', d.types.key, (c) => c.notNull())
    .addColumn('rel_path', d.types.path, (c) => c.notNull())
    .addColumn('size_bytes', d.types.bigint, (c) => c.notNull())
    .addColumn('mtime_ms', d.types.bigint, (c) => c.notNull())
    .addColumn('inode', d.types.bigint)
    .addColumn('state', d.types.key, (c) => c.notNull())
    .addColumn('reason', d.types.text)
    .addColumn('retryable', d.types.bool, (c) => c.notNull().defaultTo(d.toDbBool(false)))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('image_id', d.types.bigint, (c) => c.references('images.id').onDelete('set null'))
    .addColumn('claimed_by', d.types.text)
    .addColumn('claimed_at', d.types.bigint)
    .addColumn('discovered_at', d.types.bigint, (c) => c.notNull())
    .addColumn('updated_at', d.types.bigint, (c) => c.notNull())
    .addUniqueConstraint('ingest_ledger_root_rel_path_key', ['root', 'rel_path'])
    .execute();
  await db.schema.createIndex('ingest_ledger_state_id_idx').on('ingest_ledger').columns(['state', 'id']).execute();
  await db.schema.createIndex('ingest_ledger_image_id_idx').on('ingest_ledger').column('image_id').execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['ingest_ledger', 'image_keywords', 'image_paths', 'images'])
    await db.schema.dropTable(table).ifExists().execute();
}

const migration: AimsMigration = { up, down };
export default migration;
