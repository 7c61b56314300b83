import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FitsError, FitsErrorCode, ProblemCode } from '../src/errors.js';
import { parseHeader } from '../src/header.js';
import { headerBytes } from './support/fits-bytes.js';
import { fixture, itWithFixtures } from './support/fixtures.js';

const MINIMAL = ['SIMPLE  =                    T', 'BITPIX  =                   16', 'NAXIS   =                    0'];

function thrown(fn: () => unknown): FitsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FitsError) return error;
    throw error;
  }
  throw new Error('expected a FitsError');
}

describe('parseHeader', () => {
  it('reads the cards up to END and reports the header length in whole blocks', () => {
    const { header, headerLength } = parseHeader(headerBytes(MINIMAL), 0);
    expect(headerLength).toBe(2880);
    expect(header.cards.map((c) => c.key)).toEqual(['SIMPLE', 'BITPIX', 'NAXIS']);
    expect(header.get('bitpix')).toBe(16);
    expect(header.integer('NAXIS')).toBe(0);
    expect(header.boolean('SIMPLE')).toBe(true);
    expect(header.string('SIMPLE')).toBeUndefined();
    expect(header.has('EXTEND')).toBe(false);
    expect(header.problems).toEqual([]);
  });

  it('counts a header of 36 cards plus END as two blocks', () => {
    const cards = [...MINIMAL, ...Array.from({ length: 33 }, (_, i) => `KEY${i}    = ${i}`)];
    const { header, headerLength } = parseHeader(headerBytes(cards), 0);
    expect(header.cards).toHaveLength(36);
    expect(headerLength).toBe(5760);
  });

  it('parses a header that starts inside the buffer and reports file positions', () => {
    const bytes = new Uint8Array(2880 + 2880);
    bytes.fill(0x20);
    bytes.set(headerBytes([...MINIMAL, 'DUP     = 1', 'DUP     = 2']), 2880);
    const { header, headerLength } = parseHeader(bytes, 2880, { hduIndex: 1 });
    expect(headerLength).toBe(2880);
    expect(header.get('DUP')).toBe(1);
    expect(header.getAll('DUP').map((c) => c.value)).toEqual([1, 2]);
    expect(header.problems).toEqual([
      expect.objectContaining({
        code: ProblemCode.DUPLICATE_KEYWORD,
        byteOffset: 2880 + 4 * 80,
        cardIndex: 4,
        hduIndex: 1,
      }),
    ]);
  });

  it('merges CONTINUE long strings, joins their comments and drops the ampersands', () => {
    const { header } = parseHeader(
      headerBytes([
        ...MINIMAL,
        "LONG    = 'This is a long &'  / first",
        "CONTINUE  'string, continued&'",
        "CONTINUE  ' over three cards' / last",
        "AMP     = 'ends with &'",
        'NEXT    = 1',
      ]),
      0,
    );
    const long = header.getAll('LONG')[0]!;
    expect(long.value).toBe('This is a long string, continued over three cards');
    expect(long.comment).toBe('first last');
    expect(long.raw).toHaveLength(240);
    expect(long.index).toBe(3);
    expect(header.get('AMP')).toBe('ends with &');
    expect(header.cards.map((c) => c.key)).toEqual(['SIMPLE', 'BITPIX', 'NAXIS', 'LONG', 'AMP', 'NEXT']);
  });

  it('keeps a CONTINUE that follows no string as a commentary card and records it', () => {
    const { header } = parseHeader(headerBytes([...MINIMAL, 'NUM     = 5', "CONTINUE  'x'"]), 0);
    const orphan = header.cards[4]!;
    expect(orphan).toMatchObject({ key: 'CONTINUE', commentary: true, value: "  'x'" });
    expect(header.problems.map((p) => p.code)).toEqual([ProblemCode.ORPHAN_CONTINUE]);
  });

  it('lists COMMENT and HISTORY cards through getAll but not get', () => {
    const { header } = parseHeader(headerBytes([...MINIMAL, 'COMMENT   one', 'HISTORY   two', 'COMMENT   three']), 0);
    expect(header.get('COMMENT')).toBeUndefined();
    expect(header.getAll('comment').map((c) => c.value)).toEqual(['  one', '  three']);
    expect(header.problems).toEqual([]);
  });

  it('throws FITS_NO_END when the bytes end on a block boundary without END', () => {
    const error = thrown(() => parseHeader(headerBytes(MINIMAL, { end: false }), 0));
    expect(error.code).toBe(FitsErrorCode.NO_END);
    expect(error.byteOffset).toBe(2880);
  });

  it('throws FITS_TRUNCATED when the bytes end inside a header block', () => {
    const error = thrown(() => parseHeader(headerBytes(MINIMAL, { end: false, pad: false }), 0));
    expect(error.code).toBe(FitsErrorCode.TRUNCATED);
    expect(error.byteOffset).toBe(240);
  });

  it('throws FITS_TOO_LARGE when no END is found within maxHeaderBytes', () => {
    const cards = Array.from({ length: 100 }, (_, i) => `K${i} = ${i}`);
    const error = thrown(() => parseHeader(headerBytes(cards), 0, { maxHeaderBytes: 2880 }));
    expect(error.code).toBe(FitsErrorCode.TOO_LARGE);
  });

  it('records non-blank bytes after END (Astro_UIT.fits has NULs there)', () => {
    const bytes = headerBytes(MINIMAL);
    bytes[3 * 80 + 100] = 0;
    const { header } = parseHeader(bytes, 0);
    expect(header.problems).toEqual([
      expect.objectContaining({ code: ProblemCode.PADDING_NOT_BLANK, byteOffset: 3 * 80 + 100 }),
    ]);
  });

  itWithFixtures('reads HIERARCH and CONTINUE cards of a real MaxIm DL header', () => {
    const bytes = new Uint8Array(readFileSync(fixture('feder-observatory-stellarphot/cutout_for_fwhm_test.fits')));
    const { header } = parseHeader(bytes, 0);
    const hierarch = header.cards.filter((c) => c.raw.startsWith('HIERARCH'));
    expect(hierarch.length).toBeGreaterThan(0);
    expect(hierarch.every((c) => !c.key.startsWith('HIERARCH'))).toBe(true);
    const continued = header.cards.filter((c) => c.raw.length > 80);
    expect(continued.length).toBeGreaterThan(0);
    expect(header.integer('NAXIS1')).toBe(100);
  });

  itWithFixtures('reads issue49test.fits: 50 HIERARCH long strings and a card with = in column 10', () => {
    const bytes = new Uint8Array(readFileSync(fixture('nom-tam-fits/issue49test.fits')));
    const { header } = parseHeader(bytes, 0);
    expect(header.get('FILTER')).toBe('0,0,0,0');
    expect(header.get('MCE0_CC_SCRATCH')).toBe(
      '1438976618,00000000,00000000,00000000,00000000,00000000,00000000,000000',
    );
    expect(header.getAll('MCE0_CC_SCRATCH')[0]!.comment).toBe('from mce_status');
    expect(header.problems.map((p) => p.code)).toContain(ProblemCode.BAD_CARD);
  });
});
