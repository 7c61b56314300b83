import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCard, formatReal, type WriteHdu, writeFits } from '../src/write.js';
import { SYSTEM_PYTHON } from './support/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'aims-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// astropy opens the file with verify='exception' (any standard violation raises) and reports every
// header card and the physical data values (after BZERO/BSCALE) as JSON.
const ASTROPY_READ = `
import json, sys, warnings
warnings.simplefilter('error')
from astropy.io import fits
out = []
with fits.open(sys.argv[1], mode='readonly', uint=True) as hdul:
    hdul.verify('exception')
    for h in hdul:
        data = h.data
        out.append({
            'cards': [[c.keyword, c.value if not isinstance(c.value, fits.card.Undefined) else None] for c in h.header.cards],
            'dtype': None if data is None else data.dtype.name,
            'data': None if data is None else [float(v) for v in data.ravel()],
        })
print(json.dumps(out))
`;
const hasAstropy = spawnSync(SYSTEM_PYTHON, ['-c', 'import astropy']).status === 0;
const hasFitsverify = spawnSync('fitsverify', ['-h']).error === undefined;

interface AstropyHdu {
  cards: Array<[string, unknown]>;
  dtype: string | null;
  data: number[] | null;
}

function roundTrip(name: string, hdus: WriteHdu[]): AstropyHdu[] {
  const path = join(dir, name);
  writeFileSync(path, writeFits(hdus));
  return JSON.parse(execFileSync(SYSTEM_PYTHON, ['-c', ASTROPY_READ, path], { encoding: 'utf8' }));
}

function fitsverify(name: string, hdus: WriteHdu[]): string {
  const path = join(dir, name);
  writeFileSync(path, writeFits(hdus));
  const result = spawnSync('fitsverify', ['-e', path], { encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`;
}

const ramp = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe('formatCard', () => {
  it('right-justifies logical and numeric values to column 30', () => {
    expect(formatCard({ key: 'SIMPLE', value: true })[0]).toBe(`SIMPLE  = ${' '.repeat(19)}T${' '.repeat(50)}`);
    const [card] = formatCard({ key: 'NAXIS1', value: 4096, comment: 'width' });
    expect(card).toHaveLength(80);
    expect(card!.slice(0, 30)).toBe(`NAXIS1  = ${' '.repeat(16)}4096`);
    expect(card!.slice(30)).toBe(' / width'.padEnd(50));
  });
  it('writes reals with a decimal point and an upper-case exponent', () => {
    expect(formatReal(1.5e-7)).toBe('1.5E-7');
    expect(formatReal(1e21)).toBe('1.0E+21');
    expect(formatReal(-0.25)).toBe('-0.25');
    expect(formatReal(3)).toBe('3.0');
    expect(() => formatReal(Number.NaN)).toThrow(/NaN/);
  });
  it('quotes strings from column 11, doubles quotes, pads to 8 characters', () => {
    expect(formatCard({ key: 'OBJECT', value: "M 13's" })[0]!.slice(0, 25)).toBe("OBJECT  = 'M 13''s  '    ");
    expect(formatCard({ key: 'XTENSION', value: 'IMAGE' })[0]!.slice(0, 20)).toBe("XTENSION= 'IMAGE   '");
  });
  it('splits long strings with CONTINUE and long commentary over several cards', () => {
    const long = 'x'.repeat(150);
    const cards = formatCard({ key: 'NOTE', value: long });
    expect(cards.length).toBe(3);
    expect(cards[1]!.startsWith("CONTINUE  'x")).toBe(true);
    expect(cards.map((c) => c.length)).toEqual([80, 80, 80]);
    expect(formatCard({ key: 'HISTORY', value: 'y'.repeat(100) })).toHaveLength(2);
  });
  it('writes an undefined value and HIERARCH keys', () => {
    expect(formatCard({ key: 'BLANKV', value: null, comment: 'unknown' })[0]!.trimEnd()).toBe(
      `BLANKV  = ${' '.repeat(20)} / unknown`,
    );
    expect(formatCard({ key: 'ESO DET CHIP TEMP', value: -120.5 })[0]!.trimEnd()).toBe(
      'HIERARCH ESO DET CHIP TEMP = -120.5',
    );
  });
  it('refuses non-ASCII text and non-finite numbers', () => {
    expect(() => formatCard({ key: 'OBJECT', value: 'Mélotte' })).toThrow(/ASCII/);
    expect(() => formatCard({ key: 'EXPTIME', value: Number.POSITIVE_INFINITY })).toThrow();
  });
});

describe('writeFits', () => {
  it('pads header and data to 2880-byte blocks and ends the header with END', () => {
    const bytes = writeFits([{ cards: [], bitpix: 16, axes: [10, 10], data: ramp(100, (i) => i) }]);
    expect(bytes.length).toBe(2 * 2880);
    const text = new TextDecoder().decode(bytes.subarray(0, 2880));
    expect(text.indexOf('END     ')).toBe(5 * 80);
    // Big-endian: pixel 1 (value 1) is 0x00 0x01.
    expect([bytes[2880 + 2], bytes[2880 + 3]]).toEqual([0, 1]);
  });
  it('rejects data whose length does not match the axes', () => {
    expect(() => writeFits([{ cards: [], bitpix: 8, axes: [3, 3], data: [1, 2] }])).toThrow(/9/);
  });
});

describe.skipIf(!hasAstropy)('writeFits read back by astropy (verify=exception)', () => {
  const cases: Array<{ name: string; hdu: WriteHdu; dtype: string }> = [
    { name: 'u8', hdu: { cards: [], bitpix: 8, axes: [7, 5], data: ramp(35, (i) => i * 7) }, dtype: 'uint8' },
    {
      name: 'i16',
      hdu: { cards: [], bitpix: 16, axes: [6, 4], data: ramp(24, (i) => i * 1000 - 12000) },
      dtype: 'int16',
    },
    {
      name: 'u16',
      hdu: { cards: [], bitpix: 16, axes: [9, 3], data: ramp(27, (i) => i * 2427), bzero: 32768 },
      dtype: 'uint16',
    },
    {
      name: 'i32',
      hdu: { cards: [], bitpix: 32, axes: [5, 5], data: ramp(25, (i) => (i - 12) * 99999) },
      dtype: 'int32',
    },
    {
      name: 'f32',
      hdu: { cards: [], bitpix: -32, axes: [4, 3, 2], data: ramp(24, (i) => i / 8 - 1) },
      dtype: 'float32',
    },
    {
      name: 'f64',
      hdu: { cards: [], bitpix: -64, axes: [8, 2], data: ramp(16, (i) => Math.PI * i) },
      dtype: 'float64',
    },
    {
      name: 'scaled',
      hdu: { cards: [], bitpix: 16, axes: [4, 4], data: ramp(16, (i) => 100 + 0.5 * i), bzero: 100, bscale: 0.5 },
      dtype: 'float32',
    },
  ];
  for (const { name, hdu, dtype } of cases)
    it(`BITPIX ${hdu.bitpix} ${name}: same data`, () => {
      const [primary] = roundTrip(`${name}.fits`, [hdu]);
      expect(primary!.dtype).toBe(dtype);
      expect(primary!.data).toEqual(Array.from(hdu.data!));
    });

  it('keeps every kind of card value and writes mandatory keywords in order', () => {
    const cards = [
      { key: 'OBJECT', value: "NGC 7023 'Iris'", comment: 'target' },
      { key: 'EXPTIME', value: 10.5, comment: '[s]' },
      { key: 'GAIN', value: 80 },
      { key: 'TINY', value: 1.25e-12 },
      { key: 'FLAG', value: false },
      { key: 'NOVALUE', value: null },
      { key: 'LONGSTR', value: 'abc '.repeat(40).trim(), comment: 'long' },
      { key: 'DATE-OBS', value: '2025-03-27T05:45:00.734' },
      { key: 'HISTORY', value: 'made by the AIMS test suite' },
      { key: 'BITPIX', value: 99 },
    ];
    const [primary, ext] = roundTrip('cards.fits', [
      { cards, bitpix: 16, axes: [3, 2], data: [1, 2, 3, 4, 5, 6] },
      { cards: [{ key: 'EXTNAME', value: 'SCI' }], bitpix: -32, axes: [2, 2], data: [0.5, 1.5, 2.5, 3.5] },
    ]);
    const keys = primary!.cards.map(([k]) => k);
    expect(keys.slice(0, 6)).toEqual(['SIMPLE', 'BITPIX', 'NAXIS', 'NAXIS1', 'NAXIS2', 'EXTEND']);
    const get = (k: string) => primary!.cards.find(([key]) => key === k)?.[1];
    expect(get('BITPIX')).toBe(16);
    expect(get('OBJECT')).toBe("NGC 7023 'Iris'");
    expect(get('EXPTIME')).toBe(10.5);
    expect(get('TINY')).toBe(1.25e-12);
    expect(get('FLAG')).toBe(false);
    expect(get('NOVALUE')).toBeNull();
    expect(get('LONGSTR')).toBe('abc '.repeat(40).trim());
    expect(get('HISTORY')).toBe('made by the AIMS test suite');
    expect(ext!.cards.slice(0, 7).map(([k]) => k)).toEqual([
      'XTENSION',
      'BITPIX',
      'NAXIS',
      'NAXIS1',
      'NAXIS2',
      'PCOUNT',
      'GCOUNT',
    ]);
    expect(ext!.data).toEqual([0.5, 1.5, 2.5, 3.5]);
  });

  it('clamps out-of-range integers and writes NaN as 0 in integer HDUs', () => {
    const [primary] = roundTrip('clamp.fits', [
      { cards: [], bitpix: 16, axes: [4], data: [-1, 70000, Number.NaN, 12.6], bzero: 32768 },
    ]);
    expect(primary!.data).toEqual([0, 65535, 32768, 13]);
  });
});

describe.skipIf(!hasFitsverify)('writeFits checked by fitsverify', () => {
  it('reports 0 errors and 0 warnings for a multi-extension file with every BITPIX', () => {
    const report = fitsverify('mef.fits', [
      { cards: [{ key: 'OBJECT', value: 'test' }], bitpix: 16, axes: [] },
      {
        cards: [{ key: 'EXTNAME', value: 'U16' }],
        bitpix: 16,
        axes: [5, 5],
        data: ramp(25, (i) => i * 2000),
        bzero: 32768,
      },
      { cards: [{ key: 'EXTNAME', value: 'U8' }], bitpix: 8, axes: [5, 5], data: ramp(25, (i) => i) },
      { cards: [{ key: 'EXTNAME', value: 'I32' }], bitpix: 32, axes: [5, 5], data: ramp(25, (i) => -i) },
      { cards: [{ key: 'EXTNAME', value: 'F32' }], bitpix: -32, axes: [5, 5], data: ramp(25, (i) => i / 3) },
      { cards: [{ key: 'EXTNAME', value: 'F64' }], bitpix: -64, axes: [5, 5], data: ramp(25, (i) => i / 7) },
    ]);
    expect(report).toMatch(/\*\*\*\* Verification found 0 warning\(s\) and 0 error\(s\). \*\*\*\*/);
  });
});
