import { describe, expect, it } from 'vitest';
import type { CatalogImage } from '../../src/db/image.mapper.js';
import { collectParams, DaliParameterError } from '../../src/vo/dali-params.js';
import { bandLookup } from '../../src/vo/filter-bands.js';
import { obscoreRecord } from '../../src/vo/obscore.columns.js';
import { parseSiaQuery, SIA_DEFAULT_MAXREC, SIA_MAX_MAXREC } from '../../src/vo/sia.query.js';

// 2025-01-10T00:00Z is MJD 60685.
const MJD_2025_01_10 = 60685;
const JAN_10 = Date.parse('2025-01-10T00:00:00Z');

function frame(extra: Partial<CatalogImage>): CatalogImage {
  return {
    id: 7,
    size_bytes: 2880,
    mjd_obs: null,
    date_obs_ms: null,
    exptime: null,
    ra_deg: null,
    dec_deg: null,
    footprint: null,
    fov_width_deg: null,
    fov_height_deg: null,
    filter_name: null,
    bayer_pattern: null,
    object_name: null,
    instrument: null,
    camera: null,
    telescope: null,
    observatory: null,
    fwhm_arcsec: null,
    pixel_scale_arcsec: null,
    ...extra,
  } as CatalogImage;
}

const parse = (query: Record<string, unknown>) => parseSiaQuery(collectParams(query));
const context = { baseUrl: 'http://aims.test', bands: bandLookup() };
const kept = (query: Record<string, unknown>, image: CatalogImage) => {
  const q = parse(query);
  const record = obscoreRecord(image, context);
  return !q.empty && q.keep.every((keep) => keep(record, image));
};

describe('SIA 2.0 parameters', () => {
  it('without parameters: no constraint, MAXREC 1000', () => {
    expect(parse({})).toMatchObject({ constraints: {}, keep: [], maxrec: SIA_DEFAULT_MAXREC, empty: false });
  });

  it('names are case-insensitive; MAXREC is capped', () => {
    expect(parse({ maxrec: '20000' }).maxrec).toBe(SIA_MAX_MAXREC);
    expect(parse({ MaxRec: '0' }).maxrec).toBe(0);
    expect(parse({ instrument: 'QHY600', Target: 'M 13' }).constraints).toEqual({
      instruments: ['QHY600'],
      objectKeys: ['m13'],
    });
  });

  it('string values match exactly: case and blanks count', () => {
    const m13 = frame({ object_name: 'M 13', instrument: 'QHY600', telescope: 'T1' });
    expect(kept({ TARGET: 'M 13' }, m13)).toBe(true);
    expect(kept({ TARGET: 'm13' }, m13)).toBe(false);
    expect(kept({ INSTRUMENT: 'qhy600' }, m13)).toBe(false);
    expect(kept({ FACILITY: 'T1', COLLECTION: 'AIMS', DPTYPE: 'image' }, m13)).toBe(true);
    expect(kept({ COLLECTION: 'aims' }, m13)).toBe(false);
    // instrument_name falls back to the camera, facility_name to the observatory.
    expect(kept({ INSTRUMENT: 'ASI294', FACILITY: 'Home' }, frame({ camera: 'ASI294', observatory: 'Home' }))).toBe(
      true,
    );
  });

  it('repeats are ORed within a name, names ANDed', () => {
    const m13 = frame({ object_name: 'M13', exptime: 60 });
    expect(kept({ TARGET: ['M31', 'M13'] }, m13)).toBe(true);
    expect(kept({ TARGET: ['M31', 'M13'], EXPTIME: ['1 10', '100 200'] }, m13)).toBe(false);
    expect(kept({ TARGET: ['M31', 'M13'], EXPTIME: ['1 10', '50 70'] }, m13)).toBe(true);
    expect(parse({ POS: ['CIRCLE 1 1 1', 'CIRCLE 2 2 1'] }).constraints.sky).toHaveLength(2);
  });

  it('a numeric interval may be a single value', () => {
    expect(kept({ EXPTIME: '60' }, frame({ exptime: 60 }))).toBe(true);
    expect(kept({ EXPTIME: '60' }, frame({ exptime: 61 }))).toBe(false);
  });

  it('TIME: the date index bounds the read, the exposure must overlap the interval', () => {
    const q = parse({ TIME: `${MJD_2025_01_10} ${MJD_2025_01_10 + 0.5}` });
    expect(q.constraints.dateMs).toEqual([[JAN_10 - 86_400_000, JAN_10 + 43_200_000]]);
    // Starts 10 minutes before the interval, lasts 20 minutes: overlaps.
    const early = frame({ date_obs_ms: JAN_10 - 600_000, exptime: 1200 });
    expect(kept({ TIME: `${MJD_2025_01_10} ${MJD_2025_01_10 + 0.5}` }, early)).toBe(true);
    expect(kept({ TIME: `${MJD_2025_01_10 + 0.1} +Inf` }, early)).toBe(false);
    expect(kept({ TIME: '-Inf +Inf' }, frame({}))).toBe(false);
  });

  it('BAND overlaps the filter passband; SPECRP, FOV, SPATRES, TIMERES contain the value', () => {
    const ha = frame({ filter_name: 'Ha', exptime: 300, pixel_scale_arcsec: 1.5, fov_width_deg: 1, fov_height_deg: 1 });
    expect(kept({ BAND: '656e-9' }, ha)).toBe(true);
    expect(kept({ BAND: '500e-9 510e-9' }, ha)).toBe(false);
    expect(kept({ BAND: ['500e-9 510e-9', '650e-9 +Inf'] }, ha)).toBe(true);
    expect(kept({ BAND: '656e-9' }, frame({ filter_name: 'mystery' }))).toBe(false);
    expect(kept({ SPECRP: '50 200' }, ha)).toBe(true); // 656.46 / 7 ≈ 94
    expect(kept({ SPECRP: '200 +Inf' }, ha)).toBe(false);
    expect(kept({ FOV: '1.4 1.5' }, ha)).toBe(true); // the diagonal, √2
    expect(kept({ SPATRES: '1 2', TIMERES: '300' }, ha)).toBe(true);
    expect(kept({ SPATRES: '0 1' }, ha)).toBe(false);
  });

  it('constraints no AIMS frame meets match nothing', () => {
    const any = frame({ object_name: 'M13' });
    for (const query of [
      { COLLECTION: 'other' },
      { CALIB: '2' },
      { DPTYPE: 'cube' },
      { DPTYPE: 'spectrum' },
      { POL: 'I' },
      { FORMAT: 'image/png' },
      { ID: 'ivo://elsewhere/7' },
    ])
      expect(kept(query, any)).toBe(false);
    expect(kept({ CALIB: ['2', '1'], FORMAT: ['image/png', 'image/fits'], ID: 'ivo://aims/images?7' }, any)).toBe(true);
    expect(parse({ ID: 'ivo://aims/images?7' }).constraints.ids).toEqual([7]);
  });

  it.each([
    [{ TIME: '60000 60000 1' }, "TIME: expected an interval 'low high' or one value"],
    [{ TIME: '60001 60000' }, 'TIME: low must be ≤ high'],
    [{ BAND: 'red' }, "BAND: 'red' is not a number"],
    [{ MAXREC: '-1' }, 'MAXREC: expected a non-negative integer'],
    [{ MAXREC: ['1', '2'] }, 'MAXREC: only one value is supported'],
    [{ RESPONSEFORMAT: 'json' }, "RESPONSEFORMAT: 'json' is not supported (VOTable TABLEDATA only)"],
    [{ CALIB: 'raw' }, "CALIB: 'raw' is not an integer level"],
  ])('refuses %j', (query, message) => {
    expect(() => parse(query)).toThrow(new DaliParameterError(message));
  });

  it('accepts the VOTable media types as RESPONSEFORMAT', () => {
    for (const format of [
      'votable',
      'application/x-votable+xml',
      'text/xml;content=x-votable',
      'application/x-votable+xml;serialization=TABLEDATA',
    ])
      expect(() => parse({ RESPONSEFORMAT: format })).not.toThrow();
    expect(() => parse({ RESPONSEFORMAT: 'application/x-votable+xml;serialization=BINARY2' })).toThrow(
      DaliParameterError,
    );
  });
});
