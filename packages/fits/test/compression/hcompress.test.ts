import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inverseHTransform } from '../../src/compression/h-transform.js';
import { fitsInt32, inverseHTransformInt32 } from '../../src/compression/h-transform-int32.js';
import { hcompressDecode } from '../../src/compression/hcompress.js';
import { FitsErrorCode, isFitsError } from '../../src/errors.js';
import { fixture, itWithFixtures } from '../support/fixtures.js';
import {
  assemble,
  BitWriter,
  type CompressedImage,
  compressWithAstropy,
  decodeTilesWithCfitsio,
  firstDifference,
  fpack,
  funpack,
  type PlainImage,
  prng,
  readCompressedImage,
  readPlainImage,
  syntheticImage,
  tempDir,
  writePlainImage,
} from '../support/tile-fixtures.js';

const dir = tempDir('hcompress');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function decodeHcompress(image: CompressedImage, smooth = image.params.SMOOTH === 1): Int32Array {
  expect(image.algorithm).toBe('HCOMPRESS_1');
  return assemble(image, (tile, out) => hcompressDecode(tile.bytes, out, tile.width, tile.height, smooth));
}

const BITPIX_RANGE: Record<number, [number, number]> = {
  8: [0, 255],
  16: [-32768, 32767],
  32: [-2147483648, 2147483647],
};

function packAndCompare(plainPath: string, original: PlainImage, args: string[], name: string): void {
  const packed = join(dir, `${name}.fz`);
  fpack(args, plainPath, packed);
  const compressed = readCompressedImage(packed);
  expect(compressed.algorithm).toBe('HCOMPRESS_1');
  // Unlike PLIO, HCOMPRESS tiles of unsigned 16-bit images (BZERO 32768) hold the stored values.
  const decoded = decodeHcompress(compressed);
  const lossless = !args.includes('-s') || args[args.indexOf('-s') + 1] === '0';
  if (lossless) {
    expect(firstDifference(decoded, original.values)).toBe(-1);
  } else {
    // Lossy: the reference is CFITSIO's own decompression, which clamps values that the
    // quantization pushed past the ZBITPIX range when it converts them to that type; the tile
    // reader must clamp the same way.
    const unpacked = join(dir, `${name}.unpacked.fits`);
    funpack(packed, unpacked);
    const reference = readPlainImage(unpacked).values;
    const [lo, hi] = BITPIX_RANGE[compressed.zbitpix]!;
    const clamped = decoded.map((v) => Math.min(hi, Math.max(lo, v)));
    expect(firstDifference(clamped, reference)).toBe(-1);
    // And it is lossy: the test would be vacuous if the scale had been ignored.
    expect(firstDifference(decoded, original.values)).not.toBe(-1);
  }
}

describe('hcompressDecode against CFITSIO-written files', () => {
  itWithFixtures('decodes nom-tam-fits m13_hcomp.fits (one 300 × 300 tile) to the pixels of m13.fits', () => {
    const compressed = readCompressedImage(fixture('nom-tam-fits/m13_hcomp.fits'));
    const original = readPlainImage(fixture('nom-tam-fits/m13.fits'));
    expect(compressed.tiles.length).toBe(1);
    expect(firstDifference(decodeHcompress(compressed), original.values)).toBe(-1);
  });

  const realFiles = [
    'nom-tam-fits/m13.fits',
    'kbarbary-sep/image.fits',
    'mwcraig-msumastro/neon-on-dome-10-sec-high-res-though-scope.fit',
    'mwcraig-msumastro/maximdl_6_18_header.fit',
    'indilib-indi/m42_test.fits',
    'esheldon-fitsio-cfitsio/iter_image.fit',
  ];
  for (const name of realFiles) {
    // Default tiling, lossless, of every fixture is in fixtures.test.ts.
    for (const args of [
      ['-h', '-s', '0', '-t', '64,23'],
      ['-h', '-w', '-s', '4'],
    ]) {
      itWithFixtures(`fpack ${args.join(' ')} of ${name}`, () => {
        packAndCompare(
          fixture(name),
          readPlainImage(fixture(name)),
          args,
          `${name.replace(/\W/g, '_')}${args.join('')}`,
        );
      });
    }
  }

  // [label, image, tiling, also lossy]. Tiny tiles get noise only: saturated stars make them
  // incompressible and CFITSIO's HCOMPRESS then fails ("output buffer too small"). Random images
  // are not tried lossy: their noise is so large that fpack's scale overflows to "lossless".
  const generated: Array<[string, PlainImage, string[], boolean]> = [
    ['8-bit sky', syntheticImage(8, 130, 70, 'sky', 11), ['-t', '130,10'], true],
    ['8-bit random', syntheticImage(8, 64, 64, 'random', 12), ['-w'], false],
    ['16-bit mixed (negative values, extremes)', syntheticImage(16, 130, 70, 'mixed', 13), ['-t', '40,16'], true],
    ['16-bit zero', syntheticImage(16, 64, 64, 'zero'), ['-w'], false],
    // Full-range 32-bit pixels need 64-bit coefficients (CFITSIO's hdecompress64).
    ['32-bit random over the whole int32 range', syntheticImage(32, 64, 48, 'random', 14), ['-w'], false],
    ['32-bit mixed', syntheticImage(32, 100, 60, 'mixed', 15), ['-t', '32,32'], true],
    ['16-bit 7 × 5 (odd both ways, one tile)', syntheticImage(16, 7, 5, 'noise', 16), ['-w'], true],
    ['16-bit 5 × 7', syntheticImage(16, 5, 7, 'noise', 17), ['-w'], true],
    ['16-bit 9 × 13', syntheticImage(16, 9, 13, 'noise', 18), ['-w'], true],
    ['16-bit 4 × 4', syntheticImage(16, 4, 4, 'noise', 19), ['-w'], true],
    ['16-bit 4 × 301', syntheticImage(16, 4, 301, 'sky', 20), ['-w'], true],
    ['16-bit 301 × 4', syntheticImage(16, 301, 4, 'sky', 21), ['-w'], true],
    [
      '16-bit 47 × 29 in 10 × 6 tiles (7 × 5 edge tiles)',
      syntheticImage(16, 47, 29, 'noise', 22),
      ['-t', '10,6'],
      true,
    ],
  ];
  for (const [label, image, tiling, lossy] of generated) {
    for (const scale of lossy ? ['0', '4'] : ['0']) {
      it(`fpack -h -s ${scale} of a generated ${label} image`, () => {
        const plain = join(dir, `${label.replace(/\W/g, '_')}.fits`);
        writePlainImage(plain, image);
        packAndCompare(plain, image, ['-h', '-s', scale, ...tiling], `${label.replace(/\W/g, '_')}-s${scale}`);
      });
    }
  }

  it('applies smoothing like CFITSIO (astropy SMOOTH = 1, lossy scale 8 and 2.5)', () => {
    const tiles = [8, 2.5].flatMap((hcompScale, n) => {
      const plain = join(dir, `smooth${n}.fits`);
      writePlainImage(plain, syntheticImage(16, 90, 70, 'sky', 30 + n));
      compressWithAstropy(plain, `${plain}.fz`, {
        algorithm: 'HCOMPRESS_1',
        tile: [90, 35],
        hcompScale,
        hcompSmooth: true,
      });
      const compressed = readCompressedImage(`${plain}.fz`);
      expect(compressed.params.SMOOTH).toBe(1);
      return compressed.tiles.map((tile) => ({ tile, params: compressed.params }));
    });
    expect(tiles.length).toBe(4);
    const references = decodeTilesWithCfitsio(
      tiles.map(({ tile, params }) => ({
        bytes: tile.bytes,
        width: 90,
        height: 35,
        algorithm: 'HCOMPRESS_1',
        zbitpix: 16,
        params,
      })),
    );
    tiles.forEach(({ tile }, n) => {
      const smoothed = new Int32Array(90 * 35);
      hcompressDecode(tile.bytes, smoothed, 90, 35, true);
      expect(firstDifference(smoothed, references[n] as number[])).toBe(-1);
      // Smoothing changed something, or this comparison proves nothing about it.
      const unsmoothed = new Int32Array(90 * 35);
      hcompressDecode(tile.bytes, unsmoothed, 90, 35, false);
      expect(firstDifference(smoothed, unsmoothed)).not.toBe(-1);
    });
  }, 180_000);
});

/**
 * A well-formed stream for any tile shape: random coefficients, every bit plane written directly
 * (nybble 0 then one nybble per 2 × 2 block), the end code, and random sign bits. CFITSIO writes
 * no tile narrower than 4 pixels, so such tiles are checked against CFITSIO's decoder instead.
 */
function craftStream(width: number, height: number, seed: number, scale: number): Uint8Array {
  const random = prng(seed);
  const nx = height;
  const ny = width;
  const planes = [1 + Math.floor(random() * 12), Math.floor(random() * 10), Math.floor(random() * 8)];
  const header = new DataView(new ArrayBuffer(25));
  header.setUint8(0, 0xdd);
  header.setUint8(1, 0x99);
  header.setInt32(2, nx);
  header.setInt32(6, ny);
  header.setInt32(10, scale);
  header.setBigInt64(14, BigInt(Math.floor((random() - 0.5) * 2 ** 20)));
  for (const [i, p] of planes.entries()) header.setUint8(22 + i, p);
  const w = new BitWriter();
  const nx2 = (nx + 1) >> 1;
  const ny2 = (ny + 1) >> 1;
  const quadrants: Array<[number, number, number]> = [
    [nx2, ny2, planes[0]!],
    [nx2, ny >> 1, planes[1]!],
    [nx >> 1, ny2, planes[1]!],
    [nx >> 1, ny >> 1, planes[2]!],
  ];
  for (const [nqx, nqy, p] of quadrants) {
    for (let bit = p - 1; bit >= 0; bit--) {
      w.write(0, 4);
      for (let b = 0; b < ((nqx + 1) >> 1) * ((nqy + 1) >> 1); b++) w.write(Math.floor(random() * 16), 4);
    }
  }
  w.write(0, 4);
  w.align();
  for (let i = 0; i < nx * ny; i++) w.write(random() < 0.5 ? 1 : 0, 1);
  const body = w.finish();
  const out = new Uint8Array(25 + body.length);
  out.set(new Uint8Array(header.buffer));
  out.set(body, 25);
  return out;
}

describe('hcompressDecode on tile shapes no writer produces, against CFITSIO', () => {
  const shapes: Array<[number, number]> = [
    [1, 2],
    [2, 1],
    [1, 17],
    [17, 1],
    [1, 64],
    [64, 1],
    [2, 2],
    [3, 3],
    [2, 9],
    [9, 2],
    [7, 5],
    [5, 7],
    [6, 10],
    [33, 3],
  ];
  it('decodes 1 × N, N × 1 and other small tiles exactly as CFITSIO does, with and without smoothing', () => {
    const cases = shapes.flatMap(([width, height], s) =>
      [0, 1, 8].flatMap((scale) =>
        [false, true].map((smooth) => ({
          bytes: craftStream(width, height, 100 * s + scale, scale),
          width,
          height,
          smooth,
        })),
      ),
    );
    const reference = decodeTilesWithCfitsio(
      cases.map((c) => ({
        bytes: c.bytes,
        width: c.width,
        height: c.height,
        algorithm: 'HCOMPRESS_1' as const,
        zbitpix: 32 as const,
        params: { SCALE: 0, SMOOTH: c.smooth ? 1 : 0 },
      })),
    );
    cases.forEach((c, n) => {
      const out = new Int32Array(c.width * c.height);
      hcompressDecode(c.bytes, out, c.width, c.height, c.smooth);
      expect({ shape: `${c.width}x${c.height}`, smooth: c.smooth, pixels: Array.from(out) }).toEqual({
        shape: `${c.width}x${c.height}`,
        smooth: c.smooth,
        pixels: reference[n],
      });
    });
  }, 180_000);

  // CFITSIO decodes every 1 × 1 tile to 0 (its rounding mask comes from 1 << -1, undefined behaviour
  // in C) and no CFITSIO writer makes one; the coefficient is the only meaningful answer.
  it('gives a 1 × 1 tile its only coefficient, the pixel value', () => {
    const bytes = craftStream(1, 1, 7, 0);
    const out = new Int32Array(1);
    hcompressDecode(bytes, out, 1, 1, false);
    expect(out[0]).toBe(Number(new DataView(bytes.buffer).getBigInt64(14)));
  });
});

describe('the two inverse H-transforms', () => {
  it('give the same pixels in int32 and in float64 wherever the int32 bound allows', () => {
    const random = prng(77);
    for (const [nx, ny] of [
      [1, 1],
      [1, 9],
      [9, 1],
      [5, 7],
      [16, 16],
      [33, 47],
      [100, 3],
    ] as const) {
      for (let trial = 0; trial < 5; trial++) {
        const magnitude = 2 ** (4 + Math.floor(random() * 18));
        const ints = Int32Array.from({ length: nx * ny }, () => Math.round((random() - 0.5) * magnitude));
        ints[0] = Math.round((random() - 0.5) * 2 ** 24);
        expect(fitsInt32(ints[0]!, magnitude, nx, ny)).toBe(true);
        const floats = Float64Array.from(ints);
        inverseHTransformInt32(ints, nx, ny);
        inverseHTransform(floats, nx, ny, false, 0);
        expect(firstDifference(ints, floats)).toBe(-1);
      }
    }
  });

  it('refuses the int32 path when sums could overflow', () => {
    expect(fitsInt32(2 ** 30, 2 ** 28, 100, 100)).toBe(false);
    expect(fitsInt32(1000, 2 ** 20, 4096, 4096)).toBe(true);
  });
});

describe('hcompressDecode rejects bad streams', () => {
  function expectBadCompression(run: () => void, message: RegExp): void {
    let caught: unknown;
    try {
      run();
    } catch (error) {
      caught = error;
    }
    expect(isFitsError(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe(FitsErrorCode.BAD_COMPRESSION);
    expect((caught as Error).message).toMatch(message);
  }
  const good = craftStream(6, 4, 3, 0);

  it('throws BAD_COMPRESSION for a bad magic number, a header of another tile, or a short header', () => {
    const badMagic = good.slice();
    badMagic[0] = 0;
    expectBadCompression(() => hcompressDecode(badMagic, new Int32Array(24), 6, 4, false), /magic/);
    expectBadCompression(() => hcompressDecode(good, new Int32Array(24), 4, 6, false), /6 × 4/);
    expectBadCompression(() => hcompressDecode(good.subarray(0, 20), new Int32Array(24), 6, 4, false), /header/);
  });

  it('throws BAD_COMPRESSION when the bit stream is truncated or malformed', () => {
    expectBadCompression(() => hcompressDecode(good.subarray(0, 30), new Int32Array(24), 6, 4, false), /ends/);
    const badFormat = good.slice();
    badFormat[25] = 0x70; // first plane's format nybble 7: neither direct (0) nor quadtree (0xF)
    expectBadCompression(() => hcompressDecode(badFormat, new Int32Array(24), 6, 4, false), /format code 7/);
    const tooManyPlanes = good.slice();
    tooManyPlanes[22] = 200;
    expectBadCompression(() => hcompressDecode(tooManyPlanes, new Int32Array(24), 6, 4, false), /bit planes/);
  });
});

describe('lossy HCOMPRESS values', () => {
  it('are clamped to the range of the stored type, as CFITSIO does', async () => {
    const { clampToStoredType } = await import('../../src/compression/tile-codecs.js');
    const values = Int32Array.from([-32782, -32768, 0, 32767, 32790]);
    clampToStoredType(values, 16);
    expect(Array.from(values)).toEqual([-32768, -32768, 0, 32767, 32767]);
    const bytes = Int32Array.from([-3, 0, 255, 260]);
    clampToStoredType(bytes, 8);
    expect(Array.from(bytes)).toEqual([0, 0, 255, 255]);
    const wide = Int32Array.from([-40000, 40000]);
    clampToStoredType(wide, 32);
    expect(Array.from(wide)).toEqual([-40000, 40000]);
  });
});
