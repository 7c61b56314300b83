import { describe, expect, it } from 'vitest';
import { RANDOM_COUNT, randomTable, unquantize, unquantizeBytes } from '../../src/compression/dither.js';
import { SIMD_CHUNK_PIXELS, simdTiles } from '../../src/compression/simd-tiles.js';
import { convertShuffled16 } from '../../src/compression/tile-codecs.js';
import { convertBigEndian, pixelTransform } from '../../src/pixel-transform.js';

/** Seeded int32 values: the full range (and its two ends) or small sky-like counts. */
function integers(count: number, seed: number, small: boolean): Int32Array {
  const out = new Int32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = small ? (s % 4000) - 1000 : s | 0;
  }
  if (!small && count > 2) {
    out[0] = -2147483648;
    out[1] = 2147483647;
  }
  return out;
}

/** GZIP_1's bytes: big-endian words. */
function bigEndian(values: Int32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setInt32(i * 4, values[i]!, false);
  return bytes;
}

/** GZIP_2's bytes: the most significant byte of every value, then the next byte of every value… */
function shuffled(values: Int32Array | Int16Array): Uint8Array {
  const size = values.BYTES_PER_ELEMENT;
  const plain = new Uint8Array(values.length * size);
  const view = new DataView(plain.buffer);
  for (let i = 0; i < values.length; i++) {
    if (size === 4) view.setInt32(i * 4, values[i]!, false);
    else view.setInt16(i * 2, values[i]!, false);
  }
  const out = new Uint8Array(plain.length);
  for (let i = 0; i < values.length; i++)
    for (let k = 0; k < size; k++) out[k * values.length + i] = plain[i * size + k]!;
  return out;
}

/**
 * The reference: the JavaScript loop of `unquantize` into float64 (a Float64Array output never
 * takes the kernels), rounded once to float32 as a Float32Array store rounds.
 */
function referenceDither(values: Int32Array, scale: number, zero: number, tileRow: number, seed: number): Float32Array {
  const wide = new Float64Array(values.length);
  unquantize(values, wide, scale, zero, 'SUBTRACTIVE_DITHER_1', tileRow, seed, undefined);
  return Float32Array.from(wide);
}

/** Index of the first value that differs bit for bit, −1 when none. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new Int32Array(a.buffer, a.byteOffset, a.length);
  const y = new Int32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

describe('SIMD kernels for tiles', () => {
  it('compile on this Node', () => {
    // Node 20 has WebAssembly SIMD; without it every GZIP and quantized read silently takes the loops.
    expect(simdTiles()).toBeDefined();
  });

  // Counts around the vectors (4 and 16 pixels), the chunk, and tiles that reach the end of the
  // random table (where each tile's sequence restarts from the next start value) once or more.
  const counts = [256, 257, 4095, 4099, SIMD_CHUNK_PIXELS - 1, SIMD_CHUNK_PIXELS, SIMD_CHUNK_PIXELS + 5, 41_003];
  const scalings = [
    { scale: 0.0123456789, zero: 1000.25 },
    { scale: 3.75, zero: -2.5e6 },
    { scale: 1e-7, zero: 0 },
  ];

  for (const count of counts) {
    it(`unquantize a ${count}-pixel tile bit for bit, from integers and from GZIP_1 and GZIP_2 bytes`, () => {
      scalings.forEach(({ scale, zero }, k) => {
        for (const small of [true, false]) {
          const values = integers(count, count * 31 + k, small);
          // Rows and seeds that start the sequence near the end of the table, and anywhere.
          const tileRow = 1 + ((count * 7 + k * 2503) % 12_000);
          const seed = 1 + k * 4001;
          const expected = referenceDither(values, scale, zero, tileRow, seed);

          const fromIntegers = new Float32Array(count);
          expect(unquantize(values, fromIntegers, scale, zero, 'SUBTRACTIVE_DITHER_1', tileRow, seed, undefined)).toBe(
            0,
          );
          expect(firstDifference(fromIntegers, expected)).toBe(-1);

          for (const [layout, bytes] of [
            ['big-endian', bigEndian(values)],
            ['shuffled', shuffled(values)],
          ] as const) {
            const out = new Float32Array(count);
            const method = 'SUBTRACTIVE_DITHER_1';
            expect(unquantizeBytes(bytes, layout, count, out, scale, zero, method, tileRow, seed, undefined)).toBe(0);
            expect(firstDifference(out, expected)).toBe(-1);
          }
        }
      });
    });
  }

  it('start each tile where the convention says, wrapping around the table of 10,000 values', () => {
    // Rows past the table's length wrap; ZDITHER0 shifts the start.
    const values = integers(5000, 3, true);
    const rows = [1, 2, RANDOM_COUNT, RANDOM_COUNT + 1, 3 * RANDOM_COUNT + 17];
    const outputs = rows.map((row) => {
      const out = new Float32Array(values.length);
      unquantize(values, out, 0.5, 100, 'SUBTRACTIVE_DITHER_1', row, 1, undefined);
      expect(firstDifference(out, referenceDither(values, 0.5, 100, row, 1))).toBe(-1);
      return out;
    });
    expect(firstDifference(outputs[0]!, outputs[3]!)).toBe(-1); // row 1 and row 10,001: the same start
    expect(firstDifference(outputs[0]!, outputs[1]!)).not.toBe(-1);
    // The first value by hand: (i − r + 0.5) × scale + zero with r = table[floor(table[0] × 500)].
    const random = randomTable();
    const first = Math.floor(Math.fround(random[0]! * 500));
    expect(outputs[0]![0]).toBe(Math.fround((values[0]! - random[first]! + 0.5) * 0.5 + 100));
  });

  /** Where a tile's first run of random values ends (the table's end): the pixel index. */
  function firstWrap(tileRow: number, seed: number): number {
    const start = (tileRow - 1 + seed - 1) % RANDOM_COUNT;
    return RANDOM_COUNT - Math.floor(Math.fround(randomTable()[start]! * 500));
  }

  for (const method of ['SUBTRACTIVE_DITHER_1', 'SUBTRACTIVE_DITHER_2'] as const) {
    it(`unquantize ${method} tiles with nulls (ZBLANK) and zero markers bit for bit, counting the nulls`, () => {
      const NULL = -2_147_483_647;
      const ZERO = -2_147_483_646; // DITHER_ZERO_VALUE
      for (const count of [300, 10_003, SIMD_CHUNK_PIXELS + 9]) {
        // A tile whose first run ends off a vector boundary, nulls just after it: the kernel's extra
        // lanes past the run read them and must not count them twice.
        // (A run ends at pixel 9,501 at the earliest: the smallest tile has none.)
        let tileRow = 1;
        while (count > RANDOM_COUNT && (firstWrap(tileRow, 3) % 4 === 0 || firstWrap(tileRow, 3) + 3 > count))
          tileRow++;
        const values = integers(count, count + 1, true);
        for (let i = 0; i < count; i += 7) values[i] = NULL;
        for (let i = 3; i < count; i += 11) values[i] = ZERO;
        if (count > RANDOM_COUNT) {
          const wrap = firstWrap(tileRow, 3);
          values[wrap] = NULL;
          values[wrap + 1] = NULL;
          values[wrap + 2] = NULL;
          values[wrap - 1] = 5;
        }
        values[count - 1] = NULL;
        const wide = new Float64Array(count);
        const expectedNulls = unquantize(values, wide, 0.25, 7, method, tileRow, 3, NULL);
        const expected = Float32Array.from(wide);
        expect(expectedNulls).toBeGreaterThan(count / 8);

        const out = new Float32Array(count);
        expect(unquantize(values, out, 0.25, 7, method, tileRow, 3, NULL)).toBe(expectedNulls);
        expect(firstDifference(out, expected)).toBe(-1);
        const bytes = shuffled(values);
        const fromBytes = new Float32Array(count);
        expect(unquantizeBytes(bytes, 'shuffled', count, fromBytes, 0.25, 7, method, tileRow, 3, NULL)).toBe(
          expectedNulls,
        );
        expect(firstDifference(fromBytes, expected)).toBe(-1);
        if (method === 'SUBTRACTIVE_DITHER_2') expect(Object.is(out[3], 0)).toBe(true);
        expect(out[0]).toBeNaN();

        // The same integers without a ZBLANK: nothing is null.
        const plain = new Float32Array(count);
        expect(unquantize(values, plain, 0.25, 7, method, tileRow, 3, undefined)).toBe(0);
        const reference = new Float64Array(count);
        unquantize(values, reference, 0.25, 7, method, tileRow, 3, undefined);
        expect(firstDifference(plain, Float32Array.from(reference))).toBe(-1);
      }
    });
  }

  it('count no nulls left in the kernel memory by an earlier tile', () => {
    const full = new Int32Array(SIMD_CHUNK_PIXELS).fill(-9);
    unquantize(full, new Float32Array(full.length), 1, 0, 'SUBTRACTIVE_DITHER_1', 1, 1, -9);
    const values = integers(1001, 9, true); // small values: never −9 … by chance? made sure below
    for (let i = 0; i < values.length; i++) if (values[i] === -9) values[i] = 0;
    expect(unquantize(values, new Float32Array(1001), 1, 0, 'SUBTRACTIVE_DITHER_1', 1, 1, -9)).toBe(0);
  });

  it('leave NO_DITHER and float64 outputs to the loops', () => {
    const values = integers(1000, 5, true);
    const bytes = bigEndian(values);
    const out = new Float32Array(1000);
    expect(unquantizeBytes(bytes, 'big-endian', 1000, out, 1, 0, 'NO_DITHER', 1, 1, undefined)).toBeUndefined();
    const wide = new Float64Array(1000);
    expect(
      unquantizeBytes(bytes, 'big-endian', 1000, wide, 1, 0, 'SUBTRACTIVE_DITHER_1', 1, 1, undefined),
    ).toBeUndefined();
  });

  for (const count of [256, 257, 4099, SIMD_CHUNK_PIXELS + 17, 40_000]) {
    it(`convert ${count} big-endian 16-bit values of a plain array (GZIP_1 runs), signed and BZERO 32768`, () => {
      const values = integers(count, count, false).map((v) => v >> 16);
      values[0] = -32768;
      values[1] = 32767;
      const plain = new Uint8Array(count * 2);
      const view = new DataView(plain.buffer);
      for (let i = 0; i < count; i++) view.setInt16(i * 2, values[i]!, false);
      for (const bzero of [0, 32768]) {
        const header = new Map<string, number>(bzero ? [['BZERO', bzero]] : []);
        const transform = pixelTransform(16, { get: (key: string) => header.get(key) });
        // Written after 3 pixels of the output, which stay as they were.
        const out = new Float32Array(count + 3).fill(-1);
        const sink = { data: out, mask: undefined, blankCount: 0 };
        convertBigEndian(plain.slice(), 0, 16, transform, count, sink, 3, true);
        const expected = new Float32Array(count + 3).fill(-1);
        expected.set(
          Float32Array.from(values, (v) => v + bzero),
          3,
        );
        expect(firstDifference(out, expected)).toBe(-1);
      }
    });

    it(`convert a ${count}-pixel GZIP_2 16-bit tile, signed and BZERO 32768`, () => {
      const values = new Int16Array(count);
      let s = count;
      for (let i = 0; i < count; i++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        values[i] = s >>> 16;
      }
      values[0] = -32768;
      values[1] = 32767;
      const bytes = shuffled(values);
      for (const bzero of [0, 32768]) {
        const header = new Map<string, number>(bzero ? [['BZERO', bzero]] : []);
        const transform = pixelTransform(16, { get: (key: string) => header.get(key) });
        const out = new Float32Array(count);
        expect(convertShuffled16(bytes, count, transform, undefined, new Int32Array(count), out)).toBe(true);
        const expected = Float32Array.from(values, (v) => v + bzero);
        expect(firstDifference(out, expected)).toBe(-1);
      }
    });
  }
});
