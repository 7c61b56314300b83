import { describe, expect, it } from 'vitest';
import { formatDec, formatRa, parseDec, parseRa, parseRadius } from '../src/lib/angles.js';

describe('sky coordinates as typed', () => {
  it('reads right ascension in hours (sexagesimal) or degrees (decimal)', () => {
    expect(parseRa('10 19 39')).toBeCloseTo((10 + 19 / 60 + 39 / 3600) * 15, 9);
    expect(parseRa('10:19:39.2')).toBeCloseTo((10 + 19 / 60 + 39.2 / 3600) * 15, 9);
    expect(parseRa('10h19m39s')).toBeCloseTo((10 + 19 / 60 + 39 / 3600) * 15, 9);
    expect(parseRa('154.9125')).toBe(154.9125);
    expect(parseRa('24 00 00')).toBe(0);
    for (const bad of ['', 'abc', '10 61 00', '25 00 00', '-10 00 00', '361', '10 19 39 12', '10.5 19 00'])
      expect(parseRa(bad), bad).toBeNull();
  });

  it('reads declination in degrees, the sign applying to the whole angle', () => {
    expect(parseDec('+19:52:12')).toBeCloseTo(19 + 52 / 60 + 12 / 3600, 9);
    expect(parseDec('-00 30 00')).toBe(-0.5);
    expect(parseDec('19d52m12s')).toBeCloseTo(19.87, 9);
    expect(parseDec('-0.5')).toBe(-0.5);
    for (const bad of ['91', '-90 00 01', '10h00m', 'north', '12 60 00']) expect(parseDec(bad), bad).toBeNull();
  });

  it('reads a radius in degrees, arcminutes or arcseconds', () => {
    expect(parseRadius('0.5')).toBe(0.5);
    expect(parseRadius("10'")).toBeCloseTo(10 / 60, 12);
    expect(parseRadius('10 arcmin')).toBeCloseTo(10 / 60, 12);
    expect(parseRadius('30"')).toBeCloseTo(30 / 3600, 12);
    expect(parseRadius('2d')).toBe(2);
    for (const bad of ['0', '181', '-1', 'ten', "10''"]) expect(parseRadius(bad), bad).toBeNull();
  });

  it('formats what it reads back to the same text', () => {
    expect(formatRa(parseRa('10 19 39.2'), 1)).toBe('10:19:39.2');
    expect(formatDec(parseDec('+19 52 12'), 0)).toBe('+19:52:12');
    expect(formatDec(-0.5, 0)).toBe('-00:30:00');
    expect(formatRa(359.99999, 1)).toBe('00:00:00.0');
    expect(formatDec(-1e-9, 0)).toBe('+00:00:00');
    expect(formatRa(null)).toBe('');
  });
});
