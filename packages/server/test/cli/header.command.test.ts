import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { describeWithFixtures, fixture, HAVE_FIXTURES, itWithFixtures } from '../support/fixtures.js';

interface JsonCard {
  key: string;
  value: unknown;
  comment: string;
}
interface HeaderJson {
  file: string;
  hdus: { index: number; type: string; cards: JsonCard[] }[];
}

const dir = mkdtempSync(join(tmpdir(), 'aims-header-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let stdout = '';
let stderr = '';
beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

async function headerJson(...args: string[]): Promise<HeaderJson> {
  const code = await main(['header', '--json', ...args]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as HeaderJson;
}

describeWithFixtures('aims header --json', () => {
  it('gives key, value and comment of every card, HIERARCH without prefix and CONTINUE merged', async () => {
    const file = fixture('feder-observatory-stellarphot/cutout_for_fwhm_test.fits');
    const json = await headerJson(file);
    expect(json.file).toBe(file);
    expect(json.hdus.map((h) => [h.index, h.type])).toEqual([[0, 'PRIMARY']]);
    const cards = json.hdus[0]!.cards;
    expect(Object.keys(cards[0]!)).toEqual(['key', 'value', 'comment']);
    expect(cards[0]).toEqual({ key: 'SIMPLE', value: true, comment: expect.any(String) });
    expect(cards.find((c) => c.key === 'NAXIS1')?.value).toBe(100);
    expect(cards.some((c) => c.key.startsWith('HIERARCH'))).toBe(false);
    expect(cards.some((c) => c.key === 'CONTINUE')).toBe(false);
    expect(cards.some((c) => c.key === 'END')).toBe(false);
    // Every card image of the file except END and the CONTINUE cards is one JSON card.
    const text = readFileSync(file, 'latin1');
    const end = text.search(/END {77}/);
    const images = text.slice(0, end).match(/.{80}/g)!;
    expect(cards).toHaveLength(images.filter((c) => !c.startsWith('CONTINUE')).length);
    const hierarch = images.filter((c) => c.startsWith('HIERARCH '));
    expect(hierarch.length).toBeGreaterThan(0);
    for (const image of hierarch) {
      const key = image.slice(9, image.indexOf('=')).trim();
      expect(cards.map((c) => c.key)).toContain(key);
    }
    const continued = images.findIndex((c) => c.startsWith('CONTINUE'));
    const long = cards.find((c) => images[continued - 1]!.startsWith(c.key.padEnd(8)) && typeof c.value === 'string');
    expect(long?.value).toEqual(expect.any(String));
    expect((long!.value as string).length).toBeGreaterThan(68);
  });

  it('shows a tile-compressed HDU as COMPRESSED_IMAGE with the header of its image', async () => {
    const json = await headerJson(fixture('nom-tam-fits/m13_rice.fits'));
    expect(json.hdus.map((h) => h.type)).toEqual(['PRIMARY', 'COMPRESSED_IMAGE']);
    const cards = json.hdus[1]!.cards;
    const value = (key: string) => cards.find((c) => c.key === key)?.value;
    expect(value('BITPIX')).toBe(16);
    expect(value('NAXIS1')).toBe(300);
    expect(value('NAXIS2')).toBe(300);
    expect(value('ZCMPTYPE')).toBeUndefined();
    expect(value('TFORM1')).toBeUndefined();
  });

  it('reads a gzip file whatever its name, and --hdu selects one HDU', async () => {
    const json = await headerJson(fixture('nom-tam-fits/ad43021000gis25670_lo.totsky.gz'));
    expect(json.hdus[0]!.cards.find((c) => c.key === 'TELESCOP')?.value).toBe('ASCA');
    stdout = '';
    const one = await headerJson('--hdu', '1', fixture('cds-astro-fitsrs/HST_NICMOS.fits'));
    expect(one.hdus.map((h) => [h.index, h.type])).toEqual([[1, 'IMAGE']]);
  });

  it('prints commentary cards with their text, undefined values as null and big integers with all digits', async () => {
    const cards = [
      'SIMPLE  =                    T',
      'BITPIX  =                    8',
      'NAXIS   =                    0',
      'BIG     = 123456789012345678901 / beyond 2^64',
      'UNDEF   =                      / nothing',
      'CPLX    =            (1.5, -2)',
      "STR     = 'It''s   '",
      'COMMENT   a comment',
      'HISTORY history',
      '          blank-key text',
      'END',
    ];
    const text = cards.map((c) => c.padEnd(80)).join('');
    const path = join(dir, 'forms.fits');
    writeFileSync(path, text.padEnd(2880), 'latin1');
    const code = await main(['header', '--json', path]);
    expect(code).toBe(0);
    expect(stdout).toContain('"value":123456789012345678901,"comment":"beyond 2^64"');
    const json = JSON.parse(stdout) as HeaderJson;
    expect(json.hdus[0]!.cards.slice(4)).toEqual([
      { key: 'UNDEF', value: null, comment: 'nothing' },
      { key: 'CPLX', value: [1.5, -2], comment: '' },
      { key: 'STR', value: "It's", comment: '' },
      { key: 'COMMENT', value: '  a comment', comment: '' },
      { key: 'HISTORY', value: 'history', comment: '' },
      { key: '', value: '  blank-key text', comment: '' },
    ]);
  });
});

describeWithFixtures('aims header (text)', () => {
  it('prints like fitsheader: a title line per HDU, then 80-column cards', async () => {
    const file = fixture('nom-tam-fits/m13_rice.fits');
    expect(await main(['header', file])).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`# HDU 0 in ${file}:`);
    expect(lines[1]).toBe('SIMPLE  =                    T / file does conform to FITS standard'.padEnd(80));
    expect(lines).toContain(`# HDU 1 in ${file}:`);
    const cardLines = lines.filter((l) => l !== '' && !l.startsWith('# HDU'));
    expect(cardLines.every((l) => l.length === 80)).toBe(true);
    // HDU 1 shows the image header: BITPIX 16 (from ZBITPIX), not the table's BITPIX 8.
    expect(cardLines.filter((l) => l.startsWith('BITPIX  =')).map((l) => l.slice(10, 30).trim())).toEqual(['16', '16']);
    expect(lines.some((l) => l.startsWith('END '))).toBe(false);
  });
});

describe('aims header on bad input', () => {
  const bad = async (path: string, pattern: RegExp) => {
    const code = await main(['header', path]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.endsWith('\n')).toBe(true);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(pattern);
  };

  it('exits 2 with one line for a file that is not FITS', async () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'these are not the pixels you are looking for\n'.repeat(100));
    await bad(path, /not a FITS file/);
  });

  it('exits 2 with one line for a gzip bomb, stopped at AIMS_MAX_INFLATE_RATIO', async () => {
    // A valid header for 6000×6000 16-bit pixels, then 72 MB of zeros: gzip makes that ~70 kB.
    const cards = ['SIMPLE  =                    T', 'BITPIX  =                   16', 'NAXIS   =                    2']
      .concat(['NAXIS1  =                 6000', 'NAXIS2  =                 6000', 'END'])
      .map((card) => card.padEnd(80))
      .join('');
    const header = Buffer.from(cards.padEnd(2880, ' '), 'latin1');
    const data = Buffer.alloc(Math.ceil((6000 * 6000 * 2) / 2880) * 2880);
    const path = join(dir, 'bomb.fits.gz');
    writeFileSync(path, gzipSync(Buffer.concat([header, data])));
    await bad(path, /inflates more than 100× its compressed size .*AIMS_MAX_INFLATE_RATIO/);
  });

  it('exits 2 with one line for an empty file', async () => {
    const path = join(dir, 'empty.fits');
    writeFileSync(path, '');
    await bad(path, /empty/);
  });

  itWithFixtures('exits 2 with one line for a file truncated in its first header, plain or gzip', async () => {
    const head = readFileSync(fixture('nom-tam-fits/m13.fits')).subarray(0, 1000);
    const path = join(dir, 'cut.fits');
    writeFileSync(path, head);
    await bad(path, /FITS_TRUNCATED/);
    stderr = '';
    const gz = join(dir, 'cut.fits.gz');
    writeFileSync(gz, gzipSync(head));
    await bad(gz, /FITS_TRUNCATED/);
  });

  itWithFixtures('exits 2 for a missing file and for an HDU that does not exist', async () => {
    await bad(join(dir, 'nope.fits'), /ENOENT/);
    stderr = '';
    expect(await main(['header', '--hdu', '9', fixture('nom-tam-fits/m13.fits')])).toBe(2);
    expect(stderr).toMatch(/no HDU 9/);
  });
});

const BIN = new URL('../../bin/aims.js', import.meta.url).pathname;
const BUILT = existsSync(new URL('../../dist/cli/main.js', import.meta.url).pathname);

// `npm test` builds first (`npm run build:lib`); a plain `npx vitest run` may not have a build.
describe.skipIf(!BUILT || !HAVE_FIXTURES)(
  `the aims binary${BUILT ? '' : ' (skipped: packages/server/dist not built)'}`,
  () => {
    it('exits 2 with one stderr line for a file that is not FITS, 0 with JSON for a FITS file', () => {
      const path = join(dir, 'readme.txt');
      writeFileSync(path, 'plain text\n');
      const bad = spawnSync(process.execPath, [BIN, 'header', path], { encoding: 'utf8' });
      expect(bad.status).toBe(2);
      expect(bad.stdout).toBe('');
      expect(bad.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^aims header: .*not a FITS file/)]);

      const good = spawnSync(process.execPath, [BIN, 'header', '--json', fixture('nom-tam-fits/m13_rice.fits')], {
        encoding: 'utf8',
      });
      expect(good.status).toBe(0);
      const json = JSON.parse(good.stdout) as HeaderJson;
      expect(json.hdus.map((h) => h.type)).toEqual(['PRIMARY', 'COMPRESSED_IMAGE']);
    });
  },
);
