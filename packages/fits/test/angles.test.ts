import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  angularSeparationDeg,
  formatDeclination,
  formatRightAscension,
  parseDeclination,
  parseRightAscension,
  parseSexagesimal,
} from '../src/angles.js';

const ARCSEC = 1 / 3600;

describe('parseSexagesimal', () => {
  // Every form the fixtures' OBJCTRA/OBJCTDEC/RA/DEC/SITELAT/SITELONG cards use, and the other
  // spellings acquisition programs write.
  const cases: [string, number | null][] = [
    ['10 19 39', 10 + 19 / 60 + 39 / 3600],
    ['10:19:39.2', 10 + 19 / 60 + 39.2 / 3600],
    ['-00 30 00', -0.5],
    ['-00:00:01', -1 / 3600],
    ['\u221200 30 00', -0.5],
    ['10h19m36.28s', 10 + 19 / 60 + 36.28 / 3600],
    ['+19d52m12s', 19 + 52 / 60 + 12 / 3600],
    ['19°52′12″', 19 + 52 / 60 + 12 / 3600],
    ['19°52\'12"', 19 + 52 / 60 + 12 / 3600],
    [' 1 26 34.08', 1 + 26 / 60 + 34.08 / 3600], // randomsky.fits (INDI)
    ['69 15 09.22', 69 + 15 / 60 + 9.22 / 3600],
    ['05 41 06.000', 5 + 41 / 60 + 6 / 3600], // HorseHead.fits
    ['-02 27 30.00', -(2 + 27 / 60 + 30 / 3600)],
    ['08 51 20.100', 8 + 51 / 60 + 20.1 / 3600], // M6707HH.fits
    ['+11 48 43.00', 11 + 48 / 60 + 43 / 3600],
    ['+33:24:24.00', 33 + 24 / 60 + 24 / 3600],
    ['-116:51:48.00', -(116 + 51 / 60 + 48 / 3600)],
    ['23:15:58.23', 23 + 15 / 60 + 58.23 / 3600], // stellarphot cutouts
    ['+31:27:47.1', 31 + 27 / 60 + 47.1 / 3600],
    ['+46:52:00.408', 46 + 52 / 60 + 0.408 / 3600],
    ['-96:27:11.8008', -(96 + 27 / 60 + 11.8008 / 3600)],
    ['46 52 01', 46 + 52 / 60 + 1 / 3600], // MaxIm DL SITELAT
    ['-96 27 12', -(96 + 27 / 60 + 12 / 3600)],
    ['20 57 04.40', 20 + 57 / 60 + 4.4 / 3600], // maximdl_6_18 RA/OBJCTRA
    ['+31 39 39.6', 31 + 39 / 60 + 39.6 / 3600],
    ['10 19.5', 10 + 19.5 / 60],
    ['10:19', 10 + 19 / 60],
    ['193.070835', 193.070835],
    ['-13.25728989', -13.25728989],
    ['+5', 5],
    ['1.5e2', 150],
    ['', null],
    ['   ', null],
    ['N/A', null],
    ['10 60 00', null],
    ['10 19 60', null],
    ['10.5 30', null],
    ['1 2 3 4', null],
    ['12h30d', null],
    ['abc', null],
    ['--10', null],
  ];
  it.each(cases)('%j → %s', (text, expected) => {
    const value = parseSexagesimal(text);
    if (expected === null) expect(value).toBeNull();
    else expect(value).toBeCloseTo(expected, 12);
  });

  it('keeps the sign of a zero-degree declination', () => {
    expect(parseSexagesimal('-00 00 30')).toBeLessThan(0);
    expect(Object.is(parseSexagesimal('-0'), -0)).toBe(true);
  });
});

describe('parseRightAscension', () => {
  const cases: [Parameters<typeof parseRightAscension>[0], 'hours' | 'degrees' | 'auto' | undefined, number | null][] =
    [
      ['10 19 39', undefined, (10 + 19 / 60 + 39 / 3600) * 15],
      ['10 19 39', 'hours', (10 + 19 / 60 + 39 / 3600) * 15],
      ['10 19 39', 'degrees', 10 + 19 / 60 + 39 / 3600],
      [' 1 26 34.08', 'auto', (1 + 26 / 60 + 34.08 / 3600) * 15],
      ['10h19m36.28s', 'auto', (10 + 19 / 60 + 36.28 / 3600) * 15],
      ['10h19m36.28s', 'degrees', null],
      ['154d54m', 'auto', 154.9],
      ['154d54m', 'hours', null],
      [193.070835, undefined, 193.070835], // Seestar RA in degrees
      ['193.070835', 'auto', 193.070835],
      [21.642, 'auto', 21.642], // INDI RA is degrees although it is below 24
      [5.64817, 'hours', 5.64817 * 15],
      ['5.64817', 'hours', 5.64817 * 15],
      [360, undefined, 0],
      ['24 00 00', undefined, 0],
      ['25 00 00', undefined, null],
      [361, undefined, null],
      [-1, undefined, null],
      [25, 'hours', null],
      [123n, undefined, 123],
      [true, undefined, null],
      [null, undefined, null],
      [undefined, undefined, null],
      [[1, 2], undefined, null],
      ['garbage', undefined, null],
    ];
  it.each(cases)('%s (%s) → %s', (value, unit, expected) => {
    const ra = parseRightAscension(value, unit);
    if (expected === null) expect(ra).toBeNull();
    else expect(ra).toBeCloseTo(expected, 10);
  });
});

describe('parseDeclination', () => {
  const cases: [Parameters<typeof parseDeclination>[0], number | null][] = [
    ['-00 30 00', -0.5],
    ['+49 49 09', 49 + 49 / 60 + 9 / 3600],
    ['69 15 09.22', 69 + 15 / 60 + 9.22 / 3600],
    ['-02 27 30.00', -(2 + 27 / 60 + 30 / 3600)],
    [-13.25728989, -13.25728989],
    ['40.979722', 40.979722],
    [90, 90],
    [-90, -90],
    ['91 00 00', null],
    [-90.5, null],
    ['10h00m', null],
    [false, null],
    [undefined, null],
  ];
  it.each(cases)('%j → %s', (value, expected) => {
    const dec = parseDeclination(value);
    if (expected === null) expect(dec).toBeNull();
    else expect(dec).toBeCloseTo(expected, 10);
  });

  it('makes "-00 30 00" negative', () => {
    expect(parseDeclination('-00 30 00')).toBe(-0.5);
  });
});

describe('format', () => {
  it('formats right ascension in hours', () => {
    expect(formatRightAscension((10 + 19 / 60 + 39.2 / 3600) * 15)).toBe('10:19:39.20');
    expect(formatRightAscension(0)).toBe('00:00:00.00');
    expect(formatRightAscension(359.99999999)).toBe('00:00:00.00');
    expect(formatRightAscension(-15)).toBe('23:00:00.00');
    expect(formatRightAscension(15 * (1 + 59 / 60 + 59.999 / 3600), 2)).toBe('02:00:00.00');
    expect(formatRightAscension(180, 0)).toBe('12:00:00');
    expect(formatRightAscension(Number.NaN)).toBe('');
  });

  it('formats declination with a sign', () => {
    expect(formatDeclination(19 + 52 / 60 + 12 / 3600)).toBe('+19:52:12.0');
    expect(formatDeclination(-0.5)).toBe('-00:30:00.0');
    expect(formatDeclination(-1e-9)).toBe('+00:00:00.0');
    expect(formatDeclination(-90)).toBe('-90:00:00.0');
    expect(formatDeclination(45.99999999, 1)).toBe('+46:00:00.0');
    expect(formatDeclination(12.5, 3)).toBe('+12:30:00.000');
  });

  it('round-trips format → parse within the last printed digit', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 360, noNaN: true, maxExcluded: true }),
        fc.integer({ min: 0, max: 4 }),
        (ra, decimals) => {
          const parsed = parseRightAscension(formatRightAscension(ra, decimals), 'auto');
          expect(parsed).not.toBeNull();
          // Half a unit of the last digit of the seconds of time, i.e. 7.5 × 10^-d arcsec.
          const error = angularSeparationDeg({ ra, dec: 0 }, { ra: parsed ?? Number.NaN, dec: 0 });
          expect(error).toBeLessThanOrEqual((7.5 * 10 ** -decimals + 1e-6) * ARCSEC);
        },
      ),
    );
    fc.assert(
      fc.property(fc.double({ min: -90, max: 90, noNaN: true }), fc.integer({ min: 0, max: 4 }), (dec, decimals) => {
        const parsed = parseDeclination(formatDeclination(dec, decimals));
        expect(parsed).not.toBeNull();
        expect(Math.abs((parsed ?? Number.NaN) - dec)).toBeLessThanOrEqual((0.5 * 10 ** -decimals + 1e-6) * ARCSEC);
      }),
    );
  });
});

describe('angularSeparationDeg', () => {
  it('is exact at the simple cases and stable at 0 and 180 degrees', () => {
    expect(angularSeparationDeg({ ra: 10, dec: 20 }, { ra: 10, dec: 20 })).toBe(0);
    expect(angularSeparationDeg({ ra: 0, dec: 0 }, { ra: 90, dec: 0 })).toBeCloseTo(90, 12);
    expect(angularSeparationDeg({ ra: 0, dec: 0 }, { ra: 180, dec: 0 })).toBeCloseTo(180, 12);
    expect(angularSeparationDeg({ ra: 0, dec: 90 }, { ra: 123, dec: -90 })).toBeCloseTo(180, 12);
    expect(angularSeparationDeg({ ra: 0, dec: 90 }, { ra: 200, dec: 90 })).toBeCloseTo(0, 12);
    // 1 mas apart: the cosine formula returns 0 or noise here.
    const mas = 1 / 3.6e6;
    expect(angularSeparationDeg({ ra: 150, dec: 30 }, { ra: 150, dec: 30 + mas })).toBeCloseTo(mas, 13);
    // 1 mas short of antipodal.
    expect(angularSeparationDeg({ ra: 0, dec: 0 }, { ra: 180, dec: mas })).toBeCloseTo(180 - mas, 10);
  });

  it('is symmetric and obeys the triangle inequality', () => {
    const position = fc.record({
      ra: fc.double({ min: 0, max: 360, noNaN: true }),
      dec: fc.double({ min: -90, max: 90, noNaN: true }),
    });
    fc.assert(
      fc.property(position, position, position, (a, b, c) => {
        const ab = angularSeparationDeg(a, b);
        expect(ab).toBeCloseTo(angularSeparationDeg(b, a), 10);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(180);
        expect(ab).toBeLessThanOrEqual(angularSeparationDeg(a, c) + angularSeparationDeg(c, b) + 1e-9);
      }),
    );
  });
});
