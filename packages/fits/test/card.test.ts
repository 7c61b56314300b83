import { describe, expect, it } from 'vitest';
import { parseCard } from '../src/card.js';
import { ProblemCode } from '../src/errors.js';
import type { CardValue } from '../src/types.js';
import { cardBytes } from './support/fits-bytes.js';

interface Row {
  name: string;
  text: string;
  key: string;
  value: CardValue;
  comment?: string;
  commentary?: boolean;
  problems?: string[];
}

const rows: Row[] = [
  {
    name: 'logical true',
    text: 'SIMPLE  =                    T / conforms',
    key: 'SIMPLE',
    value: true,
    comment: 'conforms',
  },
  { name: 'logical false', text: 'EXTEND  =                    F', key: 'EXTEND', value: false },
  { name: 'integer', text: 'BITPIX  =                  -32 / bits', key: 'BITPIX', value: -32, comment: 'bits' },
  { name: 'integer with plus sign', text: 'NAXIS1  =                 +100', key: 'NAXIS1', value: 100 },
  { name: 'integer with leading zeros', text: 'N       =                 0012', key: 'N', value: 12 },
  { name: 'integer 2^53', text: 'BIG     =     9007199254740992', key: 'BIG', value: 9007199254740992n },
  {
    name: 'integer beyond 2^63',
    text: 'BIG     = 123456789012345678901234',
    key: 'BIG',
    value: 123456789012345678901234n,
  },
  { name: 'negative big integer', text: 'BIG     = -9223372036854775808', key: 'BIG', value: -9223372036854775808n },
  { name: 'float', text: 'EXPTIME =                 90.5 / [s]', key: 'EXPTIME', value: 90.5, comment: '[s]' },
  { name: 'float with E exponent', text: 'BSCALE  =       2.06000000E-16', key: 'BSCALE', value: 2.06e-16 },
  { name: 'float with D exponent', text: 'X       =              1.0D+02', key: 'X', value: 100 },
  { name: 'float with lower-case d', text: 'X       =              2.5d-01', key: 'X', value: 0.25 },
  { name: 'float without digits after point', text: 'X       =                   1.', key: 'X', value: 1 },
  { name: 'float starting with point', text: 'X       =                  -.5', key: 'X', value: -0.5 },
  {
    name: 'float with signed mantissa as SBIG writes it',
    text: 'BZERO   = +3.276800000000E+004',
    key: 'BZERO',
    value: 32768,
  },
  { name: 'complex integer', text: 'C       =             (1, -2)', key: 'C', value: [1, -2] },
  { name: 'complex float', text: 'C       = (1.5E1 , 2.0D0) / z', key: 'C', value: [15, 2], comment: 'z' },
  { name: 'string', text: "OBJECT  = 'M 13    '           / target", key: 'OBJECT', value: 'M 13', comment: 'target' },
  { name: 'string with leading blanks kept', text: "OBJCTRA = ' 1 26 34.08'", key: 'OBJCTRA', value: ' 1 26 34.08' },
  { name: 'string with doubled quotes', text: "OBSERVER= 'O''Brien''s'", key: 'OBSERVER', value: "O'Brien's" },
  { name: 'string that is only a quote', text: "Q       = ''''", key: 'Q', value: "'" },
  { name: 'empty string', text: "E       = ''", key: 'E', value: '' },
  { name: 'blank string', text: "E       = '        '", key: 'E', value: '' },
  { name: 'string with a slash inside', text: "PATH    = 'a/b/c' / d/e", key: 'PATH', value: 'a/b/c', comment: 'd/e' },
  {
    name: 'comment without blank after slash',
    text: 'GAIN    =                 1.74 /e-/ADU',
    key: 'GAIN',
    value: 1.74,
    comment: 'e-/ADU',
  },
  {
    name: 'undefined value',
    text: 'UNDEF   =                      / no value',
    key: 'UNDEF',
    value: null,
    comment: 'no value',
  },
  { name: 'undefined value, no comment', text: 'UNDEF   =', key: 'UNDEF', value: null },
  {
    name: 'COMMENT',
    text: 'COMMENT   FITS (Flexible Image Transport System)',
    key: 'COMMENT',
    value: '  FITS (Flexible Image Transport System)',
    commentary: true,
  },
  {
    name: 'HISTORY with = in column 9',
    text: 'HISTORY = not a value',
    key: 'HISTORY',
    value: '= not a value',
    commentary: true,
  },
  { name: 'blank keyword', text: '          some text', key: '', value: '  some text', commentary: true },
  { name: 'all blank', text: '', key: '', value: '', commentary: true },
  { name: 'keyword without value indicator', text: 'DATAMIN   17', key: 'DATAMIN', value: '  17', commentary: true },
  {
    name: 'HIERARCH ESO',
    text: "HIERARCH ESO DET CHIP NAME = 'EEV 44' / chip",
    key: 'ESO DET CHIP NAME',
    value: 'EEV 44',
    comment: 'chip',
  },
  { name: 'HIERARCH logical', text: 'HIERARCH ASTAP_ZEMOSAIC_SOLVED = T', key: 'ASTAP_ZEMOSAIC_SOLVED', value: true },
  { name: 'HIERARCH keeps case', text: 'HIERARCH Mixed.Case = 3', key: 'Mixed.Case', value: 3 },
  {
    name: 'lower-case keyword upper-cased',
    text: 'exptime =                   10',
    key: 'EXPTIME',
    value: 10,
    problems: [ProblemCode.BAD_KEYWORD],
  },
  {
    name: "'=' in column 10 (issue49test.fits)",
    text: "FILTER   ='0,0,0,0  '           / rowstart,rowend",
    key: 'FILTER',
    value: '0,0,0,0',
    comment: 'rowstart,rowend',
    problems: [ProblemCode.BAD_CARD],
  },
  {
    name: 'unterminated string',
    text: "OBJECT  = 'M 13   ",
    key: 'OBJECT',
    value: 'M 13',
    problems: [ProblemCode.UNTERMINATED_STRING],
  },
  {
    name: 'value that is no FITS form',
    text: 'X       = abc / what',
    key: 'X',
    value: 'abc',
    comment: 'what',
    problems: [ProblemCode.BAD_CARD],
  },
  {
    name: 'text after a string',
    text: "X       = 'a' b / c",
    key: 'X',
    value: 'a',
    comment: 'c',
    problems: [ProblemCode.BAD_CARD],
  },
  {
    name: 'CONTINUE alone',
    text: "CONTINUE  'rest&' / more",
    key: 'CONTINUE',
    value: 'rest&',
    comment: 'more',
    commentary: false,
  },
];

describe('parseCard', () => {
  it.each(rows)('$name', (row) => {
    const { card, problems } = parseCard(cardBytes(row.text), 7, 560);
    expect(card.key).toBe(row.key);
    expect(card.value).toEqual(row.value);
    expect(card.comment).toBe(row.comment ?? '');
    expect(card.commentary).toBe(row.commentary ?? false);
    expect(card.index).toBe(7);
    expect(card.raw).toBe(row.text.padEnd(80, ' '));
    expect(problems.map((p) => p.code)).toEqual(row.problems ?? []);
    for (const p of problems) {
      expect(p.byteOffset).toBe(560);
      expect(p.cardIndex).toBe(7);
    }
  });

  it('reports NUL and non-ASCII bytes with their position, and still reads the card', () => {
    const bytes = cardBytes("OBJECT  = 'M13' / x");
    bytes[30] = 0;
    bytes[31] = 0xe9;
    const { card, problems } = parseCard(bytes, 3, 240);
    expect(card.key).toBe('OBJECT');
    expect(card.value).toBe('M13');
    expect(problems).toEqual([
      expect.objectContaining({
        code: ProblemCode.NON_ASCII,
        byteOffset: 240,
        cardIndex: 3,
        message: expect.stringMatching(/NUL/),
      }),
    ]);
  });

  it('reads a short image as if padded with blanks', () => {
    const { card } = parseCard(cardBytes('NAXIS   =                    2').subarray(0, 30), 0, 0);
    expect(card.value).toBe(2);
  });
});
