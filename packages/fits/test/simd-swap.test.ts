import { describe, expect, it } from 'vitest';
import { readImage } from '../src/image.js';
import { SIMD_SWAP_MIN_WORDS, simdSwap } from '../src/simd-swap.js';
import { imageHdu, recordingSource } from './support/image-hdu.js';

/** Big-endian float32 words of every kind: normal, ±0, ±∞, subnormal, and NaNs with payloads. */
function bigEndianWords(count: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(count * 4);
  const view = new DataView(bytes.buffer);
  const special = [0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x00000001, 0x7fc00000, 0xffc00001, 0x7f800001];
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    view.setUint32(i * 4, s % 7 === 0 ? special[s % special.length]! : s, false);
  }
  return bytes;
}

/** The reference: DataView's big-endian reads and Number.isNaN. */
function reference(bytes: Uint8Array): { words: Int32Array; nans: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const words = new Int32Array(bytes.length / 4);
  let nans = 0;
  for (let i = 0; i < words.length; i++) {
    words[i] = view.getInt32(i * 4, false);
    const x = view.getFloat32(i * 4, false);
    if (Number.isNaN(x)) nans++;
  }
  return { words, nans };
}

/** Index of the first word that differs, −1 when none (toEqual over 200,000 words takes seconds). */
function firstDifference(a: Int32Array, b: Int32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('simdSwap', () => {
  const simd = simdSwap();

  it('compiles on this Node', () => {
    // Node 20 has WebAssembly SIMD; without it every read silently takes the slower loop.
    expect(simd).toBeDefined();
  });

  // Lengths around the vector (4 words) and the piece (65,536 words) boundaries.
  for (const count of [1, 3, 4, 5, 4099, 65_535, 65_536, 65_537, 200_003]) {
    it(`swaps ${count} words bit for bit and counts their NaNs, in place and into another array`, () => {
      const bytes = bigEndianWords(count, count);
      const expected = reference(bytes);
      const other = new Int32Array(count);
      const copy = bytes.slice();
      expect(simd!.swap32(new Int32Array(copy.buffer), other, count)).toBe(expected.nans);
      expect(firstDifference(other, expected.words)).toBe(-1);
      const inPlace = new Int32Array(bytes.buffer);
      expect(simd!.swap32(inPlace, inPlace, count)).toBe(expected.nans);
      expect(firstDifference(inPlace, expected.words)).toBe(-1);
    });
  }

  it('leaves the words after `count` alone', () => {
    const bytes = bigEndianWords(10, 7);
    const out = new Int32Array(10).fill(-5);
    simd!.swap32(new Int32Array(bytes.buffer), out, 6);
    expect([...out.subarray(6)]).toEqual([-5, -5, -5, -5]);
  });

  it('gives readImage the values and NaN count of a float32 frame above its threshold', async () => {
    const count = SIMD_SWAP_MIN_WORDS * 3 + 1;
    const bytes = bigEndianWords(count, 11);
    const expected = reference(bytes);
    const pixels = await readImage(recordingSource(bytes), imageHdu(-32, [count]));
    expect(pixels.blankCount).toBe(expected.nans);
    expect(pixels.blankCount).toBeGreaterThan(0);
    expect(firstDifference(new Int32Array(pixels.data.buffer, pixels.data.byteOffset, count), expected.words)).toBe(-1);
  });
});
