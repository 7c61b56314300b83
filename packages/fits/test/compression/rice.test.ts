import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { riceDecode } from '../../src/compression/rice.js';
import { FitsErrorCode, isFitsError } from '../../src/errors.js';
import { fixture, itWithFixtures } from '../support/fixtures.js';
import {
  assemble,
  type CompressedImage,
  compressWithAstropy,
  firstDifference,
  fpack,
  readCompressedImage,
  readPlainImage,
  type SyntheticKind,
  syntheticImage,
  tempDir,
  writePlainImage,
} from '../support/tile-fixtures.js';

const dir = tempDir('rice');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DEFAULT_BYTEPIX: Record<number, 1 | 2 | 4> = { 8: 1, 16: 2, 32: 4 };

function decodeRice(image: CompressedImage): Int32Array {
  expect(image.algorithm).toBe('RICE_1');
  const blockSize = image.params.BLOCKSIZE ?? 32;
  // The convention's default when ZNAMEi = 'BYTEPIX' is absent is 4, whatever ZBITPIX says: nom-tam's
  // m13_rice.fits (ZBITPIX 16, no BYTEPIX) really is coded with 4-byte pixels.
  const bytePix = (image.params.BYTEPIX ?? 4) as 1 | 2 | 4;
  return assemble(image, (tile, out) => riceDecode(tile.bytes, out, blockSize, bytePix));
}

function expectSamePixels(decoded: Int32Array, original: Int32Array): void {
  expect(decoded.length).toBe(original.length);
  // One index instead of a million-element diff when something is wrong.
  expect(firstDifference(decoded, original)).toBe(-1);
}

describe('riceDecode against CFITSIO-written files', () => {
  itWithFixtures('decodes nom-tam-fits m13_rice.fits to the pixels of m13.fits', () => {
    const compressed = readCompressedImage(fixture('nom-tam-fits/m13_rice.fits'));
    const original = readPlainImage(fixture('nom-tam-fits/m13.fits'));
    expect(compressed.tiles.length).toBe(300);
    expectSamePixels(decodeRice(compressed), original.values);
  });

  // Default (row) tiling of every fixture is in fixtures.test.ts; here other tile shapes.
  const realFiles = [
    'nom-tam-fits/m13.fits',
    'mwcraig-msumastro/neon-on-dome-10-sec-high-res-though-scope.fit',
    'indilib-indi/m42_test.fits',
    'esheldon-fitsio-cfitsio/iter_image.fit',
  ];
  for (const name of realFiles) {
    for (const tiling of [['-t', '64,16'], ['-w']]) {
      itWithFixtures(`fpack -r ${tiling.join(' ')} of ${name}`, () => {
        const packed = join(dir, `${name.replace(/\W/g, '_')}${tiling.join('')}.fz`);
        fpack(['-r', ...tiling], fixture(name), packed);
        const original = readPlainImage(fixture(name));
        const compressed = readCompressedImage(packed);
        expect(compressed.zbitpix).toBe(original.bitpix);
        expectSamePixels(decodeRice(compressed), original.values);
      });
    }
  }

  const kinds: SyntheticKind[] = ['sky', 'random', 'zero', 'mixed'];
  for (const bitpix of [8, 16, 32] as const) {
    for (const kind of kinds) {
      it(`fpack -r of a generated ${bitpix}-bit ${kind} image (BYTEPIX ${DEFAULT_BYTEPIX[bitpix]})`, () => {
        const plain = join(dir, `gen${bitpix}${kind}.fits`);
        const image = syntheticImage(bitpix, 157, 43, kind, bitpix);
        writePlainImage(plain, image);
        const packed = `${plain}.fz`;
        fpack(['-r', '-t', '157,5'], plain, packed);
        const compressed = readCompressedImage(packed);
        expect(compressed.params.BYTEPIX).toBe(DEFAULT_BYTEPIX[bitpix]);
        expectSamePixels(decodeRice(compressed), image.values);
      });
    }
  }

  for (const blockSize of [16, 32]) {
    for (const bitpix of [8, 16, 32] as const) {
      it(`astropy RICE_1 with BLOCKSIZE ${blockSize}, ${bitpix}-bit mixed and sky tiles`, () => {
        for (const kind of ['mixed', 'sky'] as const) {
          const plain = join(dir, `astropy${blockSize}-${bitpix}${kind}.fits`);
          const image = syntheticImage(bitpix, 61, 29, kind, blockSize + bitpix);
          writePlainImage(plain, image);
          const packed = `${plain}.fz`;
          compressWithAstropy(plain, packed, { algorithm: 'RICE_1', tile: [61, 7], blockSize });
          const compressed = readCompressedImage(packed);
          expect(compressed.params.BLOCKSIZE).toBe(blockSize);
          expectSamePixels(decodeRice(compressed), image.values);
        }
      });
    }
  }
});

describe('riceDecode on hand-made streams', () => {
  it('fills an all-zero-difference block from the first pixel (FS field 0)', () => {
    // BYTEPIX 2: first pixel 0xFFFE (-2), then a 4-bit FS field of 0 → every pixel repeats it.
    const out = new Int32Array(20);
    riceDecode(Uint8Array.of(0xff, 0xfe, 0x00), out, 32, 2);
    expect(Array.from(out)).toEqual(new Array(20).fill(-2));
  });

  it('reads raw differences after the escape FS value and wraps around the pixel width', () => {
    // BYTEPIX 1: first pixel 250; FS field 7 (= FS_MAX + 1) in 3 bits; then two raw 8-bit mapped
    // differences: 20 → +10 (250+10 wraps to 4), 3 → -2 (4-2 = 2).
    const bits = `111${(20).toString(2).padStart(8, '0')}${(3).toString(2).padStart(8, '0')}`.padEnd(24, '0');
    const bytes = Uint8Array.of(250, ...bits.match(/.{8}/g)!.map((b) => Number.parseInt(b, 2)));
    const out = new Int32Array(2);
    riceDecode(bytes, out, 16, 1);
    expect(Array.from(out)).toEqual([4, 2]);
  });

  it('decodes unary+binary codes with fs = 1', () => {
    // BYTEPIX 4, first pixel 100. FS field 2 → fs 1. Differences +1 (mapped 2 = q1 r0: "01"+"0"),
    // -1 (mapped 1 = q0 r1: "1"+"1"), 0 (mapped 0: "1"+"0").
    const bits = `00010${'010'}${'11'}${'10'}`.padEnd(16, '0');
    const bytes = Uint8Array.of(0, 0, 0, 100, ...bits.match(/.{8}/g)!.map((b) => Number.parseInt(b, 2)));
    const out = new Int32Array(3);
    riceDecode(bytes, out, 32, 4);
    expect(Array.from(out)).toEqual([101, 100, 100]);
  });

  function expectBadCompression(run: () => void): void {
    let caught: unknown;
    try {
      run();
    } catch (error) {
      caught = error;
    }
    expect(isFitsError(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe(FitsErrorCode.BAD_COMPRESSION);
  }

  it('throws BAD_COMPRESSION when the stream ends before the tile is full', () => {
    expectBadCompression(() => riceDecode(Uint8Array.of(), new Int32Array(4), 32, 2));
    expectBadCompression(() => riceDecode(Uint8Array.of(0, 1), new Int32Array(4), 32, 2));
    // A zero run that never finds its terminating one bit.
    expectBadCompression(() => riceDecode(Uint8Array.of(0, 1, 0x20, 0, 0, 0), new Int32Array(4), 32, 2));
  });

  it('throws BAD_COMPRESSION for an FS value no encoder writes (BYTEPIX 4)', () => {
    // FS field 31 → fs 30 > FS_MAX 25.
    expectBadCompression(() => riceDecode(Uint8Array.of(0, 0, 0, 0, 0xf8, 0, 0, 0, 0), new Int32Array(4), 32, 4));
  });

  it('rejects a block size that is not a positive integer', () => {
    expectBadCompression(() => riceDecode(Uint8Array.of(0, 0, 0), new Int32Array(4), 0, 2));
  });
});
