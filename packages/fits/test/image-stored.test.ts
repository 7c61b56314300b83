import { describe, expect, it } from 'vitest';
import { FitsErrorCode } from '../src/errors.js';
import { readImage } from '../src/image.js';
import { readStoredImage } from '../src/image-stored.js';
import { createNodePixelPool } from '../src/node.js';
import { createPixelPool } from '../src/pixel-pool.js';
import { bigEndian, imageHdu, recordingSource } from './support/image-hdu.js';

/** A source that fills the caller's buffer, as the file source does. */
function fillingSource(bytes: Uint8Array) {
  return {
    size: bytes.length,
    read: async (offset: number, length: number) => bytes.slice(offset, offset + length),
    readInto: async (offset: number, target: Uint8Array) => {
      const part = bytes.subarray(offset, offset + target.length);
      target.set(part);
      return part.length;
    },
  };
}

describe('readStoredImage', () => {
  it('returns 16-bit values in native order, unscaled, with BZERO/BSCALE/BLANK beside them (odd counts too)', async () => {
    const stored = [-32768, -1, 0, 1, 255, 256, -257, 32767, 12345];
    const bytes = bigEndian(16, stored);
    const copy = bytes.slice();
    for (const source of [fillingSource(bytes), recordingSource(bytes)]) {
      const pixels = await readStoredImage(source, imageHdu(16, [3, 3], { BZERO: 32768, BLANK: -32768 }));
      expect(pixels.data).toBeInstanceOf(Int16Array);
      expect([...pixels.data]).toEqual(stored);
      expect(pixels).toMatchObject({
        width: 3,
        height: 3,
        depth: 1,
        bitpix: 16,
        bzero: 32768,
        bscale: 1,
        blank: -32768,
      });
    }
    // The source's bytes stay as they are: the swap happens in the reader's own array.
    expect(bytes).toEqual(copy);
  });

  it('returns every BITPIX in its own typed array, bit for bit (a NaN keeps its payload)', async () => {
    const u8 = await readStoredImage(fillingSource(bigEndian(8, [0, 7, 255])), imageHdu(8, [3]));
    expect(u8.data).toBeInstanceOf(Uint8Array);
    expect([...u8.data]).toEqual([0, 7, 255]);

    const i32 = await readStoredImage(
      fillingSource(bigEndian(32, [-2147483648, -1, 0, 2147483647, 16909060])),
      imageHdu(32, [5]),
    );
    expect(i32.data).toBeInstanceOf(Int32Array);
    expect([...i32.data]).toEqual([-2147483648, -1, 0, 2147483647, 16909060]);

    const i64 = await readStoredImage(
      fillingSource(bigEndian(64, [-(2n ** 63n), -1n, 2n ** 40n + 3n, 2n ** 63n - 1n])),
      imageHdu(64, [4]),
    );
    expect(i64.data).toBeInstanceOf(BigInt64Array);
    expect([...i64.data]).toEqual([-(2n ** 63n), -1n, 2n ** 40n + 3n, 2n ** 63n - 1n]);

    const floatBytes = bigEndian(-32, [1.5, -0.25, 3.4e38, 0]);
    // A NaN with a payload in the last value: the swap must not canonicalise it.
    floatBytes.set([0x7f, 0xc1, 0x23, 0x45], 12);
    const f32 = await readStoredImage(fillingSource(floatBytes), imageHdu(-32, [4]));
    expect(f32.data).toBeInstanceOf(Float32Array);
    expect([...f32.data.slice(0, 3)]).toEqual([1.5, -0.25, Math.fround(3.4e38)]);
    expect(new Uint32Array(f32.data.buffer, f32.data.byteOffset, 4)[3]).toBe(0x7fc12345);

    const f64 = await readStoredImage(fillingSource(bigEndian(-64, [0.1, -1e300, 2 ** -1074])), imageHdu(-64, [3]));
    expect([...f64.data]).toEqual([0.1, -1e300, 2 ** -1074]);
  });

  it('reads only the rows and plane asked for', async () => {
    const values = Array.from({ length: 4 * 3 * 2 }, (_, i) => i * 100 - 1000);
    const source = recordingSource(bigEndian(16, values));
    const part = await readStoredImage(source, imageHdu(16, [4, 3, 2]), { rows: { start: 1, end: 3 }, plane: 1 });
    expect([...part.data]).toEqual(values.slice(12 + 4, 24));
    expect(part).toMatchObject({ width: 4, height: 2, depth: 1, rowStart: 1, rowEnd: 3 });
    expect(source.reads).toEqual([[(12 + 4) * 2, 8 * 2]]);
  });

  it('reuses the pool’s bytes from one read to the next', async () => {
    const pool = createPixelPool();
    const first = await readStoredImage(fillingSource(bigEndian(16, [1, 2, 3, 4])), imageHdu(16, [4]), { pool });
    const second = await readStoredImage(fillingSource(bigEndian(16, [5, 6, 7, 8])), imageHdu(16, [4]), { pool });
    expect(second.data.buffer).toBe(first.data.buffer);
    expect([...second.data]).toEqual([5, 6, 7, 8]);
  });

  it('gives the same values through a Node pool, whose Buffers swap natively', async () => {
    const pool = createNodePixelPool();
    const cases: Array<[number, number[]]> = [
      [16, [-32768, -2, 0, 513, 32767]],
      [32, [-2147483648, -2, 0, 16909060, 2147483647]],
      [-32, [1.5, -0.25, 0, 3e-30, 65504]],
      [-64, [0.1, -1e300, 2 ** -1074, 7, 8]],
    ];
    for (const [bitpix, values] of cases) {
      const bytes = bigEndian(bitpix, values);
      const native = await readStoredImage(fillingSource(bytes), imageHdu(bitpix, [5]), { pool });
      expect(Buffer.isBuffer(pool.bytes(1))).toBe(true);
      expect([...native.data]).toEqual([...(await readStoredImage(fillingSource(bytes), imageHdu(bitpix, [5]))).data]);
      expect([...native.data]).toEqual(bitpix === -32 ? values.map(Math.fround) : values);
    }
    // readImage's 16-bit path swaps the pool's Buffer natively too (identity), and in JavaScript
    // with the sign flip for BZERO 32768.
    const stored = [-32768, -1, 0, 1, 255, 256, -257, 32767];
    const bytes = bigEndian(16, stored);
    const signed = await readImage(fillingSource(bytes), imageHdu(16, [4, 2]), { pool });
    expect([...signed.data]).toEqual(stored);
    const unsigned = await readImage(fillingSource(bytes), imageHdu(16, [4, 2], { BZERO: 32768 }), { pool });
    expect([...unsigned.data]).toEqual(stored.map((v) => v + 32768));
  });

  it('refuses compressed and table HDUs, and names a truncated file', async () => {
    const bytes = bigEndian(16, [1, 2, 3]);
    const compressed = readStoredImage(fillingSource(bytes), imageHdu(16, [3], {}, { type: 'COMPRESSED_IMAGE' }));
    await expect(compressed).rejects.toMatchObject({ code: FitsErrorCode.UNSUPPORTED });
    const short = readStoredImage(fillingSource(bytes), imageHdu(16, [4]));
    await expect(short).rejects.toMatchObject({ code: FitsErrorCode.TRUNCATED });
  });
});
