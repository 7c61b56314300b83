/**
 * Summary tables of the catalog, kept in the same transaction as the frames they count, so that
 * whole-catalog facets, totals and the nights summary are read from a few thousand rows instead of
 * a scan of every frame, and stay exact while another process ingests.
 *
 *   catalog_counts (field, key) → frames, value   frames per facet value ("telescope" → "rc8" → 250,000),
 *       per UTC day of date_obs ("day"), per observatory, and in total ("*"). `key` is what the
 *       filters compare with (lower-cased names, object_key), `value` one spelling to show.
 *   catalog_nights (night) → frames, exposure, first/last date_obs, CCD temperature range, quality
 *       sum and count, flagged frames, and the median FWHM (arcsec, px).
 *   catalog_targets (object_key, filter_key) → frames, good frames, exposure, good exposure, and the
 *       sums of the unit vectors: the light frames of each target and filter (the targets list).
 *   catalog_target_nights (object_key, night) → frames, first/last date_obs: a target's nights.
 *   catalog_value_counts (field, bucket) → frames   frames per value bucket of the numeric sort
 *       columns (BUCKETED_COLUMNS): a deep page in their order finds the bucket of its offset.
 *
 *   SUMMARY_COLUMNS                              the images columns a summary change needs
 *   recordSummaryChange(tx, removed, added)      after a write: frames that stopped / started being counted
 *   rebuildCatalogSummary(db)                    recount everything from images (migration, bulk loads)
 *   rebuildTargetSummary(db)                     recount the two target tables only
 *   rebuildValueCounts(db)                       recount catalog_value_counts only
 *   readCounts(db, fields)                       rows of catalog_counts for some fields
 *   newestNights(db, limit)                      the night count rows, newest first (a night facet)
 *   countOf(db, field, keys)                     frames of some keys of one field
 *   dayCounts(db)                                frames per UTC day, newest first
 *   dayAtOffset(db, direction, offset)           the day the offset-th frame by date falls in (deep pages)
 *   bucketAtOffset(db, column, direction, offset)  the same for a column of BUCKETED_COLUMNS
 *   bucketedFrames(db, column)                   frames with a value in such a column
 *   readNights(db, limit)                        the nights summary rows, newest first
 *
 * What is counted: every frame in `images`, missing or present (facets and pages count both), so
 * markMissing/markPresent change nothing here; inserts, updates (new content, new metrics) and
 * re-scores do, through recordSummaryChange.
 */
import { type Expression, sql } from 'kysely';
import type { Db } from './connection.js';
import type { CatalogTargetsTable, ImageRow } from './schema.js';

export const SUMMARY_COLUMNS = [
  'night',
  'date_obs_ms',
  'telescope',
  'observatory',
  'camera',
  'instrument',
  'filter_name',
  'object_name',
  'object_key',
  'image_type',
  'exptime',
  'ccd_temp',
  'quality_score',
  'quality_flag',
  'fwhm_arcsec',
  'fwhm_px',
  'pos_x',
  'pos_y',
  'pos_z',
  'ra_deg',
  'dec_deg',
  'airmass',
  'rotator_angle_deg',
  'star_count',
] as const satisfies ReadonlyArray<keyof ImageRow>;

export type SummaryFrame = Pick<ImageRow, (typeof SUMMARY_COLUMNS)[number]>;

/** Fields counted per value. `lowered`: the key is lower(value), as the case-insensitive filters compare. */
const COUNTED_FIELDS = [
  { field: 'filter_name', column: 'filter_name', lowered: true },
  { field: 'object_name', column: 'object_key', lowered: false },
  { field: 'telescope', column: 'telescope', lowered: true },
  { field: 'observatory', column: 'observatory', lowered: true },
  { field: 'camera', column: 'camera', lowered: true },
  { field: 'instrument', column: 'instrument', lowered: true },
  { field: 'night', column: 'night', lowered: false },
  { field: 'image_type', column: 'image_type', lowered: false },
] as const;

export type CountedField = (typeof COUNTED_FIELDS)[number]['field'] | 'day' | '*';

const DAY_MS = 86_400_000;

/** UTC calendar day of an instant (the `date` filter's day). */
export function utcDay(ms: number): string {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

interface CountDelta {
  field: CountedField;
  /** The spelling; the key is derived from it in SQL (lower()) where the field is lowered. */
  value: string;
  shown: string;
  lowered: boolean;
  delta: number;
}

function countDeltas(removed: SummaryFrame[], added: SummaryFrame[]): CountDelta[] {
  const deltas = new Map<string, CountDelta>();
  const add = (field: CountedField, value: string, shown: string, lowered: boolean, delta: number) => {
    // Grouped by the ASCII-folded value: spellings that differ only there meet in one row of the
    // statement; SQL's lower() then merges any others, since the statement groups once more.
    const id = `${field}\u0000${lowered ? value.replace(/[A-Z]+/g, (c) => c.toLowerCase()) : value}`;
    const entry = deltas.get(id);
    if (entry) entry.delta += delta;
    else deltas.set(id, { field, value, shown, lowered, delta });
  };
  for (const [frames, delta] of [
    [removed, -1],
    [added, 1],
  ] as const)
    for (const f of frames) {
      add('*', '', '', false, delta);
      if (f.date_obs_ms !== null) {
        const day = utcDay(Number(f.date_obs_ms));
        add('day', day, day, false, delta);
      }
      for (const c of COUNTED_FIELDS) {
        const v = f[c.column];
        if (v === null || v === '') continue;
        const shown = c.field === 'object_name' ? (f.object_name ?? v) : v;
        add(c.field, v, shown, c.lowered, delta);
      }
    }
  return [...deltas.values()].filter((d) => d.delta !== 0);
}

async function applyCountDeltas(tx: Db, deltas: CountDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const dialect = tx.dialect;
  // One statement for all deltas; grouped again by the key SQL computes, so that the upsert never
  // touches a row twice. Keys are locked in (field, key) order, the same in every transaction.
  const rows = sql.join(
    deltas.map(
      (d) =>
        sql`select ${d.field} as field, ${d.lowered ? sql`lower(${d.value})` : sql`${d.value}`} as k, ${d.shown} as shown, ${dialect.asBigint(sql`${d.delta}`)} as delta`,
    ),
    sql` union all `,
  );
  const frames = sql.ref('catalog_counts.frames');
  // `value` first: MySQL assigns in order, and its test must see the count before this change.
  const upsert = dialect.upsertClause(
    ['field', 'key'],
    [
      ['value', sql`case when ${frames} <= 0 then ${dialect.excluded('value')} else catalog_counts.value end`],
      ['frames', sql`${frames} + ${dialect.excluded('frames')}`],
    ],
  );
  await sql`
    insert into catalog_counts (field, ${sql.ref('key')}, value, frames)
    select field, k, min(shown), sum(delta) from (${rows}) d where true group by field, k order by field, k
    ${upsert}`.execute(tx.db);
  if (deltas.some((d) => d.delta < 0)) await sql`delete from catalog_counts where frames <= 0`.execute(tx.db);
}

interface NightDelta {
  frames: number;
  exposure: number;
  exposureN: number;
  qualitySum: number;
  qualityN: number;
  flagged: number;
  firstMs: number | null;
  lastMs: number | null;
  minTemp: number | null;
  maxTemp: number | null;
  /** A frame that left took a value of date_obs or CCD temperature that no arriving frame brings:
   * the night's first/last or temperature range may have gone with it. */
  boundsLost: boolean;
  /** Whether anything of the night changes at all. */
  changed: boolean;
  /** The FWHM values of the night changed: the medians must be found again. */
  fwhmChanged: boolean;
}

const lo = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const hi = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
const num = (v: number | string | null | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);

/** Values of one column over frames, as a sorted list (multisets compare as lists). */
const valuesOf = (frames: SummaryFrame[], pick: (f: SummaryFrame) => unknown): string[] =>
  frames.map((f) => String(pick(f) ?? '\u0000')).sort();
const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

function nightDeltas(tx: Db, removed: SummaryFrame[], added: SummaryFrame[]): Map<string, NightDelta> {
  const byNight = new Map<string, { removed: SummaryFrame[]; added: SummaryFrame[] }>();
  for (const [frames, side] of [
    [removed, 'removed'],
    [added, 'added'],
  ] as const)
    for (const f of frames) {
      if (f.night === null) continue;
      let entry = byNight.get(f.night);
      if (!entry) {
        entry = { removed: [], added: [] };
        byNight.set(f.night, entry);
      }
      entry[side].push(f);
    }
  const nights = new Map<string, NightDelta>();
  for (const [night, { removed: out, added: into }] of byNight) {
    const d: NightDelta = {
      frames: into.length - out.length,
      exposure: 0,
      exposureN: 0,
      qualitySum: 0,
      qualityN: 0,
      flagged: 0,
      firstMs: null,
      lastMs: null,
      minTemp: null,
      maxTemp: null,
      boundsLost: false,
      changed: false,
      fwhmChanged: false,
    };
    for (const [frames, sign] of [
      [out, -1],
      [into, 1],
    ] as const)
      for (const f of frames) {
        const exposure = num(f.exptime);
        const quality = num(f.quality_score);
        if (exposure !== null) {
          d.exposure += sign * exposure;
          d.exposureN += sign;
        }
        if (quality !== null) {
          d.qualitySum += sign * quality;
          d.qualityN += sign;
        }
        if (tx.dialect.fromDbBool(f.quality_flag)) d.flagged += sign;
        if (sign > 0) {
          d.firstMs = lo(d.firstMs, num(f.date_obs_ms));
          d.lastMs = hi(d.lastMs, num(f.date_obs_ms));
          d.minTemp = lo(d.minTemp, num(f.ccd_temp));
          d.maxTemp = hi(d.maxTemp, num(f.ccd_temp));
        }
      }
    const arriving = new Set(into.flatMap((f) => [`t${num(f.date_obs_ms)}`, `c${num(f.ccd_temp)}`]));
    d.boundsLost = out.some(
      (f) =>
        (f.date_obs_ms !== null && !arriving.has(`t${num(f.date_obs_ms)}`)) ||
        (f.ccd_temp !== null && !arriving.has(`c${num(f.ccd_temp)}`)),
    );
    const moved = (pick: (f: SummaryFrame) => unknown) => !sameList(valuesOf(out, pick), valuesOf(into, pick));
    d.fwhmChanged = moved((f) => f.fwhm_arcsec) || moved((f) => f.fwhm_px);
    const boundsMoved = moved((f) => f.date_obs_ms) || moved((f) => f.ccd_temp);
    d.changed =
      d.frames !== 0 ||
      d.exposure !== 0 ||
      d.exposureN !== 0 ||
      d.qualitySum !== 0 ||
      d.qualityN !== 0 ||
      d.flagged !== 0 ||
      d.fwhmChanged ||
      boundsMoved;
    if (d.changed) nights.set(night, d);
  }
  return nights;
}

/** Median of one FWHM column over a night, through the (night, column) index: the middle one or two. */
async function nightMedian(tx: Db, night: string, column: 'fwhm_arcsec' | 'fwhm_px'): Promise<number | null> {
  const counted = await tx.db
    .selectFrom('images')
    .where('night', '=', night)
    .where(column, 'is not', null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(counted.n);
  if (n === 0) return null;
  const middle = await tx.db
    .selectFrom('images')
    .select(sql<number>`${sql.ref(column)}`.as('v'))
    .where('night', '=', night)
    .where(column, 'is not', null)
    .orderBy(column)
    .limit(n % 2 === 1 ? 1 : 2)
    .offset(Math.floor((n - 1) / 2))
    .execute();
  return middle.length ? middle.reduce((s, r) => s + Number(r.v), 0) / middle.length : null;
}

/** First/last date_obs and the CCD temperature range of a night, from images. */
async function nightBounds(tx: Db, night: string) {
  return tx.db
    .selectFrom('images')
    .where('night', '=', night)
    .select([
      sql<number | null>`min(date_obs_ms)`.as('first_ms'),
      sql<number | null>`max(date_obs_ms)`.as('last_ms'),
      sql<number | null>`min(ccd_temp)`.as('min_ccd_temp'),
      sql<number | null>`max(ccd_temp)`.as('max_ccd_temp'),
    ])
    .executeTakeFirstOrThrow();
}

async function applyNightDeltas(tx: Db, nights: Map<string, NightDelta>): Promise<void> {
  const d = tx.dialect;
  // Sorted: two writers touching the same nights lock them in the same order.
  for (const night of [...nights.keys()].sort()) {
    const n = nights.get(night) as NightDelta;
    const row = {
      night,
      frames: n.frames,
      exposure_s: n.exposure,
      exposure_n: n.exposureN,
      quality_sum: n.qualitySum,
      quality_n: n.qualityN,
      flagged: n.flagged,
      first_ms: n.firstMs,
      last_ms: n.lastMs,
      min_ccd_temp: n.minTemp,
      max_ccd_temp: n.maxTemp,
      median_fwhm_arcsec: null,
      median_fwhm_px: null,
    };
    const plus = (c: keyof typeof row) => sql<number>`${sql.ref(`catalog_nights.${c}`)} + ${sql.ref(`excluded.${c}`)}`;
    const cur = (c: string) => sql.ref(`catalog_nights.${c}`) as Expression<number | null>;
    const exc = (c: string) => sql.ref(`excluded.${c}`) as Expression<number | null>;
    await tx.db
      .insertInto('catalog_nights')
      .values(row)
      .onConflict((oc) =>
        oc.column('night').doUpdateSet({
          frames: plus('frames'),
          exposure_s: plus('exposure_s'),
          exposure_n: plus('exposure_n'),
          quality_sum: plus('quality_sum'),
          quality_n: plus('quality_n'),
          flagged: plus('flagged'),
          first_ms: d.leastOf(cur('first_ms'), exc('first_ms')),
          last_ms: d.greatestOf(cur('last_ms'), exc('last_ms')),
          min_ccd_temp: d.leastOf(cur('min_ccd_temp'), exc('min_ccd_temp')),
          max_ccd_temp: d.greatestOf(cur('max_ccd_temp'), exc('max_ccd_temp')),
        }),
      )
      .execute();
    if (n.frames < 0) {
      const left = await tx.db
        .deleteFrom('catalog_nights')
        .where('night', '=', night)
        .where('frames', '<=', 0)
        .executeTakeFirst();
      if (Number(left.numDeletedRows) > 0) continue;
    }
    const set: Record<string, number | null> = {};
    if (n.boundsLost) Object.assign(set, await nightBounds(tx, night));
    if (n.fwhmChanged) {
      set.median_fwhm_arcsec = await nightMedian(tx, night, 'fwhm_arcsec');
      set.median_fwhm_px = await nightMedian(tx, night, 'fwhm_px');
    }
    if (Object.keys(set).length)
      await tx.db.updateTable('catalog_nights').set(set).where('night', '=', night).execute();
  }
}

/**
 * Brings the summary up to date after a write in the same transaction, once the images rows hold
 * their new values: `removed` are the frames as they were counted before (deleted rows, the old
 * version of an updated row), `added` as they are counted now.
 */
export async function recordSummaryChange(tx: Db, removed: SummaryFrame[], added: SummaryFrame[]): Promise<void> {
  const hooks = tx.beforeCommit;
  if (!hooks) return applySummaryChange(tx, removed, added);
  // Gathered until the transaction commits: the total row and a night's row are shared by every
  // writer, and a group of frames that locked them frame by frame could wait on another group
  // (a duplicate's unique hash) that waits on them in turn — a PostgreSQL deadlock. Applied once,
  // sorted, at the end, they are held only for the commit.
  let gathered = gatheredChanges.get(hooks);
  if (!gathered) {
    const changes = { removed: [] as SummaryFrame[], added: [] as SummaryFrame[] };
    gatheredChanges.set(hooks, changes);
    hooks.push((t) => applySummaryChange(t, changes.removed, changes.added));
    gathered = changes;
  }
  gathered.removed.push(...removed);
  gathered.added.push(...added);
}

/** Changes of each open transaction, keyed by its beforeCommit list. */
const gatheredChanges = new WeakMap<object, { removed: SummaryFrame[]; added: SummaryFrame[] }>();

async function applySummaryChange(tx: Db, removed: SummaryFrame[], added: SummaryFrame[]): Promise<void> {
  await applyCountDeltas(tx, countDeltas(removed, added));
  await applyBucketDeltas(tx, bucketDeltas(removed, added));
  await applyNightDeltas(tx, nightDeltas(tx, removed, added));
  await applyTargetDeltas(tx, removed, added);
}

// ——— value buckets ———

/**
 * The numeric sort columns counted per value bucket, with the buckets per unit of each. A bucket is
 * floor(value × scale) with scale a power of two: the product and a bucket's bounds (bucket / scale)
 * are exact doubles, so JS, SQLite, PostgreSQL and MariaDB put every value in the same bucket and a
 * page can compare the column with a bound that is exactly the bucket's edge. Scales give each
 * column a few thousand buckets over its usual range: at ten million frames a FWHM bucket holds
 * ~20,000 frames, the most a deep page then reads past its bucket's edge (it read up to a million).
 * A bucket cannot split equal values: exptime and star_count have few values that many frames share.
 */
export const BUCKETED_COLUMNS = {
  exptime: 1,
  ra_deg: 8,
  dec_deg: 16,
  ccd_temp: 32,
  airmass: 1024,
  rotator_angle_deg: 8,
  star_count: 1,
  fwhm_px: 128,
  fwhm_arcsec: 256,
  quality_score: 32,
} as const satisfies Partial<Record<keyof SummaryFrame, number>>;

export type BucketedColumn = keyof typeof BUCKETED_COLUMNS;

export function isBucketed(column: string): column is BucketedColumn {
  return Object.hasOwn(BUCKETED_COLUMNS, column);
}

/** The bucket of a value; null for a value that is not counted (NULL; the parsers refuse non-finite ones). */
export function bucketOf(column: BucketedColumn, value: number | string | null): number | null {
  const v = num(value);
  return v === null || !Number.isFinite(v) ? null : Math.floor(v * BUCKETED_COLUMNS[column]);
}

function bucketDeltas(removed: SummaryFrame[], added: SummaryFrame[]) {
  const deltas = new Map<string, { field: BucketedColumn; bucket: number; delta: number }>();
  for (const [frames, delta] of [
    [removed, -1],
    [added, 1],
  ] as const)
    for (const f of frames)
      for (const field of Object.keys(BUCKETED_COLUMNS) as BucketedColumn[]) {
        const bucket = bucketOf(field, f[field]);
        if (bucket === null) continue;
        const id = `${field}\u0000${bucket}`;
        const entry = deltas.get(id);
        if (entry) entry.delta += delta;
        else deltas.set(id, { field, bucket, delta });
      }
  // Sorted as the table's key: two writers lock shared buckets in the same order.
  return [...deltas.values()]
    .filter((d) => d.delta !== 0)
    .sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : a.bucket - b.bucket));
}

async function applyBucketDeltas(tx: Db, deltas: ReturnType<typeof bucketDeltas>): Promise<void> {
  if (deltas.length === 0) return;
  const frames = sql.ref('catalog_value_counts.frames');
  // Batches under every engine's parameter limit; a frame brings ten rows, a batch of frames merges many.
  for (let i = 0; i < deltas.length; i += 2000) {
    const batch = deltas.slice(i, i + 2000);
    await tx.db
      .insertInto('catalog_value_counts')
      .values(batch.map((d) => ({ field: d.field, bucket: d.bucket, frames: d.delta })))
      .onConflict((oc) =>
        oc.columns(['field', 'bucket']).doUpdateSet({ frames: sql<number>`${frames} + ${sql.ref('excluded.frames')}` }),
      )
      .execute();
  }
  if (deltas.some((d) => d.delta < 0))
    await tx.db.deleteFrom('catalog_value_counts').where('frames', '<=', 0).execute();
}

/** Recounts catalog_value_counts from images: one grouping per column, from its (column, id) index. */
export async function rebuildValueCounts(db: Db): Promise<void> {
  await db.db.deleteFrom('catalog_value_counts').execute();
  for (const [column, scale] of Object.entries(BUCKETED_COLUMNS)) {
    const bucket = sql`floor(${sql.ref(column)} * ${sql.lit(scale)})`;
    await sql`insert into catalog_value_counts (field, bucket, frames)
      select ${column}, ${bucket}, count(*) from images where ${sql.ref(column)} is not null
      group by ${bucket}`.execute(db.db);
  }
}

/** Frames with a value in a column of BUCKETED_COLUMNS (its NULLs are not counted). */
export async function bucketedFrames(db: Db, column: BucketedColumn): Promise<number> {
  const row = await db.db
    .selectFrom('catalog_value_counts')
    .select(sql<number | null>`sum(frames)`.as('n'))
    .where('field', '=', column)
    .executeTakeFirstOrThrow();
  return Number(row.n ?? 0);
}

/**
 * The bucket the offset-th frame in a column's order (0-based, NULLs excluded) falls in, and how
 * many frames the buckets before it hold, summed by the database as dayAtOffset does. The page
 * then reads from the bucket's edge, `from` (desc: values below it), skipping `skipped` fewer.
 * Null past the last counted frame.
 */
export async function bucketAtOffset(
  db: Db,
  column: BucketedColumn,
  direction: 'asc' | 'desc',
  offset: number,
): Promise<{ from: number; skipped: number } | null> {
  const order = direction === 'desc' ? sql`desc` : sql`asc`;
  const { rows } = await sql<{ bucket: number | string; frames: number | string; through: number | string }>`
    select bucket, frames, through from (
      select bucket, frames, sum(frames) over (order by bucket ${order} rows unbounded preceding) as through
      from catalog_value_counts where field = ${column} and frames > 0
    ) b where through > ${offset} order by bucket ${order} limit 1`.execute(db.db);
  const row = rows[0];
  if (!row) return null;
  const scale = BUCKETED_COLUMNS[column];
  const bucket = Number(row.bucket);
  return {
    from: (direction === 'desc' ? bucket + 1 : bucket) / scale,
    skipped: Number(row.through) - Number(row.frames),
  };
}

// ——— targets ———

/** Light frames with an object are a target's frames (targets.repository.ts groups the same ones). */
const isTargetFrame = (f: SummaryFrame) => f.image_type === 'light' && f.object_key !== null;
/** Filters of a target compare without case; frames without a filter have the key ''. */
const filterKey = (f: SummaryFrame) => (f.filter_name ?? '').replace(/[A-Z]+/g, (c) => c.toLowerCase());

/** A target row's change, column for column. */
type TargetDelta = CatalogTargetsTable;

interface TargetNightDelta {
  object_key: string;
  night: string;
  frames: number;
  first_ms: number | null;
  last_ms: number | null;
  boundsLost: boolean;
  arriving: Set<number>;
  leaving: number[];
}

async function applyTargetDeltas(tx: Db, removed: SummaryFrame[], added: SummaryFrame[]): Promise<void> {
  const targets = new Map<string, TargetDelta>();
  const nights = new Map<string, TargetNightDelta>();
  for (const [frames, sign] of [
    [removed, -1],
    [added, 1],
  ] as const)
    for (const f of frames) {
      if (!isTargetFrame(f)) continue;
      const key = f.object_key as string;
      const fk = filterKey(f);
      let t = targets.get(`${key}\u0000${fk}`);
      if (!t) {
        t = {
          object_key: key,
          filter_key: fk,
          object_name: f.object_name,
          filter_name: f.filter_name,
          frames: 0,
          good_frames: 0,
          exposure_s: 0,
          good_exposure_s: 0,
          pos_n: 0,
          pos_x: 0,
          pos_y: 0,
          pos_z: 0,
        };
        targets.set(`${key}\u0000${fk}`, t);
      }
      if (sign > 0) {
        const least = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);
        t.object_name = least(t.object_name, f.object_name);
        t.filter_name = least(t.filter_name, f.filter_name);
      }
      const good = tx.dialect.fromDbBool(f.quality_flag);
      const exposure = num(f.exptime) ?? 0;
      t.frames += sign;
      t.exposure_s += sign * exposure;
      if (good) {
        t.good_frames += sign;
        t.good_exposure_s += sign * exposure;
      }
      if (f.pos_x !== null && f.pos_y !== null && f.pos_z !== null) {
        t.pos_n += sign;
        t.pos_x += sign * Number(f.pos_x);
        t.pos_y += sign * Number(f.pos_y);
        t.pos_z += sign * Number(f.pos_z);
      }
      const night = f.night ?? '';
      let n = nights.get(`${key}\u0000${night}`);
      if (!n) {
        n = {
          object_key: key,
          night,
          frames: 0,
          first_ms: null,
          last_ms: null,
          boundsLost: false,
          arriving: new Set(),
          leaving: [],
        };
        nights.set(`${key}\u0000${night}`, n);
      }
      n.frames += sign;
      const ms = num(f.date_obs_ms);
      if (sign > 0) {
        n.first_ms = lo(n.first_ms, ms);
        n.last_ms = hi(n.last_ms, ms);
        if (ms !== null) n.arriving.add(ms);
      } else if (ms !== null) n.leaving.push(ms);
    }
  // Sorted, as the other summary rows: two writers lock them in the same order.
  for (const id of [...targets.keys()].sort()) {
    const t = targets.get(id) as TargetDelta;
    if (t.frames === 0 && t.good_frames === 0 && t.exposure_s === 0 && t.good_exposure_s === 0 && t.pos_n === 0)
      continue;
    const plus = (c: keyof TargetDelta) =>
      sql<number>`${sql.ref(`catalog_targets.${c}`)} + ${sql.ref(`excluded.${c}`)}`;
    await tx.db
      .insertInto('catalog_targets')
      .values(t)
      .onConflict((oc) =>
        oc.columns(['object_key', 'filter_key']).doUpdateSet({
          // The smallest spelling, as the grouping's min() shows (kept while frames only arrive).
          object_name: tx.dialect.leastOf(
            sql.ref('catalog_targets.object_name') as Expression<string | null>,
            sql.ref('excluded.object_name') as Expression<string | null>,
          ),
          filter_name: tx.dialect.leastOf(
            sql.ref('catalog_targets.filter_name') as Expression<string | null>,
            sql.ref('excluded.filter_name') as Expression<string | null>,
          ),
          frames: plus('frames'),
          good_frames: plus('good_frames'),
          exposure_s: plus('exposure_s'),
          good_exposure_s: plus('good_exposure_s'),
          pos_n: plus('pos_n'),
          pos_x: plus('pos_x'),
          pos_y: plus('pos_y'),
          pos_z: plus('pos_z'),
        }),
      )
      .execute();
    if (t.frames < 0)
      await tx.db
        .deleteFrom('catalog_targets')
        .where('object_key', '=', t.object_key)
        .where('filter_key', '=', t.filter_key)
        .where('frames', '<=', 0)
        .execute();
  }
  for (const id of [...nights.keys()].sort()) {
    const n = nights.get(id) as TargetNightDelta;
    const lost = n.leaving.some((ms) => !n.arriving.has(ms));
    if (n.frames === 0 && !lost && n.leaving.length === 0 && n.arriving.size === 0) continue;
    const cur = (c: string) => sql.ref(`catalog_target_nights.${c}`) as Expression<number | null>;
    const exc = (c: string) => sql.ref(`excluded.${c}`) as Expression<number | null>;
    await tx.db
      .insertInto('catalog_target_nights')
      .values({ object_key: n.object_key, night: n.night, frames: n.frames, first_ms: n.first_ms, last_ms: n.last_ms })
      .onConflict((oc) =>
        oc.columns(['object_key', 'night']).doUpdateSet({
          frames: sql<number>`${sql.ref('catalog_target_nights.frames')} + ${sql.ref('excluded.frames')}`,
          first_ms: tx.dialect.leastOf(cur('first_ms'), exc('first_ms')),
          last_ms: tx.dialect.greatestOf(cur('last_ms'), exc('last_ms')),
        }),
      )
      .execute();
    if (n.frames < 0) {
      const gone = await tx.db
        .deleteFrom('catalog_target_nights')
        .where('object_key', '=', n.object_key)
        .where('night', '=', n.night)
        .where('frames', '<=', 0)
        .executeTakeFirst();
      if (Number(gone.numDeletedRows) > 0) continue;
    }
    if (lost) {
      // A frame that left may have been the night's first or last: found again among the
      // target's frames through the (object_key, date) index.
      const bounds = await tx.db
        .selectFrom('images')
        .where('object_key', '=', n.object_key)
        .where('image_type', '=', 'light')
        .where('night', n.night === '' ? 'is' : '=', n.night === '' ? null : n.night)
        .select([
          sql<number | null>`min(date_obs_ms)`.as('first_ms'),
          sql<number | null>`max(date_obs_ms)`.as('last_ms'),
        ])
        .executeTakeFirstOrThrow();
      await tx.db
        .updateTable('catalog_target_nights')
        .set({ first_ms: num(bounds.first_ms), last_ms: num(bounds.last_ms) })
        .where('object_key', '=', n.object_key)
        .where('night', '=', n.night)
        .execute();
    }
  }
}

/** Recounts catalog_targets and catalog_target_nights from images. */
export async function rebuildTargetSummary(db: Db): Promise<void> {
  await db.db.deleteFrom('catalog_targets').execute();
  await db.db.deleteFrom('catalog_target_nights').execute();
  const good = db.dialect.toDbBool(true);
  const filter = sql`coalesce(lower(filter_name), '')`;
  const hasPos = sql`pos_x is not null and pos_y is not null and pos_z is not null`;
  await sql`insert into catalog_targets (object_key, filter_key, object_name, filter_name, frames, good_frames,
      exposure_s, good_exposure_s, pos_n, pos_x, pos_y, pos_z)
    select object_key, ${filter}, min(object_name), min(filter_name), count(*),
      sum(case when quality_flag = ${good} then 1 else 0 end),
      coalesce(sum(exptime), 0), coalesce(sum(case when quality_flag = ${good} then exptime else 0 end), 0),
      sum(case when ${hasPos} then 1 else 0 end),
      coalesce(sum(case when ${hasPos} then pos_x else 0 end), 0),
      coalesce(sum(case when ${hasPos} then pos_y else 0 end), 0),
      coalesce(sum(case when ${hasPos} then pos_z else 0 end), 0)
    from images where image_type = 'light' and object_key is not null
    group by object_key, ${filter}`.execute(db.db);
  await sql`insert into catalog_target_nights (object_key, night, frames, first_ms, last_ms)
    select object_key, coalesce(night, ''), count(*), min(date_obs_ms), max(date_obs_ms)
    from images where image_type = 'light' and object_key is not null
    group by object_key, coalesce(night, '')`.execute(db.db);
}

/** Recounts both tables from images (a migration's backfill, a bulk load). Run inside a transaction. */
export async function rebuildCatalogSummary(db: Db): Promise<void> {
  await db.db.deleteFrom('catalog_counts').execute();
  await db.db.deleteFrom('catalog_nights').execute();
  for (const c of COUNTED_FIELDS) {
    const key = c.lowered ? sql`lower(${sql.ref(c.column)})` : sql.ref(c.column);
    const shown = c.field === 'object_name' ? sql.ref('object_name') : sql.ref(c.column);
    await sql`insert into catalog_counts (field, ${sql.ref('key')}, value, frames)
      select ${c.field}, ${key}, min(${shown}), count(*) from images
      where ${key} is not null and ${key} <> '' group by ${key}`.execute(db.db);
  }
  await sql`insert into catalog_counts (field, ${sql.ref('key')}, value, frames)
    select '*', '', '', count(*) from images having count(*) > 0`.execute(db.db);
  // Floor division in SQL that every engine agrees on (integer division truncates towards zero).
  const dayOf = db.dialect.intDiv(
    sql`date_obs_ms - ((date_obs_ms % ${DAY_MS}) + ${DAY_MS}) % ${DAY_MS}`,
    sql`${DAY_MS}`,
  );
  const days = await sql<{ d: number; n: number }>`
    select ${dayOf} as d, count(*) as n
    from images where date_obs_ms is not null group by 1`.execute(db.db);
  const dayRows = days.rows.map((r) => {
    const day = utcDay(Number(r.d) * DAY_MS);
    return { field: 'day', key: day, value: day, frames: Number(r.n) };
  });
  for (let i = 0; i < dayRows.length; i += 1000)
    await db.db
      .insertInto('catalog_counts')
      .values(dayRows.slice(i, i + 1000))
      .execute();

  const flag = db.dialect.toDbBool(true);
  await sql`insert into catalog_nights (night, frames, exposure_s, exposure_n, quality_sum, quality_n, flagged,
      first_ms, last_ms, min_ccd_temp, max_ccd_temp, median_fwhm_arcsec, median_fwhm_px)
    select night, count(*), coalesce(sum(exptime), 0), count(exptime), coalesce(sum(quality_score), 0),
      count(quality_score), sum(case when quality_flag = ${flag} then 1 else 0 end),
      min(date_obs_ms), max(date_obs_ms), min(ccd_temp), max(ccd_temp), null, null
    from images where night is not null group by night`.execute(db.db);
  for (const column of ['fwhm_arcsec', 'fwhm_px'] as const) {
    const ref = sql.ref(column);
    const medians = await sql<{ night: string; median: number }>`
      select night, avg(v) as median from (
        select night, ${ref} as v, row_number() over (partition by night order by ${ref}) as rn,
          count(*) over (partition by night) as cnt
        from images where night is not null and ${ref} is not null
      ) r where rn in (${db.dialect.intDiv(sql`cnt + 1`, sql`2`)}, ${db.dialect.intDiv(sql`cnt + 2`, sql`2`)})
      group by night`.execute(db.db);
    for (const m of medians.rows)
      await db.db
        .updateTable('catalog_nights')
        .set({ [`median_${column}`]: Number(m.median) })
        .where('night', '=', m.night)
        .execute();
  }
}

export interface CountRow {
  field: string;
  key: string;
  value: string;
  frames: number;
}

export async function readCounts(db: Db, fields: readonly string[]): Promise<CountRow[]> {
  const rows = await db.db
    .selectFrom('catalog_counts')
    .select(['field', 'key', 'value', 'frames'])
    .where('field', 'in', fields)
    .where('frames', '>', 0)
    .execute();
  return rows.map((r) => ({ ...r, frames: Number(r.frames) }));
}

/**
 * The night rows of catalog_counts, newest first: a catalog has a row per night (33,000 at ten
 * million frames), and a facet shows only the newest few.
 */
export async function newestNights(db: Db, limit: number): Promise<CountRow[]> {
  const rows = await db.db
    .selectFrom('catalog_counts')
    .select(['field', 'key', 'value', 'frames'])
    .where('field', '=', 'night')
    .where('frames', '>', 0)
    .orderBy('key', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, frames: Number(r.frames) }));
}

/** Frames counted under some keys of one field (keys as the filters compare: lower-cased names). */
export async function countOf(
  db: Db,
  field: CountedField,
  keys: { in?: string[]; from?: string; to?: string },
): Promise<number> {
  let q = db.db.selectFrom('catalog_counts').select(sql<number | null>`sum(frames)`.as('n')).where('field', '=', field);
  if (keys.in) {
    if (keys.in.length === 0) return 0;
    q = q.where('key', 'in', keys.in);
  }
  if (keys.from !== undefined) q = q.where('key', '>=', keys.from);
  if (keys.to !== undefined) q = q.where('key', '<=', keys.to);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n ?? 0);
}

/** Frames per UTC day of date_obs, newest first. */
export async function dayCounts(db: Db): Promise<Array<{ day: string; frames: number }>> {
  const rows = await db.db
    .selectFrom('catalog_counts')
    .select(['key', 'frames'])
    .where('field', '=', 'day')
    .where('frames', '>', 0)
    .orderBy('key', 'desc')
    .execute();
  return rows.map((r) => ({ day: r.key, frames: Number(r.frames) }));
}

/**
 * The UTC day the offset-th frame by date_obs (0-based, newest first for 'desc') falls in, and how
 * many frames the days before it hold, summed by the database: a catalog has a row per day (33,000
 * at ten million frames), too many to read for every deep page. Null past the last frame.
 */
export async function dayAtOffset(
  db: Db,
  direction: 'asc' | 'desc',
  offset: number,
): Promise<{ day: string; skipped: number } | null> {
  const order = direction === 'desc' ? sql`desc` : sql`asc`;
  const { rows } = await sql<{ day: string; frames: number | string; through: number | string }>`
    select day, frames, through from (
      select ${sql.ref('key')} as day, frames,
        sum(frames) over (order by ${sql.ref('key')} ${order} rows unbounded preceding) as through
      from catalog_counts where field = 'day' and frames > 0
    ) d where through > ${offset} order by day ${order} limit 1`.execute(db.db);
  const row = rows[0];
  if (!row) return null;
  return { day: row.day, skipped: Number(row.through) - Number(row.frames) };
}

export async function readNights(db: Db, limit: number) {
  const rows = await db.db
    .selectFrom('catalog_nights')
    .selectAll()
    .where('frames', '>', 0)
    .orderBy('night', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    night: r.night,
    frames: Number(r.frames),
    exposure_seconds: Number(r.exposure_n) > 0 ? Number(r.exposure_s) : 0,
    first_ms: num(r.first_ms),
    last_ms: num(r.last_ms),
    min_ccd_temp: num(r.min_ccd_temp),
    max_ccd_temp: num(r.max_ccd_temp),
    mean_quality: Number(r.quality_n) > 0 ? Number(r.quality_sum) / Number(r.quality_n) : null,
    flagged: Number(r.flagged),
    median_fwhm_arcsec: num(r.median_fwhm_arcsec),
    median_fwhm_px: num(r.median_fwhm_px),
  }));
}
