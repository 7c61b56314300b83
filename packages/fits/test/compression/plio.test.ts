import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plioDecode } from '../../src/compression/plio.js';
import { FitsErrorCode, isFitsError } from '../../src/errors.js';
import { fixture, itWithFixtures } from '../support/fixtures.js';
import {
  assemble,
  bigEndianWords,
  type CompressedImage,
  firstDifference,
  fpack,
  type PlainImage,
  prng,
  readCompressedImage,
  readPlainImage,
  syntheticImage,
  tempDir,
  writePlainImage,
} from '../support/tile-fixtures.js';

const dir = tempDir('plio');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function decodePlio(image: CompressedImage): Int32Array {
  expect(image.algorithm).toBe('PLIO_1');
  return assemble(image, (tile, out) => plioDecode(bigEndianWords(tile.bytes), out));
}

/**
 * CFITSIO cannot give PLIO negative values, so for unsigned 16-bit images (BZERO 32768) it codes
 * the physical values (stored + 32768) and its reader subtracts the offset again. The tile reader
 * must do the same; here the expected tile values are shifted instead.
 */
function expectedTileValues(compressed: CompressedImage, original: PlainImage): Int32Array {
  const offset = compressed.zbitpix === 16 && compressed.bzero === 32768 ? 32768 : 0;
  return original.values.map((v) => v + offset);
}

/** A 16- or 32-bit mask: zero background with rectangles of values that need every opcode. */
function maskImage(bitpix: 16 | 32, width: number, height: number, seed: number): PlainImage {
  const random = prng(seed);
  const values = new Int32Array(width * height);
  const top = bitpix === 16 ? 32767 : 2 ** 24 - 1;
  for (let r = 0; r < 40; r++) {
    const x0 = Math.floor(random() * width);
    const y0 = Math.floor(random() * height);
    const w = 1 + Math.floor(random() * 30);
    const h = 1 + Math.floor(random() * 10);
    // Small values (increment/decrement opcodes) and big jumps (set-high-value).
    const v = random() < 0.5 ? 1 + Math.floor(random() * 20) : Math.floor(random() * top);
    for (let y = y0; y < Math.min(height, y0 + h); y++)
      values.fill(v, y * width + x0, y * width + Math.min(width, x0 + w));
  }
  // Single pixels and ramps exercise the store-one-pixel opcodes.
  for (let x = 0; x < width; x++) values[(height >> 1) * width + x] = (x * 37) % 300;
  return { bitpix, width, height, values };
}

describe('plioDecode against CFITSIO-written files', () => {
  itWithFixtures('decodes nom-tam-fits m13_plio.fits to the pixels of m13.fits', () => {
    const compressed = readCompressedImage(fixture('nom-tam-fits/m13_plio.fits'));
    const original = readPlainImage(fixture('nom-tam-fits/m13.fits'));
    expect(compressed.tiles.length).toBe(300);
    expect(firstDifference(decodePlio(compressed), original.values)).toBe(-1);
  });

  // Default (row) tiling of every fixture is in fixtures.test.ts; here 2-D tiles.
  const realFiles = [
    'nom-tam-fits/m13.fits',
    'mwcraig-msumastro/aspen_trimmed.fit',
    'indilib-indi/m42_test.fits',
    'esheldon-fitsio-cfitsio/iter_image.fit',
  ];
  for (const name of realFiles) {
    itWithFixtures(`fpack -p -t 50,20 of ${name}`, () => {
      const packed = join(dir, `${name.replace(/\W/g, '_')}.fz`);
      fpack(['-p', '-t', '50,20'], fixture(name), packed);
      const original = readPlainImage(fixture(name));
      const compressed = readCompressedImage(packed);
      expect(firstDifference(decodePlio(compressed), expectedTileValues(compressed, original))).toBe(-1);
    });
  }

  const generated: Array<[string, PlainImage]> = [
    ['8-bit sky', syntheticImage(8, 97, 31, 'sky', 5)],
    ['8-bit random', syntheticImage(8, 97, 31, 'random', 6)],
    ['8-bit mixed', syntheticImage(8, 97, 31, 'mixed', 7)],
    ['16-bit zero', syntheticImage(16, 97, 31, 'zero')],
    ['16-bit mask', maskImage(16, 5000, 12, 8)],
    ['32-bit mask up to 2^24 - 1', maskImage(32, 300, 40, 9)],
  ];
  for (const [label, image] of generated) {
    it(`fpack -p of a generated ${label} image`, () => {
      const plain = join(dir, `${label.replace(/\W/g, '_')}.fits`);
      writePlainImage(plain, image);
      fpack(['-p'], plain, `${plain}.fz`);
      const compressed = readCompressedImage(`${plain}.fz`);
      expect(firstDifference(decodePlio(compressed), image.values)).toBe(-1);
    });
  }
});

describe('plioDecode on hand-made line lists', () => {
  const header = (length: number) => [0, 7, -100, length & 0x7fff, length >> 15, 0, 0];

  it('follows every opcode', () => {
    const list = [
      0x0000 + 2, // ZN: 2 zeros
      0x1000 + 5, // SH: pv = 3 × 4096 + 5
      3,
      0x4000 + 2, // HN: 2 × pv
      0x3000 + 5, // DH: pv -= 5
      0x6000 + 1, // IS: pv += 1, one pixel
      0x7000 + 2, // DS: pv -= 2, one pixel
      0x2000 + 10, // IH: pv += 10
      0x5000 + 3, // PN: 2 zeros then pv
    ];
    const words = Int16Array.from([...header(7 + list.length), ...list]);
    const out = new Int32Array(12).fill(-9);
    plioDecode(words, out);
    const pv = 3 * 4096 + 5;
    expect(Array.from(out)).toEqual([0, 0, pv, pv, pv - 4, pv - 6, 0, 0, pv + 4, 0, 0, 0]);
  });

  it('reads the old header form (length in word 2, instructions from word 3)', () => {
    const words = Int16Array.of(0, 0, 5, 0x4000 + 3, 0x0000 + 1);
    const out = new Int32Array(5).fill(-9);
    plioDecode(words, out);
    expect(Array.from(out)).toEqual([1, 1, 1, 0, 0]);
  });

  it('clips runs at the end of the tile and drops a clipped PN value', () => {
    const words = Int16Array.from([...header(9), 0x4000 + 3, 0x5000 + 10]);
    const out = new Int32Array(6);
    plioDecode(words, out);
    expect(Array.from(out)).toEqual([1, 1, 1, 0, 0, 0]);
  });

  function expectBadCompression(words: number[]): void {
    let caught: unknown;
    try {
      plioDecode(Int16Array.from(words), new Int32Array(8));
    } catch (error) {
      caught = error;
    }
    expect(isFitsError(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe(FitsErrorCode.BAD_COMPRESSION);
  }

  it('throws BAD_COMPRESSION for truncated or malformed lists', () => {
    expectBadCompression([0, 7]);
    expectBadCompression([0, 7, -100, 20, 0, 0, 0, 0x4000 + 3]); // declares 20 words, holds 8
    expectBadCompression([...header(8), 0x1000 + 1]); // set-high-value without its second word
    expectBadCompression([...header(8), -1]); // no opcode is negative
    expectBadCompression([0, 1, -100, 8, 0, 0, 0, 0]); // header length 1
  });
});
