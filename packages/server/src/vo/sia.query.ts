/**
 * IVOA SIA 2.0 queries (Recommendation 2015-12-23, §2) over the catalog, as ObsCore records.
 *
 *   parseSiaQuery(params)                 DALI parameters → SiaQuery; DaliParameterError if bad
 *   searchSia(db, query, context)         { records, overflow }
 *
 * Every standard parameter: POS (CIRCLE, RANGE, POLYGON), BAND, TIME, POL, FOV, SPATRES, EXPTIME,
 * ID, COLLECTION, FACILITY, INSTRUMENT, DPTYPE, CALIB, TARGET, TIMERES, SPECRP, FORMAT, MAXREC,
 * RESPONSEFORMAT. As the standard says: names are case-insensitive; a repeated parameter is an
 * OR of its values, different parameters are ANDed; a numeric interval may be one value; string
 * values match the ObsCore column exactly (the REST API offers friendlier matching). A constraint
 * no frame can meet (POL: AIMS frames have no polarization; DPTYPE=cube; another COLLECTION)
 * matches nothing, never everything. Intervals match when they overlap the frame's (POS, TIME,
 * BAND) or contain its value (the others).
 *
 * Each constraint that an index can serve narrows the SQL read (db/obscore-candidates.ts); every
 * constraint is then tested exactly on the frame's ObsCore record.
 */
import type { Db } from '../db/connection.js';
import type { CatalogImage } from '../db/image.mapper.js';
import { objectKey } from '../db/image.mapper.js';
import { iterateObsCoreCandidates, type ObsCoreConstraints } from '../db/obscore-candidates.js';
import { MS_PER_DAY, unixMsFromMjd } from '../util/time.js';
import { DaliParameterError, type DaliParams, parseInterval, single } from './dali-params.js';
import {
  DATALINK_FORMAT,
  idFromPublisherDid,
  type ObsCoreContext,
  type ObsCoreRecord,
  type ObsCoreValue,
  obscoreRecord,
  PRODUCT_FORMAT,
  publisherDid,
} from './obscore.columns.js';
import { parsePos, type Region } from './pos-region.js';

export const SIA_DEFAULT_MAXREC = 1000;
export const SIA_MAX_MAXREC = 10_000;

type Test = (record: ObsCoreRecord, image: CatalogImage) => boolean;

export interface SiaQuery {
  constraints: ObsCoreConstraints;
  /** Exact tests, all of which a frame must pass. */
  keep: Test[];
  maxrec: number;
  /** A constraint no AIMS frame can meet. */
  empty: boolean;
}

/** Latest and earliest instants a JavaScript Date (and so date_obs_ms) can hold. */
const MAX_MS = 8.64e15;

const num = (v: ObsCoreValue): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function intervals(params: DaliParams, name: string): Array<[number, number]> | undefined {
  return params.get(name)?.map((text) => parseInterval(name, text));
}

/** The column's value lies in one of the intervals. */
function valueIn(q: SiaQuery, column: string, ranges: Array<[number, number]> | undefined): void {
  if (!ranges) return;
  q.keep.push((r) => {
    const v = num(r[column] ?? null);
    return v !== null && ranges.some(([lo, hi]) => v >= lo && v <= hi);
  });
}

/** [min column, max column] overlaps one of the intervals. */
function overlaps(q: SiaQuery, min: string, max: string, ranges: Array<[number, number]> | undefined): void {
  if (!ranges) return;
  q.keep.push((r) => {
    const lo = num(r[min] ?? null);
    const hi = num(r[max] ?? null);
    return lo !== null && hi !== null && ranges.some(([a, b]) => lo <= b && hi >= a);
  });
}

/** The column equals one of the values, exactly. */
function oneOf(q: SiaQuery, column: string, values: string[] | undefined, also?: (v: string) => boolean): void {
  if (!values) return;
  const set = new Set(values);
  q.keep.push((r) => {
    const v = r[column];
    return (typeof v === 'string' || typeof v === 'number') && (set.has(String(v)) || (also?.(String(v)) ?? false));
  });
}

function applyResponseFormat(params: DaliParams): void {
  const format = single(params, 'RESPONSEFORMAT');
  if (format === undefined) return;
  const [type = '', ...options] = format.split(';').map((p) => p.trim().toLowerCase());
  const votable = ['votable', 'application/x-votable+xml', 'text/xml', 'votable/td'].includes(type);
  const serialization = options.find((o) => o.startsWith('serialization='))?.slice('serialization='.length);
  if (!votable || (serialization !== undefined && serialization !== 'tabledata'))
    throw new DaliParameterError(`RESPONSEFORMAT: '${format}' is not supported (VOTable TABLEDATA only)`);
}

function applyMaxrec(q: SiaQuery, params: DaliParams): void {
  const maxrec = single(params, 'MAXREC');
  if (maxrec === undefined) return;
  const n = Number(maxrec);
  if (!/^\s*\d+\s*$/.test(maxrec) || !Number.isSafeInteger(n))
    throw new DaliParameterError('MAXREC: expected a non-negative integer');
  q.maxrec = Math.min(n, SIA_MAX_MAXREC);
}

function applyPos(q: SiaQuery, params: DaliParams): void {
  const values = params.get('POS');
  if (!values) return;
  const regions: Region[] = values.map(parsePos);
  q.constraints.sky = regions.map((r) => r.prefilter);
  q.keep.push((_r, image) => regions.some((region) => region.matches(image)));
}

function applyTime(q: SiaQuery, params: DaliParams): void {
  const ranges = intervals(params, 'TIME');
  if (!ranges) return;
  // A frame whose exposure overlaps [t1, t2] started before t2 and at most a day before t1 (no
  // AIMS exposure is longer); the SQL read uses that, the overlap test is exact.
  // Whole milliseconds: date_obs_ms is a bigint, which PostgreSQL will not compare with a fraction.
  const ms = (mjd: number) => Math.max(-MAX_MS, Math.min(MAX_MS, unixMsFromMjd(mjd)));
  q.constraints.dateMs = ranges.map(([t1, t2]) => [
    Number.isFinite(t1) ? Math.floor(ms(t1)) - MS_PER_DAY : -Infinity,
    Number.isFinite(t2) ? Math.ceil(ms(t2)) : Infinity,
  ]);
  overlaps(q, 't_min', 't_max', ranges);
}

function applyStrings(q: SiaQuery, params: DaliParams): void {
  const ids = params.get('ID');
  if (ids) {
    q.constraints.ids = ids.flatMap((did) => {
      const id = idFromPublisherDid(did);
      return id !== null && publisherDid(id) === did ? [id] : [];
    });
    oneOf(q, 'obs_publisher_did', ids);
  }
  const targets = params.get('TARGET');
  if (targets) {
    q.constraints.objectKeys = targets.map(objectKey).filter((k): k is string => k !== null);
    oneOf(q, 'target_name', targets);
  }
  const instruments = params.get('INSTRUMENT');
  if (instruments) {
    q.constraints.instruments = instruments;
    oneOf(q, 'instrument_name', instruments);
  }
  const facilities = params.get('FACILITY');
  if (facilities) {
    q.constraints.facilities = facilities;
    oneOf(q, 'facility_name', facilities);
  }
  oneOf(q, 'obs_collection', params.get('COLLECTION'));
  oneOf(q, 'dataproduct_type', params.get('DPTYPE'));
  // FORMAT names the data product's format: the original's (#this of the DataLink document) or
  // the DataLink document's own.
  const formats = params.get('FORMAT');
  if (formats) q.empty ||= !formats.some((f) => f === PRODUCT_FORMAT || f === DATALINK_FORMAT);
  // No AIMS frame has a polarization axis: any POL matches nothing.
  if (params.has('POL')) q.empty = true;
}

function applyCalib(q: SiaQuery, params: DaliParams): void {
  const calibs = params.get('CALIB');
  if (!calibs) return;
  const levels = calibs.map((c) => {
    if (!/^\s*-?\d+\s*$/.test(c)) throw new DaliParameterError(`CALIB: '${c}' is not an integer level`);
    return Number(c);
  });
  q.keep.push((r) => levels.includes(r.calib_level as number));
}

/** Upper-case DALI parameters → the query; DaliParameterError (a UsageFault) when one is bad. */
export function parseSiaQuery(params: DaliParams): SiaQuery {
  const q: SiaQuery = { constraints: {}, keep: [], maxrec: SIA_DEFAULT_MAXREC, empty: false };
  applyResponseFormat(params);
  applyMaxrec(q, params);
  applyPos(q, params);
  applyTime(q, params);
  const exptime = intervals(params, 'EXPTIME');
  if (exptime) q.constraints.exptime = exptime;
  valueIn(q, 't_exptime', exptime);
  overlaps(q, 'em_min', 'em_max', intervals(params, 'BAND'));
  valueIn(q, 's_fov', intervals(params, 'FOV'));
  valueIn(q, 's_resolution', intervals(params, 'SPATRES'));
  valueIn(q, 't_resolution', intervals(params, 'TIMERES'));
  valueIn(q, 'em_res_power', intervals(params, 'SPECRP'));
  applyStrings(q, params);
  applyCalib(q, params);
  return q;
}

/** The records of a query in id order, at most MAXREC; `overflow` when there were more (DALI OVERFLOW). */
export async function searchSia(
  db: Db,
  q: SiaQuery,
  context: ObsCoreContext,
): Promise<{ records: ObsCoreRecord[]; overflow: boolean }> {
  const records: ObsCoreRecord[] = [];
  if (q.empty) return { records, overflow: false };
  for await (const image of iterateObsCoreCandidates(db, q.constraints)) {
    const record = obscoreRecord(image, context);
    if (!q.keep.every((keep) => keep(record, image))) continue;
    if (records.length === q.maxrec) return { records, overflow: true };
    records.push(record);
  }
  return { records, overflow: false };
}
