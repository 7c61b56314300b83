/**
 * Reading the catalog: filtered pages, cone searches, facets and nights.
 *
 *   queryImages(db, filters, { sort?, limit?, offset?, cursor?, withTotal? }?): Promise<ImagePage>
 *       { total, items, next_cursor }. `cursor` (from a previous page's next_cursor) pages by keyset
 *       and ignores offset; next_cursor is null on the last page. limit default 50, at most 1000.
 *   iterateImages(db, filters, { sort?, batchSize? }?): AsyncGenerator<CatalogImage>   all matches by keyset (ZIP)
 *   countImages(db, filters): Promise<number>
 *   imageConditions(eb, filters, headerShape?)  the WHERE parts, for other queries over images
 *   (facets and nights: image-stats.ts)
 *
 * Filters are validated here as well (ImageQueryError BAD_FILTER/BAD_SORT/BAD_CURSOR).
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { MATCH_FILTERS, RANGE_FILTERS, SORT_FIELDS } from '../domain/image-fields.js';
import { MS_PER_DAY } from '../util/time.js';
import type { Db } from './connection.js';
import { ciEquals } from './dialect.js';
import { type CatalogImage, IMAGE_ITEM_COLUMNS, type ImageItemRow, mapImage, objectKey } from './image.mapper.js';
import {
  DEFAULT_SORT,
  type HeaderFilter,
  type ImageFilters,
  ImageQueryError,
  minutesOfDay,
  type SortColumn,
  type SortSpec,
  utcDayStartMs,
  validateImageFilters,
} from './image-filters.js';
import type { Schema } from './schema.js';
import { coneBounds } from './sky-cone.js';

type ImagesEb = ExpressionBuilder<Schema, 'images'>;

/** Sort names of the API → indexed columns. */
const SORT_REFS = SORT_FIELDS as Record<SortColumn, keyof ImageItemRow>;

type KeywordsEb = ExpressionBuilder<Schema, 'image_keywords'>;

/** The keyword rows a header filter matches (served by (key, num_value|str_value, image_id)). */
function keywordMatch(k: KeywordsEb, h: HeaderFilter): Expression<SqlBool> {
  const n = Number(h.value);
  if (h.op !== '=') return k.and([k('key', '=', h.key), k('num_value', h.op, n)]);
  const text = h.value.toLowerCase();
  // FITS logical values: T/F as written in headers, true/false as people type them.
  const str = text === 'true' ? 't' : text === 'false' ? 'f' : text;
  return k.and([
    k('key', '=', h.key),
    h.value !== '' && Number.isFinite(n)
      ? k.or([k('num_value', '=', n), k('str_value', '=', str)])
      : k('str_value', '=', str),
  ]);
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

function headerCondition(eb: ImagesEb, h: HeaderFilter, shape: HeaderShape): Expression<SqlBool> {
  const keywords = eb
    .selectFrom('image_keywords')
    .select('image_keywords.image_id')
    .where((k) => keywordMatch(k, h));
  return shape === 'probe'
    ? eb.exists(keywords.whereRef('image_keywords.image_id', '=', 'images.id'))
    : eb('images.id', 'in', keywords);
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

function coneCondition(eb: ImagesEb, ra: number, dec: number, radius: number): Expression<SqlBool> {
  const b = coneBounds(ra, dec, radius);
  const [x0, y0, z0] = b.center;
  const parts: Expression<SqlBool>[] = [eb('dec_deg', '>=', b.decMin), eb('dec_deg', '<=', b.decMax)];
  if (b.raIntervals.length)
    parts.push(eb.or(b.raIntervals.map(([lo, hi]) => eb.and([eb('ra_deg', '>=', lo), eb('ra_deg', '<=', hi)]))));
  parts.push(eb(sql<number>`pos_x * ${x0} + pos_y * ${y0} + pos_z * ${z0}`, '>=', b.cosRadius));
  return eb.and(parts);
}

function objectCondition(eb: ImagesEb, object: string): Expression<SqlBool> {
  const key = objectKey(object) ?? '';
  if (!key.includes('*')) return eb('object_key', '=', key);
  const pattern = key.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*+/g, '%');
  return sql<SqlBool>`object_key like ${pattern} escape '\\'`;
}

export function imageConditions(eb: ImagesEb, input: ImageFilters, headerShape?: HeaderShape): Expression<SqlBool> {
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
  if (f.camera !== undefined)
    parts.push(eb.or([ciEquals(eb.ref('camera'), f.camera), ciEquals(eb.ref('instrument'), f.camera)]));
  for (const field of MATCH_FILTERS) {
    const value = f[field];
    if (value !== undefined) parts.push(ciEquals(eb.ref(field), value));
  }
  if (f.object !== undefined) parts.push(objectCondition(eb, f.object));
  if (f.image_type !== undefined) parts.push(eb('image_type', '=', f.image_type));
  if (f.ra !== undefined && f.dec !== undefined && f.radius !== undefined)
    parts.push(coneCondition(eb, f.ra, f.dec, f.radius));
  const shape = headerShape ?? (isNarrow(f) ? 'probe' : 'list');
  for (const h of f.header ?? []) parts.push(headerCondition(eb, h, shape));
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
  /** Count all matches (default true). */
  withTotal?: boolean;
}

export interface ImagePage {
  total: number | null;
  items: CatalogImage[];
  next_cursor: string | null;
}

export const MAX_PAGE_SIZE = 1000;

export async function queryImages(db: Db, filters: ImageFilters, options: PageOptions = {}): Promise<ImagePage> {
  const sort = options.sort ?? DEFAULT_SORT;
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 0), MAX_PAGE_SIZE);
  const offset = Math.max(Math.trunc(options.offset ?? 0), 0);
  const cursor = options.cursor ? decodeCursor(options.cursor, sort) : null;
  const col = SORT_REFS[sort.column];
  const shape = await pageHeaderShape(db, filters);
  const where = (eb: ImagesEb) => imageConditions(eb, filters, shape);
  let query = db.db.selectFrom('images').select(IMAGE_ITEM_COLUMNS).where(where);
  if (cursor) query = query.where((eb) => afterCursor(eb, sort, cursor));
  if (col !== 'id') {
    // NULLs last in both directions; said explicitly only where it is not the dialect's own order,
    // because an explicit clause can keep SQLite from reading the index in order.
    const natural = db.dialect.nullsAreSmallest === (sort.direction === 'desc');
    query = query.orderBy(col, (ob) => {
      const directed = sort.direction === 'asc' ? ob.asc() : ob.desc();
      return natural ? directed : directed.nullsLast();
    });
  }
  query = query.orderBy('id', sort.direction).limit(limit + 1);
  if (!cursor && offset) query = query.offset(offset);
  const rows = await query.execute();
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  const total = options.withTotal === false ? null : await countImages(db, filters);
  return {
    total,
    items: page.map((r) => mapImage(r, db.dialect)),
    next_cursor:
      more && last
        ? encodeCursor({ s: sort.column, d: sort.direction, v: last[col] as string | number | null, id: last.id })
        : null,
  };
}

/** Frames a keyword must match, as a share of the catalog, before a page reads frames in sort order. */
const COMMON_KEYWORD_SHARE = 0.05;

/** The header shape for a page query (counts always use the narrowness rule). */
async function pageHeaderShape(db: Db, f: ImageFilters): Promise<HeaderShape | undefined> {
  const first = f.header?.[0];
  if (!first || isNarrow(f)) return undefined;
  // Both counts come from indexes alone: the keyword index (covering) and the rowid's maximum.
  const matches = await db.db
    .selectFrom('image_keywords')
    .where((k) => keywordMatch(k, first))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const frames = await db.db
    .selectFrom('images')
    .select((eb) => eb.fn.max('id').as('n'))
    .executeTakeFirstOrThrow();
  return Number(matches.n) > COMMON_KEYWORD_SHARE * Number(frames.n ?? 0) ? 'probe' : 'list';
}

export async function countImages(db: Db, filters: ImageFilters): Promise<number> {
  const row = await db.db
    .selectFrom('images')
    .where((eb) => imageConditions(eb, filters))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function* iterateImages(
  db: Db,
  filters: ImageFilters,
  options: { sort?: SortSpec; batchSize?: number } = {},
): AsyncGenerator<CatalogImage> {
  let cursor: string | undefined;
  do {
    const page = await queryImages(db, filters, {
      sort: options.sort ?? { column: 'id', direction: 'asc' },
      limit: options.batchSize ?? 500,
      withTotal: false,
      ...(cursor ? { cursor } : {}),
    });
    yield* page.items;
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
}
