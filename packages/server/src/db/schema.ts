/**
 * Kysely table interfaces: the shape of every row, shared by both dialects. `*Row` types never leave
 * db/; repositories map them to API objects. Instants are epoch milliseconds (`…_ms`, `…_at`), JSON
 * columns hold text on SQLite and jsonb on PostgreSQL (see dialect.ts), booleans are DbBool.
 *
 * Other areas add their tables by adding an interface here and a line to `Schema` (and a migration
 * in migrations/).
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AccountsSchema } from './accounts.schema.js';
import type { DbBool } from './dialect.js';

/** JSON as stored: a string on SQLite, a parsed value on PostgreSQL; use dialect.fromDbJson. */
export type DbJson = unknown;

export interface ImagesTable {
  id: Generated<number>;
  // File facts. `rel_path` is relative to `root` (one of the image folders), with `/` separators.
  root: string;
  rel_path: string;
  size_bytes: number;
  mtime_ms: number;
  inode: number | null;
  sha256: string;
  /** The HDU the metadata and pixels were taken from. */
  hdu_index: Generated<number>;
  ingested_at: number;
  updated_at: number;
  missing_since: number | null;
  /** [{sha256, size_bytes, mtime_ms, replaced_at}] of earlier contents of this path. */
  previous_versions: DbJson;

  // ImageMetadata
  date_obs: string | null;
  date_obs_ms: number | null;
  mjd_obs: number | null;
  jd_obs: number | null;
  night: string | null;
  time_of_day_min: number | null;
  exptime: number | null;
  object_name: string | null;
  /** object_name lower-cased without blanks ("M 13" → "m13"), for the `object` filter. */
  object_key: string | null;
  image_type: string | null;
  image_type_raw: string | null;
  ra_deg: number | null;
  dec_deg: number | null;
  /** Unit vector of (ra_deg, dec_deg), for the exact great-circle test of cone searches. */
  pos_x: number | null;
  pos_y: number | null;
  pos_z: number | null;
  position_source: string | null;
  filter_name: string | null;
  ccd_temp: number | null;
  set_temp: number | null;
  gain: number | null;
  offset: number | null;
  xbinning: number | null;
  ybinning: number | null;
  telescope: string | null;
  observatory: string | null;
  site_lat_deg: number | null;
  site_lon_deg: number | null;
  site_elev_m: number | null;
  instrument: string | null;
  camera: string | null;
  focal_length_mm: number | null;
  aperture_mm: number | null;
  pixel_size_um: number | null;
  focuser_position: number | null;
  focuser_temp: number | null;
  airmass: number | null;
  airmass_computed: Generated<DbBool>;
  altitude_deg: number | null;
  azimuth_deg: number | null;
  observer: string | null;
  program: string | null;
  software: string | null;
  bayer_pattern: string | null;
  naxis: number | null;
  naxis1: number | null;
  naxis2: number | null;
  naxis3: number | null;
  bitpix: number | null;
  pixel_scale_arcsec: number | null;
  fov_width_deg: number | null;
  fov_height_deg: number | null;
  footprint: DbJson;
  sun_alt_deg: number | null;
  moon_illumination: number | null;
  moon_separation_deg: number | null;
  moon_alt_deg: number | null;

  // QualityMetrics
  background: number | null;
  noise: number | null;
  star_count: number | null;
  fwhm_px: number | null;
  fwhm_arcsec: number | null;
  hfr_px: number | null;
  eccentricity: number | null;
  snr_weight: number | null;
  saturated_fraction: number | null;
  level: number | null;
  uniformity: number | null;
  analysis_note: string | null;

  // QualityScore
  quality_score: number | null;
  quality_flag: Generated<DbBool>;
  quality_components: DbJson;
  quality_version: number | null;
}

/** The bulky JSON of an image, read only by the detail view (kept out of `images` for scan speed). */
export interface ImageHeadersTable {
  image_id: number;
  /** StoredHdu[] of every HDU. */
  headers: DbJson;
  /** {reasons, sources} of the normalization. */
  normalization: DbJson;
}

export const IMAGE_PATH_KINDS = ['copy', 'previous'] as const;
export type ImagePathKind = (typeof IMAGE_PATH_KINDS)[number];

/** Other paths of an image: exact copies elsewhere, and where it used to be (renames, moves). */
export interface ImagePathsTable {
  id: Generated<number>;
  image_id: number;
  root: string;
  rel_path: string;
  kind: ImagePathKind;
  recorded_at: number;
  missing_since: number | null;
}

/** One row per header card worth searching: `header.KEY=value` and ranges use its indexes. */
export interface ImageKeywordsTable {
  image_id: number;
  hdu_index: number;
  /** Upper case, as FITS keywords are. */
  key: string;
  num_value: number | null;
  /** Lower-cased text of the value: keyword string matches are case-insensitive. */
  str_value: string | null;
}

export interface IngestLedgerTable {
  id: Generated<number>;
  root: string;
  rel_path: string;
  size_bytes: number;
  mtime_ms: number;
  inode: number | null;
  state: string;
  reason: string | null;
  retryable: Generated<DbBool>;
  attempts: Generated<number>;
  image_id: number | null;
  claimed_by: string | null;
  claimed_at: number | null;
  discovered_at: number;
  updated_at: number;
}

export interface Schema extends AccountsSchema {
  images: ImagesTable;
  image_headers: ImageHeadersTable;
  image_paths: ImagePathsTable;
  image_keywords: ImageKeywordsTable;
  ingest_ledger: IngestLedgerTable;
}

export type ImageRow = Selectable<ImagesTable>;
export type NewImageRow = Insertable<ImagesTable>;
export type ImageUpdateRow = Updateable<ImagesTable>;
export type ImageHeadersRow = Selectable<ImageHeadersTable>;
export type ImagePathRow = Selectable<ImagePathsTable>;
export type IngestLedgerRow = Selectable<IngestLedgerTable>;
