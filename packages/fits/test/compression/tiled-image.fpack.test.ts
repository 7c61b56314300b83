import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readStructure } from '../../src/hdu.js';
import { type ImagePixels, readImage } from '../../src/image.js';
import { nodeInflate } from '../../src/node.js';
import { bufferSource } from '../../src/source.js';
import { writeFits } from '../../src/write.js';
import { fixture, HAVE_FIXTURES } from '../support/fixtures.js';
import { zlibInflate } from '../support/zlib-inflate.js';

/**
 * Files compressed here by fpack with every algorithm and option the reader supports, each compared
 * pixel for pixel with funpack's decompression of the same file (CFITSIO is the reference
 * implementation of the convention). Lossy options (quantization, HCOMPRESS scale) are covered
 * too: funpack undoes them deterministically, so the match is still exact.
 */
const FPACK = '/usr/bin/fpack';
const FUNPACK = '/usr/bin/funpack';
const tools = existsSync(FPACK) && existsSync(FUNPACK);

const M13 = fixture('nom-tam-fits/m13.fits');
const M13_BLUE = fixture('astropy-astropy-data/M13_blue_0001.fits'); // uint16, BZERO 32768
const M42_8BIT = fixture('indilib-indi/m42_test.fits');
const LUCI_32BIT_BLANK = fixture('esheldon-fitsio-cfitsio/iter_image.fit');
const CUBE_FLOAT = fixture('astropy-astropy-data/l1448_13co.fits'); // -32, 105×105×53
const MSX_DOUBLE = fixture('astropy-astropy-data/gc_msx_e.fits'); // -64
const SPITZER_FLOAT = fixture('astropy-photutils-datasets/spitzer_example_image.fits');
const RGB_CUBE = fixture('Steffenhir-GraXpert/color_16bit.fits');

const work = mkdtempSync(join(tmpdir(), 'aims-fpack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A sky without NaN (seeded): fpack then writes no ZBLANK, and quantized GZIP tiles of float32
 * frames take the SIMD kernels (docs/performance.md). 1100 × 40: row tiles of 1,100 pixels, and
 * tiles of 20 rows (22,000 pixels: more than one kernel chunk, past the end of the random table).
 */
function writeSky(name: string, bitpix: 16 | -32, bzero = 0, holes = false): string {
  const width = 1100;
  const height = 40;
  let state = 11;
  const data = new Float64Array(width * height).map(() => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const value = 1000 + 60 * (state / 4294967296 - 0.5) + (state % 500 === 0 ? 20000 : 0);
    return bitpix < 0 ? value : Math.round(value - bzero + (state % 3) * 9000);
  });
  // NaN (ZBLANK in the tiles) and exact zeros (kept by SUBTRACTIVE_DITHER_2) here and there.
  if (holes) for (let i = 0; i < data.length; i += 997) data[i] = i % 2 ? Number.NaN : 0;
  const path = join(work, name);
  writeFileSync(path, writeFits([{ cards: [], bitpix, axes: [width, height], data, ...(bzero ? { bzero } : {}) }]));
  return path;
}
const SKY_FLOAT = writeSky('sky-float.fits', -32);
const SKY_INT16 = writeSky('sky-int16.fits', 16);
const SKY_UINT16 = writeSky('sky-uint16.fits', 16, 32768);
const SKY_FLOAT_HOLES = writeSky('sky-float-holes.fits', -32, 0, true);

/** Turns HCOMPRESS smoothing on in an fpack file (fpack always writes SMOOTH = 0 as ZNAME2/ZVAL2). */
function smoothOn(path: string): void {
  const bytes = readFileSync(path);
  const at = bytes.indexOf('ZVAL2   =                    0 / HCOMPRESS smooth');
  if (at < 0) throw new Error('no SMOOTH card to patch');
  bytes[at + 29] = 0x31; // '1'
  writeFileSync(path, bytes);
}

const CASES: Array<{ name: string; input: string; args: string[]; algorithm: string; patch?: (path: string) => void }> =
  [
    { name: 'm13 RICE_1', input: M13, args: ['-r'], algorithm: 'RICE_1' },
    { name: 'm13 RICE_1 64×64 tiles', input: M13, args: ['-r', '-t', '64,64'], algorithm: 'RICE_1' },
    { name: 'm13 GZIP_1', input: M13, args: ['-g'], algorithm: 'GZIP_1' },
    { name: 'm13 GZIP_2', input: M13, args: ['-g2'], algorithm: 'GZIP_2' },
    { name: 'm13 PLIO_1', input: M13, args: ['-p'], algorithm: 'PLIO_1' },
    { name: 'm13 HCOMPRESS_1', input: M13, args: ['-h'], algorithm: 'HCOMPRESS_1' },
    { name: 'm13 HCOMPRESS_1 scale 4', input: M13, args: ['-h', '-s', '4'], algorithm: 'HCOMPRESS_1' },
    { name: 'm13 HCOMPRESS_1 100×60 tiles', input: M13, args: ['-h', '-t', '100,60'], algorithm: 'HCOMPRESS_1' },
    {
      name: 'm13 HCOMPRESS_1 scale 4 smoothed',
      input: M13,
      args: ['-h', '-s', '4', '-t', '150,100'],
      algorithm: 'HCOMPRESS_1',
      patch: smoothOn,
    },
    { name: 'm13 NOCOMPRESS', input: M13, args: ['-d'], algorithm: 'NOCOMPRESS' },
    { name: 'm13 integers to quantized floats', input: M13, args: ['-i2f', '-q', '4'], algorithm: 'RICE_1' },
    { name: 'uint16 RICE_1', input: M13_BLUE, args: ['-r'], algorithm: 'RICE_1' },
    { name: 'uint16 GZIP_2 whole image', input: M13_BLUE, args: ['-g2', '-w'], algorithm: 'GZIP_2' },
    { name: 'uint16 PLIO_1', input: M13_BLUE, args: ['-p'], algorithm: 'PLIO_1' },
    { name: 'uint16 HCOMPRESS_1', input: M13_BLUE, args: ['-h', '-t', '200,100'], algorithm: 'HCOMPRESS_1' },
    { name: '8-bit RICE_1', input: M42_8BIT, args: ['-r'], algorithm: 'RICE_1' },
    { name: '8-bit GZIP_1', input: M42_8BIT, args: ['-g', '-t', '1280,128'], algorithm: 'GZIP_1' },
    { name: '8-bit PLIO_1', input: M42_8BIT, args: ['-p'], algorithm: 'PLIO_1' },
    { name: '32-bit with BLANK RICE_1', input: LUCI_32BIT_BLANK, args: ['-r'], algorithm: 'RICE_1' },
    { name: '32-bit with BLANK GZIP_2', input: LUCI_32BIT_BLANK, args: ['-g2'], algorithm: 'GZIP_2' },
    { name: '32-bit with BLANK HCOMPRESS_1', input: LUCI_32BIT_BLANK, args: ['-h'], algorithm: 'HCOMPRESS_1' },
    { name: 'float cube dither 1', input: CUBE_FLOAT, args: ['-q', '4'], algorithm: 'RICE_1' },
    { name: 'float cube no dither', input: CUBE_FLOAT, args: ['-q0', '16'], algorithm: 'RICE_1' },
    { name: 'float cube dither 2 seed 77', input: CUBE_FLOAT, args: ['-qz77', '2'], algorithm: 'RICE_ONE' },
    { name: 'float cube 3-D tiles', input: CUBE_FLOAT, args: ['-q', '4', '-t', '40,30,7'], algorithm: 'RICE_1' },
    {
      name: 'float cube lossless GZIP_1',
      input: CUBE_FLOAT,
      args: ['-g', '-q', '0', '-t', '105,105'],
      algorithm: 'GZIP_1',
    },
    {
      name: 'float cube GZIP_2 quantized',
      input: CUBE_FLOAT,
      args: ['-g2', '-q', '8', '-t', '105,105'],
      algorithm: 'GZIP_2',
    },
    { name: 'float cube HCOMPRESS_1 quantized', input: CUBE_FLOAT, args: ['-h', '-q', '4'], algorithm: 'HCOMPRESS_1' },
    { name: 'double dither 1 absolute q', input: MSX_DOUBLE, args: ['-q', '-0.01'], algorithm: 'RICE_1' },
    { name: 'double dither 2', input: MSX_DOUBLE, args: ['-qz', '4'], algorithm: 'RICE_ONE' },
    { name: 'double lossless GZIP_2', input: MSX_DOUBLE, args: ['-g2', '-q', '0'], algorithm: 'GZIP_2' },
    { name: 'float with NaN dither 1', input: SPITZER_FLOAT, args: ['-q', '4'], algorithm: 'RICE_1' },
    // Not here: SPITZER_FLOAT with -qz. For tiles whose ZZERO fpack puts near 5e8, funpack 1.7.0
    // (CFITSIO 4.02) writes zeros where astropy and this reader agree with the original pixels.
    { name: 'sky float GZIP_1 quantized', input: SKY_FLOAT, args: ['-g1', '-q', '4'], algorithm: 'GZIP_1' },
    { name: 'sky float GZIP_2 quantized', input: SKY_FLOAT, args: ['-g2', '-q', '4'], algorithm: 'GZIP_2' },
    { name: 'sky float RICE_1 quantized', input: SKY_FLOAT, args: ['-r', '-q', '4'], algorithm: 'RICE_1' },
    {
      name: 'sky float GZIP_1 quantized 20-row tiles',
      input: SKY_FLOAT,
      args: ['-g1', '-q', '4', '-t', '1100,20'],
      algorithm: 'GZIP_1',
    },
    {
      name: 'sky float GZIP_2 quantized 20-row tiles, seed 9000',
      input: SKY_FLOAT,
      args: ['-g2', '-q9000', '4', '-t', '1100,20'],
      algorithm: 'GZIP_2',
    },
    {
      name: 'sky float with NaN GZIP_2 quantized',
      input: SKY_FLOAT_HOLES,
      args: ['-g2', '-q', '4'],
      algorithm: 'GZIP_2',
    },
    {
      name: 'sky float with NaN GZIP_1 dither 2',
      input: SKY_FLOAT_HOLES,
      args: ['-g1', '-qz', '4'],
      algorithm: 'GZIP_1',
    },
    {
      name: 'sky float with NaN RICE_1 dither 2',
      input: SKY_FLOAT_HOLES,
      args: ['-r', '-qz', '4'],
      algorithm: 'RICE_ONE',
    },
    { name: 'sky int16 GZIP_1', input: SKY_INT16, args: ['-g1'], algorithm: 'GZIP_1' },
    { name: 'sky uint16 GZIP_1', input: SKY_UINT16, args: ['-g1'], algorithm: 'GZIP_1' },
    { name: 'sky int16 GZIP_2', input: SKY_INT16, args: ['-g2'], algorithm: 'GZIP_2' },
    { name: 'sky uint16 GZIP_2 20-row tiles', input: SKY_UINT16, args: ['-g2', '-t', '1100,20'], algorithm: 'GZIP_2' },
    { name: 'RGB cube PLIO 3-D tile', input: RGB_CUBE, args: ['-p', '-t', '6,5,3'], algorithm: 'PLIO_1' },
    { name: 'RGB cube RICE_1', input: RGB_CUBE, args: ['-r'], algorithm: 'RICE_1' },
  ];

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
}

async function imagesOf(path: string, compressed: boolean) {
  const source = bufferSource(new Uint8Array(readFileSync(path)));
  const structure = await readStructure(source);
  const hdus = structure.hdus.filter((hdu) =>
    compressed
      ? hdu.type === 'COMPRESSED_IMAGE'
      : (hdu.type === 'PRIMARY' || hdu.type === 'IMAGE') && hdu.axes.length > 0,
  );
  return { source, hdus };
}

function sameValues(ours: ImagePixels['data'], theirs: ImagePixels['data']): string {
  if (ours.length !== theirs.length) return `length ${ours.length} ≠ ${theirs.length}`;
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i]!;
    const b = theirs[i]!;
    if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) return `pixel ${i}: ours ${a}, funpack ${b}`;
  }
  return 'same';
}

describe.skipIf(!tools || !HAVE_FIXTURES)('tile-compressed images written by fpack read as funpack reads them', () => {
  if (!tools) console.log('skipping: fpack/funpack are not installed');
  CASES.forEach((testCase, n) => {
    it(testCase.name, async () => {
      const packed = join(work, `${n}.fits.fz`);
      const unpacked = join(work, `${n}.fits`);
      run(FPACK, [...testCase.args, '-O', packed, testCase.input]);
      testCase.patch?.(packed);
      run(FUNPACK, ['-O', unpacked, packed]);

      const compressed = await imagesOf(packed, true);
      const reference = await imagesOf(unpacked, false);
      expect(compressed.hdus.length).toBeGreaterThan(0);
      expect(compressed.hdus.length).toBe(reference.hdus.length);
      for (const [i, hdu] of compressed.hdus.entries()) {
        expect(String(hdu.rawHeader.get('ZCMPTYPE')).trim()).toBe(testCase.algorithm);
        const ours = await readImage(compressed.source, hdu, { inflate: zlibInflate });
        const theirs = await readImage(reference.source, reference.hdus[i]!);
        expect(ours.axes).toEqual(theirs.axes);
        expect(ours.data.constructor).toBe(theirs.data.constructor);
        expect(sameValues(ours.data, theirs.data)).toBe('same');
        expect(ours.blankCount).toBe(theirs.blankCount);
        // And through Node's zlib, whose runs of GZIP tiles take another path (gzip-batch.ts).
        const batched = await readImage(compressed.source, hdu, { inflate: nodeInflate });
        expect(sameValues(batched.data, theirs.data)).toBe('same');
        expect(batched.blankCount).toBe(theirs.blankCount);

        // A row range (and a plane of a cube) decodes only its tiles and gives the same pixels.
        const height = ours.axes[1] ?? 1;
        const planeCount = ours.axes.slice(2).reduce((a, b) => a * b, 1);
        const rows = {
          start: Math.floor(height / 3),
          end: Math.floor(height / 3) + Math.max(1, Math.floor(height / 4)),
        };
        const plane = planeCount - 1;
        const part = await readImage(compressed.source, hdu, { rows, plane, inflate: zlibInflate });
        const whole = theirs.data.subarray(
          (plane * height + rows.start) * ours.width,
          (plane * height + rows.end) * ours.width,
        );
        expect(part).toMatchObject({ rowStart: rows.start, rowEnd: rows.end, depth: 1 });
        expect(sameValues(part.data, whole)).toBe('same');
      }
    });
  });
});
