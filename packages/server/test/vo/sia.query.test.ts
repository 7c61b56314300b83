import { describe, expect, it } from 'vitest';
import type { CatalogImage } from '../../src/db/image.mapper.js';
import { DaliParameterError } from '../../src/vo/dali-params.js';
import { parseSiaQuery, SIA_DEFAULT_MAXREC, SIA_MAX_MAXREC } from '../../src/vo/sia.query.js';

// 2025-01-10T00:00Z is MJD 60685.
const MJD_2025_01_10 = 60685;
const JAN_10 = Date.parse('2025-01-10T00:00:00Z');

function frame(extra: Partial<CatalogImage>): CatalogImage {
  return { mjd_obs: null, date_obs_ms: null, exptime: null, ra_deg: null, dec_deg: null, ...extra } as CatalogImage;
}

const kept = (query: Record<string, unknown>, image: CatalogImage) =>
  parseSiaQuery(query).keep.every((keep) => keep(image));

describe('SIA 2.0 parameters', () => {
  it('without parameters: no filters, MAXREC 1000', () => {
    expect(parseSiaQuery({})).toMatchObject({ filters: {}, keep: [], maxrec: SIA_DEFAULT_MAXREC, empty: false });
  });

  it('names are case-insensitive; MAXREC is capped', () => {
    expect(parseSiaQuery({ maxrec: '20000' }).maxrec).toBe(SIA_MAX_MAXREC);
    expect(parseSiaQuery({ MaxRec: '0' }).maxrec).toBe(0);
    expect(parseSiaQuery({ instrument: 'QHY600', Target: 'M 13' }).filters).toEqual({
      camera: 'QHY600',
      object: 'M 13',
    });
  });

  it('POS becomes a cone filter and an exact test', () => {
    const q = parseSiaQuery({ POS: 'CIRCLE 250.4 36.5 0.1' });
    expect(q.filters).toMatchObject({ ra: 250.4, dec: 36.5 });
    expect(q.keep).toHaveLength(1);
  });

  it('TIME: the day filters bound the read, the exposure must overlap the interval', () => {
    const q = parseSiaQuery({ TIME: `${MJD_2025_01_10} ${MJD_2025_01_10 + 0.5}` });
    expect(q.filters).toEqual({ date_from: '2025-01-09', date_to: '2025-01-10' });
    // Starts 10 minutes before the interval, lasts 20 minutes: overlaps.
    const early = frame({ date_obs_ms: JAN_10 - 600_000, exptime: 1200 });
    expect(kept({ TIME: `${MJD_2025_01_10} ${MJD_2025_01_10 + 0.5}` }, early)).toBe(true);
    expect(kept({ TIME: `${MJD_2025_01_10 + 0.1} +Inf` }, early)).toBe(false);
    expect(kept({ TIME: '-Inf +Inf' }, frame({}))).toBe(false);
    expect(parseSiaQuery({ TIME: '-Inf +Inf' }).filters).toEqual({});
  });

  it('EXPTIME is an interval of seconds', () => {
    expect(kept({ EXPTIME: '60 120' }, frame({ exptime: 90 }))).toBe(true);
    expect(kept({ EXPTIME: '60 120' }, frame({ exptime: 300 }))).toBe(false);
    expect(kept({ EXPTIME: '60 +Inf' }, frame({ exptime: 300 }))).toBe(true);
  });

  it('constraints no AIMS frame meets make the query empty; repeats of those are ORed', () => {
    expect(parseSiaQuery({ COLLECTION: 'other' }).empty).toBe(true);
    expect(parseSiaQuery({ COLLECTION: ['other', 'aims'] }).empty).toBe(false);
    expect(parseSiaQuery({ CALIB: '2' }).empty).toBe(true);
    expect(parseSiaQuery({ CALIB: ['2', '1'] }).empty).toBe(false);
    expect(parseSiaQuery({ DPTYPE: 'cube' }).empty).toBe(true);
    expect(parseSiaQuery({ DPTYPE: 'IMAGE' }).empty).toBe(false);
  });

  it.each([
    [{ POS: ['CIRCLE 1 1 1', 'CIRCLE 2 2 1'] }, 'POS: only one value is supported'],
    [{ TIME: '60000' }, "TIME: expected an interval 'low high'"],
    [{ TIME: '60001 60000' }, 'TIME: low must be ≤ high'],
    [{ MAXREC: '-1' }, 'MAXREC: expected a non-negative integer'],
    [{ RESPONSEFORMAT: 'json' }, "RESPONSEFORMAT: 'json' is not supported (VOTable only)"],
    [{ DPTYPE: 'spectrum' }, "DPTYPE: 'spectrum' is not image or cube"],
    [{ CALIB: 'raw' }, 'CALIB: expected an integer level'],
  ])('refuses %j', (query, message) => {
    expect(() => parseSiaQuery(query)).toThrow(new DaliParameterError(message));
  });

  it('accepts the VOTable media types as RESPONSEFORMAT', () => {
    for (const format of ['votable', 'application/x-votable+xml', 'text/xml;content=x-votable'])
      expect(() => parseSiaQuery({ RESPONSEFORMAT: format })).not.toThrow();
  });
});
