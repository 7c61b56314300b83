/**
 * THE definition of the image record: every field of the catalog, named once, with its type, unit,
 * nullability, description, how it is filtered, sorted and exported, and its database form. The
 * domain types (ImageMetadata, QualityMetrics, QualityScore), the Kysely table type, the mapper's
 * column lists, `emptyMetadata`, the TypeBox schemas (so the OpenAPI document and the web client's
 * types), the export columns, the sort whitelist and the field table of docs/api.md are derived from
 * it. Adding a field: a line here, a migration that adds its column, and whatever fills it (usually
 * a line of ingest/normalize/keyword-table.ts); then `npm run docs:fields` and `npm run api:types`
 * regenerate docs/api.md and the web client's types (CONTRIBUTING.md, "Adding a catalog field").
 *
 * Column forms by type (dialect.ts says how each is held by each engine):
 *   text, enum → text · real → double · integer → integer · bigint → bigint · boolean → bool
 *   (0/1 on SQLite) · json → json (text on SQLite, jsonb on PostgreSQL) · instant → bigint epoch
 *   milliseconds in the database, ISO 8601 UTC text in the API.
 *
 * Defaults, so that most lines stay short: nullable; a column; an item field of the API.
 */

export const IMAGE_TYPES = ['light', 'dark', 'flat', 'bias', 'other'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** Where `ra_deg`/`dec_deg` came from, best first. */
export const POSITION_SOURCES = ['wcs', 'ra_dec', 'objctra', 'blkra', 'telra'] as const;
export type PositionSource = (typeof POSITION_SOURCES)[number];

/**
 * FITS CHECKSUM/DATASUM at ingest (FITS Standard 4.0 Appendix J): ok when every HDU carries one
 * that verifies, partial when some HDUs carry none, absent when none does, bad when one disagrees.
 */
export const CHECKSUM_STATUSES = ['ok', 'partial', 'absent', 'bad'] as const;
export type ChecksumStatus = (typeof CHECKSUM_STATUSES)[number];

/** What the last fixity check found: the file as catalogued, other content, no file, or an error reading it. */
export const FIXITY_STATUSES = ['ok', 'changed', 'missing', 'unreadable'] as const;
export type FixityStatus = (typeof FIXITY_STATUSES)[number];

export type FieldType = 'text' | 'enum' | 'real' | 'integer' | 'bigint' | 'boolean' | 'json' | 'instant';

/** Which record a field belongs to (file facts, what the header says, pixel metrics, the score, index keys). */
export type FieldGroup = 'file' | 'metadata' | 'quality' | 'score' | 'key';

export interface RangeFilter {
  /** Query parameter of the lower bound (inclusive). */
  readonly min?: string;
  /** Query parameter of the upper bound (inclusive). */
  readonly max?: string;
  /** Bounds a parameter must lie within. */
  readonly minimum?: number;
  readonly maximum?: number;
}

export interface FieldSpec {
  readonly group: FieldGroup;
  readonly type: FieldType;
  /** The values of an enum. */
  readonly values?: readonly string[];
  /** Never null (default: nullable). */
  readonly nullable?: false;
  readonly unit?: string;
  readonly description: string;
  /** false: computed for the API from other columns, not stored. */
  readonly column?: false;
  /** false: a column the API never shows (index keys, file-system identity). */
  readonly api?: false;
  /** The column has a database default (Kysely: Generated on insert). */
  readonly dbDefault?: true;
  /** Allowed in `sort`; a string names the column that orders it when that is not the field itself. */
  readonly sort?: true | string;
  /** Generic range filter: `min`/`max` query parameters compared with the column. */
  readonly range?: RangeFilter;
  /**
   * Generic filter, a query parameter named like the field: 'ci' case-insensitive equality (text),
   * 'exact' one of the enum's values (compared as stored, so a plain index serves it).
   */
  readonly match?: 'ci' | 'exact';
  /** Filters with rules of their own (db/image-query.ts) that read this field. */
  readonly filters?: readonly string[];
  /** Position among the columns of a CSV export when the caller does not choose (`fields`). */
  readonly csv?: number;
  /** Position among the catalog columns of a ZIP download's manifest.csv. */
  readonly manifest?: number;
}

// biome-ignore format: one line per field reads as a table
export const IMAGE_FIELDS = {
  id: { group: 'file', type: 'integer', nullable: false, dbDefault: true, description: 'catalog id', sort: true, csv: 1, manifest: 1 },
  file_path: { group: 'file', type: 'text', nullable: false, column: false, description: 'root + "/" + rel_path', sort: 'rel_path', csv: 2, manifest: 2 },
  file_name: { group: 'file', type: 'text', nullable: false, column: false, description: 'last part of rel_path' },
  root: { group: 'file', type: 'text', nullable: false, description: 'the image folder the file was found in' },
  rel_path: { group: 'file', type: 'text', nullable: false, description: 'path relative to root, "/"-separated' },
  date_obs: { group: 'metadata', type: 'text', description: 'start of the exposure, ISO 8601 UTC with the header\'s precision', sort: 'date_obs_ms', csv: 3, manifest: 3 },
  night: { group: 'metadata', type: 'text', description: 'observing night: local date (YYYY-MM-DD) at the start of the night', sort: true, filters: ['night'], csv: 4, manifest: 4 },
  object_name: { group: 'metadata', type: 'text', description: 'target name as the header writes it', sort: true, filters: ['object'], csv: 9, manifest: 5 },
  object_key: { group: 'key', type: 'text', api: false, description: 'object_name lower-cased without blanks ("M 13" → "m13"), compared by the object filter' },
  image_type: { group: 'metadata', type: 'enum', values: IMAGE_TYPES, description: 'kind of frame', filters: ['image_type'], csv: 16, manifest: 6 },
  image_type_raw: { group: 'metadata', type: 'text', description: 'the header\'s own words for the type, e.g. "Light Frame"' },
  master_frame: { group: 'metadata', type: 'boolean', nullable: false, dbDefault: true, description: 'a master calibration frame, several exposures combined: combined_frames > 1, IMAGETYP "Master …", or a stacking tool\'s HISTORY' },
  combined_frames: { group: 'metadata', type: 'integer', description: 'exposures combined into this frame (NCOMBINE, STACKCNT, a stacking tool\'s HISTORY); null for a single exposure or when unknown' },
  filter_name: { group: 'metadata', type: 'text', description: 'optical filter', sort: true, match: 'ci', csv: 8, manifest: 7 },
  exptime: { group: 'metadata', type: 'real', unit: 's', description: 'exposure time', sort: true, csv: 7, manifest: 8 },
  ra_deg: { group: 'metadata', type: 'real', unit: 'deg', description: 'right ascension of the image centre', sort: true, filters: ['ra', 'dec', 'radius'], csv: 5, manifest: 12 },
  dec_deg: { group: 'metadata', type: 'real', unit: 'deg', description: 'declination of the image centre', sort: true, filters: ['ra', 'dec', 'radius'], csv: 6, manifest: 13 },
  pos_x: { group: 'key', type: 'real', api: false, description: 'x of the unit vector of (ra_deg, dec_deg), for the exact great-circle test of cone searches' },
  pos_y: { group: 'key', type: 'real', api: false, description: 'y of the unit vector of (ra_deg, dec_deg)' },
  pos_z: { group: 'key', type: 'real', api: false, description: 'z of the unit vector of (ra_deg, dec_deg)' },
  position_source: { group: 'metadata', type: 'enum', values: POSITION_SOURCES, description: 'where ra_deg/dec_deg came from, best first: WCS, RA/DEC, OBJCTRA/OBJCTDEC, BLKRA/BLKDEC, TELRA/TELDEC' },
  ccd_temp: { group: 'metadata', type: 'real', unit: '°C', description: 'sensor temperature', sort: true, range: { min: 'min_temp', max: 'max_temp' }, csv: 10, manifest: 9 },
  set_temp: { group: 'metadata', type: 'real', unit: '°C', description: 'cooler set point' },
  gain: { group: 'metadata', type: 'real', description: 'camera gain setting (CMOS) or e-/ADU (CCD drivers)', csv: 11 },
  offset: { group: 'metadata', type: 'real', description: 'camera offset (black level) setting' },
  xbinning: { group: 'metadata', type: 'integer', unit: 'px', description: 'horizontal binning' },
  ybinning: { group: 'metadata', type: 'integer', unit: 'px', description: 'vertical binning' },
  airmass: { group: 'metadata', type: 'real', description: 'airmass of the target', sort: true, csv: 12 },
  airmass_computed: { group: 'metadata', type: 'boolean', nullable: false, dbDefault: true, description: 'true when airmass was computed from site, time and position, not read from the header' },
  altitude_deg: { group: 'metadata', type: 'real', unit: 'deg', description: 'altitude of the target' },
  azimuth_deg: { group: 'metadata', type: 'real', unit: 'deg', description: 'azimuth of the target' },
  rotator_angle_deg: { group: 'metadata', type: 'real', unit: 'deg', description: 'camera rotation, 0–360: the rotator\'s angle, else the position angle of the image', sort: true, range: { min: 'min_rotator_angle_deg', max: 'max_rotator_angle_deg', minimum: 0, maximum: 360 } },
  telescope: { group: 'metadata', type: 'text', description: 'telescope', filters: ['telescope'], csv: 13, manifest: 10 },
  observatory: { group: 'metadata', type: 'text', description: 'observatory or site name', csv: 14 },
  instrument: { group: 'metadata', type: 'text', description: 'instrument', filters: ['camera'], csv: 15, manifest: 11 },
  camera: { group: 'metadata', type: 'text', description: 'camera model; often the same as instrument', filters: ['camera'] },
  observer: { group: 'metadata', type: 'text', description: 'observer' },
  program: { group: 'metadata', type: 'text', description: 'observing programme or proposal' },
  software: { group: 'metadata', type: 'text', description: 'software that wrote the file' },
  bayer_pattern: { group: 'metadata', type: 'text', description: 'colour-filter-array pattern, e.g. RGGB' },
  naxis: { group: 'metadata', type: 'integer', description: 'number of axes' },
  naxis1: { group: 'metadata', type: 'integer', unit: 'px', description: 'width', csv: 17 },
  naxis2: { group: 'metadata', type: 'integer', unit: 'px', description: 'height', csv: 18 },
  naxis3: { group: 'metadata', type: 'integer', description: 'planes (colour or cube)' },
  bitpix: { group: 'metadata', type: 'integer', description: 'FITS BITPIX: bits per pixel, negative for floating point' },
  pixel_scale_arcsec: { group: 'metadata', type: 'real', unit: 'arcsec/px', description: 'pixel scale' },
  fov_width_deg: { group: 'metadata', type: 'real', unit: 'deg', description: 'field of view, width' },
  fov_height_deg: { group: 'metadata', type: 'real', unit: 'deg', description: 'field of view, height' },
  focal_length_mm: { group: 'metadata', type: 'real', unit: 'mm', description: 'focal length' },
  aperture_mm: { group: 'metadata', type: 'real', unit: 'mm', description: 'aperture diameter' },
  pixel_size_um: { group: 'metadata', type: 'real', unit: 'µm', description: 'physical pixel size' },
  focuser_position: { group: 'metadata', type: 'real', unit: 'steps', description: 'focuser position' },
  focuser_temp: { group: 'metadata', type: 'real', unit: '°C', description: 'focuser temperature' },
  site_lat_deg: { group: 'metadata', type: 'real', unit: 'deg', description: 'site latitude (north positive)' },
  site_lon_deg: { group: 'metadata', type: 'real', unit: 'deg', description: 'site longitude (east positive)' },
  site_elev_m: { group: 'metadata', type: 'real', unit: 'm', description: 'site elevation' },
  date_obs_ms: { group: 'metadata', type: 'bigint', unit: 'ms', description: 'date_obs as milliseconds since the Unix epoch', filters: ['date', 'date_from', 'date_to'] },
  mjd_obs: { group: 'metadata', type: 'real', unit: 'd', description: 'modified Julian date of date_obs' },
  jd_obs: { group: 'metadata', type: 'real', unit: 'd', description: 'Julian date of date_obs' },
  time_of_day_min: { group: 'metadata', type: 'integer', unit: 'min', description: 'minutes after 00:00 UTC of date_obs (0–1439)', filters: ['start_time', 'end_time'] },
  sun_alt_deg: { group: 'metadata', type: 'real', unit: 'deg', description: 'altitude of the Sun' },
  moon_illumination: { group: 'metadata', type: 'real', description: 'illuminated fraction of the Moon (0–1)' },
  moon_separation_deg: { group: 'metadata', type: 'real', unit: 'deg', description: 'angular distance from the Moon' },
  moon_alt_deg: { group: 'metadata', type: 'real', unit: 'deg', description: 'altitude of the Moon' },
  footprint: { group: 'metadata', type: 'json', unit: 'deg', description: 'sky corners of the image, [[ra, dec] × 4], when a WCS or scale and rotation allow' },
  background: { group: 'quality', type: 'real', unit: 'ADU', description: 'sky background level', csv: 22 },
  noise: { group: 'quality', type: 'real', unit: 'ADU', description: 'background noise (RMS)', csv: 23 },
  star_count: { group: 'quality', type: 'integer', description: 'stars detected', sort: true, csv: 21 },
  fwhm_px: { group: 'quality', type: 'real', unit: 'px', description: 'median stellar FWHM', sort: true, csv: 19 },
  fwhm_arcsec: { group: 'quality', type: 'real', unit: 'arcsec', description: 'median stellar FWHM', sort: true, csv: 20, manifest: 14 },
  hfr_px: { group: 'quality', type: 'real', unit: 'px', description: 'median half-flux radius' },
  eccentricity: { group: 'quality', type: 'real', description: 'median stellar eccentricity (0 round, 1 a line)' },
  snr_weight: { group: 'quality', type: 'real', description: 'signal-to-noise weight (higher is better)' },
  saturated_fraction: { group: 'quality', type: 'real', description: 'fraction of saturated pixels' },
  level: { group: 'quality', type: 'real', unit: 'ADU', description: 'calibration frames: median level' },
  uniformity: { group: 'quality', type: 'real', description: 'flats: illumination uniformity (0–1)' },
  analysis_note: { group: 'quality', type: 'text', description: 'why analysis was skipped or partial' },
  quality_score: { group: 'score', type: 'real', description: 'quality score, 0–100, against comparable frames', sort: true, range: { min: 'min_quality', minimum: 0, maximum: 100 }, csv: 24, manifest: 15 },
  quality_flag: { group: 'score', type: 'boolean', nullable: false, dbDefault: true, description: 'score at or above the configured threshold', csv: 25 },
  quality_components: { group: 'score', type: 'json', description: 'what the score is made of (z-scores, gates)' },
  quality_version: { group: 'score', type: 'integer', description: 'version of the scoring formula' },
  size_bytes: { group: 'file', type: 'bigint', nullable: false, unit: 'bytes', description: 'file size' },
  mtime_ms: { group: 'file', type: 'bigint', nullable: false, unit: 'ms', description: 'file modification time, since the Unix epoch' },
  inode: { group: 'file', type: 'bigint', api: false, description: 'file-system inode, to recognize renames' },
  sha256: { group: 'file', type: 'text', nullable: false, description: 'SHA-256 of the file\'s content (hex)', csv: 26 },
  hdu_index: { group: 'file', type: 'integer', nullable: false, dbDefault: true, description: 'the HDU the metadata and pixels were taken from' },
  ingested_at: { group: 'file', type: 'instant', nullable: false, description: 'when the frame entered the catalog', sort: true },
  updated_at: { group: 'file', type: 'instant', nullable: false, description: 'last change of the catalog row' },
  missing_since: { group: 'file', type: 'instant', description: 'when the file was found gone (null: present)', filters: ['missing'] },
  checksum_status: { group: 'file', type: 'enum', values: CHECKSUM_STATUSES, match: 'exact', description: 'FITS CHECKSUM/DATASUM verified at ingest: ok (every HDU verifies), partial (some HDUs carry none), absent (no HDU carries one), bad (one disagrees: the file was damaged before it was catalogued); null: catalogued before checksums were verified' },
  checksum_hdus: { group: 'file', type: 'json', api: false, description: 'per HDU: [{index, checksum, datasum, computed_datasum, reason?}], each keyword ok, bad or absent (detail view)' },
  verified_at: { group: 'file', type: 'instant', description: 'when the file was last read again and compared with sha256 (at ingest, by `aims verify` or by the background check)' },
  fixity_status: { group: 'file', type: 'enum', values: FIXITY_STATUSES, match: 'exact', description: 'what that check found: ok, changed (other content than catalogued), missing, unreadable' },
  fixity_reason: { group: 'file', type: 'text', description: 'what the check found when it was not ok' },
  previous_versions: { group: 'file', type: 'json', api: false, description: 'earlier contents of this path: [{sha256, size_bytes, mtime_ms, replaced_at}] (detail view)' },
} as const satisfies Record<string, FieldSpec>;

// ——— types derived from the table ———

type Fields = typeof IMAGE_FIELDS;
export type ImageFieldName = keyof Fields;

/** The TypeScript value of a JSON field (others are `unknown`). */
interface JsonFieldTypes {
  footprint: Array<[number, number]>;
  quality_components: Record<string, unknown>;
}

type Null<K extends ImageFieldName> = Fields[K] extends { nullable: false } ? never : null;

type Base<K extends ImageFieldName, Instant> = Fields[K] extends { type: 'enum'; values: readonly (infer V)[] }
  ? V
  : Fields[K]['type'] extends 'text'
    ? string
    : Fields[K]['type'] extends 'boolean'
      ? boolean
      : Fields[K]['type'] extends 'json'
        ? K extends keyof JsonFieldTypes
          ? JsonFieldTypes[K]
          : unknown
        : Fields[K]['type'] extends 'instant'
          ? Instant
          : number;

/** A field's value in code (instants as epoch milliseconds). */
export type FieldValue<K extends ImageFieldName> = Base<K, number> | Null<K>;
/** A field's value in the API (instants as ISO 8601 text). */
export type ApiFieldValue<K extends ImageFieldName> = Base<K, string> | Null<K>;

export type FieldsOfGroup<G extends FieldGroup> = {
  [K in ImageFieldName]: Fields[K]['group'] extends G ? K : never;
}[ImageFieldName];

/** Fields stored as columns of `images`. */
export type ColumnFieldName = {
  [K in ImageFieldName]: Fields[K] extends { column: false } ? never : K;
}[ImageFieldName];
/** Fields of an API item. */
export type ApiFieldName = { [K in ImageFieldName]: Fields[K] extends { api: false } ? never : K }[ImageFieldName];
export type DefaultedFieldName = {
  [K in ImageFieldName]: Fields[K] extends { dbDefault: true } ? K : never;
}[ImageFieldName];

/** The record of one group, e.g. `FieldRecord<'metadata'>` is ImageMetadata. */
export type FieldRecord<G extends FieldGroup> = { [K in FieldsOfGroup<G>]: FieldValue<K> };

/** One item of GET /api/images with every field. */
export type ImageItemRecord = { [K in ApiFieldName]: ApiFieldValue<K> };

type SortName = { [K in ImageFieldName]: Fields[K] extends { sort: true | string } ? K : never }[ImageFieldName];
export type SortColumn = SortName;

type RangeParam<Side extends 'min' | 'max'> = {
  [K in ImageFieldName]: Fields[K] extends { range: { [S in Side]: infer P extends string } } ? P : never;
}[ImageFieldName];
export type RangeFilterParam = RangeParam<'min'> | RangeParam<'max'>;
export type MatchFilterParam = {
  [K in ImageFieldName]: Fields[K] extends { match: 'ci' | 'exact' } ? K : never;
}[ImageFieldName];

// ——— lists derived from the table ———

const entries = Object.entries(IMAGE_FIELDS) as Array<[ImageFieldName, FieldSpec]>;

function namesWhere<K extends ImageFieldName>(keep: (spec: FieldSpec, name: ImageFieldName) => boolean): K[] {
  return entries.filter(([name, spec]) => keep(spec, name)).map(([name]) => name as K);
}

export function fieldSpec(name: ImageFieldName): FieldSpec {
  return IMAGE_FIELDS[name];
}

export const IMAGE_FIELD_NAMES = entries.map(([name]) => name);

/** Fields of a group, in table order. */
export function fieldsOfGroup<G extends FieldGroup>(group: G): FieldsOfGroup<G>[] {
  return namesWhere<FieldsOfGroup<G>>((spec) => spec.group === group);
}

/** Columns of `images`, in table order. */
export const COLUMN_FIELDS = namesWhere<ColumnFieldName>((spec) => spec.column !== false);

/** Fields of an API item, in the order of the item schema. */
export const API_FIELDS = namesWhere<ApiFieldName>((spec) => spec.api !== false);

/** Sort names allowed by `sort`, with the column that orders each. */
export const SORT_FIELDS = Object.fromEntries(
  entries.flatMap(([name, spec]) =>
    spec.sort === undefined ? [] : [[name, spec.sort === true ? name : (spec.sort as ColumnFieldName)]],
  ),
) as Record<SortName, ColumnFieldName>;

function ordered(position: (spec: FieldSpec) => number | undefined): ApiFieldName[] {
  return entries
    .filter(([, spec]) => position(spec) !== undefined)
    .sort(([, a], [, b]) => (position(a) ?? 0) - (position(b) ?? 0))
    .map(([name]) => name as ApiFieldName);
}

/** Columns of a CSV export when the caller does not choose: the contract's item fields. */
export const CSV_EXPORT_FIELDS = ordered((spec) => spec.csv);

/** Catalog fields copied into a ZIP's manifest.csv next to each file's name and SHA-256. */
export const MANIFEST_FIELDS = ordered((spec) => spec.manifest);

export interface RangeFilterRule {
  param: RangeFilterParam;
  field: ColumnFieldName;
  op: '>=' | '<=';
  minimum?: number;
  maximum?: number;
}

/** Every generic range filter: one rule per query parameter. */
export const RANGE_FILTERS: RangeFilterRule[] = entries.flatMap(([field, spec]) => {
  const range = spec.range;
  if (!range) return [];
  const bounds = { minimum: range.minimum, maximum: range.maximum };
  const rules: RangeFilterRule[] = [];
  const column = field as ColumnFieldName;
  if (range.min) rules.push({ param: range.min as RangeFilterParam, field: column, op: '>=', ...defined(bounds) });
  if (range.max) rules.push({ param: range.max as RangeFilterParam, field: column, op: '<=', ...defined(bounds) });
  return rules;
});

/** Every generic text filter (parameter = field, case-insensitive equality). */
export const MATCH_FILTERS = namesWhere<MatchFilterParam & ColumnFieldName>((spec) => spec.match === 'ci');

/** Every generic enum filter (parameter = field, one of the enum's values, exact equality). */
export const EXACT_FILTERS = namesWhere<MatchFilterParam & ColumnFieldName>((spec) => spec.match === 'exact');

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The value a field holds before anything is known: null, or false for a boolean that is never null. */
export function emptyValue(name: ImageFieldName): null | false {
  const spec = fieldSpec(name);
  if (spec.nullable !== false) return null;
  if (spec.type === 'boolean') return false;
  throw new Error(`field ${name} is never null and has no empty value`);
}

/** The empty record of each group, copied by emptyRecord. */
const emptyRecords = new Map<FieldGroup, Record<string, null | false>>();

/**
 * A record of a group with every field empty, e.g. `emptyRecord('metadata')`. A copy of one built
 * once: ingest starts every frame's metadata from it, and building it from the field table each
 * time (and as an object of many keys built by fromEntries) cost more than filling it in.
 */
export function emptyRecord<G extends FieldGroup>(group: G): FieldRecord<G> {
  let empty = emptyRecords.get(group);
  if (!empty) {
    const built: Record<string, null | false> = {};
    for (const name of fieldsOfGroup(group)) built[name] = emptyValue(name);
    // Built key by key, an object of this many properties is kept by V8 as a dictionary, and so is
    // every copy: a copy of the metadata record took 32 µs a frame (2,000 frames, 64 ms of the
    // frame thread). Parsed from JSON it has a fixed shape, copied at once (about 10× faster).
    empty = JSON.parse(JSON.stringify(built)) as Record<string, null | false>;
    emptyRecords.set(group, empty);
  }
  return { ...empty } as FieldRecord<G>;
}
