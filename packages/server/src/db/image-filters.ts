/**
 * The filters of GET /api/images (the public API, docs/api.md): their types, their validation, and
 * the parsing of header filters and of the sort. No SQL here: db/image-query.ts turns filters into
 * SQL, and http/image-filters.request.ts reads them from a request.
 *
 *   ImageFilters                      what image-query.ts understands
 *   validateImageFilters(filters)     checks filters built from a request or in code; throws
 *                                     ImageQueryError BAD_FILTER naming the field
 *   parseHeaderFilter(key, value)     `header.KEY=v`, `header.KEY>=v` (URL: key `header.KEY>`), `header.KEY<=v`
 *   parseSort(sort?, order?)          `date_obs`, `-date_obs` or `date_obs` + order=desc → SortSpec
 *   minutesOfDay('HH:MM')
 *
 * Choices (documented for the API page):
 *   - date: the UTC calendar day of date_obs. night: the observing night (local date at its start).
 *   - start_time/end_time: UTC time of day of date_obs, minute resolution, both ends inclusive;
 *     start > end means a range across midnight (22:00–04:00). Either alone is a half-open bound.
 *   - filter_name: case-insensitive equality. telescope: a case-insensitive part of the telescope's
 *     or the observatory's name ("winer" finds "Winer Observatory"). camera: a case-insensitive part
 *     of the camera's or the instrument's name. image_type: one of light|dark|flat|bias|other.
 *   - object: case-insensitive and blanks ignored ("M 13" = "m13"); exact by default, `*` is a
 *     wildcard ("M*", "*leo*") for prefix and substring searches.
 *   - header.KEY: keyword in any HDU; string comparison case-insensitive; numbers compare as numbers
 *     (including numbers written as strings); T/F match logical cards.
 *   - ra/dec/radius in degrees, all three or none; radius in (0, 180].
 */
import type { Expression, SqlBool } from 'kysely';
import { IMAGE_TYPES, type ImageType } from '../domain/image.js';
import {
  EXACT_FILTERS,
  fieldSpec,
  type MatchFilterParam,
  RANGE_FILTERS,
  type RangeFilterParam,
  SORT_FIELDS,
  type SortColumn,
} from '../domain/image-fields.js';

export type HeaderOp = '=' | '>=' | '<=';

export interface HeaderFilter {
  key: string;
  op: HeaderOp;
  value: string;
}

/** The filters with rules of their own; range and text filters come from the field table. */
interface SpecialFilters {
  date?: string;
  /** Inclusive UTC day range (YYYY-MM-DD). */
  date_from?: string;
  date_to?: string;
  night?: string;
  start_time?: string;
  end_time?: string;
  camera?: string;
  /** A part of the telescope's or the observatory's name. */
  telescope?: string;
  object?: string;
  image_type?: ImageType;
  ra?: number;
  dec?: number;
  radius?: number;
  header?: HeaderFilter[];
  /** true: only images whose file is missing; false: only present ones; absent: both. */
  missing?: boolean;
  /**
   * The exact lower-cased names that the `telescope` and `camera` parts match, found in the
   * summary tables (image-query.ts resolveNames); set by the catalog, never by a caller.
   */
  resolved?: ResolvedNames;
}

export interface ResolvedNames {
  /** object_key values that an `object` pattern with `*` matches (absent: too many, use LIKE). */
  object?: string[];
  telescope?: { telescope: string[]; observatory: string[] };
  camera?: { camera: string[]; instrument: string[] };
  /** A cone is searched through the declination-zone index (migration 1600; not on MariaDB). */
  coneZones?: boolean;
  /**
   * In place of the lone `header` filter: `images.id` among its frames, listed from the keyword
   * index once for a page, its total and its undated part (where the engine hashes id arrays and
   * the keyword matches few).
   */
  headerFrames?: Expression<SqlBool>;
}

export type ImageFilters = SpecialFilters & { [P in RangeFilterParam]?: number } & { [P in MatchFilterParam]?: string };

/** Sort names allowed by `sort` (the field table's sortable fields). */
export const SORT_COLUMNS = Object.keys(SORT_FIELDS) as SortColumn[];
export type { SortColumn };

export interface SortSpec {
  column: SortColumn;
  direction: 'asc' | 'desc';
}

export const DEFAULT_SORT: SortSpec = { column: 'date_obs', direction: 'desc' };

export class ImageQueryError extends Error {
  override readonly name = 'ImageQueryError';
  constructor(
    readonly code: 'BAD_FILTER' | 'BAD_SORT' | 'BAD_CURSOR',
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
const KEY_RE = /^[A-Za-z0-9_\-. ]{1,70}$/;

/** Epoch ms of 00:00 UTC of a YYYY-MM-DD day, or null if it is not a real date. */
export function utcDayStartMs(day: string): number | null {
  const m = DAY_RE.exec(day);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().startsWith(day) ? ms : null;
}

export function minutesOfDay(hhmm: string): number | null {
  const m = TIME_RE.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

function fail(field: string, message: string): never {
  throw new ImageQueryError('BAD_FILTER', field, message);
}

function finite(field: string, value: number | undefined, min = -Infinity, max = Infinity): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < min || value > max) fail(field, `must be a number in [${min}, ${max}]`);
}

export function validateImageFilters(f: ImageFilters): ImageFilters {
  for (const field of ['date', 'date_from', 'date_to', 'night'] as const) {
    const v = f[field];
    if (v !== undefined && utcDayStartMs(v) === null) fail(field, `expected YYYY-MM-DD, got '${v}'`);
  }
  for (const field of ['start_time', 'end_time'] as const) {
    const v = f[field];
    if (v !== undefined && minutesOfDay(v) === null) fail(field, `expected HH:MM (00:00–23:59), got '${v}'`);
  }
  for (const rule of RANGE_FILTERS) finite(rule.param, f[rule.param], rule.minimum, rule.maximum);
  finite('ra', f.ra);
  finite('dec', f.dec, -90, 90);
  finite('radius', f.radius, 0, 180);
  const cone = [f.ra, f.dec, f.radius].filter((v) => v !== undefined).length;
  if (cone !== 0 && cone !== 3) fail('radius', 'ra, dec and radius go together');
  if (f.radius !== undefined && f.radius <= 0) fail('radius', 'must be greater than 0');
  if (f.image_type !== undefined && !IMAGE_TYPES.includes(f.image_type))
    fail('image_type', `must be one of ${IMAGE_TYPES.join(', ')}`);
  for (const field of EXACT_FILTERS) {
    const values = fieldSpec(field).values ?? [];
    const v = f[field];
    if (v !== undefined && !values.includes(v)) fail(field, `must be one of ${values.join(', ')}`);
  }
  for (const h of f.header ?? []) {
    if (!KEY_RE.test(h.key)) fail(`header.${h.key}`, 'not a FITS keyword');
    if (h.op !== '=' && !Number.isFinite(Number(h.value)))
      fail(`header.${h.key}`, `a range needs a number, got '${h.value}'`);
  }
  return f;
}

export function parseHeaderFilter(key: string, value: string): HeaderFilter {
  // `?header.EXPTIME>=30` reaches us as key `header.EXPTIME>` and value `30`.
  let name = key.replace(/^header\./, '');
  let op: HeaderOp = '=';
  if (name.endsWith('>')) [name, op] = [name.slice(0, -1), '>='];
  else if (name.endsWith('<')) [name, op] = [name.slice(0, -1), '<='];
  else if (value.startsWith('>=')) [value, op] = [value.slice(2), '>='];
  else if (value.startsWith('<=')) [value, op] = [value.slice(2), '<='];
  const filter = { key: name.trim().toUpperCase(), op, value: value.trim() };
  validateImageFilters({ header: [filter] });
  return filter;
}

export function parseSort(sort?: string, order?: string): SortSpec {
  if (sort === undefined || sort.trim() === '') return DEFAULT_SORT;
  let name = sort.trim();
  let direction: 'asc' | 'desc' = 'asc';
  if (name.startsWith('-')) [name, direction] = [name.slice(1), 'desc'];
  const colon = /^(\w+):(asc|desc)$/i.exec(name);
  if (colon?.[1] && colon[2]) [name, direction] = [colon[1], colon[2].toLowerCase() as 'asc' | 'desc'];
  if (order !== undefined && order.trim() !== '') {
    const o = order.trim().toLowerCase();
    if (o !== 'asc' && o !== 'desc') throw new ImageQueryError('BAD_SORT', 'order', 'expected asc or desc');
    direction = o;
  }
  if (!(SORT_COLUMNS as readonly string[]).includes(name))
    throw new ImageQueryError('BAD_SORT', 'sort', `must be one of ${SORT_COLUMNS.join(', ')}`);
  return { column: name as SortColumn, direction };
}
