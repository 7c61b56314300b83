import { describe, expect, it } from 'vitest';
import { FitsError, FitsErrorCode } from '../src/errors.js';
import { pixelArrayType, readImage } from '../src/image.js';
import { createArrayPool, createPixelPool } from '../src/pixel-pool.js';
import { bigEndian, imageHdu, recordingSource } from './support/image-hdu.js';
import { expectPooledReadsMatchFresh, plainFrames } from './support/pool-frames.js';

describe('readImage through a PixelPool', () => {
  it('gives the same pixels as fresh reads, read after read, reusing its arrays', async () => {
    await expectPooledReadsMatchFresh(plainFrames());
  });

  it('hands out arrays above its limit without keeping them', () => {
    const pool = createPixelPool({ maxElements: 100 });
    const small = pool.float32(100);
    expect(pool.float32(50).buffer).toBe(small.buffer);
    const big = pool.float32(101);
    expect(pool.float32(101).buffer).not.toBe(big.buffer);
    expect(pool.mask(10).every((m) => m === 0)).toBe(true);
    // Byte buffers are kept up to the bytes of the largest float32 array kept (4 × 100).
    const bytes = pool.bytes(400);
    expect(pool.bytes(300).buffer).toBe(bytes.buffer);
    const moreBytes = pool.bytes(401);
    expect(pool.bytes(401).buffer).not.toBe(moreBytes.buffer);
  });
});

describe('createArrayPool', () => {
  it('keeps one array per slot, reuses it while large enough, and keeps nothing above its limit', () => {
    const take = createArrayPool(100);
    const a = take('a', 80, (n) => new Int32Array(n));
    expect(take('a', 60, (n) => new Int32Array(n)).buffer).toBe(a.buffer);
    expect(take('b', 60, (n) => new Int32Array(n)).buffer).not.toBe(a.buffer);
    const grown = take('a', 90, (n) => new Int32Array(n));
    expect(grown.buffer).not.toBe(a.buffer);
    expect(take('a', 90, (n) => new Int32Array(n)).buffer).toBe(grown.buffer);
    const huge = take('a', 101, (n) => new Int32Array(n));
    expect(take('a', 101, (n) => new Int32Array(n)).buffer).not.toBe(huge.buffer);
    expect(take('a', 10, (n) => new Int32Array(n)).buffer).not.toBe(grown.buffer);
  });
});

describe('readImage into a given output array', () => {
  const hdu = imageHdu(16, [3, 2]);
  const source = () => recordingSource(bigEndian(16, [1, 2, 3, 4, 5, 6]));

  it('writes into the start of the array and returns a view of it', async () => {
    const output = new Float32Array(10).fill(-1);
    const pixels = await readImage(source(), hdu, { output });
    expect(pixels.data.buffer).toBe(output.buffer);
    expect(Array.from(output)).toEqual([1, 2, 3, 4, 5, 6, -1, -1, -1, -1]);
    const rows = await readImage(source(), hdu, { output, rows: { start: 1, end: 2 } });
    expect(Array.from(rows.data)).toEqual([4, 5, 6]);
  });

  it('refuses an array too small or of the wrong type, before reading anything', async () => {
    const reading = source();
    const tooSmall = await readImage(reading, hdu, { output: new Float32Array(5) }).catch((e: unknown) => e);
    expect(tooSmall).toBeInstanceOf(FitsError);
    expect(tooSmall).toMatchObject({ code: FitsErrorCode.OUT_OF_RANGE, hduIndex: 0 });
    expect((tooSmall as FitsError).message).toMatch(/holds 5 values, but the read covers 6 pixels/);
    const wrongType = await readImage(reading, hdu, { output: new Float64Array(6) }).catch((e: unknown) => e);
    expect(wrongType).toMatchObject({ code: FitsErrorCode.OUT_OF_RANGE });
    expect((wrongType as FitsError).message).toMatch(/Float64Array.*Float32Array/);
    expect(reading.reads).toEqual([]);
  });

  it('says which array type an HDU reads as', () => {
    expect(pixelArrayType(imageHdu(16, [2, 2]))).toBe('float32');
    expect(pixelArrayType(imageHdu(16, [2, 2], { BZERO: 32768 }))).toBe('float32');
    expect(pixelArrayType(imageHdu(32, [2, 2]))).toBe('float64');
    expect(pixelArrayType(imageHdu(-32, [2, 2], { BSCALE: 2 }))).toBe('float64');
  });
});
