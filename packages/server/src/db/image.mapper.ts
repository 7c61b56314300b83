/**
 * Images between the catalog's rows and the API's objects.
 *
 *   NewImage                      what ingest hands to insertImage/updateImage
 *   CatalogImage                  one item of GET /api/images (contract field names)
 *   CatalogImageDetail            GET /api/images/{id}: adds header, normalization, versions, paths
 *   mapImage(row, dialect)        ImageRow → CatalogImage
 *   itemColumnsOf(fields), mapImageFields(row, fields, dialect)  the same for some fields only
 *   mapImageDetail(row, headers, paths, dialect) → CatalogImageDetail
 *   toImageRow(image, dialect, nowMs)  NewImage → the `images` columns to write (derived keys included)
 *   toImageHeadersRow(id, image, dialect)  NewImage → its `image_headers` row
 *   objectKey(name)               the normalized object name the `object` filter compares with
 *   unitVector(raDeg, decDeg)     [x, y, z] stored for cone searches
 */

import type { EncodedHeaders } from '../domain/header-encoding.js';
import type {
  HduChecksumRecord,
  ImageMetadata,
  NormalizedMetadata,
  QualityMetrics,
  QualityScore,
  StoredHdu,
} from '../domain/image.js';
import {
  API_FIELDS,
  type ApiFieldName,
  type ChecksumStatus,
  COLUMN_FIELDS,
  type ColumnFieldName,
  emptyValue,
  type FieldGroup,
  type FieldType,
  type FixityStatus,
  fieldSpec,
  fieldsOfGroup,
  type ImageItemRecord,
} from '../domain/image-fields.js';
import type { DbBool, DialectInfo } from './dialect.js';
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
  /** FITS CHECKSUM/DATASUM as verified at ingest; null when they were not looked at. */
  checksum_status?: ChecksumStatus | null;
  checksum_hdus?: HduChecksumRecord[] | null;
  metadata: ImageMetadata;
  /** The reasons and sources of the normalization, or the same already as JSON text (by an ingest worker). */
  normalization?: Pick<NormalizedMetadata, 'reasons' | 'sources'> | { json: string } | null;
  quality?: QualityMetrics | null;
  score?: QualityScore | null;
  /** Every HDU's cards, or the same already encoded for the catalog (by an ingest worker). */
  headers: StoredHdu[] | EncodedHeaders;
}

export interface PreviousVersion {
  sha256: string;
  size_bytes: number;
  mtime_ms: number;
  replaced_at: string;
}

/** One item of GET /api/images: every API field of the field table. */
export type CatalogImage = ImageItemRecord;

export interface CatalogImagePath {
  root: string;
  rel_path: string;
  file_path: string;
  kind: ImagePathKind;
  recorded_at: string;
  missing_since: string | null;
  verified_at: string | null;
  fixity_status: FixityStatus | null;
  fixity_reason: string | null;
}

export type CatalogImageDetail = CatalogImage & {
  header: StoredHdu[];
  normalization: Pick<NormalizedMetadata, 'reasons' | 'sources'> | null;
  previous_versions: PreviousVersion[];
  paths: CatalogImagePath[];
  /** Per HDU: CHECKSUM and DATASUM as verified at ingest (empty when not looked at). */
  checksums: HduChecksumRecord[];
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

type ColumnSpec = readonly [name: ColumnFieldName, type: FieldType, empty: null | false];
const columnsOf = (group: FieldGroup): ColumnSpec[] =>
  COLUMN_FIELDS.filter((name) => fieldSpec(name).group === group).map((name) => [
    name,
    fieldSpec(name).type,
    emptyValue(name),
  ]);
const METADATA_COLUMNS = columnsOf('metadata');
const QUALITY_COLUMNS = columnsOf('quality');
const SCORE_COLUMNS = columnsOf('score');

function toDbValue(type: FieldType, value: unknown, d: DialectInfo): unknown {
  if (type === 'boolean') return d.toDbBool(value === true);
  if (type === 'json') return d.toDbJson(value);
  return value;
}

/** Values of one record (metadata, quality, score) as columns; a missing record is all empty. */
function recordColumns(
  out: Record<string, unknown>,
  columns: ColumnSpec[],
  record: object | null | undefined,
  d: DialectInfo,
): void {
  const values = record as Record<string, unknown> | null | undefined;
  for (const [name, type, empty] of columns) out[name] = toDbValue(type, values?.[name] ?? empty, d);
}

export function toImageRow(image: NewImage, d: DialectInfo, nowMs: number): Omit<NewImageRow, 'ingested_at'> {
  const { metadata: m } = image;
  const position = m.ra_deg !== null && m.dec_deg !== null ? unitVector(m.ra_deg, m.dec_deg) : null;
  const row: Record<string, unknown> = {
    root: image.root,
    rel_path: image.rel_path,
    size_bytes: image.size_bytes,
    mtime_ms: image.mtime_ms,
    inode: image.inode,
    sha256: image.sha256,
    hdu_index: image.hdu_index,
    updated_at: nowMs,
    missing_since: null,
    checksum_status: image.checksum_status ?? null,
    checksum_hdus: d.toDbJson(image.checksum_hdus ?? null),
    // Ingest has just read and hashed the file: that is its first fixity check.
    verified_at: nowMs,
    fixity_status: 'ok',
    fixity_reason: null,
    object_key: objectKey(m.object_name),
    pos_x: position?.[0] ?? null,
    pos_y: position?.[1] ?? null,
    pos_z: position?.[2] ?? null,
  };
  recordColumns(row, METADATA_COLUMNS, m, d);
  recordColumns(row, QUALITY_COLUMNS, image.quality, d);
  recordColumns(row, SCORE_COLUMNS, image.score, d);
  return row as Omit<NewImageRow, 'ingested_at'>;
}

export function toImageHeadersRow(imageId: number, image: NewImage, d: DialectInfo): ImageHeadersRow {
  return {
    image_id: imageId,
    // JSON text on every engine (toDbJson): the encoded text is what it would give.
    headers: Array.isArray(image.headers) ? d.toDbJson(image.headers) : (image.headers as EncodedHeaders).json,
    normalization:
      image.normalization && 'json' in image.normalization
        ? image.normalization.json
        : d.toDbJson(image.normalization ?? null),
  };
}

/** The pixel-measured columns (QualityMetrics), in one place for every query that reads them. */
export const QUALITY_METRIC_COLUMNS = fieldsOfGroup('quality');

/** The columns an API item is made from (file_path and file_name come from root and rel_path). */
export const IMAGE_ITEM_COLUMNS = COLUMN_FIELDS.filter((name) => fieldSpec(name).api !== false) as ItemColumn[];

type ItemColumn = ColumnFieldName & ApiFieldName;
export type ImageItemRow = Pick<ImageRow, ItemColumn>;

type ItemReader = (row: Record<string, unknown>, d: DialectInfo) => unknown;

function itemReader(name: ApiFieldName): ItemReader {
  const spec = fieldSpec(name);
  if (name === 'file_path') return (row) => joinPath(row.root as string, row.rel_path as string);
  if (name === 'file_name') {
    return (row) => {
      const rel = row.rel_path as string;
      return rel.slice(rel.lastIndexOf('/') + 1);
    };
  }
  if (spec.column === false) throw new Error(`no rule computes the API field ${name}`);
  switch (spec.type) {
    case 'instant':
      return (row) => (row[name] === null ? null : iso(Number(row[name])));
    case 'boolean':
      return (row, d) => d.fromDbBool(row[name] as DbBool | null);
    case 'json':
      return (row, d) => d.fromDbJson(row[name]);
    default:
      return (row) => row[name];
  }
}

/** How each item field is read from a row, in the order of the item schema. */
const ITEM_READERS = API_FIELDS.map((name) => [name, itemReader(name)] as const);

export function mapImage(row: ImageItemRow, d: DialectInfo): CatalogImage {
  const item: Record<string, unknown> = {};
  const values = row as unknown as Record<string, unknown>;
  for (const [name, read] of ITEM_READERS) item[name] = read(values, d);
  return item as CatalogImage;
}

const READER_OF = new Map<string, ItemReader>(ITEM_READERS);

/** The columns the item fields `fields` are read from (file_path: root and rel_path). */
export function itemColumnsOf(fields: readonly ApiFieldName[]): ItemColumn[] {
  const columns = new Set<ItemColumn>();
  for (const name of fields) {
    if (name === 'file_path') columns.add('root' as ItemColumn).add('rel_path' as ItemColumn);
    else if (name === 'file_name') columns.add('rel_path' as ItemColumn);
    else columns.add(name as ItemColumn);
  }
  return [...columns];
}

/**
 * An item with only `fields`, in that order, from a row that has at least their columns
 * (itemColumnsOf): `mapImage` and then a pick of the fields, without reading the other columns.
 */
export function mapImageFields(
  row: Partial<ImageItemRow>,
  fields: readonly ApiFieldName[],
  d: DialectInfo,
): Partial<CatalogImage> {
  const item: Record<string, unknown> = {};
  const values = row as Record<string, unknown>;
  for (const name of fields) item[name] = (READER_OF.get(name) as ItemReader)(values, d);
  return item as Partial<CatalogImage>;
}

export function mapImagePath(row: ImagePathRow): CatalogImagePath {
  return {
    root: row.root,
    rel_path: row.rel_path,
    file_path: joinPath(row.root, row.rel_path),
    kind: row.kind,
    recorded_at: iso(row.recorded_at),
    missing_since: row.missing_since === null ? null : iso(row.missing_since),
    verified_at: row.verified_at === null ? null : iso(Number(row.verified_at)),
    fixity_status: row.fixity_status as FixityStatus | null,
    fixity_reason: row.fixity_reason,
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
    checksums: d.fromDbJson<HduChecksumRecord[]>(row.checksum_hdus) ?? [],
  };
}
