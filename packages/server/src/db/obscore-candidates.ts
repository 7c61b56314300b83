/**
 * The coarse SQL read behind the IVOA searches (vo/sia.query.ts): every frame that MAY meet the
 * constraints, in id order, found through the catalog's indexes (the spherical cone index on
 * dec_deg/ra_deg/pos_xyz, date_obs_ms, exptime, object_key, the primary key). The caller applies
 * the exact tests; a frame this read leaves out can never match.
 *
 *   iterateObsCoreCandidates(db, constraints, batchSize?): AsyncGenerator<CatalogImage>
 *
 * Lists are ORed (SIA 2.0: repeated parameters), constraints ANDed. String constraints compare
 * with `=`, which is case-sensitive on SQLite and PostgreSQL; the exact test repeats them, so an
 * engine whose collation ignores case only reads a few more rows.
 */
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from './connection.js';
import { type CatalogImage, IMAGE_ITEM_COLUMNS, mapImage } from './image.mapper.js';
import { coneCondition, type ImagesEb } from './image-query.js';

export type SkyPrefilter = { cone: { ra: number; dec: number; radius: number } } | { decMin: number; decMax: number };

export interface ObsCoreConstraints {
  /** Any of these regions of the sky. */
  sky?: SkyPrefilter[];
  ids?: number[];
  /** [lo, hi] seconds, inclusive. */
  exptime?: Array<[number, number]>;
  /** [lo, hi] of date_obs_ms, inclusive (±Infinity for open ends). */
  dateMs?: Array<[number, number]>;
  objectKeys?: string[];
  /** instrument_name: the instrument, else the camera. */
  instruments?: string[];
  /** facility_name: the telescope, else the observatory. */
  facilities?: string[];
}

function within(eb: ImagesEb, column: 'exptime' | 'date_obs_ms', [lo, hi]: [number, number]): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [eb(column, 'is not', null)];
  if (Number.isFinite(lo)) parts.push(eb(column, '>=', lo));
  if (Number.isFinite(hi)) parts.push(eb(column, '<=', hi));
  return eb.and(parts);
}

/** `first` equals one of the names, or `first` is NULL and `second` does. */
function nameOrFallback(
  eb: ImagesEb,
  first: 'instrument' | 'telescope',
  second: 'camera' | 'observatory',
  names: string[],
): Expression<SqlBool> {
  return eb.or([eb(first, 'in', names), eb.and([eb(first, 'is', null), eb(second, 'in', names)])]);
}

function conditions(eb: ImagesEb, c: ObsCoreConstraints): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  const none = sql<SqlBool>`1 = 0`;
  if (c.sky)
    parts.push(
      eb.or(
        c.sky.map((s) =>
          'cone' in s
            ? coneCondition(eb, s.cone.ra, s.cone.dec, s.cone.radius)
            : eb.and([eb('dec_deg', '>=', s.decMin), eb('dec_deg', '<=', s.decMax)]),
        ),
      ),
    );
  if (c.ids) parts.push(c.ids.length ? eb('id', 'in', c.ids) : none);
  if (c.exptime) parts.push(eb.or(c.exptime.map((r) => within(eb, 'exptime', r))));
  if (c.dateMs) parts.push(eb.or(c.dateMs.map((r) => within(eb, 'date_obs_ms', r))));
  if (c.objectKeys) parts.push(c.objectKeys.length ? eb('object_key', 'in', c.objectKeys) : none);
  if (c.instruments)
    parts.push(c.instruments.length ? nameOrFallback(eb, 'instrument', 'camera', c.instruments) : none);
  if (c.facilities)
    parts.push(c.facilities.length ? nameOrFallback(eb, 'telescope', 'observatory', c.facilities) : none);
  return eb.and(parts);
}

export async function* iterateObsCoreCandidates(
  db: Db,
  constraints: ObsCoreConstraints,
  batchSize = 500,
): AsyncGenerator<CatalogImage> {
  let after = 0;
  // With a cone, its index drives the read and the few frames it holds are sorted by id. A
  // declination band may hold much of the sky, where reading in id order is the right plan.
  const byCone = constraints.sky?.some((s) => 'cone' in s) ?? false;
  // The typed name stands for the same table, read through the cone index where the engine needs telling.
  const from = (byCone ? db.dialect.tableReadThrough('images', 'images_cone_idx') : 'images') as 'images';
  for (;;) {
    const rows = await db.db
      .selectFrom(from)
      .select(IMAGE_ITEM_COLUMNS)
      .where((eb) => eb.and([conditions(eb, constraints), eb('id', '>', after)]))
      .orderBy('id')
      .limit(batchSize)
      .execute();
    for (const row of rows) yield mapImage(row, db.dialect);
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) return;
    after = last.id;
  }
}
