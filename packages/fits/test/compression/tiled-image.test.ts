import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { binaryTable, cellValues, decodeElements, parseTform, readColumn, readTableRows } from '../../src/bintable.js';
import { DITHER_ZERO_VALUE, randomTable, unquantize } from '../../src/compression/dither.js';
import { unshuffle } from '../../src/compression/tile-codecs.js';
import { tileParameters } from '../../src/compression/tile-parameters.js';
import { FitsError, FitsErrorCode } from '../../src/errors.js';
import { readImage } from '../../src/image.js';
import { compressedHdu } from '../support/compressed-hdu.js';
import { bigEndian, mapHeader, recordingSource } from '../support/image-hdu.js';

async function fitsError(promise: Promise<unknown>): Promise<FitsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FitsError);
  return error as FitsError;
}

/** Pixels of a width × height image, NAXIS1 fastest, cut into tiles in table order. */
function tilesOf(values: number[], width: number, height: number, tileWidth: number, tileHeight: number): number[][] {
  const tiles: number[][] = [];
  for (let y0 = 0; y0 < height; y0 += tileHeight) {
    for (let x0 = 0; x0 < width; x0 += tileWidth) {
      const tile: number[] = [];
      for (let y = y0; y < Math.min(height, y0 + tileHeight); y++) {
        for (let x = x0; x < Math.min(width, x0 + tileWidth); x++) tile.push(values[y * width + x]!);
      }
      tiles.push(tile);
    }
  }
  return tiles;
}

function shuffle(bytes: Uint8Array, size: number): Uint8Array {
  const count = bytes.length / size;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < count; i++) for (let k = 0; k < size; k++) out[k * count + i] = bytes[i * size + k]!;
  return out;
}

describe('binary tables', () => {
  it.each([
    ['1J', { repeat: 1, type: 'J', rowBytes: 4 }],
    ['J', { repeat: 1, type: 'J', rowBytes: 4 }],
    ['20A', { repeat: 20, type: 'A', rowBytes: 20 }],
    ['13X', { repeat: 13, type: 'X', rowBytes: 2 }],
    ['3M', { repeat: 3, type: 'M', rowBytes: 48 }],
    ['0E', { repeat: 0, type: 'E', rowBytes: 0 }],
    ['1PB(2880)', { repeat: 1, type: 'P', arrayType: 'B', maxLength: 2880, rowBytes: 8 }],
    ['1QI', { repeat: 1, type: 'Q', arrayType: 'I', rowBytes: 16 }],
    ['PE()', { repeat: 1, type: 'P', arrayType: 'E', rowBytes: 8 }],
  ])('parses TFORM %s', (tform, expected) => {
    expect(parseTform(tform)).toEqual(expected);
  });

  it.each(['', 'Z', '2PB', 'P', '1.5E'])('rejects TFORM %j', (tform) => {
    expect(() => parseTform(tform)).toThrow(FitsError);
  });

  it('reads cells of every fixed type with TSCAL/TZERO', async () => {
    const row = new Uint8Array([
      0x54, // L: T
      0xff, // B
      0x80,
      0x00, // I: -32768 → 0 with TZERO 32768
      0xff,
      0xff,
      0xff,
      0xfe, // J: -2
      0x41,
      0x42,
      0x20,
      0x20, // 4A: 'AB'
      ...bigEndian(-64, [2.5]),
      ...bigEndian(64, [2n ** 62n]),
    ]);
    const table = binaryTable({
      index: 2,
      dataOffset: 100,
      rawHeader: mapHeader({
        NAXIS1: row.length,
        NAXIS2: 1,
        PCOUNT: 0,
        TFIELDS: 7,
        TFORM1: 'L',
        TFORM2: 'B',
        TFORM3: 'I',
        TZERO3: 32768,
        TFORM4: 'J',
        TSCAL4: 0.5,
        TFORM5: '4A',
        TFORM6: 'D',
        TTYPE6: 'flux',
        TFORM7: 'K',
      }),
    });
    const bytes = new Uint8Array(100 + row.length);
    bytes.set(row, 100);
    const rows = await readTableRows(recordingSource(bytes), table, 0, 1);
    const cells = table.columns.map((column) => cellValues(table, column, rows, 0));
    expect(cells).toEqual([[true], [255], [0], [-1], 'AB', [2.5], [2n ** 62n]]);
    expect(table.columns[5]).toMatchObject({ name: 'flux', byteOffset: 12 });
    expect(decodeElements(new Uint8Array([0x46, 0]), 'L', 2)).toEqual([false, null]);
  });

  it('rejects bad NAXIS1, THEAP and row ranges', async () => {
    const header = { NAXIS1: 2, NAXIS2: 3, PCOUNT: 0, TFIELDS: 1, TFORM1: '1J' };
    expect(() => binaryTable({ index: 1, dataOffset: 0, rawHeader: mapHeader(header) })).toThrow(FitsError);
    const ok = binaryTable({ index: 1, dataOffset: 0, rawHeader: mapHeader({ ...header, NAXIS1: 4 }) });
    expect(ok.heapOffset).toBe(12);
    const theap = { ...header, NAXIS1: 4, THEAP: 99 };
    expect(() => binaryTable({ index: 1, dataOffset: 0, rawHeader: mapHeader(theap) })).toThrow(FitsError);
    const error = await fitsError(readTableRows(recordingSource(new Uint8Array(12)), ok, 2, 4));
    expect(error.code).toBe(FitsErrorCode.OUT_OF_RANGE);
  });
});

describe('subtractive dithering', () => {
  it('regenerates the published random sequence', () => {
    const random = randomTable();
    expect(random.length).toBe(10_000);
    expect(random[0]).toBe(Math.fround(16807 / 2147483647));
    expect(random[1]).toBe(Math.fround(282475249 / 2147483647));
  });

  it('unquantizes with the sequence of the tile, and keeps zeros for SUBTRACTIVE_DITHER_2', () => {
    const random = randomTable();
    const values = new Int32Array([10, -3, DITHER_ZERO_VALUE, 7]);
    const out = new Float64Array(4);
    // Tile row 3 with ZDITHER0 = 5 starts at random[(3 - 1 + 5 - 1) % 10000] = random[6].
    unquantize(values, out, 0.5, 100, 'SUBTRACTIVE_DITHER_2', 3, 5, 7);
    const first = Math.floor(Math.fround(random[6]! * 500));
    expect(out[0]).toBe((10 - random[first]! + 0.5) * 0.5 + 100);
    expect(out[1]).toBe((-3 - random[first + 1]! + 0.5) * 0.5 + 100);
    expect(out[2]).toBe(0);
    expect(out[3]).toBeNaN();
    unquantize(values.subarray(0, 2), out, 0.5, 100, 'NO_DITHER', 3, 5, undefined);
    expect([out[0], out[1]]).toEqual([105, 98.5]);
  });
});

describe('readImage on tile-compressed images', () => {
  const width = 7;
  const height = 5;
  const values = Array.from({ length: width * height }, (_, i) => i * 1000 - 17_000);

  it('reads GZIP_1 tiles of 3×2 pixels, whole and by rows, reading only the tiles needed', async () => {
    const tiles = tilesOf(values, width, height, 3, 2).map((tile) => ({ compressed: gzipSync(bigEndian(32, tile)) }));
    const built = compressedHdu({ zbitpix: 32, axes: [width, height], tile: [3, 2], algorithm: 'GZIP_1', tiles });
    const whole = await readImage(built.source, built.hdu);
    expect(whole.data).toBeInstanceOf(Float64Array);
    expect([...whole.data]).toEqual(values);
    expect(whole).toMatchObject({ width, height, depth: 1, axes: [width, height] });

    built.source.reads.length = 0;
    const part = await readImage(built.source, built.hdu, { rows: { start: 4, end: 5 } });
    expect([...part.data]).toEqual(values.slice(4 * width));
    // Row 4 lies in the third row of tiles (table rows 7–9): only those rows and their heap bytes.
    const heapBytes = tiles.slice(6).reduce((n, t) => n + t.compressed.length, 0);
    expect(built.source.reads).toEqual([
      [built.hdu.dataOffset + 6 * 8, 3 * 8],
      [built.heapOffset + tiles.slice(0, 6).reduce((n, t) => n + t.compressed.length, 0), heapBytes],
    ]);
  });

  it('unshuffles GZIP_2 bytes and applies BZERO of unsigned 16-bit images', async () => {
    const stored = [-32768, -1, 0, 32767, 5, 6];
    const tiles = [{ compressed: gzipSync(shuffle(bigEndian(16, stored), 2)) }];
    const built = compressedHdu({
      zbitpix: 16,
      axes: [3, 2],
      tile: [3, 2],
      algorithm: 'GZIP_2',
      tiles,
      imageKeywords: { BZERO: 32768 },
    });
    const pixels = await readImage(built.source, built.hdu);
    expect(pixels.data).toBeInstanceOf(Float32Array);
    expect([...pixels.data]).toEqual([0, 32767, 32768, 65535, 32773, 32774]);
    expect(unshuffle(shuffle(new Uint8Array([1, 2, 3, 4, 5, 6]), 3), 3)).toEqual(new Uint8Array([1, 2, 3, 4, 5, 6]));
  });

  it('reads NOCOMPRESS tiles from UNCOMPRESSED_DATA with BLANK', async () => {
    const rows = [
      [1, -999, 3],
      [4, 5, -999],
    ];
    const built = compressedHdu({
      zbitpix: 16,
      axes: [3, 2],
      algorithm: 'NOCOMPRESS',
      columns: ['UNCOMPRESSED_DATA'],
      tiles: rows.map((row) => ({ uncompressed: bigEndian(16, row) })),
      imageKeywords: { BLANK: -999 },
    });
    const pixels = await readImage(built.source, built.hdu, { blank: 'mask' });
    expect([...pixels.data]).toEqual([1, Number.NaN, 3, 4, 5, Number.NaN]);
    expect(pixels.blankCount).toBe(2);
    expect([...(pixels.mask ?? [])]).toEqual([0, 1, 0, 0, 0, 1]);
  });

  it('unquantizes floats per tile (ZSCALE/ZZERO/ZBLANK columns) and reads lossless GZIP_COMPRESSED_DATA tiles', async () => {
    const built = compressedHdu({
      zbitpix: -32,
      axes: [2, 2],
      algorithm: 'GZIP_1',
      keywords: { ZQUANTIZ: 'NO_DITHER' },
      columns: ['GZIP_COMPRESSED_DATA', 'ZSCALE', 'ZZERO', 'ZBLANK'],
      tiles: [
        { compressed: gzipSync(bigEndian(32, [4, -2147483647])), zscale: 0.25, zzero: 10, zblank: -2147483647 },
        { gzip: gzipSync(bigEndian(-32, [1.5, Number.NaN])) },
      ],
    });
    const pixels = await readImage(built.source, built.hdu);
    expect(pixels.data).toBeInstanceOf(Float32Array);
    expect([...pixels.data]).toEqual([11, Number.NaN, 1.5, Number.NaN]);
    expect(pixels.blankCount).toBe(2);
  });

  it('reads one plane of a cube whose tiles span several planes', async () => {
    const cube = Array.from({ length: 2 * 2 * 3 }, (_, i) => i);
    // One tile of 2×2×3 (the whole cube), so plane 2 comes from inside the tile.
    const built = compressedHdu({
      zbitpix: 16,
      axes: [2, 2, 3],
      tile: [2, 2, 3],
      algorithm: 'GZIP_1',
      tiles: [{ compressed: gzipSync(bigEndian(16, cube)) }],
    });
    const plane = await readImage(built.source, built.hdu, { plane: 2, rows: { start: 1, end: 2 } });
    expect([...plane.data]).toEqual([10, 11]);
    const all = await readImage(built.source, built.hdu, { rows: { start: 0, end: 1 } });
    expect([...all.data]).toEqual([0, 1, 4, 5, 8, 9]);
  });

  it('fails with FitsError codes on bad parameters and damaged tiles', async () => {
    const good = { compressed: gzipSync(bigEndian(16, [1, 2, 3])) };
    const spec = { zbitpix: 16, axes: [3, 1], algorithm: 'GZIP_1', tiles: [good] };
    const unknown = compressedHdu({ ...spec, algorithm: 'LZW_9' });
    expect((await fitsError(readImage(unknown.source, unknown.hdu))).code).toBe(FitsErrorCode.UNSUPPORTED);
    const badBitpix = compressedHdu({ ...spec, zbitpix: 12 });
    expect((await fitsError(readImage(badBitpix.source, badBitpix.hdu))).code).toBe(FitsErrorCode.BAD_MANDATORY);

    const corrupt = compressedHdu({
      ...spec,
      tiles: [{ compressed: good.compressed.map((b, i) => (i > 12 ? b ^ 0x5a : b)) }],
    });
    const corruptError = await fitsError(readImage(corrupt.source, corrupt.hdu));
    expect(corruptError.code).toBe(FitsErrorCode.BAD_COMPRESSION);
    expect(corruptError.byteOffset).toBe(corrupt.heapOffset);

    const short = compressedHdu({ ...spec, tiles: [{ compressed: gzipSync(bigEndian(16, [1, 2])) }] });
    expect((await fitsError(readImage(short.source, short.hdu))).code).toBe(FitsErrorCode.BAD_COMPRESSION);

    // A descriptor that points past the heap.
    const pointer = compressedHdu(spec);
    new DataView(pointer.bytes.buffer).setUint32(pointer.hdu.dataOffset + 4, 1_000_000);
    expect((await fitsError(readImage(pointer.source, pointer.hdu))).code).toBe(FitsErrorCode.BAD_COMPRESSION);

    // The file ends inside the heap.
    const truncated = compressedHdu(spec);
    const cut = recordingSource(truncated.bytes.subarray(0, truncated.bytes.length - 5));
    const truncatedError = await fitsError(readImage(cut, truncated.hdu));
    expect(truncatedError.code).toBe(FitsErrorCode.TRUNCATED);

    // More rows declared than the table has tiles for: refused before the output is allocated.
    const tall = compressedHdu({ ...spec, axes: [3, 50_000_000] });
    expect((await fitsError(readImage(tall.source, tall.hdu))).code).toBe(FitsErrorCode.BAD_MANDATORY);
    const bigTile = compressedHdu({ ...spec, axes: [3, 2], tile: [3, 2] });
    const limits = { maxPixelsInMemory: 4 };
    const tileError = await fitsError(readImage(bigTile.source, bigTile.hdu, { rows: { start: 0, end: 1 }, limits }));
    expect(tileError.code).toBe(FitsErrorCode.TOO_LARGE);

    const noData = compressedHdu({ ...spec, tiles: [{}] });
    expect((await fitsError(readImage(noData.source, noData.hdu))).code).toBe(FitsErrorCode.BAD_COMPRESSION);
  });
});

describe('readColumn', () => {
  it('reads scalar columns and heap arrays of a row range', async () => {
    const built = compressedHdu({
      zbitpix: 16,
      axes: [2, 2],
      algorithm: 'NOCOMPRESS',
      columns: ['UNCOMPRESSED_DATA', 'ZSCALE'],
      tiles: [
        { uncompressed: bigEndian(16, [1, -2]), zscale: 0.5 },
        { uncompressed: bigEndian(16, [3, 4]), zscale: 2 },
      ],
    });
    const table = binaryTable(built.hdu);
    const [, raw, scale] = table.columns;
    expect(await readColumn(built.source, table, scale!, 0, 2)).toEqual([[0.5], [2]]);
    expect(await readColumn(built.source, table, raw!, 1, 2)).toEqual([{ length: 2, offset: 4 }]);
    expect(await readColumn(built.source, table, raw!, 0, 2, { heap: true })).toEqual([
      [1, -2],
      [3, 4],
    ]);
  });
});

describe('tileParameters', () => {
  const base = { ZCMPTYPE: 'RICE_1', ZBITPIX: 16, ZNAXIS: 3, ZNAXIS1: 100, ZNAXIS2: 50, ZNAXIS3: 4 };

  it('fills the defaults of the convention', () => {
    expect(tileParameters(mapHeader(base), 1)).toMatchObject({
      algorithm: 'RICE_1',
      bitpix: 16,
      axes: [100, 50, 4],
      tile: [100, 1, 1],
      blockSize: 32,
      bytePix: 4,
      quantize: 'NO_DITHER',
      ditherSeed: 1,
      hcompressScale: 0,
      hcompressSmooth: false,
    });
  });

  it('reads ZNAMEn/ZVALn, clamps ZTILEn to the image and accepts RICE_ONE and ZQUANTIZ NONE', () => {
    const header = {
      ...base,
      ZCMPTYPE: 'RICE_ONE',
      ZTILE1: 1000,
      ZTILE2: 10,
      ZNAME1: 'BLOCKSIZE',
      ZVAL1: 16,
      ZNAME2: 'BYTEPIX',
      ZVAL2: 2,
      ZQUANTIZ: 'NONE',
      ZDITHER0: 42,
    };
    expect(tileParameters(mapHeader(header), 1)).toMatchObject({
      algorithm: 'RICE_1',
      tile: [100, 10, 1],
      blockSize: 16,
      bytePix: 2,
      quantize: 'NO_DITHER',
      ditherSeed: 42,
    });
  });

  it.each([
    [{ ZCMPTYPE: 'LZW' }, FitsErrorCode.UNSUPPORTED],
    [{ ZBITPIX: 64 }, FitsErrorCode.UNSUPPORTED],
    [{ ZBITPIX: 12 }, FitsErrorCode.BAD_MANDATORY],
    [{ ZQUANTIZ: 'SUBTRACTIVE_DITHER_9' }, FitsErrorCode.UNSUPPORTED],
    [{ ZNAXIS2: -1 }, FitsErrorCode.BAD_MANDATORY],
    [{ ZTILE2: 0 }, FitsErrorCode.BAD_MANDATORY],
    [{ ZNAME1: 'BYTEPIX', ZVAL1: 3 }, FitsErrorCode.BAD_MANDATORY],
  ])('rejects %j', (change, code) => {
    expect(() => tileParameters(mapHeader({ ...base, ...change }), 1)).toThrow(expect.objectContaining({ code }));
  });
});
