import { describe, expect, it } from 'vitest';
import { globToRegExp, isFitsName, makeExcluder } from '../../src/ingest/file-types.js';

describe('FITS file names', () => {
  it.each([
    ['a.fits', true],
    ['a.FIT', true],
    ['night/a.fts', true],
    ['a.fits.gz', true],
    ['a.fit.fz', true],
    ['a.fz', true],
    ['Light_M 94_10.0s_IRCUT_20250327-014513.fit', true],
    ['a.fits.tmp', false],
    ['a.jpg', false],
    ['a.gz', false],
    ['fits', false],
  ])('%s → %s', (name, expected) => {
    expect(isFitsName(name)).toBe(expected);
  });
});

describe('exclusion globs', () => {
  it('matches segments, deep paths and alternatives', () => {
    expect(globToRegExp('*.tmp').test('a.tmp')).toBe(true);
    expect(globToRegExp('*.tmp').test('x/a.tmp')).toBe(false);
    expect(globToRegExp('**/*.tmp').test('x/y/a.tmp')).toBe(true);
    expect(globToRegExp('**/*.tmp').test('a.tmp')).toBe(true);
    expect(globToRegExp('{calib,flats}/**').test('flats/2024/a.fits')).toBe(true);
    expect(globToRegExp('a?.fits').test('ab.fits')).toBe(true);
    expect(globToRegExp('a.fits').test('aXfits')).toBe(false);
  });

  it('excludes a file when one of its folders matches', () => {
    const excluded = makeExcluder(['.trash', '**/rejected']);
    expect(excluded('.trash/a.fits')).toBe(true);
    expect(excluded('2024/rejected/a.fits')).toBe(true);
    expect(excluded('2024/a.fits')).toBe(false);
    expect(makeExcluder([])('anything')).toBe(false);
  });
});
