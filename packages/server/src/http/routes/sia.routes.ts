/**
 * IVOA SIA 2.0 (Simple Image Access) over the catalog, for VO clients (pyvo, TOPCAT, Aladin):
 *
 *   GET /api/vo/sia/query          parameters → VOTable 1.4 of ObsCore columns (sia.votable.ts)
 *   GET /api/vo/sia/capabilities   VOSI capabilities
 *   GET /api/vo/sia/availability   VOSI availability
 *
 * Access as the image metadata ('read'); the access_url links go to /api/images/{id}/download, which
 * still needs download rights. Parameter names are case-insensitive. Supported, and the limits:
 *   - POS: CIRCLE ra dec r, or RANGE ra1 ra2 dec1 dec2 (±Inf allowed; ra1 > ra2 wraps through 0).
 *     CIRCLE: a frame matches when its bounding circle (centre + half-diagonal, from the footprint
 *     or the FOV) meets the circle — a little generous near frame corners; frames whose half-diagonal
 *     exceeds FRAME_RADIUS_MARGIN_DEG can be missed near their edges. RANGE: a frame matches when
 *     its centre (s_ra, s_dec) lies in the box. POLYGON → 400. At most one POS.
 *   - TIME: MJD interval `t1 t2` (±Inf), a frame matches when [t_min, t_max] overlaps it.
 *   - EXPTIME: seconds interval. INSTRUMENT, TARGET: one value each (case-insensitive; TARGET
 *     ignores blanks like the catalog's object filter). COLLECTION: only 'AIMS'.
 *     CALIB: 1 (2 and others → no rows). DPTYPE: image (cube → no rows).
 *   - MAXREC: default 1000, at most 10000; RESPONSEFORMAT: VOTable only.
 *   - Repeated POS/TIME/EXPTIME/INSTRUMENT/TARGET/MAXREC → 400 (SIA2's OR of repeats is not supported);
 *     repeated CALIB/DPTYPE/COLLECTION are ORed.
 * Errors: HTTP 400 with a DALI VOTable whose QUERY_STATUS is ERROR.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CatalogImage } from '../../db/image.mapper.js';
import type { ImageFilters } from '../../db/image-filters.js';
import { ImageQueryError } from '../../db/image-filters.js';
import { iterateImages } from '../../db/image-query.js';
import type { AppContext } from '../app-context.js';
import {
  endMjd,
  siaErrorVotable,
  siaResultsVotable,
  startMjd,
  VOTABLE_CONTENT_TYPE,
  vosiAvailability,
  vosiCapabilities,
} from '../sia.votable.js';

export const SIA_DEFAULT_MAXREC = 1000;
export const SIA_MAX_MAXREC = 10_000;

const MJD_UNIX_EPOCH = 40587;
const MS_PER_DAY = 86_400_000;
const DEG = Math.PI / 180;

/** A bad parameter: answered 400 with QUERY_STATUS ERROR. */
export class SiaParameterError extends Error {
  override readonly name = 'SiaParameterError';
}

type Params = Map<string, string[]>;

/** Query string → upper-case name → values (repeats kept). */
function collectParams(query: unknown): Params {
  const params: Params = new Map();
  for (const [key, raw] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    const values = (Array.isArray(raw) ? raw : [raw]).map(String);
    const name = key.toUpperCase();
    params.set(name, [...(params.get(name) ?? []), ...values]);
  }
  return params;
}

function single(params: Params, name: string): string | undefined {
  const values = params.get(name);
  if (!values) return undefined;
  if (values.length > 1) throw new SiaParameterError(`${name}: only one value is supported`);
  return values[0];
}

/** A number, with -Inf/+Inf/Inf allowed where `infinite` says so. */
function parseNumber(name: string, text: string, infinite: boolean): number {
  const t = text.trim();
  if (infinite && /^[+-]?inf(inity)?$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  const n = Number(t);
  if (t === '' || !Number.isFinite(n)) throw new SiaParameterError(`${name}: '${text}' is not a number`);
  return n;
}

/** DALI interval `lo hi`; lo ≤ hi. */
function parseInterval(name: string, text: string): [number, number] {
  const words = text.trim().split(/\s+/);
  if (words.length !== 2) throw new SiaParameterError(`${name}: expected an interval 'low high'`);
  const lo = parseNumber(name, words[0] ?? '', true);
  const hi = parseNumber(name, words[1] ?? '', true);
  if (Number.isNaN(lo) || Number.isNaN(hi) || lo > hi) throw new SiaParameterError(`${name}: low must be ≤ high`);
  return [lo, hi];
}

/** Great-circle distance in degrees. */
export function angularDistanceDeg(ra1: number, dec1: number, ra2: number, dec2: number): number {
  const s =
    Math.sin(((dec2 - dec1) * DEG) / 2) ** 2 +
    Math.cos(dec1 * DEG) * Math.cos(dec2 * DEG) * Math.sin(((ra2 - ra1) * DEG) / 2) ** 2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(s)))) / DEG;
}

/** Frames whose half-diagonal exceeds this may be missed by a CIRCLE search near their edge. */
export const FRAME_RADIUS_MARGIN_DEG = 5;

/** Radius of the circle around the frame centre that holds the frame: footprint corners, else the FOV. */
export function frameRadiusDeg(image: CatalogImage): number {
  const { ra_deg: ra, dec_deg: dec, footprint } = image;
  if (ra !== null && dec !== null && footprint && footprint.length >= 3)
    return Math.max(...footprint.map(([r, d]) => angularDistanceDeg(ra, dec, r, d)));
  const w = image.fov_width_deg ?? image.fov_height_deg ?? 0;
  const h = image.fov_height_deg ?? w;
  return Math.hypot(w, h) / 2;
}

interface SiaQuery {
  filters: ImageFilters;
  /** Exact tests the SQL filters only approximate. */
  keep: Array<(image: CatalogImage) => boolean>;
  maxrec: number;
  /** A constraint no AIMS frame can meet (CALIB=2, DPTYPE=cube, another collection). */
  empty: boolean;
}

function applyPos(q: SiaQuery, text: string): void {
  const words = text.trim().split(/\s+/);
  const shape = (words.shift() ?? '').toUpperCase();
  if (shape === 'CIRCLE') {
    if (words.length !== 3) throw new SiaParameterError('POS: CIRCLE needs ra dec radius');
    const [ra, dec, radius] = words.map((w) => parseNumber('POS', w, false)) as [number, number, number];
    if (ra < 0 || ra > 360 || dec < -90 || dec > 90 || !(radius > 0) || radius > 180)
      throw new SiaParameterError('POS: CIRCLE needs 0 ≤ ra ≤ 360, -90 ≤ dec ≤ 90, 0 < radius ≤ 180');
    // The SQL cone is widened by the largest frame half-diagonal we expect, then each frame's
    // bounding circle (centre + half-diagonal) must meet the query circle.
    Object.assign(q.filters, { ra: ra % 360, dec, radius: Math.min(radius + FRAME_RADIUS_MARGIN_DEG, 180) });
    q.keep.push(
      (i) =>
        i.ra_deg !== null &&
        i.dec_deg !== null &&
        angularDistanceDeg(ra, dec, i.ra_deg, i.dec_deg) <= radius + frameRadiusDeg(i),
    );
    return;
  }
  if (shape === 'RANGE') {
    if (words.length !== 4) throw new SiaParameterError('POS: RANGE needs ra1 ra2 dec1 dec2');
    const [raLo, raHi, decLo, decHi] = words.map((w) => parseNumber('POS', w, true)) as [
      number,
      number,
      number,
      number,
    ];
    const fullRa = raLo === -Infinity || raHi === Infinity || raHi - raLo >= 360;
    const ra1 = fullRa ? 0 : raLo;
    const ra2 = fullRa ? 360 : raHi;
    const dec1 = Math.max(decLo, -90);
    const dec2 = Math.min(decHi, 90);
    if ([ra1, ra2].some((v) => v < 0 || v > 360) || dec1 > dec2 || Number.isNaN(dec1) || Number.isNaN(dec2))
      throw new SiaParameterError('POS: RANGE needs 0 ≤ ra ≤ 360 and dec1 ≤ dec2 within [-90, 90]');
    const wraps = ra1 > ra2;
    q.keep.push((i) => {
      if (i.ra_deg === null || i.dec_deg === null) return false;
      if (i.dec_deg < dec1 || i.dec_deg > dec2) return false;
      return wraps ? i.ra_deg >= ra1 || i.ra_deg <= ra2 : i.ra_deg >= ra1 && i.ra_deg <= ra2;
    });
    // A cone around the box narrows the SQL read; the farthest box points from its centre are its
    // corners. Boxes wider than a hemisphere are read whole (post-filter only).
    const raSpan = wraps ? ra2 + 360 - ra1 : ra2 - ra1;
    if (raSpan <= 180 && dec2 - dec1 <= 90) {
      const raC = (ra1 + raSpan / 2) % 360;
      const decC = (dec1 + dec2) / 2;
      const corners: Array<[number, number]> = [
        [ra1, dec1],
        [ra1, dec2],
        [ra2, dec1],
        [ra2, dec2],
      ];
      const radius = Math.max(...corners.map(([r, d]) => angularDistanceDeg(raC, decC, r, d))) * 1.000001 + 1e-9;
      if (radius <= 180) Object.assign(q.filters, { ra: raC, dec: decC, radius });
    }
    return;
  }
  if (shape === 'POLYGON') throw new SiaParameterError('POS: POLYGON is not supported (use CIRCLE or RANGE)');
  throw new SiaParameterError(`POS: unknown shape '${shape}' (CIRCLE or RANGE)`);
}

function utcDay(mjd: number): string {
  return new Date((mjd - MJD_UNIX_EPOCH) * MS_PER_DAY).toISOString().slice(0, 10);
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

export function parseSiaQuery(query: unknown): SiaQuery {
  const params = collectParams(query);
  const q: SiaQuery = { filters: {}, keep: [], maxrec: SIA_DEFAULT_MAXREC, empty: false };

  const format = single(params, 'RESPONSEFORMAT');
  if (format !== undefined && !/^(votable|application\/x-votable\+xml|text\/xml)(;.*)?$/i.test(format.trim()))
    throw new SiaParameterError(`RESPONSEFORMAT: '${format}' is not supported (VOTable only)`);

  const maxrec = single(params, 'MAXREC');
  if (maxrec !== undefined) {
    const n = Number(maxrec);
    if (!/^\s*\d+\s*$/.test(maxrec) || !Number.isSafeInteger(n))
      throw new SiaParameterError('MAXREC: expected a non-negative integer');
    q.maxrec = Math.min(n, SIA_MAX_MAXREC);
  }

  const pos = single(params, 'POS');
  if (pos !== undefined) applyPos(q, pos);
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
      if (!/^\s*\d+\s*$/.test(c)) throw new SiaParameterError('CALIB: expected an integer level');
      return Number(c);
    });
    if (!levels.includes(1)) q.empty = true;
  }
  const dptypes = params.get('DPTYPE');
  if (dptypes) {
    const types = dptypes.map((d) => d.trim().toLowerCase());
    for (const t of types)
      if (t !== 'image' && t !== 'cube') throw new SiaParameterError(`DPTYPE: '${t}' is not image or cube`);
    if (!types.includes('image')) q.empty = true;
  }
  return q;
}

async function runQuery(ctx: AppContext, q: SiaQuery): Promise<{ images: CatalogImage[]; overflow: boolean }> {
  const images: CatalogImage[] = [];
  if (q.empty) return { images, overflow: false };
  for await (const image of iterateImages(ctx.database, q.filters, { sort: { column: 'id', direction: 'asc' } })) {
    if (!q.keep.every((keep) => keep(image))) continue;
    // One more than MAXREC tells there were more (DALI: OVERFLOW).
    if (images.length === q.maxrec) return { images, overflow: true };
    images.push(image);
  }
  return { images, overflow: false };
}

function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

function votable(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type(VOTABLE_CONTENT_TYPE).send(body);
}

export function siaRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    const read = { access: 'read' as const };
    const tags = ['vo'];

    app.get(
      '/vo/sia/query',
      { config: read, schema: { tags, summary: 'IVOA SIA 2.0 image search (VOTable of ObsCore columns)' } },
      async (request, reply) => {
        let q: SiaQuery;
        try {
          q = parseSiaQuery(request.query);
        } catch (error) {
          if (error instanceof SiaParameterError) return votable(reply, 400, siaErrorVotable(error.message));
          throw error;
        }
        try {
          const { images, overflow } = await runQuery(ctx, q);
          return votable(reply, 200, siaResultsVotable(images, { downloadBase: baseUrl(request), overflow }));
        } catch (error) {
          if (error instanceof ImageQueryError) return votable(reply, 400, siaErrorVotable(error.message));
          throw error;
        }
      },
    );

    app.get(
      '/vo/sia/capabilities',
      { config: read, schema: { tags, summary: 'VOSI capabilities of the SIA 2.0 service' } },
      async (request, reply) => reply.type('text/xml').send(vosiCapabilities(`${baseUrl(request)}/api/vo/sia`)),
    );

    app.get(
      '/vo/sia/availability',
      { config: read, schema: { tags, summary: 'VOSI availability of the SIA 2.0 service' } },
      async (_request, reply) => reply.type('text/xml').send(vosiAvailability()),
    );
  };
}
