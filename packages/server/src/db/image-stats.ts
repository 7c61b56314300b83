/**
 * Aggregates over the images that match a set of filters.
 *
 *   imageFacets(db, filters, { limit? }?): Promise<ImageFacets>
 *       For filter_name, object_name, telescope, camera, instrument, night and image_type: distinct
 *       values with their counts, most frequent first (night: newest first), at most `limit` each
 *       (default 100). Values that the filters treat alike are counted together (filter "r" and "R",
 *       object "M 13" and "M13"); the value shown is one of the spellings and filters back to them all.
 *   nightsSummary(db, filters, { limit? }?): Promise<NightSummary[]>
 *       Per observing night, newest first (default 366 nights): frames, exposure, first/last date_obs,
 *       median FWHM (arcsec and px), CCD temperature range, mean quality score, flagged frames.
 *   imageFacetsByScan / nightsSummaryByScan   the same counted from images (what the summary must equal)
 *   isWholeCatalog(filters)       no filter set: the answer comes from the summary tables
 *
 * Without filters both read the summary tables (catalog-summary.ts), a few thousand rows, instead of
 * grouping every frame.
 */
import { type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from 'kysely';
import { newestNights, readCounts, readNights } from './catalog-summary.js';
import { newestInCone } from './cone-newest.js';
import type { Db } from './connection.js';
import type { ImageFilters } from './image-filters.js';
import { imageConditions, isWholeCatalog, orderOf, resolveNames } from './image-query.js';
import type { Schema } from './schema.js';

export interface FacetCount {
  value: string;
  count: number;
}

export const FACET_FIELDS = [
  'filter_name',
  'object_name',
  'telescope',
  'camera',
  'instrument',
  'night',
  'image_type',
] as const;
export type FacetField = (typeof FACET_FIELDS)[number];
export type ImageFacets = Record<FacetField, FacetCount[]> & {
  /** false: more than FACET_BOUND frames match and the counts are those of the newest FACET_BOUND
   * of them, so each count is a lower bound and rarer values may be missing. */
  exact: boolean;
};

/** Facet values of frames (k_… the grouping keys); `n` frames when grouped in the database, else one. */
type FacetRow = { [column: string]: string | number | null | undefined; n?: number | string };

/**
 * The facet values of the first `limit` matches in `order` (newest first, or undated ones by id),
 * grouped by the database: one row per combination of values, with `n` of its frames among the
 * first `counted` and `m` among all `limit`, in the order of each combination's first frame (so
 * that the spelling shown for a value is that of its first frame, as when counted row by row; a
 * combination of the one frame past `counted` alone comes last, after the count has run out).
 * The rows of 2,001 frames with fourteen strings each cost PostgreSQL's driver and the counting
 * here 10–12 ms of a 16–18 ms request (`min_quality=50` at 1M frames, load 4); a few hundred
 * combinations cost ~1 ms more in the database. The window is over the query's own order, so each
 * engine reads the index in order and stops at the limit (PostgreSQL: WindowAgg under the Limit;
 * SQLite: a co-routine).
 */
async function groupedFirst(
  db: Db,
  filters: ImageFilters,
  part: 'dated' | 'undated',
  limit: number,
  counted: number,
): Promise<{ rows: FacetRow[]; matched: number }> {
  const dated = part === 'dated';
  // PostgreSQL's date indexes are `desc nulls last`: the window's order must say so to use them.
  const order: RawBuilder<unknown> = dated
    ? sql`date_obs_ms desc${sql.raw(db.dialect.supportsNullsOrderInIndex ? ' nulls last' : '')}, id desc`
    : sql`id desc`;
  const first = db.db
    .selectFrom('images')
    .where((eb) => imageConditions(eb, filters))
    .where('date_obs_ms', dated ? 'is not' : 'is', null)
    .select([...FACET_FIELDS, 'object_key', sql<number>`row_number() over (order by ${order})`.as('rn')])
    .$if(dated, (q) => q.orderBy('date_obs_ms', (ob) => orderOf(ob, db, 'date_obs_ms', 'desc')))
    .orderBy('id', 'desc')
    .limit(limit);
  const rows = await db.db
    .selectFrom(first.as('w'))
    .select([
      ...FACET_FIELDS.map((field) => `w.${field}` as const),
      ...FACET_FIELDS.map((field) => sql<string | null>`${sql.raw(GROUP_KEYS[field]('w'))}`.as(`k_${field}`)),
      sql<number>`sum(case when w.rn <= ${counted} then 1 else 0 end)`.as('n'),
      sql<number>`count(*)`.as('m'),
    ])
    .groupBy([...FACET_FIELDS.map((field) => `w.${field}` as const), 'w.object_key'])
    .orderBy(sql`min(w.rn)`)
    .execute();
  return { rows, matched: rows.reduce((sum, r) => sum + Number(r.m), 0) };
}

/** Past this many matching frames, facets of a filtered set count the newest this many. */
// Smaller than a page's count bound: each frame counted here is read with seven facet columns,
// and the facets are a menu of choices beside the results, where a lower bound serves.
export const FACET_BOUND = 2_000;

/**
 * The expression each facet groups by: the same normalization its filter compares with, and an
 * indexed expression, so an unfiltered facet is counted from its index alone.
 */
const GROUP_KEYS: Record<FacetField, (table: string) => string> = {
  filter_name: (t) => `lower(${t}.filter_name)`,
  object_name: (t) => `${t}.object_key`,
  telescope: (t) => `lower(${t}.telescope)`,
  camera: (t) => `lower(${t}.camera)`,
  instrument: (t) => `lower(${t}.instrument)`,
  night: (t) => `${t}.night`,
  image_type: (t) => `${t}.image_type`,
};

export { isWholeCatalog } from './image-query.js';

const clampLimit = (limit: number | undefined) => Math.min(Math.max(Math.trunc(limit ?? 100), 1), 10_000);

/** Facet lists from counted keys: nights newest first, the rest most frequent first, then by key. */
function facetLists(rows: Array<{ field: string; key: string; value: string; frames: number }>, limit: number) {
  const facets = {} as Record<FacetField, FacetCount[]>;
  for (const field of FACET_FIELDS) {
    const counts = rows.filter((r) => r.field === field);
    // The scan's order: nights newest first; the rest most frequent first, then by key.
    counts.sort((a, b) =>
      field === 'night'
        ? a.key < b.key
          ? 1
          : a.key > b.key
            ? -1
            : 0
        : b.frames - a.frames || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
    facets[field] = counts.slice(0, limit).map((r) => ({ value: r.value, count: r.frames }));
  }
  return facets;
}

/**
 * Without filters, the summary table's counts. With filters, one pass over the matching frames,
 * newest first, counted here: exact up to FACET_BOUND matches; past it the counts are those of the
 * newest FACET_BOUND (`exact: false`), so that a broad filter (quality ≥ 50: half the catalog)
 * costs a page of reads, not a grouping of every match.
 */
export async function imageFacets(
  db: Db,
  input: ImageFilters,
  options: { limit?: number; bound?: number } = {},
): Promise<ImageFacets> {
  const limit = clampLimit(options.limit);
  if (isWholeCatalog(input)) {
    // Every row of the other fields (a few hundred values), but only the newest nights.
    const rows = await readCounts(
      db,
      FACET_FIELDS.filter((f) => f !== 'night'),
    );
    return { ...facetLists([...rows, ...(await newestNights(db, limit))], limit), exact: true };
  }
  const bound = options.bound ?? FACET_BOUND;
  const filters = await resolveNames(db, input);
  const keys = FACET_FIELDS.map((field) =>
    sql<string | null>`${sql.raw(GROUP_KEYS[field]('images'))}`.as(`k_${field}`),
  );
  // A cone's matches come from its indexes without their rows: the ids of the newest first (merged
  // from the sky cells' date order, else sorted from the zone index), then only their rows. Those
  // of a merge are counted by the database per combination of facet values (a few hundred for
  // 2,000 frames of a few targets): one JS row and fourteen strings per frame cost more than the
  // reads themselves (SQLite at 1M frames: 9 → 3 ms of CPU).
  const coneIds = filters.radius === undefined ? null : await newestInCone(db, filters, { limit: bound + 1 });
  let rows: FacetRow[];
  let matched: number;
  if (coneIds) {
    const newestIds = coneIds.slice(0, bound);
    rows = newestIds.length
      ? await db.db
          .selectFrom('images')
          .select([...FACET_FIELDS, ...keys, sql<number>`count(*)`.as('n')])
          .where((eb) => db.dialect.idIn(eb.ref('id'), newestIds))
          .groupBy([...FACET_FIELDS, 'object_key'])
          .execute()
      : [];
    matched = coneIds.length;
  } else if (filters.radius !== undefined) {
    // The order of a first page (NULL dates last), so the same indexes find the newest frames.
    const newest = db.db
      .selectFrom('images')
      .select('id')
      .where((eb) => imageConditions(eb, filters))
      .where('date_obs_ms', 'is not', null)
      .orderBy('date_obs_ms', (ob) => orderOf(ob, db, 'date_obs_ms', 'desc'))
      .orderBy('id', 'desc')
      .limit(bound + 1);
    rows = await db.db
      .selectFrom('images')
      .select([...FACET_FIELDS, ...keys])
      // In a derived table: MariaDB takes no LIMIT in an IN subquery.
      .where('id', 'in', db.db.selectFrom(newest.as('m')).select('m.id'))
      .execute();
    matched = rows.length;
  } else ({ rows, matched } = await groupedFirst(db, filters, 'dated', bound + 1, bound));
  if (matched <= bound) {
    const undated = await groupedFirst(db, filters, 'undated', bound + 1 - matched, bound - matched);
    rows.push(...undated.rows);
    matched += undated.matched;
  }
  const exact = matched <= bound;
  const counted = new Map<string, { field: string; key: string; value: string; frames: number }>();
  // The first `bound` frames, a row standing for `n` of them when the database grouped them.
  let left = bound;
  for (const row of rows) {
    const frames = Math.min(left, row.n === undefined ? 1 : Number(row.n));
    left -= frames;
    const r = row as unknown as Record<string, string | null>;
    for (const field of FACET_FIELDS) {
      const key = r[`k_${field}`];
      if (key === null || key === undefined) continue;
      const id = `${field}\u0000${key}`;
      const c = counted.get(id);
      if (c) c.frames += frames;
      else counted.set(id, { field, key, value: r[field] ?? key, frames });
    }
    if (left === 0) break;
  }
  return { ...facetLists([...counted.values()], limit), exact };
}

export async function imageFacetsByScan(
  db: Db,
  input: ImageFilters,
  options: { limit?: number } = {},
): Promise<Record<FacetField, FacetCount[]>> {
  const filters = await resolveNames(db, input);
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 100), 1), 10_000);
  const facets = {} as Record<FacetField, FacetCount[]>;
  for (const field of FACET_FIELDS) {
    const key = sql.raw(GROUP_KEYS[field]('images'));
    const count = sql<number>`count(*)`;
    const grouped = db.db
      .selectFrom('images')
      .where((eb) => imageConditions(eb, filters))
      // `key is not null`, not `field is not null`: the test must stay inside the index too.
      .where(sql<SqlBool>`${key} is not null`)
      .select([sql<string>`${key}`.as('k'), count.as('n')])
      .groupBy(key)
      .$if(field === 'night', (q) => q.orderBy(key, 'desc'))
      .$if(field !== 'night', (q) => q.orderBy(count, 'desc').orderBy(key))
      .limit(limit);
    // One spelling per group, found through the same index (at most `limit` lookups): grouping by
    // min(original) instead would read every row of the table.
    const spelling = sql<string>`(select ${sql.raw(`s.${field}`)} from images s where ${sql.raw(
      GROUP_KEYS[field]('s'),
    )} = g.k limit 1)`;
    const rows = await db.db
      .selectFrom(grouped.as('g'))
      .select(['g.k', 'g.n', spelling.as('value')])
      .$if(field === 'night', (q) => q.orderBy('g.k', 'desc'))
      .$if(field !== 'night', (q) => q.orderBy('g.n', 'desc').orderBy('g.k'))
      .execute();
    facets[field] = rows.map((r) => ({ value: r.value ?? r.k, count: Number(r.n) }));
  }
  return facets;
}

export interface NightSummary {
  night: string;
  frames: number;
  exposure_seconds: number;
  first_date_obs: string | null;
  last_date_obs: string | null;
  median_fwhm_arcsec: number | null;
  median_fwhm_px: number | null;
  min_ccd_temp: number | null;
  max_ccd_temp: number | null;
  mean_quality: number | null;
  flagged: number;
}

type ImagesEb = ExpressionBuilder<Schema, 'images'>;

/** Median of a column per night, in SQL that both dialects run: the middle one or two rows by rank. */
async function mediansByNight(
  db: Db,
  where: (eb: ImagesEb) => Expression<SqlBool>,
  column: 'fwhm_arcsec' | 'fwhm_px',
  nights: string[],
): Promise<Map<string, number>> {
  if (nights.length === 0) return new Map();
  const ranked = db.db
    .selectFrom('images')
    .where(where)
    // Past a thousand nights the IN list costs more than it saves; the filters bound the set anyway.
    .$if(nights.length <= 1000, (q) => q.where('night', 'in', nights))
    .where(column, 'is not', null)
    .select([
      'night',
      sql<number>`${sql.ref(column)}`.as('v'),
      sql<number>`row_number() over (partition by night order by ${sql.ref(column)})`.as('rn'),
      sql<number>`count(*) over (partition by night)`.as('cnt'),
    ]);
  const rows = await db.db
    .selectFrom(ranked.as('r'))
    .select(['r.night', sql<number>`avg(r.v)`.as('median')])
    .where(
      sql<SqlBool>`r.rn in (${db.dialect.intDiv(sql`r.cnt + 1`, sql`2`)}, ${db.dialect.intDiv(sql`r.cnt + 2`, sql`2`)})`,
    )
    .groupBy('r.night')
    .execute();
  return new Map(rows.flatMap((r) => (r.night === null ? [] : [[r.night, Number(r.median)]])));
}

export async function nightsSummary(
  db: Db,
  filters: ImageFilters,
  options: { limit?: number } = {},
): Promise<NightSummary[]> {
  if (!isWholeCatalog(filters)) return nightsSummaryByScan(db, filters, options);
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 366), 1), 100_000);
  const iso = (v: number | null) => (v === null ? null : new Date(v).toISOString());
  return (await readNights(db, limit)).map((r) => ({
    night: r.night,
    frames: r.frames,
    exposure_seconds: r.exposure_seconds,
    first_date_obs: iso(r.first_ms),
    last_date_obs: iso(r.last_ms),
    median_fwhm_arcsec: r.median_fwhm_arcsec,
    median_fwhm_px: r.median_fwhm_px,
    min_ccd_temp: r.min_ccd_temp,
    max_ccd_temp: r.max_ccd_temp,
    mean_quality: r.mean_quality,
    flagged: r.flagged,
  }));
}

export async function nightsSummaryByScan(
  db: Db,
  input: ImageFilters,
  options: { limit?: number } = {},
): Promise<NightSummary[]> {
  const filters = await resolveNames(db, input);
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 366), 1), 100_000);
  const where = (eb: ImagesEb) => imageConditions(eb, filters);
  const flag = db.dialect.toDbBool(true);
  const rows = await db.db
    .selectFrom('images')
    .where(where)
    .where('night', 'is not', null)
    .select((eb) => [
      'night',
      eb.fn.countAll<number>().as('frames'),
      sql<number | null>`sum(exptime)`.as('exposure'),
      sql<number | null>`min(date_obs_ms)`.as('first_ms'),
      sql<number | null>`max(date_obs_ms)`.as('last_ms'),
      sql<number | null>`min(ccd_temp)`.as('min_temp'),
      sql<number | null>`max(ccd_temp)`.as('max_temp'),
      sql<number | null>`avg(quality_score)`.as('mean_quality'),
      sql<number>`sum(case when quality_flag = ${flag} then 1 else 0 end)`.as('flagged'),
    ])
    .groupBy('night')
    .orderBy('night', 'desc')
    .limit(limit)
    .execute();
  const nights = rows.flatMap((r) => (r.night === null ? [] : [r.night]));
  const fwhmArcsec = await mediansByNight(db, where, 'fwhm_arcsec', nights);
  const fwhmPx = await mediansByNight(db, where, 'fwhm_px', nights);
  const num = (v: number | string | null) => (v === null ? null : Number(v));
  const iso = (v: number | string | null) => (v === null ? null : new Date(Number(v)).toISOString());
  return rows.map((r) => ({
    night: r.night ?? '',
    frames: Number(r.frames),
    exposure_seconds: num(r.exposure) ?? 0,
    first_date_obs: iso(r.first_ms),
    last_date_obs: iso(r.last_ms),
    median_fwhm_arcsec: fwhmArcsec.get(r.night ?? '') ?? null,
    median_fwhm_px: fwhmPx.get(r.night ?? '') ?? null,
    min_ccd_temp: num(r.min_temp),
    max_ccd_temp: num(r.max_temp),
    mean_quality: num(r.mean_quality),
    flagged: Number(r.flagged),
  }));
}
