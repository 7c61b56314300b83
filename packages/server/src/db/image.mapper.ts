/**
 * Images between the catalog's rows and the API's objects.
 *
 *   NewImage                      what ingest hands to insertImage/updateImage
 *   CatalogImage                  one item of GET /api/images (contract field names)
 *   CatalogImageDetail            GET /api/images/{id}: adds header, normalization, versions, paths
 *   mapImage(row, dialect)        ImageRow → CatalogImage
 *   mapImageDetail(row, headers, paths, dialect) → CatalogImageDetail
 *   toImageRow(image, dialect, nowMs)  NewImage → the `images` columns to write (derived keys included)
 *   toImageHeadersRow(id, image, dialect)  NewImage → its `image_headers` row
 *   objectKey(name)               the normalized object name the `object` filter compares with
 *   unitVector(raDeg, decDeg)     [x, y, z] stored for cone searches
 */
import type {
  ImageMetadata,
  ImageType,
  NormalizedMetadata,
  PositionSource,
  QualityMetrics,
  QualityScore,
  StoredHdu,
} from '../domain/image.js';
import type { DialectInfo } from './dialect.js';
import type { ImageHeadersRow, ImagePathKind, ImagePathRow, ImageRow, NewImageRow } from './schema.js';

export interface NewImage {
  root: string;
  /** Relative to root, `/`-separated. */
  rel_path: string;
  size_bytes: number;
  mtime_ms: number;
  inode: number | null;
  sha256: string;
  hdu_index: number;
  metadata: ImageMetadata;
  normalization?: Pick<NormalizedMetadata, 'reasons' | 'sources'> | null;
  quality?: QualityMetrics | null;
  score?: QualityScore | null;
  headers: StoredHdu[];
}

export interface PreviousVersion {
  sha256: string;
  size_bytes: number;
  mtime_ms: number;
  replaced_at: string;
}

export type CatalogImage = {
  id: number;
  /** root + '/' + rel_path. */
  file_path: string;
  root: string;
  rel_path: string;
  file_name: string;
  size_bytes: number;
  mtime_ms: number;
  sha256: string;
  hdu_index: number;
  ingested_at: string;
  updated_at: string;
  missing_since: string | null;
} & Omit<ImageMetadata, 'image_type' | 'position_source'> & {
    image_type: ImageType | null;
    position_source: PositionSource | null;
  } & QualityMetrics &
  QualityScore;

export interface CatalogImagePath {
  root: string;
  rel_path: string;
  file_path: string;
  kind: ImagePathKind;
  recorded_at: string;
  missing_since: string | null;
}

export type CatalogImageDetail = CatalogImage & {
  header: StoredHdu[];
  normalization: Pick<NormalizedMetadata, 'reasons' | 'sources'> | null;
  previous_versions: PreviousVersion[];
  paths: CatalogImagePath[];
};

const iso = (ms: number) => new Date(ms).toISOString();
const joinPath = (root: string, rel: string) => `${root.replace(/\/+$/, '')}/${rel}`;

export function objectKey(name: string | null | undefined): string | null {
  if (name === null || name === undefined) return null;
  const key = name.toLowerCase().replace(/\s+/g, '');
  return key === '' ? null : key;
}

const RAD = Math.PI / 180;

export function unitVector(raDeg: number, decDeg: number): [number, number, number] {
  const ra = raDeg * RAD;
  const dec = decDeg * RAD;
  return [Math.cos(dec) * Math.cos(ra), Math.cos(dec) * Math.sin(ra), Math.sin(dec)];
}

export function toImageRow(image: NewImage, d: DialectInfo, nowMs: number): Omit<NewImageRow, 'ingested_at'> {
  const { metadata: m } = image;
  const q = image.quality;
  const s = image.score;
  const position = m.ra_deg !== null && m.dec_deg !== null ? unitVector(m.ra_deg, m.dec_deg) : null;
  return {
    root: image.root,
    rel_path: image.rel_path,
    size_bytes: image.size_bytes,
    mtime_ms: image.mtime_ms,
    inode: image.inode,
    sha256: image.sha256,
    hdu_index: image.hdu_index,
    updated_at: nowMs,
    missing_since: null,
    ...m,
    object_key: objectKey(m.object_name),
    pos_x: position?.[0] ?? null,
    pos_y: position?.[1] ?? null,
    pos_z: position?.[2] ?? null,
    airmass_computed: d.toDbBool(m.airmass_computed),
    footprint: d.toDbJson(m.footprint),
    background: q?.background ?? null,
    noise: q?.noise ?? null,
    star_count: q?.star_count ?? null,
    fwhm_px: q?.fwhm_px ?? null,
    fwhm_arcsec: q?.fwhm_arcsec ?? null,
    hfr_px: q?.hfr_px ?? null,
    eccentricity: q?.eccentricity ?? null,
    snr_weight: q?.snr_weight ?? null,
    saturated_fraction: q?.saturated_fraction ?? null,
    level: q?.level ?? null,
    uniformity: q?.uniformity ?? null,
    analysis_note: q?.analysis_note ?? null,
    quality_score: s?.quality_score ?? null,
    quality_flag: d.toDbBool(s?.quality_flag ?? false),
    quality_components: d.toDbJson(s?.quality_components ?? null),
    quality_version: s?.quality_version ?? null,
  };
}

export function toImageHeadersRow(imageId: number, image: NewImage, d: DialectInfo): ImageHeadersRow {
  return {
    image_id: imageId,
    headers: d.toDbJson(image.headers),
    normalization: d.toDbJson(image.normalization ?? null),
  };
}

/** The columns of a list item: everything but the bulky JSON that only the detail shows. */
/** The pixel-measured columns (QualityMetrics), in one place for every query that reads them. */
export const QUALITY_METRIC_COLUMNS = [
  'background',
  'noise',
  'star_count',
  'fwhm_px',
  'fwhm_arcsec',
  'hfr_px',
  'eccentricity',
  'snr_weight',
  'saturated_fraction',
  'level',
  'uniformity',
  'analysis_note',
] as const satisfies ReadonlyArray<keyof ImageRow & keyof QualityMetrics>;

export const IMAGE_ITEM_COLUMNS = [
  'id',
  'root',
  'rel_path',
  'size_bytes',
  'mtime_ms',
  'inode',
  'sha256',
  'hdu_index',
  'ingested_at',
  'updated_at',
  'missing_since',
  'date_obs',
  'date_obs_ms',
  'mjd_obs',
  'jd_obs',
  'night',
  'time_of_day_min',
  'exptime',
  'object_name',
  'object_key',
  'image_type',
  'image_type_raw',
  'ra_deg',
  'dec_deg',
  'pos_x',
  'pos_y',
  'pos_z',
  'position_source',
  'filter_name',
  'ccd_temp',
  'set_temp',
  'gain',
  'offset',
  'xbinning',
  'ybinning',
  'telescope',
  'observatory',
  'site_lat_deg',
  'site_lon_deg',
  'site_elev_m',
  'instrument',
  'camera',
  'focal_length_mm',
  'aperture_mm',
  'pixel_size_um',
  'focuser_position',
  'focuser_temp',
  'airmass',
  'airmass_computed',
  'altitude_deg',
  'azimuth_deg',
  'observer',
  'program',
  'software',
  'bayer_pattern',
  'naxis',
  'naxis1',
  'naxis2',
  'naxis3',
  'bitpix',
  'pixel_scale_arcsec',
  'fov_width_deg',
  'fov_height_deg',
  'footprint',
  'sun_alt_deg',
  'moon_illumination',
  'moon_separation_deg',
  'moon_alt_deg',
  ...QUALITY_METRIC_COLUMNS,
  'quality_score',
  'quality_flag',
  'quality_components',
  'quality_version',
] as const satisfies ReadonlyArray<keyof ImageRow>;

export type ImageItemRow = Pick<ImageRow, (typeof IMAGE_ITEM_COLUMNS)[number]>;

export function mapImage(row: ImageItemRow, d: DialectInfo): CatalogImage {
  const {
    object_key: _objectKey,
    pos_x: _x,
    pos_y: _y,
    pos_z: _z,
    inode: _inode,
    airmass_computed,
    footprint,
    quality_flag,
    quality_components,
    ingested_at,
    updated_at,
    missing_since,
    image_type,
    position_source,
    ...rest
  } = row;
  return {
    ...rest,
    file_path: joinPath(row.root, row.rel_path),
    file_name: row.rel_path.slice(row.rel_path.lastIndexOf('/') + 1),
    ingested_at: iso(ingested_at),
    updated_at: iso(updated_at),
    missing_since: missing_since === null ? null : iso(missing_since),
    image_type: image_type as ImageType | null,
    position_source: position_source as PositionSource | null,
    airmass_computed: d.fromDbBool(airmass_computed),
    footprint: d.fromDbJson<Array<[number, number]>>(footprint),
    quality_flag: d.fromDbBool(quality_flag),
    quality_components: d.fromDbJson<Record<string, unknown>>(quality_components),
  };
}

export function mapImagePath(row: ImagePathRow): CatalogImagePath {
  return {
    root: row.root,
    rel_path: row.rel_path,
    file_path: joinPath(row.root, row.rel_path),
    kind: row.kind,
    recorded_at: iso(row.recorded_at),
    missing_since: row.missing_since === null ? null : iso(row.missing_since),
  };
}

export function mapImageDetail(
  row: ImageRow,
  headers: ImageHeadersRow | undefined,
  paths: ImagePathRow[],
  d: DialectInfo,
): CatalogImageDetail {
  return {
    ...mapImage(row, d),
    header: d.fromDbJson<StoredHdu[]>(headers?.headers) ?? [],
    normalization: d.fromDbJson<Pick<NormalizedMetadata, 'reasons' | 'sources'>>(headers?.normalization),
    previous_versions: d.fromDbJson<PreviousVersion[]>(row.previous_versions) ?? [],
    paths: paths.map(mapImagePath),
  };
}
