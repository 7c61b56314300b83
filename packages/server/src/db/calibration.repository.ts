/**
 * Calibration candidates of a light frame: frames of one kind (bias, dark, flat) that pass the
 * matching rules, best first. The rules themselves (what is compared, with which tolerance) are
 * catalog/calibration.ts's; this file only turns its criteria into one indexed query. Every query
 * starts from an index: (image_type, exptime, date_obs_ms) for darks, (image_type, date_obs_ms)
 * for biases and flats, so only the frames of the kind inside the time window are visited.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import type { ImageType } from '../domain/image-fields.js';
import type { Db } from './connection.js';
import { ciEquals } from './dialect.js';
import { type CatalogImage, IMAGE_ITEM_COLUMNS, mapImage } from './image.mapper.js';
import type { Schema } from './schema.js';

export type CalibrationKind = Extract<ImageType, 'bias' | 'dark' | 'flat'>;

export interface NumberRange {
  min: number;
  max: number;
}

/** What a candidate must satisfy; an absent criterion is not compared. */
export interface CalibrationCriteria {
  kind: CalibrationKind;
  /** The light's start (epoch ms), and the window around it. */
  atMs: number;
  fromMs: number;
  toMs: number;
  /** The light's night: candidates of the same night come first. */
  night: string | null;
  /** Case-insensitive; candidates that name no camera pass. */
  camera?: string;
  /** Binning; a frame without XBINNING/YBINNING counts as 1×1. */
  xbinning: number;
  ybinning: number;
  /** Candidates that record no gain (offset, temperature, rotator angle) pass. */
  gain?: NumberRange;
  offset?: NumberRange;
  exptime?: NumberRange;
  ccdTemp?: NumberRange;
  /** Case-insensitive; null: the candidate must have no filter either. */
  filterName?: string | null;
  /** Rotator angle (0–360) within a tolerance, across 0°. */
  rotator?: { angleDeg: number; toleranceDeg: number };
  limit: number;
}

type Eb = ExpressionBuilder<Schema, 'images'>;

function binning(eb: Eb, column: 'xbinning' | 'ybinning', value: number) {
  return value === 1 ? eb.or([eb(column, '=', 1), eb(column, 'is', null)]) : eb(column, '=', value);
}

function rangeOrUnknown(eb: Eb, column: 'gain' | 'offset' | 'ccd_temp', range: NumberRange) {
  return eb.or([eb(column, 'is', null), eb.between(column, range.min, range.max)]);
}

/** Candidates of one kind that pass every criterion: masters first, then the same night, then nearest in time. */
export async function findCalibrationFrames(db: Db, c: CalibrationCriteria): Promise<CatalogImage[]> {
  const distance = sql<number>`abs(${sql.ref('date_obs_ms')} - ${c.atMs})`;
  let query = db.db
    .selectFrom('images')
    .select(IMAGE_ITEM_COLUMNS)
    .where('image_type', '=', c.kind)
    .where('date_obs_ms', '>=', c.fromMs)
    .where('date_obs_ms', '<=', c.toMs)
    .where('missing_since', 'is', null)
    .where((eb) => binning(eb, 'xbinning', c.xbinning))
    .where((eb) => binning(eb, 'ybinning', c.ybinning));
  const { camera, gain, offset, exptime, ccdTemp, filterName, rotator } = c;
  if (exptime) query = query.where('exptime', '>=', exptime.min).where('exptime', '<=', exptime.max);
  if (camera !== undefined)
    query = query.where((eb) => eb.or([eb('camera', 'is', null), ciEquals(eb.ref('camera'), camera)]));
  if (gain) query = query.where((eb) => rangeOrUnknown(eb, 'gain', gain));
  if (offset) query = query.where((eb) => rangeOrUnknown(eb, 'offset', offset));
  if (ccdTemp) query = query.where((eb) => rangeOrUnknown(eb, 'ccd_temp', ccdTemp));
  if (filterName === null) query = query.where('filter_name', 'is', null);
  else if (filterName !== undefined) query = query.where((eb) => ciEquals(eb.ref('filter_name'), filterName));
  if (rotator) {
    const diff = sql<number>`abs(${sql.ref('rotator_angle_deg')} - ${rotator.angleDeg})`;
    query = query.where((eb) =>
      eb.or([
        eb('rotator_angle_deg', 'is', null),
        eb(diff, '<=', rotator.toleranceDeg),
        eb(diff, '>=', 360 - rotator.toleranceDeg),
      ]),
    );
  }
  const sameNight =
    c.night === null ? sql<number>`0` : sql<number>`case when ${sql.ref('night')} = ${c.night} then 0 else 1 end`;
  const rows = await query
    .orderBy('master_frame', 'desc')
    .orderBy(sameNight)
    .orderBy(distance)
    .orderBy('id')
    .limit(c.limit)
    .execute();
  return rows.map((row) => mapImage(row, db.dialect));
}

/**
 * The frames of a kind nearest in time, whatever the rules (the time window included) say: what
 * an observer is shown when nothing matches, with the rules each one fails. Two index walks, one
 * each way from the light, so nothing is sorted.
 */
export async function nearestFramesOfKind(
  db: Db,
  kind: CalibrationKind,
  atMs: number,
  perSide: number,
): Promise<CatalogImage[]> {
  const base = db.db
    .selectFrom('images')
    .select(IMAGE_ITEM_COLUMNS)
    .where('image_type', '=', kind)
    .where('missing_since', 'is', null);
  const [before, after] = await Promise.all([
    base.where('date_obs_ms', '<=', atMs).orderBy('date_obs_ms', 'desc').limit(perSide).execute(),
    base.where('date_obs_ms', '>', atMs).orderBy('date_obs_ms', 'asc').limit(perSide).execute(),
  ]);
  return [...before, ...after]
    .map((row) => mapImage(row, db.dialect))
    .sort((a, b) => Math.abs(ms(a) - atMs) - Math.abs(ms(b) - atMs));
}

function ms(image: CatalogImage): number {
  return image.date_obs_ms ?? Number.NaN;
}
