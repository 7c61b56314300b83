/**
 * The metrics a quality score is computed from, for scoring at ingest and for `aims rescore`.
 *
 *   comparableQuality(db, frame, { excludeId?, limit? }): Promise<QualityMetrics[]>
 *       Metrics of the measured frames comparable with `frame` (see `comparable` below), newest
 *       first, at most `limit` (default 500).
 *   listScoringInputs(db, { afterId?, limit? }): Promise<ScoringInput[]>
 *       Every measured image with what scoring needs, by id (keyset pages).
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { QualityMetrics } from '../domain/image.js';
import type { Db } from './connection.js';
import { ciEquals } from './dialect.js';
import { objectKey, QUALITY_METRIC_COLUMNS } from './image.mapper.js';
import type { Schema } from './schema.js';

export interface ComparableKey {
  object_name: string | null;
  filter_name: string | null;
  exptime: number | null;
  xbinning: number | null;
  ybinning: number | null;
  camera: string | null;
}

export interface ScoringInput extends ComparableKey {
  id: number;
  image_type: string | null;
  quality: QualityMetrics;
}

const METRIC_COLUMNS = QUALITY_METRIC_COLUMNS;

type Eb = ExpressionBuilder<Schema, 'images'>;

/**
 * The one definition of comparable frames, which the relative quality score compares a frame with
 * (docs/quality.md): the same object as the `object` filter compares it (case and blanks ignored,
 * "M 13" = "m13"), the same filter and camera case-insensitively, the same exposure rounded to
 * 0.1 s (59.999 = 60), the same binning (absent = 1). An absent object, filter, camera or exposure
 * matches only frames where it is absent too. Written as ranges and `lower(col)` so that the
 * catalog's indexes serve it.
 */
function comparable(eb: Eb, frame: ComparableKey): Expression<SqlBool> {
  const key = objectKey(frame.object_name);
  const text = (column: 'filter_name' | 'camera', value: string | null) =>
    value === null || value.trim() === '' ? eb(column, 'is', null) : ciEquals(eb.ref(column), value.trim());
  // Math.round(x * 10) = k exactly when k − 0.5 ≤ 10x < k + 0.5.
  const exposure = frame.exptime === null ? null : Math.round(frame.exptime * 10) / 10;
  return eb.and([
    key === null ? eb('object_key', 'is', null) : eb('object_key', '=', key),
    text('filter_name', frame.filter_name),
    text('camera', frame.camera),
    exposure === null
      ? eb('exptime', 'is', null)
      : eb.and([eb('exptime', '>=', exposure - 0.05), eb('exptime', '<', exposure + 0.05)]),
    eb(eb.fn.coalesce('xbinning', eb.val(1)), '=', frame.xbinning ?? 1),
    eb(eb.fn.coalesce('ybinning', eb.val(1)), '=', frame.ybinning ?? 1),
  ]);
}

export async function comparableQuality(
  db: Db,
  frame: ComparableKey,
  options: { excludeId?: number; limit?: number } = {},
): Promise<QualityMetrics[]> {
  const rows = await db.db
    .selectFrom('images')
    .select(METRIC_COLUMNS)
    .where((eb) => eb.and([comparable(eb, frame), eb('star_count', 'is not', null)]))
    .$if(options.excludeId !== undefined, (qb) => qb.where('id', '!=', options.excludeId ?? 0))
    .orderBy('date_obs_ms', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 500)
    .execute();
  return rows.map((r) => ({ ...r, star_count: r.star_count === null ? null : Number(r.star_count) }) as QualityMetrics);
}

export async function listScoringInputs(
  db: Db,
  options: { afterId?: number; limit?: number } = {},
): Promise<ScoringInput[]> {
  const rows = await db.db
    .selectFrom('images')
    .select([
      'id',
      'image_type',
      'object_name',
      'filter_name',
      'exptime',
      'xbinning',
      'ybinning',
      'camera',
      ...METRIC_COLUMNS,
    ])
    .where('id', '>', options.afterId ?? 0)
    .where((eb) => eb.or([eb('star_count', 'is not', null), eb('level', 'is not', null)]))
    .orderBy('id')
    .limit(options.limit ?? 1000)
    .execute();
  return rows.map((r) => {
    const quality = Object.fromEntries(METRIC_COLUMNS.map((c) => [c, r[c]])) as unknown as QualityMetrics;
    if (quality.star_count !== null) quality.star_count = Number(quality.star_count);
    return {
      id: Number(r.id),
      image_type: r.image_type,
      object_name: r.object_name,
      filter_name: r.filter_name,
      exptime: r.exptime,
      xbinning: r.xbinning,
      ybinning: r.ybinning,
      camera: r.camera,
      quality,
    };
  });
}
