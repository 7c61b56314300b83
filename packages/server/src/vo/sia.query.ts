/**
 * IVOA SIA 2.0 queries over the catalog. Parameter names are case-insensitive. Supported, and the
 * limits:
 *   - POS: CIRCLE or RANGE (pos-region.ts). At most one POS.
 *   - TIME: MJD interval `t1 t2` (±Inf), a frame matches when [t_min, t_max] overlaps it.
 *   - EXPTIME: seconds interval. INSTRUMENT, TARGET: one value each (case-insensitive; TARGET
 *     ignores blanks like the catalog's object filter). COLLECTION: only 'AIMS'.
 *     CALIB: 1 (2 and others → no rows). DPTYPE: image (cube → no rows).
 *   - MAXREC: default 1000, at most 10000; RESPONSEFORMAT: VOTable only.
 *   - Repeated POS/TIME/EXPTIME/INSTRUMENT/TARGET/MAXREC → DaliParameterError (SIA2's OR of
 *     repeats is not supported); repeated CALIB/DPTYPE/COLLECTION are ORed.
 */
import type { Db } from '../db/connection.js';
import type { CatalogImage } from '../db/image.mapper.js';
import type { ImageFilters } from '../db/image-filters.js';
import { iterateImages } from '../db/image-query.js';
import { unixMsFromMjd } from '../util/time.js';
import { collectParams, DaliParameterError, parseInterval, single } from './dali-params.js';
import { parsePos } from './pos-region.js';
import { endMjd, startMjd } from './votable.js';

export const SIA_DEFAULT_MAXREC = 1000;
export const SIA_MAX_MAXREC = 10_000;

export interface SiaQuery {
  filters: ImageFilters;
  /** Exact tests the SQL filters only approximate. */
  keep: Array<(image: CatalogImage) => boolean>;
  maxrec: number;
  /** A constraint no AIMS frame can meet (CALIB=2, DPTYPE=cube, another collection). */
  empty: boolean;
}

function utcDay(mjd: number): string {
  return new Date(unixMsFromMjd(mjd)).toISOString().slice(0, 10);
}

/** MJD of 1000-01-02 and 9999-12-30: days the catalog's YYYY-MM-DD filters can name. */
const DAY_FILTER_MJD = [-313_697, 2_973_482] as const;

function dayFilterable(mjd: number): boolean {
  return mjd >= DAY_FILTER_MJD[0] && mjd <= DAY_FILTER_MJD[1];
}

function applyTime(q: SiaQuery, text: string): void {
  const [t1, t2] = parseInterval('TIME', text);
  // The day filters bound the SQL read (a frame starting up to a day before t1 may still overlap);
  // the exact overlap test follows.
  // Only between years 1000 and 9999 (the day filters' four-digit years); beyond, the exact test alone.
  if (dayFilterable(t1 - 1)) q.filters.date_from = utcDay(t1 - 1);
  if (dayFilterable(t2)) q.filters.date_to = utcDay(t2);
  q.keep.push((i) => {
    const start = startMjd(i);
    const end = endMjd(i);
    return start !== null && end !== null && start <= t2 && end >= t1;
  });
}

/** A query string → the catalog filters and exact tests of the SIA query; DaliParameterError if bad. */
export function parseSiaQuery(query: unknown): SiaQuery {
  const params = collectParams(query);
  const q: SiaQuery = { filters: {}, keep: [], maxrec: SIA_DEFAULT_MAXREC, empty: false };

  const format = single(params, 'RESPONSEFORMAT');
  if (format !== undefined && !/^(votable|application\/x-votable\+xml|text\/xml)(;.*)?$/i.test(format.trim()))
    throw new DaliParameterError(`RESPONSEFORMAT: '${format}' is not supported (VOTable only)`);

  const maxrec = single(params, 'MAXREC');
  if (maxrec !== undefined) {
    const n = Number(maxrec);
    if (!/^\s*\d+\s*$/.test(maxrec) || !Number.isSafeInteger(n))
      throw new DaliParameterError('MAXREC: expected a non-negative integer');
    q.maxrec = Math.min(n, SIA_MAX_MAXREC);
  }

  const pos = single(params, 'POS');
  if (pos !== undefined) {
    const region = parsePos(pos);
    if (region.cone) Object.assign(q.filters, region.cone);
    q.keep.push(region.contains);
  }
  const time = single(params, 'TIME');
  if (time !== undefined) applyTime(q, time);
  const exptime = single(params, 'EXPTIME');
  if (exptime !== undefined) {
    const [lo, hi] = parseInterval('EXPTIME', exptime);
    q.keep.push((i) => i.exptime !== null && i.exptime >= lo && i.exptime <= hi);
  }
  const instrument = single(params, 'INSTRUMENT');
  if (instrument !== undefined) q.filters.camera = instrument;
  const target = single(params, 'TARGET');
  if (target !== undefined) q.filters.object = target;

  const collections = params.get('COLLECTION');
  if (collections && !collections.some((c) => c.trim().toLowerCase() === 'aims')) q.empty = true;
  const calibs = params.get('CALIB');
  if (calibs) {
    const levels = calibs.map((c) => {
      if (!/^\s*\d+\s*$/.test(c)) throw new DaliParameterError('CALIB: expected an integer level');
      return Number(c);
    });
    if (!levels.includes(1)) q.empty = true;
  }
  const dptypes = params.get('DPTYPE');
  if (dptypes) {
    const types = dptypes.map((d) => d.trim().toLowerCase());
    for (const t of types)
      if (t !== 'image' && t !== 'cube') throw new DaliParameterError(`DPTYPE: '${t}' is not image or cube`);
    if (!types.includes('image')) q.empty = true;
  }
  return q;
}

/** The frames of a query in id order, at most MAXREC; `overflow` when there were more (DALI OVERFLOW). */
export async function searchSia(db: Db, q: SiaQuery): Promise<{ images: CatalogImage[]; overflow: boolean }> {
  const images: CatalogImage[] = [];
  if (q.empty) return { images, overflow: false };
  for await (const image of iterateImages(db, q.filters, { sort: { column: 'id', direction: 'asc' } })) {
    if (!q.keep.every((keep) => keep(image))) continue;
    if (images.length === q.maxrec) return { images, overflow: true };
    images.push(image);
  }
  return { images, overflow: false };
}
