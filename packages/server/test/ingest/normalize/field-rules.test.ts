import type { CardValue } from '@aims/fits';
import { describe, expect, it } from 'vitest';
import { resolveField } from '../../../src/ingest/normalize/field-rule.js';
import { resolveFilterName } from '../../../src/ingest/normalize/filter-name.js';
import { HeaderView, headerFromEntries } from '../../../src/ingest/normalize/header-view.js';
import { classifyImageType, resolveImageType } from '../../../src/ingest/normalize/image-type.js';
import { KEYWORD_TABLE } from '../../../src/ingest/normalize/keyword-table.js';
import { parseBinningText, resolveBinning, resolvePixelSize } from '../../../src/ingest/normalize/optics.js';
import { resolvePosition } from '../../../src/ingest/normalize/position.js';
import { resolveSite, wrapLongitude } from '../../../src/ingest/normalize/site.js';

const header = (cards: Record<string, CardValue>) => headerFromEntries(Object.entries(cards));
const rule = (field: string) => {
  const found = KEYWORD_TABLE.find((r) => r.field === field);
  if (!found) throw new Error(`no rule for ${field}`);
  return found;
};

describe('the keyword table', () => {
  it('has one entry per field', () => {
    const fields = KEYWORD_TABLE.map((r) => r.field);
    expect(new Set(fields).size).toBe(fields.length);
  });

  it.each<[string, Record<string, CardValue>, unknown, string | undefined, string | undefined]>([
    ['exptime', { EXPTIME: 90 }, 90, 'EXPTIME', undefined],
    ['exptime', { EXPOSURE: 38723.9 }, 38723.9, 'EXPOSURE', undefined],
    ['exptime', { EXPTIME: '30.0' }, 30, 'EXPTIME', undefined],
    ['exptime', { EXPTIME: -1 }, null, undefined, 'EXPTIME -1 is outside the plausible range 0…10000000'],
    ['ccd_temp', { 'CCD-TEMP': -42.0001 }, -42.0001, 'CCD-TEMP', undefined],
    ['ccd_temp', { 'CCD-TEMP': 'n/a' }, null, undefined, "CCD-TEMP 'n/a' is not a number"],
    ['ccd_temp', { 'CCD-TEMP': 500 }, null, undefined, 'CCD-TEMP 500 is outside the plausible range -200…80'],
    [
      'ccd_temp',
      { 'CCD-TEMP': 'n/a', CCD_TEMP: -10 },
      -10,
      'CCD_TEMP',
      "CCD-TEMP 'n/a' is not a number; used CCD_TEMP",
    ],
    ['ccd_temp', { 'ESO DET TEMPMEAN': 137.6 }, 137.6 - 273.15, 'ESO DET TEMPMEAN', undefined],
    ['ccd_temp', {}, null, undefined, 'no CCD-TEMP, CCD_TEMP, CCDTEMP, DETTEMP, …'],
    ['focal_length_mm', { FOCALLEN: 0 }, null, undefined, 'FOCALLEN 0 is outside the plausible range 1…1000000'],
    ['focal_length_mm', { 'ESO TEL FOCU LEN': 38.482 }, 38482, 'ESO TEL FOCU LEN', undefined],
    ['telescope', { TELESCOP: '' }, null, undefined, 'TELESCOP is empty'],
    ['object_name', { OBJECT: '  M 94 ' }, 'M 94', 'OBJECT', undefined],
    ['object_name', { TARGNAME: 'NGC4151' }, 'NGC4151', 'TARGNAME', undefined],
    ['program', { PROPOSID: 7215 }, '7215', 'PROPOSID', undefined],
    ['altitude_deg', { ALTITUDE: 311.8, 'ALT-OBJ': 65.33 }, 65.33, 'ALT-OBJ', undefined],
    ['altitude_deg', { OBJCTALT: '48 21 09' }, 48 + 21 / 60 + 9 / 3600, 'OBJCTALT', undefined],
    ['bayer_pattern', { BAYERPAT: 'grbg' }, 'GRBG', 'BAYERPAT', undefined],
    ['bayer_pattern', { COLORTYP: 2 }, null, undefined, 'COLORTYP 2 is not a Bayer pattern'],
    ['software', { CREATOR: 'ZWO Seestar S50', PROGRAM: '4.27' }, 'ZWO Seestar S50', 'CREATOR', undefined],
    ['gain', { GAIN: 80, EGAIN: 1.74 }, 80, 'GAIN', undefined],
    ['gain', { EGAIN: 1.74 }, 1.74, 'EGAIN', undefined],
    ['airmass', { SECZ: 1.1 }, 1.1, 'SECZ', undefined],
    ['rotator_angle_deg', { ROTATANG: 123.4, PA: 10 }, 123.4, 'ROTATANG', undefined],
    ['rotator_angle_deg', { ROTATOR: -90 }, 270, 'ROTATOR', undefined],
    ['rotator_angle_deg', { ROTPA: 360 }, 0, 'ROTPA', undefined],
    ['rotator_angle_deg', { OBJCTROT: '725.5' }, 5.5, 'OBJCTROT', undefined],
    ['rotator_angle_deg', { PA: 167.238590041 }, 167.238590041, 'PA', undefined],
    ['rotator_angle_deg', { ROTATANG: 'n/a', PA: 12 }, 12, 'PA', "ROTATANG 'n/a' is not an angle; used PA"],
  ])('%s from %j', (field, cards, value, source, reason) => {
    const resolved = resolveField<number | string>(header(cards), rule(field));
    if (typeof value === 'number') expect(resolved.value).toBeCloseTo(value, 9);
    else expect(resolved.value).toBe(value);
    expect(resolved.source).toBe(source);
    expect(resolved.reason).toBe(reason);
  });
});

describe('image type', () => {
  it.each([
    ['Light Frame', 'light'],
    ['LIGHT', 'light'],
    ['Light', 'light'],
    ['object', 'light'],
    ['OBJECT', 'light'],
    ['EXPOSE', 'light'],
    ['SCI', 'light'],
    ['Dark Frame', 'dark'],
    ['DARK', 'dark'],
    ['DARKFLAT', 'dark'],
    ['Flat Field', 'flat'],
    ['FLAT', 'flat'],
    ['SKYFLAT', 'flat'],
    ['DOMEFLAT', 'flat'],
    ['FLAT,LAMP', 'flat'],
    ['Bias Frame', 'bias'],
    ['BIAS', 'bias'],
    ['zero', 'bias'],
    ['ZERO', 'bias'],
    ['EXT', 'other'],
    ['WAVE,LAMP', 'other'],
    ['focus', 'other'],
  ])('%s → %s', (text, type) => {
    expect(classifyImageType(text)).toBe(type);
  });

  it('keeps the raw words and the keyword, in priority order', () => {
    expect(resolveImageType(header({ IMAGETYP: 'Light Frame', FRAME: 'Dark' }))).toEqual({
      type: 'light',
      raw: 'Light Frame',
      source: 'IMAGETYP',
    });
    expect(resolveImageType(header({ FRAME: 'Light' }))).toMatchObject({ type: 'light', source: 'FRAME' });
    expect(resolveImageType(header({ FRAME: 'FK5', OBSTYPE: 'zero' }))).toEqual({
      type: 'bias',
      raw: 'zero',
      source: 'OBSTYPE',
      reason: "FRAME 'FK5' names a reference frame",
    });
  });

  it('explains other and missing types', () => {
    expect(resolveImageType(header({ IMAGETYP: 'EXT' })).reason).toBe(
      "IMAGETYP 'EXT' is not light, dark, flat or bias",
    );
    expect(resolveImageType(header({}))).toEqual({
      type: null,
      raw: null,
      reason: 'no IMAGETYP, FRAMETYP, FRAME, OBSTYPE, …',
    });
  });
});

describe('filter name', () => {
  it.each<[Record<string, CardValue>, string | null, string | undefined]>([
    [{ FILTER: 'R' }, 'R', 'FILTER'],
    [{ FILTER: ' Ha 7nm ' }, 'Ha 7nm', 'FILTER'],
    [{ FILTER: 'Clear' }, 'Clear', 'FILTER'],
    [{ FILTNAM: 'F222M' }, 'F222M', 'FILTNAM'],
    [{ 'FILT-NAM': 'B' }, 'B', 'FILT-NAM'],
    [{ FILTER1: 'CLEAR1L', FILTER2: 'F814W' }, 'F814W', 'FILTER1+FILTER2'],
    [{ FILTER1: 'B', FILTER2: 'ND1' }, 'B+ND1', 'FILTER1+FILTER2'],
    [{ FILTER1: 'Open', FILTER2: 'V' }, 'V', 'FILTER1+FILTER2'],
    [{ FILTER1: 'CLEAR1L', FILTER2: 'CLEAR2L' }, 'CLEAR1L', 'FILTER1+FILTER2'],
    [{ FILTER1: 69, FILTER2: 0, FILTNAM1: 'FR533P15', FILTNAM2: '' }, 'FR533P15', 'FILTNAM1'],
    [
      {
        'ESO INS OPTI-7 TYPE': 'FILTER',
        'ESO INS OPTI-7 NAME': 'R',
        'ESO INS OPTI-2 TYPE': 'MIRROR',
        'ESO INS OPTI-2 NAME': 'RILD',
      },
      'R',
      'ESO INS OPTI-7 NAME',
    ],
    [{ INSFLNAM: 'g' }, 'g', 'INSFLNAM'],
  ])('%j → %s', (cards, name, source) => {
    const resolved = resolveFilterName(header(cards));
    expect(resolved.value).toBe(name);
    expect(resolved.source).toBe(source);
  });

  it.each<[Record<string, CardValue>, string]>([
    [{ FILTER: 'None' }, "FILTER 'None' names no filter"],
    [{ FILTER: '' }, 'no FILTER, FILTNAM, FILTER1/FILTER2 or INSFLNAM'],
    [{}, 'no FILTER, FILTNAM, FILTER1/FILTER2 or INSFLNAM'],
    [{ FILTER1: 'OPEN', FILTER2: 'Empty' }, "FILTER1 'OPEN', FILTER2 'Empty': no filter in the beam"],
  ])('%j → null', (cards, reason) => {
    expect(resolveFilterName(header(cards))).toEqual({ value: null, reason });
  });
});

describe('binning and pixel size', () => {
  it.each<[string, [number, number] | null]>([
    ['2x2', [2, 2]],
    ['1X2', [1, 2]],
    ['2 2', [2, 2]],
    ['3', [3, 3]],
    ['two', null],
  ])('parses %s', (text, pair) => {
    expect(parseBinningText(text)).toEqual(pair);
  });

  it.each<[Record<string, CardValue>, number | null, number | null, string | undefined]>([
    [{ XBINNING: 2, YBINNING: 2 }, 2, 2, 'XBINNING'],
    [{ CCDXBIN: 1, CCDYBIN: 1 }, 1, 1, 'CCDXBIN'],
    [{ BINNING: '2x2' }, 2, 2, 'BINNING'],
    [{ CCDSUM: '2 4' }, 2, 4, 'CCDSUM'],
    [{ XBINNING: 0, YBINNING: 0 }, null, null, undefined],
  ])('%j', (cards, x, y, source) => {
    const binning = resolveBinning(header(cards));
    expect([binning.x.value, binning.y.value]).toEqual([x, y]);
    expect(binning.x.source).toBe(source);
  });

  it('refuses to guess a missing Y binning', () => {
    const binning = resolveBinning(header({ XBINNING: 2 }));
    expect(binning.y).toEqual({ value: null, reason: 'YBINNING missing (XBINNING present)' });
  });

  it('divides XPIXSZ (which includes the binning) by XBINNING', () => {
    expect(resolvePixelSize(header({ XPIXSZ: 18 }), 2)).toEqual({
      value: 9,
      source: 'XPIXSZ',
      reason: 'XPIXSZ 18 includes 2× binning',
    });
    expect(resolvePixelSize(header({ XPIXSZ: 18, PIXSIZE1: 9 }), null)).toEqual({ value: 9, source: 'PIXSIZE1' });
    expect(resolvePixelSize(header({ XPIXSZ: 18 }), null)).toEqual({
      value: null,
      reason: 'XPIXSZ 18 includes the binning, which is unknown',
    });
    expect(resolvePixelSize(header({ 'ESO DET PIXSIZE': 1.9e-5 }), null).value).toBeCloseTo(19, 9);
  });
});

describe('site', () => {
  it.each<[Record<string, CardValue>, number | null, number | null, string | undefined]>([
    [{ SITELAT: '46 52 00', SITELONG: '-96 27 12' }, 46 + 52 / 60, -(96 + 27 / 60 + 12 / 3600), 'SITELONG'],
    [
      { SITELAT: '+33:24:24.00', SITELONG: '-116:51:48.00' },
      33 + 24 / 60 + 24 / 3600,
      -(116 + 51 / 60 + 48 / 3600),
      'SITELONG',
    ],
    [{ SITELAT: 32.8965, SITELONG: -79.7625 }, 32.8965, -79.7625, 'SITELONG'],
    [{ SITELAT: -31.277, SITELONG: 210.934 }, -31.277, 210.934 - 360, 'SITELONG'],
    [{ 'OBSGEO-B': 49.396, 'OBSGEO-L': 8.724 }, 49.396, 8.724, 'OBSGEO-L'],
    [{ 'ESO TEL LAT': -29.2584, 'ESO TEL LON': 70.7345 }, -29.2584, -70.7345, 'ESO TEL LON'],
    [{ SITELAT: 'unknown' }, null, null, undefined],
    [{ SITELAT: '46 52 00 N', SITELONG: '96 27 12 W' }, 46 + 52 / 60, -(96 + 27 / 60 + 12 / 3600), 'SITELONG'],
    [{ SITELAT: 'S 31 16 37', SITELONG: 'E149.066' }, -(31 + 16 / 60 + 37 / 3600), 149.066, 'SITELONG'],
    [{ SITELAT: '-31 W' }, null, null, undefined],
  ])('%j', (cards, lat, lon, lonSource) => {
    const site = resolveSite(header(cards));
    if (lat === null) expect(site.lat.value).toBeNull();
    else expect(site.lat.value).toBeCloseTo(lat, 9);
    if (lon === null) expect(site.lon.value).toBeNull();
    else expect(site.lon.value).toBeCloseTo(lon, 9);
    expect(site.lon.source).toBe(lonSource);
  });

  it('reads OBSGEO-X/Y/Z (geocentric metres)', () => {
    // The forward WGS84 formula, independent of the Bowring inversion under test: Paranal.
    const [lat, lon, h] = [-24.6275, -70.4044, 2635];
    const a = 6378137;
    const e2 = (1 / 298.257223563) * (2 - 1 / 298.257223563);
    const rad = Math.PI / 180;
    const n = a / Math.sqrt(1 - e2 * Math.sin(lat * rad) ** 2);
    const cards = {
      'OBSGEO-X': (n + h) * Math.cos(lat * rad) * Math.cos(lon * rad),
      'OBSGEO-Y': (n + h) * Math.cos(lat * rad) * Math.sin(lon * rad),
      'OBSGEO-Z': (n * (1 - e2) + h) * Math.sin(lat * rad),
    };
    const site = resolveSite(header(cards));
    expect(site.lat.value).toBeCloseTo(lat, 7);
    expect(site.lon.value).toBeCloseTo(lon, 7);
    expect(site.geocentricHeight).toBeCloseTo(h, 3);
    expect(site.lat.source).toBe('OBSGEO-X/Y/Z');
    const far = resolveSite(header({ 'OBSGEO-X': 0, 'OBSGEO-Y': 0, 'OBSGEO-Z': 0 }));
    expect(far.lat).toEqual({ value: null, reason: "OBSGEO-X/Y/Z is 0 m from the Earth's centre, not on its surface" });
  });

  it('wraps longitudes into (-180, 180]', () => {
    expect(wrapLongitude(210.934)).toBeCloseTo(-149.066, 9);
    expect([wrapLongitude(-180), wrapLongitude(540), wrapLongitude(-96.5), wrapLongitude(0)]).toEqual([
      180, 180, -96.5, 0,
    ]);
  });
});

describe('position keywords', () => {
  const at = (cards: Record<string, CardValue>) => resolvePosition(header(cards), null);
  it.each<[Record<string, CardValue>, number, number, string, string]>([
    [{ OBJCTRA: '09 02 22', OBJCTDEC: '+49 49 09' }, 135.591667, 49.819167, 'objctra', 'OBJCTRA/OBJCTDEC'],
    [{ RA: 193.070835, DEC: 40.979722 }, 193.070835, 40.979722, 'ra_dec', 'RA/DEC'],
    [{ RA: '23:15:58.23', DEC: '+31:27:47.1', OBJCTRA: '23:15:58.23' }, 348.992625, 31.463083, 'ra_dec', 'RA/DEC'],
    [{ OBJCTRA: ' 1 26 34.08', OBJCTDEC: '69 15 09.22', RA: 'junk' }, 21.642, 69.252561, 'objctra', 'OBJCTRA/OBJCTDEC'],
    [{ TELRA: '12 00 00', TELDEC: '-10 00 00' }, 180, -10, 'telra', 'TELRA/TELDEC'],
    [{ BLKRA: '06 00 00', BLKDEC: '+10 00 00' }, 90, 10, 'blkra', 'BLKRA/BLKDEC'],
    [{ RA_TARG: 182.63625, DEC_TARG: 39.40591666667 }, 182.63625, 39.405917, 'ra_dec', 'RA_TARG/DEC_TARG'],
  ])('%j', (cards, ra, dec, source, keys) => {
    const position = at(cards);
    expect(position.ra).toBeCloseTo(ra, 5);
    expect(position.dec).toBeCloseTo(dec, 5);
    expect(position.source).toBe(source);
    expect(position.keys).toBe(keys);
  });

  it('names refused pairs', () => {
    expect(at({ RA: 'junk', DEC: 'junk' })).toEqual({
      ra: null,
      dec: null,
      source: null,
      reason: "RA 'junk' is not a right ascension; DEC 'junk' is not a declination",
    });
    expect(at({ OBJCTRA: '10 00 00' }).reason).toBe('OBJCTRA without OBJCTDEC');
    expect(at({}).reason).toBe('no celestial WCS, RA/DEC, OBJCTRA/OBJCTDEC, BLKRA or TELRA');
  });

  it('prefers the WCS centre', () => {
    expect(resolvePosition(header({ RA: 1, DEC: 2 }), { ra: 10, dec: 20 })).toEqual({
      ra: 10,
      dec: 20,
      source: 'wcs',
      keys: 'WCS',
    });
  });
});

describe('header view', () => {
  it('reads the image HDU first, then the primary; structure only from the image HDU', () => {
    const primary = header({ NAXIS: 0, TELESCOP: 'HST', FILTER: 'F222M' });
    const image = header({ NAXIS: 2, FILTER: 'F160W' });
    const view = new HeaderView([primary, image]);
    expect([view.get('TELESCOP'), view.get('FILTER'), view.get('NAXIS')]).toEqual(['HST', 'F160W', 2]);
    expect(view.own('TELESCOP')).toBeUndefined();
    const alone = new HeaderView([primary, header({ NAXIS: 2, INHERIT: false })]);
    expect(alone.get('TELESCOP')).toBeUndefined();
  });
});
