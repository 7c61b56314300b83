/**
 * Reading the catalog: filtered pages, cone searches, facets and nights.
 *
 *   queryImages(db, filters, { sort?, limit?, offset?, cursor?, withTotal?, fields? }?): Promise<ImagePage>
 *       { total, total_exact, items, next_cursor }. `fields`: the items have only these fields, and
 *       only their columns are read. `cursor` (from a previous page's next_cursor)
 *       pages by keyset and ignores offset; next_cursor is null on the last page. limit default 50,
 *       at most 1000. The total is exact when the summary tables know it (no filter, or one filter
 *       they count) or when at most TOTAL_BOUND frames match; otherwise total = TOTAL_BOUND and
 *       total_exact = false ("more than 10,000"): an exact count would read every match.
 *   pageTotal(db, filters): Promise<{ total, exact }>
 *   iterateImages(db, filters, { sort?, batchSize?, fields? }?): AsyncGenerator<CatalogImage>   all matches by
 *       keyset (ZIP, exports); with `fields`, only those fields and their columns, as in queryImages
 *   countImages(db, filters): Promise<number>
 *   imageConditions(eb, filters, headerShape?, fenceProbe?)  the WHERE parts, for other queries over images
 *   (facets and nights: image-stats.ts)
 *
 * Filters are validated here as well (ImageQueryError BAD_FILTER/BAD_SORT/BAD_CURSOR).
 */
import { type Expression, type ExpressionBuilder, type OrderByItemBuilder, type SqlBool, sql } from 'kysely';
import type { ApiFieldName } from '../domain/image-fields.js';
import { EXACT_FILTERS, MATCH_FILTERS, RANGE_FILTERS, SORT_FIELDS } from '../domain/image-fields.js';
import { MS_PER_DAY } from '../util/time.js';
import {
  bucketAtOffset,
  bucketedFrames,
  type CountedField,
  countOf,
  dayAtOffset,
  isBucketed,
} from './catalog-summary.js';
import { coneTotal, newestInCone } from './cone-newest.js';
import type { Db } from './connection.js';
import { ciContains, ciEquals, escapeLike, likePattern } from './dialect.js';
import {
  type CatalogImage,
  IMAGE_ITEM_COLUMNS,
  type ImageItemRow,
  itemColumnsOf,
  mapImage,
  mapImageFields,
  objectKey,
} from './image.mapper.js';
import {
  DEFAULT_SORT,
  type HeaderFilter,
  type ImageFilters,
  ImageQueryError,
  minutesOfDay,
  type ResolvedNames,
  type SortColumn,
  type SortSpec,
  utcDayStartMs,
  validateImageFilters,
} from './image-filters.js';
import type { Schema } from './schema.js';
import { coneBounds, coneZones } from './sky-cone.js';

export type ImagesEb = ExpressionBuilder<Schema, 'images'>;

/** Sort names of the API → indexed columns. */
const SORT_REFS = SORT_FIELDS as Record<SortColumn, keyof ImageItemRow>;

type KeywordsEb = ExpressionBuilder<Schema, 'image_keywords'>;

/** The keyword rows a header filter matches (served by (key, num_value|str_value, image_id)). */
function keywordMatch(k: KeywordsEb, h: HeaderFilter): Expression<SqlBool> {
  const n = Number(h.value);
  if (h.op !== '=') return k.and([k('key', '=', h.key), k('num_value', h.op, n)]);
  const str = keywordText(h);
  return k.and([
    k('key', '=', h.key),
    isNumberValue(h) ? k.or([k('num_value', '=', n), k('str_value', '=', str)]) : k('str_value', '=', str),
  ]);
}

/** The text an `=` filter compares str_value with. FITS logical values: T/F as written in headers,
 * true/false as people type them. */
function keywordText(h: HeaderFilter): string {
  const text = h.value.toLowerCase();
  return text === 'true' ? 't' : text === 'false' ? 'f' : text;
}

const isNumberValue = (h: HeaderFilter) => h.value !== '' && Number.isFinite(Number(h.value));

/**
 * The image ids of a header filter's keyword rows, each part from one index alone. An equality
 * with a number matches num_value or str_value: as an OR, PostgreSQL combined the two indexes in a
 * bitmap and read a table page of image_keywords per match (4,885 for `header.FOCPOS=12345` at ten
 * million frames); as two selects in a UNION ALL each is an index-only range, in image_id order.
 * May list a frame twice (two HDUs, or both columns): `in` and `distinct` take care of it. The
 * selects name no outer table, so any query's expression builder can make them.
 */
function keywordImageIds(eb: ImagesEb, h: HeaderFilter) {
  const [first, second] = keywordParts(eb, h);
  return second ? first.unionAll(second) : first;
}

/** keywordImageIds' selects, one or two; each of an equality lists its rows in image_id order. */
function keywordParts(eb: ImagesEb, h: HeaderFilter) {
  const rows = () => eb.selectFrom('image_keywords').select('image_keywords.image_id');
  if (h.op !== '=' || !isNumberValue(h)) return [rows().where((k) => keywordMatch(k, h))] as const;
  return [
    rows().where('key', '=', h.key).where('num_value', '=', Number(h.value)),
    rows().where('key', '=', h.key).where('str_value', '=', keywordText(h)),
  ] as const;
}

/**
 * How a `header.KEY` filter joins image_keywords. SQLite's planner cannot cost the two shapes
 * against each other (measured at 1M frames: seconds against milliseconds either way round):
 *   'probe': each candidate frame is checked through (image_id, key, …) — right when other filters
 *            narrow the frames (a day, a night, an object, a cone), or when the keyword matches so
 *            many frames that reading them in sort order finds a page at once;
 *   'list':  the keyword index lists the frames — right when it matches few.
 */
export type HeaderShape = 'probe' | 'list';

/** `fence`: a probe stays a SubPlan run per row (dialect.fenceProbe); a list is never fenced. */
function headerCondition(eb: ImagesEb, h: HeaderFilter, shape: HeaderShape, fence: boolean): Expression<SqlBool> {
  if (shape === 'list') return eb('images.id', 'in', keywordImageIds(eb, h));
  const keywords = eb
    .selectFrom('image_keywords')
    .select('image_keywords.image_id')
    .where((k) => keywordMatch(k, h))
    .whereRef('image_keywords.image_id', '=', 'images.id');
  return eb.exists(fence ? keywords.offset(0) : keywords);
}

/** Whether the filters, without the header ones, already narrow the frames to a small set. */
function isNarrow(f: ImageFilters): boolean {
  return (
    f.date !== undefined ||
    f.night !== undefined ||
    (f.date_from !== undefined && f.date_to !== undefined) ||
    (f.object !== undefined && !f.object.trim().startsWith('*')) ||
    f.radius !== undefined
  );
}

/**
 * A cone: a prefilter an index can seek, then the exact test x·x0 + y·y0 + z·z0 ≥ cos r. `zones`
 * (where the (floor(dec_deg), ra_deg, …) index exists: not MariaDB): one RA range per whole degree
 * of declination, all-RA zones near a pole as one range of zones; otherwise the declination band
 * of the (dec_deg, ra_deg, …) index and the cone's RA interval(s).
 */
export function coneCondition(
  eb: ImagesEb,
  ra: number,
  dec: number,
  radius: number,
  zones = false,
): Expression<SqlBool> {
  const b = coneBounds(ra, dec, radius);
  const [x0, y0, z0] = b.center;
  const raIn = (intervals: Array<[number, number]>) =>
    intervals.map(([lo, hi]) => eb.and([eb('ra_deg', '>=', lo), eb('ra_deg', '<=', hi)]));
  const exact = eb(sql<number>`pos_x * ${x0} + pos_y * ${y0} + pos_z * ${z0}`, '>=', b.cosRadius);
  const byZone = zones ? coneZones(ra, dec, radius) : null;
  if (byZone) {
    const zone = sql<number>`floor(dec_deg)`;
    const seeks: Expression<SqlBool>[] = [];
    for (let i = 0; i < byZone.length; i++) {
      const z = byZone[i] as (typeof byZone)[number];
      if (z.raIntervals.length) {
        for (const r of raIn(z.raIntervals)) seeks.push(eb.and([eb(zone, '=', z.zone), r]));
        continue;
      }
      // Consecutive zones without an RA bound (around a pole): one range.
      let j = i;
      while (j + 1 < byZone.length && (byZone[j + 1] as (typeof byZone)[number]).raIntervals.length === 0) j++;
      const last = (byZone[j] as (typeof byZone)[number]).zone;
      seeks.push(j === i ? eb(zone, '=', z.zone) : eb.and([eb(zone, '>=', z.zone), eb(zone, '<=', last)]));
      i = j;
    }
    if (seeks.length === 0) return sql<SqlBool>`1 = 0`;
    return eb.and([seeks.length === 1 ? (seeks[0] as Expression<SqlBool>) : eb.or(seeks), exact]);
  }
  const parts: Expression<SqlBool>[] = [eb('dec_deg', '>=', b.decMin), eb('dec_deg', '<=', b.decMax)];
  if (b.raIntervals.length) parts.push(eb.or(raIn(b.raIntervals)));
  parts.push(exact);
  return eb.and(parts);
}

/** The LIKE pattern of an `object` value with `*` wildcards, on object_key. */
function objectPattern(object: string): string {
  const key = objectKey(object) ?? '';
  return escapeLike(key).replace(/\*+/g, '%');
}

function objectCondition(eb: ImagesEb, object: string, keys: string[] | undefined): Expression<SqlBool> {
  const key = objectKey(object) ?? '';
  if (!key.includes('*')) return eb('object_key', '=', key);
  if (keys) return keys.length ? eb('object_key', 'in', keys) : sql<SqlBool>`1 = 0`;
  return likePattern(eb.ref('object_key'), objectPattern(object));
}

/** Past this many object names, a pattern is tested on the frames instead of listing the names. */
const MAX_RESOLVED_OBJECTS = 200;

/** `lower(col) in (names)` for each column that has names, OR-ed; false when none has any. */
function namesIn(eb: ImagesEb, lists: Array<[NameColumn, string[]]>): Expression<SqlBool> {
  const parts = lists
    .filter(([, names]) => names.length > 0)
    .map(([column, names]) => eb(sql<string>`lower(${sql.ref(column)})`, 'in', names));
  if (parts.length === 0) return sql<SqlBool>`1 = 0`;
  return parts.length === 1 ? (parts[0] as Expression<SqlBool>) : eb.or(parts);
}

type NameColumn = 'camera' | 'instrument' | 'telescope' | 'observatory';

/** `part` in either of two name columns: by the names resolveNames found, else by a substring test. */
function nameParts(
  eb: ImagesEb,
  part: string,
  [first, firstNames]: [NameColumn, string[] | undefined],
  [second, secondNames]: [NameColumn, string[] | undefined],
): Expression<SqlBool> {
  return firstNames && secondNames
    ? namesIn(eb, [
        [first, firstNames],
        [second, secondNames],
      ])
    : eb.or([ciContains(eb.ref(first), part), ciContains(eb.ref(second), part)]);
}

/**
 * The `telescope` and `camera` filters match a part of a name. The few distinct names are in the
 * summary table: the part is matched against them, and the frames are then found by the exact
 * names through the lower(column) indexes, instead of testing the part against every frame.
 */
export async function resolveNames(db: Db, filters: ImageFilters): Promise<ImageFilters> {
  const pattern = filters.object?.includes('*') ? objectPattern(filters.object) : undefined;
  if (filters.resolved) return filters;
  const resolved: ResolvedNames = {};
  if (filters.radius !== undefined && db.dialect.name !== 'mysql') resolved.coneZones = true;
  if (filters.telescope === undefined && filters.camera === undefined && !pattern)
    return resolved.coneZones ? { ...filters, resolved } : filters;
  const lookup = async (fields: string[], part: string) => {
    const rows = await db.db
      .selectFrom('catalog_counts')
      .select(['field', 'key'])
      .where('field', 'in', fields)
      .where((eb) => ciContains(eb.ref('key'), part))
      .where('frames', '>', 0)
      .execute();
    return (field: string) => rows.filter((r) => r.field === field).map((r) => r.key);
  };
  if (pattern) {
    const rows = await db.db
      .selectFrom('catalog_counts')
      .select('key')
      .where('field', '=', 'object_name')
      .where((eb) => likePattern(eb.ref('key'), pattern))
      .where('frames', '>', 0)
      .limit(MAX_RESOLVED_OBJECTS + 1)
      .execute();
    if (rows.length <= MAX_RESOLVED_OBJECTS) resolved.object = rows.map((r) => r.key);
  }
  if (filters.telescope !== undefined) {
    const of = await lookup(['telescope', 'observatory'], filters.telescope);
    resolved.telescope = { telescope: of('telescope'), observatory: of('observatory') };
  }
  if (filters.camera !== undefined) {
    const of = await lookup(['camera', 'instrument'], filters.camera);
    resolved.camera = { camera: of('camera'), instrument: of('instrument') };
  }
  return { ...filters, resolved };
}

/** `fenceProbe`: a 'probe' stays a probe per row where the engine would make it a join (a page's walk). */
export function imageConditions(
  eb: ImagesEb,
  input: ImageFilters,
  headerShape?: HeaderShape,
  fenceProbe = false,
): Expression<SqlBool> {
  const f = validateImageFilters(input);
  const parts: Expression<SqlBool>[] = [];
  if (f.date !== undefined) {
    const start = utcDayStartMs(f.date) ?? 0;
    parts.push(eb('date_obs_ms', '>=', start), eb('date_obs_ms', '<', start + MS_PER_DAY));
  }
  if (f.date_from !== undefined) parts.push(eb('date_obs_ms', '>=', utcDayStartMs(f.date_from) ?? 0));
  if (f.date_to !== undefined) parts.push(eb('date_obs_ms', '<', (utcDayStartMs(f.date_to) ?? 0) + MS_PER_DAY));
  if (f.night !== undefined) parts.push(eb('night', '=', f.night));
  const start = f.start_time === undefined ? null : minutesOfDay(f.start_time);
  const end = f.end_time === undefined ? null : minutesOfDay(f.end_time);
  if (start !== null && end !== null)
    parts.push(
      start <= end
        ? eb.and([eb('time_of_day_min', '>=', start), eb('time_of_day_min', '<=', end)])
        : eb.or([eb('time_of_day_min', '>=', start), eb('time_of_day_min', '<=', end)]),
    );
  else if (start !== null) parts.push(eb('time_of_day_min', '>=', start));
  else if (end !== null) parts.push(eb('time_of_day_min', '<=', end));
  for (const rule of RANGE_FILTERS) {
    const value = f[rule.param];
    if (value !== undefined) parts.push(eb(rule.field, rule.op, value));
  }
  if (f.camera !== undefined) {
    const names = f.resolved?.camera;
    parts.push(nameParts(eb, f.camera, ['camera', names?.camera], ['instrument', names?.instrument]));
  }
  if (f.telescope !== undefined) {
    const names = f.resolved?.telescope;
    parts.push(nameParts(eb, f.telescope, ['telescope', names?.telescope], ['observatory', names?.observatory]));
  }
  for (const field of MATCH_FILTERS) {
    const value = f[field];
    if (value !== undefined) parts.push(ciEquals(eb.ref(field), value));
  }
  for (const field of EXACT_FILTERS) {
    const value = f[field];
    if (value !== undefined) parts.push(eb(field, '=', value));
  }
  if (f.object !== undefined) parts.push(objectCondition(eb, f.object, f.resolved?.object));
  if (f.image_type !== undefined) parts.push(eb('image_type', '=', f.image_type));
  if (f.ra !== undefined && f.dec !== undefined && f.radius !== undefined)
    parts.push(coneCondition(eb, f.ra, f.dec, f.radius, f.resolved?.coneZones === true));
  const frames = f.resolved?.headerFrames;
  if (frames) parts.push(frames);
  else {
    const shape = headerShape ?? (isNarrow(f) ? 'probe' : 'list');
    for (const h of f.header ?? []) parts.push(headerCondition(eb, h, shape, fenceProbe));
  }
  if (f.missing !== undefined) parts.push(eb('missing_since', f.missing ? 'is not' : 'is', null));
  return eb.and(parts);
}

// ——— pages ———

interface Cursor {
  s: SortColumn;
  d: 'asc' | 'desc';
  v: string | number | null;
  id: number;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string, sort: SortSpec): Cursor {
  let c: Cursor;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
  } catch {
    throw new ImageQueryError('BAD_CURSOR', 'cursor', 'not a cursor of this API');
  }
  if (
    typeof c !== 'object' ||
    c === null ||
    c.s !== sort.column ||
    c.d !== sort.direction ||
    !Number.isSafeInteger(c.id) ||
    !(c.v === null || typeof c.v === 'string' || typeof c.v === 'number')
  )
    throw new ImageQueryError('BAD_CURSOR', 'cursor', 'does not belong to this sort order');
  return c;
}

/** Rows strictly after the cursor in (column NULLS LAST, id) order. */
function afterCursor(eb: ImagesEb, sort: SortSpec, c: Cursor): Expression<SqlBool> {
  const col = SORT_REFS[sort.column];
  const op = sort.direction === 'asc' ? '>' : '<';
  if (col === 'id') return eb('id', op, c.id);
  if (c.v === null) return eb.and([eb(col, 'is', null), eb('id', op, c.id)]);
  return eb.or([eb(col, op, c.v), eb.and([eb(col, '=', c.v), eb('id', op, c.id)]), eb(col, 'is', null)]);
}

export interface PageOptions {
  sort?: SortSpec;
  limit?: number;
  offset?: number;
  cursor?: string;
  /** Count the matches (default true); bounded by TOTAL_BOUND unless the summary knows the total. */
  withTotal?: boolean;
  /** The bound of a total the summary does not know (default TOTAL_BOUND). */
  totalBound?: number;
  /**
   * Only these item fields, in this order (every field when absent or null). Only their columns
   * (and the id and sort column the cursor needs) are read: a page of 200 rows with all ~90 item
   * columns cost PostgreSQL's driver more to parse than the query cost to run.
   */
  fields?: readonly ApiFieldName[] | null;
}

export interface ImagePage<Item = CatalogImage> {
  total: number | null;
  /** false: more than `total` frames match (a bounded count). */
  total_exact: boolean;
  items: Item[];
  next_cursor: string | null;
}

export const MAX_PAGE_SIZE = 1000;

/** Past this many matches a page's total says "more than" instead of reading every match. */
export const TOTAL_BOUND = 10_000;

/**
 * A page's row. Typed with every item column, but it holds only the columns the page asked for
 * (`ItemColumns`): the id, the sort column and those of the asked fields; nothing else reads them.
 */
type ItemRow = ImageItemRow;
type ItemColumns = readonly (keyof ImageItemRow)[];

/**
 * The ORDER BY of a column whose NULLs the query already excludes. PostgreSQL matches an ORDER BY
 * to an index only with the same NULLS placement, and its date indexes are `desc nulls last`
 * (migrations 1130, 1200, 1120), where a bare DESC means NULLS FIRST; every other index is
 * ascending and read backwards for DESC, which a bare DESC matches. SQLite needs no clause.
 */
export function orderOf(ob: OrderByItemBuilder, db: Db, column: string, direction: 'asc' | 'desc'): OrderByItemBuilder {
  if (direction === 'asc') return ob.asc();
  return column === 'date_obs_ms' && db.dialect.supportsNullsOrderInIndex ? ob.desc().nullsLast() : ob.desc();
}

/**
 * One part of a page: the rows whose sort column is set (in index order, either direction), or
 * the rows where it is NULL (by id). NULLs go last in both directions; splitting the page in two
 * keeps both parts in the order of an index on (column, id) on both engines, where an explicit
 * NULLS LAST against an engine's own order would make it sort every match.
 */
/** `before`: where a deep page starts in the sort column (desc: values below it, asc: from it on). */
type PageRange = { limit: number; offset: number; cursor: Cursor | null; before?: number | undefined };

/**
 * `camera` and `telescope` match names in two columns (camera or instrument, telescope or
 * observatory). An OR of two indexes gives the matches unordered: SQLite read them all and sorted
 * them, or walked the date index testing each row. When both columns have names, the page is read
 * once per column through its (lower(column), date) index, in order, and the two are merged here.
 */
function nameArms(db: Db, f: ImageFilters): ImageFilters[] | null {
  if (db.dialect.name === 'mysql') return null;
  const camera = f.resolved?.camera;
  if (camera && camera.camera.length > 0 && camera.instrument.length > 0)
    return [
      { ...f, resolved: { ...f.resolved, camera: { camera: camera.camera, instrument: [] } } },
      { ...f, resolved: { ...f.resolved, camera: { camera: [], instrument: camera.instrument } } },
    ];
  const telescope = f.resolved?.telescope;
  if (telescope && telescope.telescope.length > 0 && telescope.observatory.length > 0)
    return [
      { ...f, resolved: { ...f.resolved, telescope: { telescope: telescope.telescope, observatory: [] } } },
      { ...f, resolved: { ...f.resolved, telescope: { telescope: [], observatory: telescope.observatory } } },
    ];
  return null;
}

/** Past this many rows before a page's end, the two name columns are read as one OR (nameArms). */
const MAX_MERGED_ROWS = 2000;

async function pageRows(
  db: Db,
  filters: ImageFilters,
  shape: HeaderShape | undefined,
  sort: SortSpec,
  part: 'set' | 'null',
  range: PageRange,
  columns: ItemColumns,
): Promise<ItemRow[]> {
  const arms = range.offset + range.limit <= MAX_MERGED_ROWS ? nameArms(db, filters) : null;
  if (!arms) return pageRowsOf(db, filters, shape, sort, part, range, columns);
  const col = SORT_REFS[sort.column];
  const upTo = { ...range, limit: range.offset + range.limit, offset: 0 };
  // Each column's ids and sort values only (from its (lower(column), date, id) index alone in the
  // date order), merged here; then the page's rows. Reading every column of both columns' pages
  // and dropping half of them was the slowest part of `camera=qhy` at 1M frames.
  const parts = await Promise.all(
    arms.map((arm) => pageQuery(db, arm, shape, sort, part, upTo, col === 'id' ? ['id'] : ['id', col]).execute()),
  );
  const keyOf = (r: Record<string, unknown>) => (part === 'set' && col !== 'id' ? r[col] : null);
  const byId = new Map<number, unknown>();
  for (const rows of parts) for (const r of rows) byId.set(Number(r.id), keyOf(r as Record<string, unknown>));
  const keyed = [...byId];
  // Merged here only by numbers (text would need the database's collation): else one OR query.
  if (keyed.some(([, v]) => v !== null && typeof v !== 'number'))
    return pageRowsOf(db, filters, shape, sort, part, range, columns);
  const sign = sort.direction === 'asc' ? 1 : -1;
  keyed.sort(([a, va], [b, vb]) => sign * (((va as number | null) ?? 0) - ((vb as number | null) ?? 0) || a - b));
  return rowsInOrder(
    db,
    keyed.slice(range.offset, range.offset + range.limit).map(([id]) => id),
    columns,
  );
}

/** The listed rows of a page, in the order of `ids`. */
async function rowsInOrder(db: Db, ids: readonly number[], columns: ItemColumns): Promise<ItemRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.db
    .selectFrom('images')
    .select(columns)
    .where((eb) => db.dialect.idIn(eb.ref('id'), ids))
    .execute();
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  return ids.flatMap((id) => byId.get(Number(id)) ?? []);
}

async function pageRowsOf(
  db: Db,
  filters: ImageFilters,
  shape: HeaderShape | undefined,
  sort: SortSpec,
  part: 'set' | 'null',
  range: PageRange,
  columns: ItemColumns,
): Promise<ItemRow[]> {
  if (range.offset < DEFERRED_OFFSET && filters.radius === undefined && shape === undefined) {
    if (columns === IMAGE_ITEM_COLUMNS || !db.dialect.sortCostGrowsWithColumns)
      return pageQuery(db, filters, shape, sort, part, range, columns).execute();
    // Planned with every item column, as a page always was, then only the asked ones taken out:
    // SQLite leaves the subquery's unused columns unread, and the outer LIMIT keeps it from
    // flattening the subquery into a query of fewer columns (which it would plan anew).
    const col = SORT_REFS[sort.column];
    const page = pageQuery(db, filters, shape, sort, part, range, IMAGE_ITEM_COLUMNS).as('p');
    return (await db.db
      .selectFrom(page)
      .select(columns.map((c) => sql.ref(`p.${c}`).as(c)))
      .$if(part === 'set' && col !== 'id', (q) => q.orderBy(sql.ref(`p.${col}`), sort.direction))
      .orderBy(sql.ref('p.id'), sort.direction)
      .limit(range.limit)
      .execute()) as unknown as ItemRow[];
  }
  // The ids of the page first, from an index alone, then their rows. A deep offset: reading every
  // skipped row made PostgreSQL fetch 100,000 table rows for `sort=fwhm_arcsec&offset=100000`. A
  // cone: its matches come from the zone index unordered, and sorting them with every column read
  // (1,451 rows for a 5° cone) cost ten times more than sorting their (date, id) from the index.
  // A header filter's list of matches, likewise: SQLite sorted 5,576 whole rows for
  // `header.FOCPOS<=11010` in 28 ms, their (date, id) in 5. And its probes: PostgreSQL read the
  // table row of each of the 8,427 frames it walked for `header.CCD-TEMP=-9.6` (38 ms), where
  // the ids come from the date index alone (15 ms).
  const ids =
    (part === 'set' && sort.column === 'date_obs' && sort.direction === 'desc' && range.before === undefined
      ? await newestInCone(db, filters, {
          limit: range.limit,
          offset: range.offset,
          ...(range.cursor && typeof range.cursor.v === 'number'
            ? { after: { dateMs: range.cursor.v, id: range.cursor.id } }
            : {}),
        })
      : null) ?? (await pageIds(db, filters, shape, sort, part, range));
  return rowsInOrder(db, ids.map(Number), columns);
}

/** The ids of a page, from indexes alone. */
async function pageIds(
  db: Db,
  filters: ImageFilters,
  shape: HeaderShape | undefined,
  sort: SortSpec,
  part: 'set' | 'null',
  range: PageRange,
): Promise<number[]> {
  const only = loneHeader(filters);
  const first = range.offset === 0 && range.cursor === null && range.before === undefined;
  if (
    shape === 'probe' &&
    only?.op === '=' &&
    first &&
    part === 'set' &&
    sort.column === 'date_obs' &&
    sort.direction === 'desc'
  ) {
    const ids = await newestOfKeyword(db, filters, only, range.limit);
    if (ids) return ids;
  }
  return (await pageQuery(db, filters, shape, sort, part, range, ['id']).execute()).map((r) => Number(r.id));
}

/**
 * The first page, newest first, of a keyword equality that many frames match ('probe'), without
 * probing every frame the walk passes. Frames are mostly catalogued in the order they were taken
 * (a watched folder, a backlog by night), so a keyword's newest frames are mostly among its
 * highest ids, which the keyword index lists in order for an equality: the page is taken from
 * a quarter more than its length of those, and then made exact. Any other match newer than the page's last
 * frame has a lower id than all of them; the dates down to that frame are walked for one, probing
 * only the frames with such lower ids. Null when the candidates hold too few dated frames.
 */
async function newestOfKeyword(
  db: Db,
  filters: ImageFilters,
  h: HeaderFilter,
  limit: number,
): Promise<number[] | null> {
  // A quarter more than the page: room for frames catalogued a little out of order.
  const pool = limit + Math.ceil(limit / 4);
  // Each part's highest ids, read backwards from its index. A part cut at the pool covers the ids
  // down to its last one only: the candidates are the ids at or above the highest such cut.
  const parts: number[][] = [];
  for (const part of keywordParts(db.db as unknown as ImagesEb, h))
    parts.push(
      (await part.orderBy('image_keywords.image_id', 'desc').limit(pool).execute()).map((r) => Number(r.image_id)),
    );
  const cut = Math.max(...parts.map((ids) => (ids.length < pool ? 0 : (ids[ids.length - 1] as number))));
  const candidates = [...new Set(parts.flat())].filter((id) => id >= cut);
  if (candidates.length === 0) return [];
  const newest = (a: { id: number; ms: number }, b: { id: number; ms: number }) => b.ms - a.ms || b.id - a.id;
  const dated = await db.db
    .selectFrom('images')
    .select(['id', 'date_obs_ms'])
    .where((eb) => db.dialect.idIn(eb.ref('id'), candidates))
    .where('date_obs_ms', 'is not', null)
    .execute();
  let page = dated
    .map((r) => ({ id: Number(r.id), ms: Number(r.date_obs_ms) }))
    .sort(newest)
    .slice(0, limit);
  // Fewer dated frames than the page: complete only when the candidates were every match.
  if (page.length < limit) return cut === 0 ? page.map((r) => r.id) : null;
  const last = page[limit - 1] as { id: number; ms: number };
  const missed = await db.db
    .selectFrom('images')
    .select(['id', 'date_obs_ms'])
    .where((eb) => imageConditions(eb, filters, 'probe', db.dialect.fenceProbe))
    // The date bounds the walk (an index range on every engine); the pair makes it exact on ties.
    .where('date_obs_ms', '>=', last.ms)
    .where(sql<SqlBool>`(date_obs_ms, id) > (${last.ms}, ${last.id})`)
    .where('id', '<', cut)
    .orderBy('date_obs_ms', (ob) => orderOf(ob, db, 'date_obs_ms', 'desc'))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  if (missed.length > 0)
    page = page
      .concat(missed.map((r) => ({ id: Number(r.id), ms: Number(r.date_obs_ms) })))
      .sort(newest)
      .slice(0, limit);
  return page.map((r) => r.id);
}

/** Past this offset a page finds its ids first and reads only their rows (pageRows). */
const DEFERRED_OFFSET = 1000;

function pageQuery<C extends keyof ImageItemRow>(
  db: Db,
  filters: ImageFilters,
  shape: HeaderShape | undefined,
  sort: SortSpec,
  part: 'set' | 'null',
  range: { limit: number; offset: number; cursor: Cursor | null; before?: number | undefined },
  columns: readonly C[],
) {
  const col = SORT_REFS[sort.column];
  const dir = sort.direction;
  const op = dir === 'asc' ? '>' : '<';
  const c = range.cursor;
  let query = db.db
    .selectFrom('images')
    .select(columns)
    // A page walks the sort order and probes each frame's keywords ('probe'): kept so on
    // PostgreSQL. Counts are not fenced: they need every match, which a join finds faster.
    .where((eb) => imageConditions(eb, filters, shape, db.dialect.fenceProbe));
  if (col === 'id') {
    if (c) query = query.where('id', op, c.id);
  } else if (part === 'set') {
    query = query.where(col, 'is not', null);
    // A row-value comparison, not `col < v or (col = v and id < id0)`: both engines start the
    // index scan at the cursor with it, where the OR made PostgreSQL read from the first row.
    if (c && c.v !== null) query = query.where(sql<SqlBool>`(${sql.ref(col)}, id) ${sql.raw(op)} (${c.v}, ${c.id})`);
    if (range.before !== undefined) query = query.where(col, dir === 'desc' ? '<' : '>=', range.before);
    query = query.orderBy(col, (ob) => orderOf(ob, db, col, dir));
  } else {
    query = query.where(col, 'is', null);
    if (c && c.v === null) query = query.where('id', op, c.id);
  }
  query = query.orderBy('id', dir).limit(range.limit);
  if (range.offset > 0) query = query.offset(range.offset);
  return query;
}

/**
 * Where a deep page of the whole catalog starts in its sort column, from the summary's counts (per
 * day for date_obs, per value bucket for BUCKETED_COLUMNS): a bound and the offset that remains
 * after it, so that the page reads a day's or a bucket's frames instead of every frame before it.
 * Past the last set value, `setFrames`: the NULLs' part starts at offset − setFrames, where the
 * page read the whole index twice to learn that (0.5 s at 1M on PostgreSQL). null: no counts.
 */
async function countedStart(
  db: Db,
  column: keyof ImageItemRow,
  direction: 'asc' | 'desc',
  offset: number,
): Promise<{ before: number; offset: number } | { setFrames: number } | null> {
  if (column === 'date_obs_ms') {
    const at = await dayAtOffset(db, direction, offset);
    if (!at) return { setFrames: await countOf(db, 'day', {}) };
    const start = Date.parse(`${at.day}T00:00:00Z`);
    return { before: direction === 'desc' ? start + MS_PER_DAY : start, offset: offset - at.skipped };
  }
  if (!isBucketed(column)) return null;
  const at = await bucketAtOffset(db, column, direction, offset);
  if (!at) return { setFrames: await bucketedFrames(db, column) };
  return { before: at.from, offset: offset - at.skipped };
}

export function queryImages(
  db: Db,
  input: ImageFilters,
  options?: PageOptions & { fields?: null | undefined },
): Promise<ImagePage>;
export function queryImages(
  db: Db,
  input: ImageFilters,
  options: PageOptions,
): Promise<ImagePage<Partial<CatalogImage>>>;
export async function queryImages(
  db: Db,
  input: ImageFilters,
  options: PageOptions = {},
): Promise<ImagePage<Partial<CatalogImage>>> {
  // Before any query: a bad value must be refused, not sent (MySQL would fail on a NaN).
  validateImageFilters(input);
  const resolved = await resolveNames(db, input);
  const sort = options.sort ?? DEFAULT_SORT;
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 0), MAX_PAGE_SIZE);
  const offset = Math.max(Math.trunc(options.offset ?? 0), 0);
  const cursor = options.cursor ? decodeCursor(options.cursor, sort) : null;
  const col = SORT_REFS[sort.column];
  const fields = options.fields ?? null;
  const columns: ItemColumns = fields
    ? [...new Set(['id', col, ...itemColumnsOf(fields)] as const)]
    : IMAGE_ITEM_COLUMNS;
  const plan = await headerPlan(db, resolved, options.withTotal === false ? 0 : (options.totalBound ?? TOTAL_BOUND));
  const shape = plan.shape;
  const filters = plan.filters ?? resolved;
  const whole = isWholeCatalog(filters);
  const want = limit + 1;
  let rows: ItemRow[] = [];
  if (col === 'id') rows = await pageRows(db, filters, shape, sort, 'set', { limit: want, offset, cursor }, columns);
  else {
    let nullOffset = offset;
    if (!cursor || cursor.v !== null) {
      let start: { before?: number; offset: number } = { offset: cursor ? 0 : offset };
      const counted = !cursor && offset > 0 && whole ? await countedStart(db, col, sort.direction, offset) : null;
      if (counted && 'setFrames' in counted) nullOffset = offset - counted.setFrames;
      else {
        if (counted) start = counted;
        rows = await pageRows(db, filters, shape, sort, 'set', { limit: want, cursor, ...start }, columns);
        if (rows.length > 0) nullOffset = 0;
        else if (!cursor && offset > 0) nullOffset = Math.max(0, offset - (await countImages(db, filters, col)));
      }
    }
    if (rows.length < want)
      rows = rows.concat(
        await pageRows(
          db,
          filters,
          shape,
          sort,
          'null',
          { limit: want - rows.length, offset: cursor ? 0 : nullOffset, cursor },
          columns,
        ),
      );
  }
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  const total = options.withTotal === false ? null : (plan.total ?? (await pageTotal(db, filters, options.totalBound)));
  return {
    total: total?.total ?? null,
    total_exact: total?.exact ?? true,
    items: fields ? page.map((r) => mapImageFields(r, fields, db.dialect)) : page.map((r) => mapImage(r, db.dialect)),
    next_cursor:
      more && last
        ? encodeCursor({ s: sort.column, d: sort.direction, v: last[col] as string | number | null, id: last.id })
        : null,
  };
}

/** How many columns the filters test (a range's two ends, a cone's three values count once). */
function filterColumns(f: ImageFilters): number {
  const groups = [
    f.date !== undefined || f.date_from !== undefined || f.date_to !== undefined,
    f.night !== undefined,
    f.start_time !== undefined || f.end_time !== undefined,
    f.min_temp !== undefined || f.max_temp !== undefined,
    f.min_quality !== undefined,
    f.filter_name !== undefined,
    f.object !== undefined,
    f.image_type !== undefined,
    f.radius !== undefined,
    f.missing !== undefined,
    // Names that match two columns (telescope or observatory) are an OR of two indexes.
    f.telescope !== undefined ? 2 : 0,
    f.camera !== undefined ? 2 : 0,
    (f.header ?? []).length,
  ];
  return groups.reduce<number>((n, g) => n + (typeof g === 'number' ? g : g ? 1 : 0), 0);
}

/** Whether no filter is set at all. */
export function isWholeCatalog(filters: ImageFilters): boolean {
  return Object.values(filters).every((v) => v === undefined || (Array.isArray(v) && v.length === 0));
}

/**
 * The total the summary tables know: no filter, or exactly one filter that they count by value.
 * null when they cannot answer.
 */
async function summaryTotal(db: Db, input: ImageFilters): Promise<number | null> {
  const f = validateImageFilters(input);
  const set = Object.entries(f).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0));
  const names = set.map(([k]) => k).sort();
  if (names.length === 0) return countOf(db, '*', {});
  const only = names.join(',');
  if (only === 'image_type' && f.image_type !== undefined) return countOf(db, 'image_type', { in: [f.image_type] });
  if (only === 'night' && f.night !== undefined) return countOf(db, 'night', { in: [f.night] });
  if (only === 'filter_name' && f.filter_name !== undefined)
    // Keys are lower() of SQL; for ASCII names (filter names are) the same as JS's.
    return /^[\x20-\x7e]*$/.test(f.filter_name)
      ? countOf(db, 'filter_name', { in: [f.filter_name.toLowerCase()] })
      : null;
  if (only === 'object' && f.object !== undefined && !f.object.includes('*'))
    return countOf(db, 'object_name', { in: [objectKey(f.object) ?? ''] });
  if (only === 'date' && f.date !== undefined) return countOf(db, 'day', { in: [f.date] });
  if ((only === 'date_from' || only === 'date_to' || only === 'date_from,date_to') && (f.date_from || f.date_to))
    return countOf(db, 'day', {
      ...(f.date_from ? { from: f.date_from } : {}),
      ...(f.date_to ? { to: f.date_to } : {}),
    });
  return null;
}

export async function pageTotal(
  db: Db,
  input: ImageFilters,
  bound = TOTAL_BOUND,
): Promise<{ total: number; exact: boolean }> {
  const known = await summaryTotal(db, input);
  if (known !== null) return { total: known, exact: true };
  const filters = await resolveNames(db, input);
  const cone = await coneTotal(db, filters, bound);
  if (cone) return cone;
  const named = await nameTotal(db, filters, bound);
  if (named) return named;
  const keyword = await keywordTotal(db, filters, bound);
  if (keyword) return keyword;
  const shape = await pageHeaderShape(db, filters);
  // One column's condition is counted from its (column, id) index alone, in index order. Several
  // conditions are counted in the order of a first page (dated frames newest first, then undated
  // ones), so that the planner weighs the count as it weighs the page: unordered, it took one
  // range's index and looked up every row that index listed, a hundred times slower than walking
  // the dates until the bound.
  const ordered = filterColumns(filters) > 1 || shape === 'probe';
  const counted = async (dated: boolean, limit: number) => {
    const page = db.db
      .selectFrom('images')
      .select('id')
      .where((eb) => imageConditions(eb, filters, shape))
      .$if(ordered, (q) =>
        q
          .where('date_obs_ms', dated ? 'is not' : 'is', null)
          .$if(dated, (o) => o.orderBy('date_obs_ms', (ob) => orderOf(ob, db, 'date_obs_ms', 'desc')))
          .orderBy('id', 'desc'),
      )
      .limit(limit);
    const row = await db.db
      .selectFrom(page.as('m'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  if (!ordered) {
    const n = await counted(true, bound + 1);
    return n > bound ? { total: bound, exact: false } : { total: n, exact: true };
  }
  let n = await counted(true, bound + 1);
  if (n <= bound) n += await counted(false, bound + 1 - n);
  return n > bound ? { total: bound, exact: false } : { total: n, exact: true };
}

/**
 * The total of a lone `camera` or `telescope` filter from the summary's counts of the names it
 * resolved to: exact when they are in one column only; more than `bound` when one column alone has
 * more. null when the summary cannot tell (the two columns may count the same frames).
 */
async function nameTotal(db: Db, f: ImageFilters, bound: number): Promise<{ total: number; exact: boolean } | null> {
  const set = Object.keys(f).filter((k) => k !== 'resolved' && f[k as keyof ImageFilters] !== undefined);
  if (set.length !== 1) return null;
  const pair: Array<[CountedField, string[]]> | null =
    set[0] === 'camera' && f.resolved?.camera
      ? [
          ['camera', f.resolved.camera.camera],
          ['instrument', f.resolved.camera.instrument],
        ]
      : set[0] === 'telescope' && f.resolved?.telescope
        ? [
            ['telescope', f.resolved.telescope.telescope],
            ['observatory', f.resolved.telescope.observatory],
          ]
        : null;
  if (!pair) return null;
  const counts = await Promise.all(pair.map(([field, names]) => countOf(db, field, { in: names })));
  const [first = 0, second = 0] = counts;
  if (first === 0 || second === 0) return { total: first + second, exact: true };
  return Math.max(first, second) > bound ? { total: bound, exact: false } : null;
}

/**
 * The total of a lone `header.KEY` filter, from the keyword index alone: its distinct frames up to
 * the bound (a frame may carry a keyword in several HDUs). Walking the frames by date and probing
 * each one's keywords read 10,001 frames for a keyword that every frame has.
 */
async function keywordTotal(db: Db, f: ImageFilters, bound: number): Promise<{ total: number; exact: boolean } | null> {
  const only = loneHeader(f);
  if (!only) return null;
  const n = await keywordFrames(db, only, bound + 1);
  return n > bound ? { total: bound, exact: false } : { total: n, exact: true };
}

/** The header filter when it is the only filter. */
function loneHeader(f: ImageFilters): HeaderFilter | null {
  const only = f.header?.[0];
  const set = Object.keys(f).filter((k) => k !== 'resolved' && f[k as keyof ImageFilters] !== undefined);
  return only && f.header?.length === 1 && set.length === 1 ? only : null;
}

/**
 * Distinct frames a keyword filter matches, counted from the keyword index up to `limit`. The
 * first `limit` rows are counted and their frames told apart after the limit: a DISTINCT before
 * the limit made PostgreSQL hash every row of a range (330,000 for `header.FOCPOS>=12340` at 1M
 * frames, 80 ms), where an equality's rows come in frame order and stream. Only when frames
 * carry the keyword in several HDUs so often that the first `limit` rows hold fewer frames is
 * the DISTINCT needed.
 */
async function keywordFrames(
  db: Db,
  h: HeaderFilter,
  limit: number,
  counted?: { n: number; frames: number },
): Promise<number> {
  const first = counted ?? (await firstKeywordRows(db, h, limit).executeTakeFirstOrThrow());
  if (Number(first.n) < limit || Number(first.frames) === limit) return Number(first.frames);
  const row = await db.db
    .selectFrom((eb) =>
      keywordRows(eb as ImagesEb, h)
        .distinct()
        .limit(limit)
        .as('m'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A keyword filter's rows, as one column `image_id` (a frame may come more than once). */
function keywordRows(eb: ImagesEb, h: HeaderFilter) {
  return eb.selectFrom((k) => keywordImageIds(k as ImagesEb, h).as('k')).select('k.image_id');
}

/** The first `limit` rows of a keyword filter: how many (`n`), and how many frames among them. */
function firstKeywordRows(db: Db, h: HeaderFilter, limit: number) {
  return db.db
    .selectFrom((eb) =>
      keywordRows(eb as ImagesEb, h)
        .limit(limit)
        .as('m'),
    )
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('m.image_id').distinct().as('frames')]);
}

/**
 * When a keyword matches more frames than this (or than COMMON_KEYWORD_SHARE of a small catalog), a
 * page walks the frames in sort order and probes the keyword of each ('probe'); below, the keyword
 * index lists the matches, which are then sorted ('list'). The walk reads about frames / matches ×
 * the page's rows, the list the matches: at a million frames and pages of 200 both read ~14,000.
 */
const COMMON_KEYWORD_MATCHES = 20_000;
const COMMON_KEYWORD_SHARE = 0.05;

/** The header shape for a page query (counts always use the narrowness rule). */
async function pageHeaderShape(db: Db, f: ImageFilters): Promise<HeaderShape | undefined> {
  return (await headerPlan(db, f, 0)).shape;
}

interface HeaderPlan {
  shape: HeaderShape | undefined;
  total?: { total: number; exact: boolean };
  /** The filters to page with: a listed keyword's frames in `resolved.headerFrames`. */
  filters?: ImageFilters;
}

/**
 * The header shape, and for a lone header filter its distinct frames up to max(threshold, bound)
 * + 1: one read of the keyword index gives both the shape and the page's total.
 */
async function headerPlan(db: Db, f: ImageFilters, bound: number): Promise<HeaderPlan> {
  const first = f.header?.[0];
  if (!first || isNarrow(f)) return { shape: undefined };
  const frames = await countOf(db, '*', {});
  const common = Math.ceil(Math.min(COMMON_KEYWORD_MATCHES, COMMON_KEYWORD_SHARE * frames));
  const lone = loneHeader(f);
  if (lone && db.dialect.joinedIds) return listedKeyword(db, f, lone, common, bound, db.dialect.joinedIds);
  if (lone && bound > 0) {
    const n = await keywordFrames(db, lone, Math.max(common, bound) + 1);
    return {
      shape: n > common ? 'probe' : 'list',
      total: n > bound ? { total: bound, exact: false } : { total: n, exact: true },
    };
  }
  // Counted from the keyword index alone, and only up to the threshold: counting every match of
  // a keyword in every frame read a million index entries (60–100 ms on SQLite) for this choice.
  const row = await db.db
    .selectFrom((eb) =>
      keywordRows(eb as ImagesEb, first)
        .limit(common + 1)
        .as('m'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { shape: Number(row.n) > common ? 'probe' : 'list' };
}

/**
 * A lone keyword where the engine hashes id arrays: one statement counts its first rows (as
 * keywordFrames does) and, when they are few enough for a list, also sends its frames, which then
 * serve the page's walk, its total and its undated part. PostgreSQL read a listed keyword's
 * frames three times before: counted, listed for the dated part, listed again for the undated one.
 */
async function listedKeyword(
  db: Db,
  f: ImageFilters,
  h: HeaderFilter,
  common: number,
  bound: number,
  joinedIds: NonNullable<Db['dialect']['joinedIds']>,
): Promise<HeaderPlan> {
  const limit = Math.max(common, bound) + 1;
  const listed = db.db
    .selectFrom((eb) => keywordRows(eb as ImagesEb, h).as('l'))
    .select(joinedIds(sql.ref('l.image_id')).as('ids'));
  const row = await db.db
    .selectFrom(firstKeywordRows(db, h, limit).as('a'))
    // The CASE leaves the list unread unless the count is small (PostgreSQL runs a subquery in a
    // branch not taken never).
    .select([
      'a.n',
      'a.frames',
      sql<string | null>`case when ${sql.ref('a.n')} <= ${common} then (${listed}) end`.as('ids'),
    ])
    .executeTakeFirstOrThrow();
  const totalOf = (n: number) =>
    bound === 0 ? undefined : n > bound ? { total: bound, exact: false } : { total: n, exact: true };
  const n = Number(row.n);
  if (n <= common) {
    const ids = [...new Set((row.ids ?? '').split(',').filter(Boolean).map(Number))];
    const headerFrames = ids.length > 0 ? db.dialect.idIn(sql.ref('images.id'), ids) : sql<SqlBool>`1 = 0`;
    return { shape: 'list', total: totalOf(ids.length), filters: { ...f, resolved: { ...f.resolved, headerFrames } } };
  }
  const frames = await keywordFrames(db, h, limit, { n, frames: Number(row.frames) });
  return { shape: frames > common ? 'probe' : 'list', total: totalOf(frames) };
}

/** Exact count of the matches (of those where `setColumn` is not NULL, when given). */
export async function countImages(db: Db, input: ImageFilters, setColumn?: keyof ImageItemRow): Promise<number> {
  const filters = await resolveNames(db, input);
  const row = await db.db
    .selectFrom('images')
    .where((eb) => imageConditions(eb, filters))
    .$if(setColumn !== undefined, (q) => q.where(setColumn as keyof ImageItemRow, 'is not', null))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function iterateImages(
  db: Db,
  filters: ImageFilters,
  options?: { sort?: SortSpec; batchSize?: number; fields?: null | undefined },
): AsyncGenerator<CatalogImage>;
export function iterateImages(
  db: Db,
  filters: ImageFilters,
  options: { sort?: SortSpec; batchSize?: number; fields?: readonly ApiFieldName[] | null },
): AsyncGenerator<Partial<CatalogImage>>;
export async function* iterateImages(
  db: Db,
  filters: ImageFilters,
  options: { sort?: SortSpec; batchSize?: number; fields?: readonly ApiFieldName[] | null } = {},
): AsyncGenerator<Partial<CatalogImage>> {
  let cursor: string | undefined;
  do {
    const page = await queryImages(db, filters, {
      sort: options.sort ?? { column: 'id', direction: 'asc' },
      limit: options.batchSize ?? 500,
      withTotal: false,
      fields: options.fields ?? null,
      ...(cursor ? { cursor } : {}),
    });
    yield* page.items;
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
}
