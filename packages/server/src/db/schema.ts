/**
 * Kysely table interfaces: the shape of every row, shared by both dialects. `*Row` types never leave
 * db/; repositories map them to API objects. Instants are epoch milliseconds (`…_ms`, `…_at`), JSON
 * columns hold text on SQLite and jsonb on PostgreSQL (see dialect.ts), booleans are DbBool.
 *
 * Other areas add their tables by adding an interface here and a line to `Schema` (and a migration
 * in migrations/).
 */

import type { Generated, Insertable, Selectable } from 'kysely';
import type { ColumnFieldName, DefaultedFieldName, IMAGE_FIELDS } from '../domain/image-fields.js';
import type { AccountsSchema } from './accounts.schema.js';
import type { DbBool } from './dialect.js';
import type { TapJobsSchema } from './tap-jobs.repository.js';

/** JSON as stored: a string on SQLite, a parsed value on PostgreSQL; use dialect.fromDbJson. */
export type DbJson = unknown;

type ColumnBase<K extends ColumnFieldName> = (typeof IMAGE_FIELDS)[K]['type'] extends 'boolean'
  ? DbBool
  : (typeof IMAGE_FIELDS)[K]['type'] extends 'json'
    ? DbJson
    : (typeof IMAGE_FIELDS)[K]['type'] extends 'text' | 'enum'
      ? string
      : number;
type ColumnValue<K extends ColumnFieldName> = (typeof IMAGE_FIELDS)[K] extends { nullable: false }
  ? ColumnBase<K>
  : ColumnBase<K> | null;

/**
 * One column per stored field of the field table (domain/image-fields.ts); instants are epoch
 * milliseconds, enums text. A migration adds each new column: see migrations/.
 */
export type ImagesTable = {
  [K in ColumnFieldName]: K extends DefaultedFieldName ? Generated<ColumnValue<K>> : ColumnValue<K>;
};

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
  /** The last fixity check of this path, as on `images` (verified_at, fixity_status, fixity_reason). */
  verified_at: number | null;
  fixity_status: string | null;
  fixity_reason: string | null;
}

/** One run of the fixity check (`aims verify` or a tick of the server's background check). */
export interface FixityRunsTable {
  id: Generated<number>;
  /** 'server' (background) or 'cli' (`aims verify`). */
  source: string;
  started_at: number;
  finished_at: number;
  /** Files read (primary paths and copies). */
  files: number;
  ok: number;
  changed: number;
  missing: number;
  unreadable: number;
  /** Files whose FITS checksum was found bad at ingest (counted among the problems of a run). */
  checksum_bad: number;
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

/**
 * Frames per facet value of the whole catalog (catalog-summary.ts), kept in the transaction of the
 * frames they count. `field` is a facet name, 'observatory', 'day' (UTC day of date_obs) or '*'.
 */
export interface CatalogCountsTable {
  field: string;
  /** What the filters compare with: lower-cased names, object_key, the night, the day. */
  key: string;
  /** One spelling of the value, to show. */
  value: string;
  frames: number;
}

/**
 * Frames per value bucket of a numeric sort column (catalog-summary.ts BUCKETED_COLUMNS), kept like
 * catalog_counts: `bucket` is floor(value × the column's scale).
 */
export interface CatalogValueCountsTable {
  field: string;
  bucket: number;
  frames: number;
}

/** Per observing night: what the nights summary shows, kept like catalog_counts. */
export interface CatalogNightsTable {
  night: string;
  frames: number;
  /** Sum of exptime over the frames that have one (exposure_n of them). */
  exposure_s: number;
  exposure_n: number;
  quality_sum: number;
  quality_n: number;
  flagged: number;
  first_ms: number | null;
  last_ms: number | null;
  min_ccd_temp: number | null;
  max_ccd_temp: number | null;
  median_fwhm_arcsec: number | null;
  median_fwhm_px: number | null;
}

/**
 * Per target (object_key of light frames) and filter (lower-cased, '' for none): what the targets
 * list shows, kept like catalog_counts (catalog-summary.ts). Sums of the unit vectors of the frames
 * that have a position give the target's mean position.
 */
export interface CatalogTargetsTable {
  object_key: string;
  filter_key: string;
  /** One spelling of each, to show. */
  object_name: string | null;
  filter_name: string | null;
  frames: number;
  good_frames: number;
  exposure_s: number;
  good_exposure_s: number;
  pos_n: number;
  pos_x: number;
  pos_y: number;
  pos_z: number;
}

/** Per target and observing night ('' for frames without one): frames and first/last date_obs. */
export interface CatalogTargetNightsTable {
  object_key: string;
  night: string;
  frames: number;
  first_ms: number | null;
  last_ms: number | null;
}

/** A folder AIMS watches and serves (libraries.repository.ts). */
export interface LibrariesTable {
  id: Generated<number>;
  name: string;
  /** Absolute; for libraries added through the API, the real path (symbolic links resolved). */
  path: string;
  /** 'config' (AIMS_IMAGE_DIR/--images), 'admin' (API, web UI) or 'cli' (aims ingest). */
  origin: string;
  /** string[] of globs relative to the library, as JSON. */
  exclude: DbJson;
  /** Seconds between full rescans; null: AIMS_RESCAN_SECONDS. */
  rescan_seconds: number | null;
  use_polling: DbBool;
  paused: DbBool;
  /** IANA zone for observing nights of frames without a site longitude. */
  timezone: string | null;
  longitude_deg: number | null;
  created_at: number;
  updated_at: number;
}

/** What ingest did, for every server's event streams (event-outbox.repository.ts). */
export interface EventOutboxTable {
  id: Generated<number>;
  type: string;
  /** JSON text, handed on whole. */
  payload: string;
  /** 'all' or 'admin': who may receive it. */
  audience: string;
  created_at: number;
}

/** Progress of `aims migrate-catalog` into this catalog, one row per copied table (catalog-copy.ts). */
export interface CatalogCopiesTable {
  id: Generated<number>;
  table_name: string;
  /** The source catalog's URL without its password (sqlite: the absolute path). */
  source: string;
  /** JSON array of the batch key of the last row copied; null before the first batch. */
  after_key: string | null;
  rows_copied: number;
  started_at: number;
  finished_at: number | null;
}

export interface Schema extends AccountsSchema, TapJobsSchema {
  event_outbox: EventOutboxTable;
  catalog_copies: CatalogCopiesTable;
  catalog_counts: CatalogCountsTable;
  catalog_nights: CatalogNightsTable;
  catalog_targets: CatalogTargetsTable;
  catalog_target_nights: CatalogTargetNightsTable;
  catalog_value_counts: CatalogValueCountsTable;
  fixity_runs: FixityRunsTable;
  images: ImagesTable;
  image_headers: ImageHeadersTable;
  image_paths: ImagePathsTable;
  image_keywords: ImageKeywordsTable;
  ingest_ledger: IngestLedgerTable;
  libraries: LibrariesTable;
}

export type ImageRow = Selectable<ImagesTable>;
export type NewImageRow = Insertable<ImagesTable>;
export type ImageHeadersRow = Selectable<ImageHeadersTable>;
export type ImagePathRow = Selectable<ImagePathsTable>;
export type FixityRunRow = Selectable<FixityRunsTable>;
export type IngestLedgerRow = Selectable<IngestLedgerTable>;
