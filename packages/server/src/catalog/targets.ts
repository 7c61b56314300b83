/**
 * Targets and their integration time: every object observed (lights grouped by the normalized
 * object name), with per-filter totals, good frames (quality_flag), nights, dates and position;
 * one target with its cumulative integration per filter and its best frames; CSV of the list.
 */
import type { Db } from '../db/connection.js';
import type { CatalogImage } from '../db/image.mapper.js';
import { objectKey } from '../db/image.mapper.js';
import { queryImages } from '../db/image-query.js';
import {
  summaryTargetFilterRows,
  summaryTargetRows,
  type TargetFilterRow,
  type TargetRow,
  targetFilterRows,
  targetFrames,
  targetRows,
  targetsFingerprint,
} from '../db/targets.repository.js';
import { csvRow } from '../util/csv.js';
import { catalogNotFound } from './errors.js';

export interface TargetFilter {
  filter_name: string | null;
  frames: number;
  good_frames: number;
  integration_seconds: number;
  good_integration_seconds: number;
}

export interface Target {
  /** The normalized object name: lower case, no blanks (the `object` filter of GET /api/images). */
  key: string;
  /** One spelling of the name as the headers write it. */
  name: string;
  ra_deg: number | null;
  dec_deg: number | null;
  frames: number;
  good_frames: number;
  integration_seconds: number;
  good_integration_seconds: number;
  nights: number;
  first_date_obs: string | null;
  last_date_obs: string | null;
  /** Per filter, most integration first. */
  filters: TargetFilter[];
}

export const TARGET_SORTS = [
  'name',
  'frames',
  'good_frames',
  'integration_seconds',
  'good_integration_seconds',
  'nights',
  'first_date_obs',
  'last_date_obs',
] as const;
export type TargetSort = (typeof TARGET_SORTS)[number];

export interface TargetListOptions {
  sort: TargetSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
  /** Keeps targets whose name or key contains this (any case, blanks ignored). */
  q?: string | undefined;
}

const DEG = 180 / Math.PI;

/** The direction of the mean unit vector: a mean position that is right across RA 0°/360°. */
function meanPosition(row: TargetRow): { ra_deg: number | null; dec_deg: number | null } {
  const { x, y, z } = row;
  if (x === null || y === null || z === null) return { ra_deg: null, dec_deg: null };
  const r = Math.hypot(x, y, z);
  if (r < 1e-9) return { ra_deg: null, dec_deg: null };
  const ra = (Math.atan2(y, x) * DEG + 360) % 360;
  return { ra_deg: Number(ra.toFixed(6)), dec_deg: Number((Math.asin(z / r) * DEG).toFixed(6)) };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function assemble(rows: TargetRow[], filterRows: TargetFilterRow[]): Target[] {
  const filters = new Map<string, TargetFilter[]>();
  for (const f of filterRows) {
    const { object_key, ...rest } = f;
    filters.set(object_key, [...(filters.get(object_key) ?? []), rest]);
  }
  return rows.map((row) => {
    const own = (filters.get(row.object_key) ?? []).sort(
      (a, b) =>
        b.integration_seconds - a.integration_seconds || (a.filter_name ?? '').localeCompare(b.filter_name ?? ''),
    );
    const sum = (k: keyof Omit<TargetFilter, 'filter_name'>) => own.reduce((s, f) => s + f[k], 0);
    return {
      key: row.object_key,
      name: row.object_name ?? row.object_key,
      ...meanPosition(row),
      frames: row.frames,
      good_frames: sum('good_frames'),
      integration_seconds: sum('integration_seconds'),
      good_integration_seconds: sum('good_integration_seconds'),
      nights: row.nights,
      first_date_obs: iso(row.first_ms),
      last_date_obs: iso(row.last_ms),
      filters: own,
    };
  });
}

function compare(sort: TargetSort): (a: Target, b: Target) => number {
  if (sort === 'name') return (a, b) => a.name.localeCompare(b.name, 'en', { numeric: true, sensitivity: 'base' });
  return (a, b) => {
    const x = a[sort];
    const y = b[sort];
    if (x === y) return 0;
    // Undated targets sort last either way.
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  };
}

/**
 * Every target of a catalog, from the target summary rows (a few thousand at a million frames),
 * kept between requests while the fingerprint (a few summary rows) stays the same. A change the
 * fingerprint cannot see (a renamed object in a re-read header) shows within CACHE_MS.
 */
const CACHE_MS = 5 * 60_000;
const cache = new WeakMap<object, { fingerprint: string; at: number; targets: Promise<Target[]> }>();

async function everyTarget(db: Db): Promise<Target[]> {
  const fingerprint = await targetsFingerprint(db);
  const hit = cache.get(db.db);
  if (hit && hit.fingerprint === fingerprint && Date.now() - hit.at < CACHE_MS) return hit.targets;
  const targets = Promise.all([summaryTargetRows(db), summaryTargetFilterRows(db)]).then(([rows, filterRows]) =>
    assemble(rows, filterRows),
  );
  cache.set(db.db, { fingerprint, at: Date.now(), targets });
  targets.catch(() => cache.delete(db.db));
  return targets;
}

async function allTargets(db: Db, options: Pick<TargetListOptions, 'sort' | 'order' | 'q'>): Promise<Target[]> {
  let targets = [...(await everyTarget(db))];
  const q = options.q ? objectKey(options.q) : null;
  if (q) targets = targets.filter((t) => t.key.includes(q) || (objectKey(t.name) ?? '').includes(q));
  const by = compare(options.sort);
  const sign = options.order === 'desc' ? -1 : 1;
  return targets.sort((a, b) => {
    const c = by(a, b);
    const nullLast = options.sort !== 'name' && (a[options.sort] === null || b[options.sort] === null);
    return (nullLast ? c : sign * c) || a.key.localeCompare(b.key);
  });
}

/** GET /api/targets: one page of targets. */
export async function listTargets(db: Db, options: TargetListOptions): Promise<{ total: number; items: Target[] }> {
  const targets = await allTargets(db, options);
  return { total: targets.length, items: targets.slice(options.offset, options.offset + options.limit) };
}

/** GET /api/targets?format=csv: one row per target and filter, the target's totals repeated. */
export async function targetsCsv(
  db: Db,
  options: Pick<TargetListOptions, 'sort' | 'order' | 'q'>,
): Promise<{ fileName: string; text: string }> {
  const targets = await allTargets(db, options);
  const head = ['key', 'name', 'ra_deg', 'dec_deg', 'nights', 'first_date_obs', 'last_date_obs'];
  const lines = [
    csvRow([
      ...head,
      'frames',
      'good_frames',
      'integration_seconds',
      'good_integration_seconds',
      'filter_name',
      'filter_frames',
      'filter_good_frames',
      'filter_integration_seconds',
      'filter_good_integration_seconds',
    ]),
  ];
  for (const t of targets) {
    const common = [t.key, t.name, t.ra_deg, t.dec_deg, t.nights, t.first_date_obs, t.last_date_obs];
    const totals = [t.frames, t.good_frames, t.integration_seconds, t.good_integration_seconds];
    for (const f of t.filters)
      lines.push(
        csvRow([
          ...common,
          ...totals,
          f.filter_name,
          f.frames,
          f.good_frames,
          f.integration_seconds,
          f.good_integration_seconds,
        ]),
      );
  }
  return { fileName: 'aims-targets.csv', text: lines.join('') };
}

export interface IntegrationPoint {
  /** The observing night (its UTC date when the frames have no night). */
  night: string;
  seconds: number;
  good_seconds: number;
  cumulative_seconds: number;
  cumulative_good_seconds: number;
}

export interface IntegrationSeries {
  filter_name: string | null;
  points: IntegrationPoint[];
}

export interface TargetDetail extends Target {
  /** Per filter, night by night in time order: the integration so far. */
  integration: IntegrationSeries[];
  /** The frames with the best quality scores. */
  best_frames: CatalogImage[];
}

const BEST_FRAMES = 12;

async function integrationSeries(db: Db, key: string): Promise<IntegrationSeries[]> {
  const series = new Map<string, IntegrationSeries>();
  for (const frame of await targetFrames(db, key)) {
    const filterKey = frame.filter_name?.toLowerCase() ?? '';
    let s = series.get(filterKey);
    if (!s) {
      s = { filter_name: frame.filter_name, points: [] };
      series.set(filterKey, s);
    }
    const night = frame.night ?? new Date(frame.date_obs_ms ?? 0).toISOString().slice(0, 10);
    let point = s.points.at(-1);
    if (point?.night !== night) {
      point = {
        night,
        seconds: 0,
        good_seconds: 0,
        cumulative_seconds: point?.cumulative_seconds ?? 0,
        cumulative_good_seconds: point?.cumulative_good_seconds ?? 0,
      };
      s.points.push(point);
    }
    const seconds = frame.exptime ?? 0;
    point.seconds += seconds;
    point.cumulative_seconds += seconds;
    if (frame.good) {
      point.good_seconds += seconds;
      point.cumulative_good_seconds += seconds;
    }
  }
  return [...series.values()];
}

/** GET /api/targets/{key}: `key` is normalized first, so "M 13" finds m13. */
export async function targetDetail(db: Db, rawKey: string): Promise<TargetDetail> {
  const key = objectKey(rawKey);
  if (key === null) throw catalogNotFound('no target ""');
  const [rows, filterRows] = await Promise.all([targetRows(db, key), targetFilterRows(db, key)]);
  const [target] = assemble(rows, filterRows);
  if (!target) throw catalogNotFound(`no target ${rawKey}`);
  const [integration, best] = await Promise.all([
    integrationSeries(db, key),
    queryImages(
      db,
      { object: key, image_type: 'light' },
      { sort: { column: 'quality_score', direction: 'desc' }, limit: BEST_FRAMES, withTotal: false },
    ),
  ]);
  return { ...target, integration, best_frames: best.items.filter((i) => i.quality_score !== null) };
}
