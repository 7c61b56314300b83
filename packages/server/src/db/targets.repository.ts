/**
 * Targets: the light frames of the catalog grouped by their normalized object name (`object_key`,
 * so "M 13", "M13" and "m13" are one target), with integration time per filter: exactly the frames
 * of `GET /api/images?object=KEY&image_type=light`, so that a target's totals can be checked
 * against the frames behind them. The grouping reads the (object_key, date_obs_ms) index in order.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import type { Db } from './connection.js';
import type { Schema } from './schema.js';

type Eb = ExpressionBuilder<Schema, 'images'>;

const lights = (eb: Eb) => eb('image_type', '=', 'light');

/** A target's frames of one filter (filters compared without regard to case). */
export interface TargetFilterRow {
  object_key: string;
  filter_name: string | null;
  frames: number;
  good_frames: number;
  integration_seconds: number;
  good_integration_seconds: number;
}

export interface TargetRow {
  object_key: string;
  object_name: string | null;
  frames: number;
  nights: number;
  first_ms: number | null;
  last_ms: number | null;
  /** Mean of the frames' unit vectors (null when none has a position). */
  x: number | null;
  y: number | null;
  z: number | null;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Per target (or one target, `key`): frames, nights, first and last start, mean position. */
export async function targetRows(db: Db, key?: string): Promise<TargetRow[]> {
  const rows = await db.db
    .selectFrom('images')
    .select((eb) => [
      'object_key',
      eb.fn.min('object_name').as('object_name'),
      eb.fn.countAll().as('frames'),
      eb.fn.count('night').distinct().as('nights'),
      eb.fn.min('date_obs_ms').as('first_ms'),
      eb.fn.max('date_obs_ms').as('last_ms'),
      eb.fn.avg('pos_x').as('x'),
      eb.fn.avg('pos_y').as('y'),
      eb.fn.avg('pos_z').as('z'),
    ])
    .where('object_key', key === undefined ? 'is not' : '=', key ?? null)
    .where(lights)
    .groupBy('object_key')
    .execute();
  return rows.map((r) => ({
    object_key: r.object_key as string,
    object_name: r.object_name,
    frames: num(r.frames),
    nights: num(r.nights),
    first_ms: numOrNull(r.first_ms),
    last_ms: numOrNull(r.last_ms),
    x: numOrNull(r.x),
    y: numOrNull(r.y),
    z: numOrNull(r.z),
  }));
}

/** Per target and filter: frames, good frames (quality_flag) and their summed exposure. */
export async function targetFilterRows(db: Db, key?: string): Promise<TargetFilterRow[]> {
  const good = db.dialect.toDbBool(true);
  const filterKey = sql<string | null>`lower(${sql.ref('filter_name')})`;
  const rows = await db.db
    .selectFrom('images')
    .select((eb) => [
      'object_key',
      eb.fn.min('filter_name').as('filter_name'),
      eb.fn.countAll().as('frames'),
      eb.fn.sum(sql<number>`case when ${sql.ref('quality_flag')} = ${good} then 1 else 0 end`).as('good_frames'),
      eb.fn.sum('exptime').as('integration_seconds'),
      eb.fn
        .sum(sql<number>`case when ${sql.ref('quality_flag')} = ${good} then ${sql.ref('exptime')} else 0 end`)
        .as('good_integration_seconds'),
    ])
    .where('object_key', key === undefined ? 'is not' : '=', key ?? null)
    .where(lights)
    .groupBy(['object_key', filterKey])
    .execute();
  return rows.map((r) => ({
    object_key: r.object_key as string,
    filter_name: r.filter_name,
    frames: num(r.frames),
    good_frames: num(r.good_frames),
    integration_seconds: num(r.integration_seconds),
    good_integration_seconds: num(r.good_integration_seconds),
  }));
}

/**
 * Every target from the summary rows (catalog-summary.ts: catalog_targets per target and filter,
 * catalog_target_nights per target and night) instead of grouping every light frame: the same
 * rows as targetRows() and targetFilterRows() without a key, read from a few thousand rows.
 */
export async function summaryTargetRows(db: Db): Promise<TargetRow[]> {
  const sums = await db.db
    .selectFrom('catalog_targets')
    .select((eb) => [
      'object_key',
      eb.fn.min('object_name').as('object_name'),
      eb.fn.sum<number>('frames').as('frames'),
      eb.fn.sum<number>('pos_n').as('pos_n'),
      eb.fn.sum<number>('pos_x').as('x'),
      eb.fn.sum<number>('pos_y').as('y'),
      eb.fn.sum<number>('pos_z').as('z'),
    ])
    .where('frames', '>', 0)
    .groupBy('object_key')
    .execute();
  const nights = await db.db
    .selectFrom('catalog_target_nights')
    .select((eb) => [
      'object_key',
      eb.fn.sum<number>(sql<number>`case when night <> '' then 1 else 0 end`).as('nights'),
      eb.fn.min('first_ms').as('first_ms'),
      eb.fn.max('last_ms').as('last_ms'),
    ])
    .where('frames', '>', 0)
    .groupBy('object_key')
    .execute();
  const byKey = new Map(nights.map((n) => [n.object_key, n]));
  return sums.map((r) => {
    const n = byKey.get(r.object_key);
    const positions = num(r.pos_n);
    const mean = (v: unknown) => (positions > 0 ? num(v) / positions : null);
    return {
      object_key: r.object_key,
      object_name: r.object_name,
      frames: num(r.frames),
      nights: num(n?.nights),
      first_ms: numOrNull(n?.first_ms),
      last_ms: numOrNull(n?.last_ms),
      x: mean(r.x),
      y: mean(r.y),
      z: mean(r.z),
    };
  });
}

export async function summaryTargetFilterRows(db: Db): Promise<TargetFilterRow[]> {
  const rows = await db.db
    .selectFrom('catalog_targets')
    .select(['object_key', 'filter_name', 'frames', 'good_frames', 'exposure_s', 'good_exposure_s'])
    .where('frames', '>', 0)
    .execute();
  return rows.map((r) => ({
    object_key: r.object_key,
    filter_name: r.filter_name,
    frames: num(r.frames),
    good_frames: num(r.good_frames),
    integration_seconds: num(r.exposure_s),
    good_integration_seconds: num(r.good_exposure_s),
  }));
}

export interface TargetFrameRow {
  night: string | null;
  date_obs_ms: number | null;
  filter_name: string | null;
  exptime: number | null;
  good: boolean;
}

/** The dated lights of one target in time order: what its cumulative-integration plot is drawn from. */
export async function targetFrames(db: Db, key: string): Promise<TargetFrameRow[]> {
  const rows = await db.db
    .selectFrom('images')
    .select(['night', 'date_obs_ms', 'filter_name', 'exptime', 'quality_flag'])
    .where('object_key', '=', key)
    .where(lights)
    .where('date_obs_ms', 'is not', null)
    .orderBy('date_obs_ms')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    night: r.night,
    date_obs_ms: numOrNull(r.date_obs_ms),
    filter_name: r.filter_name,
    exptime: r.exptime,
    good: db.dialect.fromDbBool(r.quality_flag),
  }));
}

/**
 * A value that changes when frames are added, removed or re-scored: the catalog's summary rows
 * (catalog-summary.ts), kept in the transactions of the frames they count, read in a few rows.
 */
export async function targetsFingerprint(db: Db): Promise<string> {
  const nights = await db.db
    .selectFrom('catalog_nights')
    .select((eb) => [
      eb.fn.countAll().as('n'),
      eb.fn.sum('frames').as('frames'),
      eb.fn.sum('exposure_s').as('exposure'),
      eb.fn.sum('flagged').as('flagged'),
      eb.fn.sum('quality_n').as('scored'),
      eb.fn.max('last_ms').as('last'),
    ])
    .executeTakeFirst();
  const all = await db.db.selectFrom('catalog_counts').select('frames').where('field', '=', '*').executeTakeFirst();
  return JSON.stringify([nights, all?.frames ?? 0], (_k, v) => (typeof v === 'bigint' ? String(v) : v));
}
