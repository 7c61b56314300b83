import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FitsError, FitsErrorCode } from '../src/errors.js';
import { readImage } from '../src/image.js';
import { webInflate } from '../src/inflate.js';
import { bigEndian, imageHdu, recordingSource } from './support/image-hdu.js';

async function fitsError(promise: Promise<unknown>): Promise<FitsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FitsError);
  return error as FitsError;
}

describe('readImage on plain images', () => {
  it('reads unsigned 16-bit (BZERO 32768) exactly into float32', async () => {
    const source = recordingSource(bigEndian(16, [-32768, -1, 0, 32767]));
    const pixels = await readImage(source, imageHdu(16, [2, 2], { BZERO: 32768, BSCALE: 1 }));
    expect(pixels.data).toBeInstanceOf(Float32Array);
    expect([...pixels.data]).toEqual([0, 32767, 32768, 65535]);
    expect(pixels).toMatchObject({ width: 2, height: 2, depth: 1, rowStart: 0, rowEnd: 2, blankCount: 0 });
  });

  it('reads 16-bit data through a buffer of its own (readInto), signed and unsigned, odd counts too', async () => {
    // Values that exercise both bytes and the sign: the in-place swap handles two pixels per word
    // and the odd last one alone.
    const stored = [-32768, -1, 0, 1, 255, 256, -257, 32767, 12345];
    const bytes = bigEndian(16, stored);
    const copy = bytes.slice();
    const readIntoSource = (data: Uint8Array) => ({
      size: data.length,
      read: async (offset: number, length: number) => data.slice(offset, offset + length),
      readInto: async (offset: number, target: Uint8Array) => {
        const part = data.subarray(offset, offset + target.length);
        target.set(part);
        return part.length;
      },
    });
    for (const [width, height] of [
      [9, 1],
      [3, 3],
    ] as const) {
      const signed = await readImage(readIntoSource(bytes), imageHdu(16, [width, height]));
      expect([...signed.data]).toEqual(stored);
      const unsigned = await readImage(readIntoSource(bytes), imageHdu(16, [width, height], { BZERO: 32768 }));
      expect([...unsigned.data]).toEqual(stored.map((v) => v + 32768));
      const rows = await readImage(readIntoSource(bytes), imageHdu(16, [width, height], { BZERO: 32768 }), {
        rows: { start: 1, end: height },
      });
      expect([...rows.data]).toEqual(stored.slice(width).map((v) => v + 32768));
    }
    // The file's bytes are never swapped in place: only the reader's own buffer is.
    expect(bytes).toEqual(copy);
    await readImage(recordingSource(bytes), imageHdu(16, [9], { BZERO: 32768 }));
    expect(bytes).toEqual(copy);
  });

  it('reads unsigned 8-bit, signed-byte and scaled 16-bit data', async () => {
    const bytes = await readImage(recordingSource(bigEndian(8, [0, 255])), imageHdu(8, [2]));
    expect([...bytes.data]).toEqual([0, 255]);
    const signed = await readImage(recordingSource(bigEndian(8, [0, 255])), imageHdu(8, [2], { BZERO: -128 }));
    expect([...signed.data]).toEqual([-128, 127]);
    const scaled = await readImage(
      recordingSource(bigEndian(16, [-10, 20])),
      imageHdu(16, [2], { BZERO: 1500, BSCALE: 0.5 }),
    );
    expect([...scaled.data]).toEqual([1495, 1510]);
  });

  it('switches to float64 when float32 would lose precision', async () => {
    const pixels = await readImage(recordingSource(bigEndian(16, [1, 2])), imageHdu(16, [2], { BZERO: 1e9 }));
    expect(pixels.data).toBeInstanceOf(Float64Array);
    expect([...pixels.data]).toEqual([1_000_000_001, 1_000_000_002]);
  });

  it('reads the unsigned 32-bit and 64-bit conventions exactly', async () => {
    const u32 = await readImage(
      recordingSource(bigEndian(32, [-2147483648, 2147483647])),
      imageHdu(32, [2], { BZERO: 2147483648 }),
    );
    expect(u32.data).toBeInstanceOf(Float64Array);
    expect([...u32.data]).toEqual([0, 4294967295]);
    const u64 = await readImage(
      recordingSource(bigEndian(64, [-(2n ** 63n), -(2n ** 63n) + 12345n, 2n ** 63n - 1n])),
      imageHdu(64, [3], { BZERO: 2n ** 63n }),
    );
    expect([...u64.data]).toEqual([0, 12345, 2 ** 64]);
    const i64 = await readImage(recordingSource(bigEndian(64, [-5n, 2n ** 40n + 7n])), imageHdu(64, [2]));
    expect([...i64.data]).toEqual([-5, 2 ** 40 + 7]);
  });

  it('turns BLANK (even written as a float) into NaN and counts it, with an optional mask', async () => {
    const source = recordingSource(bigEndian(16, [-32768, 5, -32768, 7]));
    const hdu = imageHdu(16, [4], { BLANK: -32768.0, BZERO: 32768 });
    const pixels = await readImage(source, hdu, { blank: 'mask' });
    expect(pixels.blankCount).toBe(2);
    expect([...pixels.data]).toEqual([Number.NaN, 32773, Number.NaN, 32775]);
    expect([...(pixels.mask ?? [])]).toEqual([1, 0, 1, 0]);
    const noMask = await readImage(source, hdu);
    expect(noMask.mask).toBeUndefined();

    const big = await readImage(recordingSource(bigEndian(64, [-1n, 3n])), imageHdu(64, [2], { BLANK: -1 }));
    expect([...big.data]).toEqual([Number.NaN, 3]);
  });

  it('counts NaN in floating-point data and applies scaling to floats', async () => {
    const f32 = await readImage(recordingSource(bigEndian(-32, [1.5, Number.NaN, -2])), imageHdu(-32, [3]));
    expect(f32.data).toBeInstanceOf(Float32Array);
    expect([...f32.data]).toEqual([1.5, Number.NaN, -2]);
    expect(f32.blankCount).toBe(1);
    const f64 = await readImage(recordingSource(bigEndian(-64, [0.1, 1e300])), imageHdu(-64, [2], { BZERO: 32768 }));
    expect([...f64.data]).toEqual([32768.1, 1e300]);
  });

  it('reads only the bytes of the requested rows and plane', async () => {
    const values = Array.from({ length: 4 * 3 * 2 }, (_, i) => i);
    const source = recordingSource(bigEndian(16, values));
    const hdu = imageHdu(16, [4, 3, 2]);
    const rows = await readImage(source, hdu, { rows: { start: 1, end: 3 }, plane: 1 });
    expect(rows).toMatchObject({ width: 4, height: 2, depth: 1, rowStart: 1, rowEnd: 3, axes: [4, 3, 2] });
    expect([...rows.data]).toEqual([16, 17, 18, 19, 20, 21, 22, 23]);
    expect(source.reads).toEqual([[(12 + 4) * 2, 16]]);

    const all = await readImage(source, hdu, { rows: { start: 2, end: 3 } });
    expect(all.depth).toBe(2);
    expect([...all.data]).toEqual([8, 9, 10, 11, 20, 21, 22, 23]);
  });

  it('refuses a request beyond the pixel limit before allocating', async () => {
    const error = await fitsError(
      readImage(recordingSource(new Uint8Array(0)), imageHdu(16, [100_000, 100_000]), {
        limits: { maxPixelsInMemory: 1_000_000 },
      }),
    );
    expect(error.code).toBe(FitsErrorCode.TOO_LARGE);
    // Empty planes cost nothing to read but an array of a trillion plane indices would.
    const planes = await fitsError(readImage(recordingSource(new Uint8Array(0)), imageHdu(16, [0, 1, 1e12])));
    expect(planes.code).toBe(FitsErrorCode.TOO_LARGE);
  });

  it('reports truncated data with the byte offset where it ends', async () => {
    const bytes = new Uint8Array(2880 + 10);
    const error = await fitsError(readImage(recordingSource(bytes), imageHdu(16, [4, 4], {}, { dataOffset: 2880 })));
    expect(error.code).toBe(FitsErrorCode.TRUNCATED);
    expect(error.byteOffset).toBe(2890);
  });

  it('rejects bad row ranges, planes and non-image HDUs', async () => {
    const source = recordingSource(new Uint8Array(64));
    const hdu = imageHdu(16, [4, 4]);
    for (const rows of [
      { start: -1, end: 2 },
      { start: 2, end: 5 },
      { start: 3, end: 2 },
      { start: 0.5, end: 2 },
    ]) {
      expect((await fitsError(readImage(source, hdu, { rows }))).code).toBe(FitsErrorCode.OUT_OF_RANGE);
    }
    expect((await fitsError(readImage(source, hdu, { plane: 1 }))).code).toBe(FitsErrorCode.OUT_OF_RANGE);
    const table = imageHdu(8, [4, 4], {}, { type: 'BINTABLE' });
    expect((await fitsError(readImage(source, table))).code).toBe(FitsErrorCode.OUT_OF_RANGE);
  });

  it('returns an empty image for NAXIS = 0', async () => {
    const pixels = await readImage(recordingSource(new Uint8Array(0)), imageHdu(16, []));
    expect(pixels).toMatchObject({ width: 0, height: 0, depth: 0, blankCount: 0 });
    expect(pixels.data.length).toBe(0);
  });
});

describe('webInflate', () => {
  const text = new TextEncoder().encode('FITS tiles '.repeat(1000));

  it('inflates gzip and zlib streams', async () => {
    expect(await webInflate(gzipSync(text))).toEqual(text);
    expect(await webInflate(deflateSync(text))).toEqual(text);
  });

  it('turns corrupt streams and over-long output into BAD_COMPRESSION', async () => {
    const corrupt = gzipSync(text);
    corrupt[20] = (corrupt[20] ?? 0) ^ 0xff;
    corrupt[21] = (corrupt[21] ?? 0) ^ 0xff;
    expect((await fitsError(webInflate(corrupt))).code).toBe(FitsErrorCode.BAD_COMPRESSION);
    expect((await fitsError(webInflate(gzipSync(text).subarray(0, 30)))).code).toBe(FitsErrorCode.BAD_COMPRESSION);
    expect((await fitsError(webInflate(deflateSync(text), 100))).code).toBe(FitsErrorCode.BAD_COMPRESSION);
  });
});
