import { FitsError, FitsErrorCode } from '../errors.js';
import { badCompression } from './bad-compression.js';

/**
 * RICE_1 decoding (Rice, Yeh & Miller 1993, as used by the FITS tiled-image convention, Pence et
 * al. 2009, §4.1; CFITSIO's fits_rdecomp describes the same stream).
 *
 * The stream: the first pixel raw, `bytePix` bytes big-endian; then, for each block of `blockSize`
 * pixels (the last block may be shorter), an FS field of FS_BITS bits followed by the block's
 * pixel differences (each one from the previous pixel, zig-zag mapped to unsigned: 0, -1, 1, -2…):
 *   - FS field 0: every difference in the block is zero;
 *   - FS field FS_MAX + 1: the differences are written raw, 8 × bytePix bits each (the "no
 *     compression" escape for high-entropy blocks);
 *   - otherwise fs = field - 1 and each difference is a unary quotient (that many zero bits and a
 *     one) followed by its low fs bits.
 * Bits are read most significant first. Differences and sums wrap modulo 2^(8 × bytePix), as the
 * encoder's do.
 *
 * Output values are the stored integers: 0…255 for bytePix 1 (BITPIX 8 is unsigned), signed 16-bit
 * for bytePix 2, signed 32-bit for bytePix 4. ZZERO/BZERO scaling is the caller's.
 */

const ALGORITHM = 'RICE_1';

/** Bits of the FS field and the FS value that marks a raw block, per BYTEPIX (the convention's table). */
const FS_BITS = { 1: 3, 2: 4, 4: 5 } as const;
const FS_MAX = { 1: 6, 2: 14, 4: 25 } as const;

function truncated(decoded: number, total: number, byteOffset: number): FitsError {
  return badCompression(ALGORITHM, `compressed tile ends after ${decoded} of ${total} pixels`, byteOffset);
}

/**
 * The stream as big-endian 32-bit words, with zero words after it so that a look-ahead near its
 * end stays inside the array (reads past a typed array's end are slow paths in V8). Reused from
 * tile to tile. Four words cover the furthest a cut-short stream is read before the decoder
 * notices: one code of at most 57 bits past the end, then a look-ahead of zeros.
 */
let words = new Int32Array(16 * 1024);
const PADDING_WORDS = 4;

function bigEndianWords(input: Uint8Array): Int32Array {
  const end = input.length;
  const whole = end >>> 2;
  const needed = whole + 1 + PADDING_WORDS;
  if (words.length < needed) words = new Int32Array(2 * needed);
  const w = words;
  for (let k = 0, b = 0; k < whole; k++, b += 4) {
    w[k] = (input[b]! << 24) | (input[b + 1]! << 16) | (input[b + 2]! << 8) | input[b + 3]!;
  }
  let tail = 0;
  for (let b = whole * 4, shift = 24; b < end; b++, shift -= 8) tail |= input[b]! << shift;
  w[whole] = tail;
  w.fill(0, whole + 1, needed);
  return w;
}

/**
 * The 32 bits that start at bit `bit` (most significant first), as an int32. `(x >>> 1) >>> (31 − s)`
 * is `x >>> (32 − s)` that also gives 0 for s = 0 (a shift by 32 would be a shift by 0 in JavaScript).
 */
function peek32(w: Int32Array, bit: number): number {
  const k = bit >>> 5;
  const s = bit & 31;
  return (w[k]! << s) | ((w[k + 1]! >>> 1) >>> (31 - s));
}

/**
 * Decodes one RICE_1 tile into `output` (its length is the tile's pixel count). `blockSize` and
 * `bytePix` are the tile's BLOCKSIZE and BYTEPIX (the convention's defaults are 32 and 4). Throws
 * FitsError BAD_COMPRESSION when the stream ends early or holds an impossible FS value.
 *
 * Every code is read from a 32-bit look-ahead at the current bit position (two aligned words): the
 * unary quotient is its count of leading zeros and the low bits follow it in the same word, so the
 * common pixel costs one look-ahead and no loop. Quotients of 32 or more (rare: an outlier in a
 * quiet block) take the path that counts zero words.
 */
export function riceDecode(input: Uint8Array, output: Int32Array, blockSize: number, bytePix: 1 | 2 | 4): void {
  if (bytePix !== 1 && bytePix !== 2 && bytePix !== 4) {
    throw new FitsError(FitsErrorCode.UNSUPPORTED, `${ALGORITHM}: BYTEPIX ${String(bytePix)} is not 1, 2 or 4`);
  }
  if (!Number.isInteger(blockSize) || blockSize <= 0) {
    throw badCompression(ALGORITHM, `BLOCKSIZE ${blockSize} is not a positive integer`);
  }
  const npix = output.length;
  if (npix === 0) return;
  const end = input.length;
  if (end < bytePix) throw truncated(0, npix, end);
  const w = bigEndianWords(input);
  const endBits = end * 8;

  const fsBits = FS_BITS[bytePix];
  const fsMax = FS_MAX[bytePix];
  const rawBits = bytePix * 8;
  // Sums wrap at the pixel width; `| 0` below is the 32-bit case.
  const valueMask = bytePix === 4 ? -1 : bytePix === 2 ? 0xffff : 0xff;
  // 16-bit values are sign-extended on output; shifting by 0 leaves 8- and 32-bit ones unchanged.
  const signShift = bytePix === 2 ? 16 : 0;

  let lastpix = 0;
  for (let k = 0; k < bytePix; k++) lastpix = (lastpix << 8) | input[k]!;
  let bit = rawBits;
  let i = 0;
  while (i < npix) {
    // The look-ahead pads with zeros; a position past the end means the stream was cut short.
    if (bit + fsBits > endBits) throw truncated(i, npix, end);
    const fs = (peek32(w, bit) >>> (32 - fsBits)) - 1;
    bit += fsBits;
    const imax = Math.min(i + blockSize, npix);

    if (fs < 0) {
      const value = (lastpix << signShift) >> signShift;
      output.fill(value, i, imax);
      i = imax;
    } else if (fs === fsMax) {
      for (; i < imax; i++) {
        if (bit + rawBits > endBits) throw truncated(i, npix, end);
        let diff = peek32(w, bit) >>> (32 - rawBits);
        bit += rawBits;
        // Undo the zig-zag mapping without a branch: even → diff/2, odd → ~(diff/2).
        diff = (diff >>> 1) ^ -(diff & 1);
        lastpix = (lastpix + diff) & valueMask;
        output[i] = (lastpix << signShift) >> signShift;
      }
    } else if (fs > fsMax) {
      // Only reachable for BYTEPIX 4 (a 5-bit field holds up to 31): no encoder writes it.
      throw badCompression(ALGORITHM, `invalid FS value ${fs} in the block at pixel ${i}`, bit >>> 3);
    } else {
      // (x >>> 1) >>> (31 − fs) keeps the top fs bits of x, and none when fs is 0.
      const lowShift = 31 - fs;
      // `word` holds the next `avail` bits of the stream, left-aligned, zeros after them: codes are
      // taken from it one after the other while they fit, and it is loaded again only when the
      // next one does not (about one load per four pixels at fs 3–5, −20 % time for the decoder).
      // Every `peek32(…) | 0` keeps `word` an int32 to the compiler even where TurboFan does not
      // inline the call (the rare long-quotient path, depending on what feedback the concurrent
      // compile saw): a call's result is a tagged number, and `word` then became tagged in the
      // whole loop, with a small-integer check before every clz32. That was the slow mode of
      // docs/performance.md: 125 instead of 85 ms per 4096² 16-bit frame in 11 processes of 30, and
      // in every process for the 32-bit tiles of quantized floats.
      let word = peek32(w, bit) | 0;
      let avail = 32;
      for (; i < imax; i++) {
        let nzero = Math.clz32(word);
        let used = nzero + 1 + fs;
        let low: number;
        if (used <= avail) {
          low = ((word << (nzero + 1)) >>> 1) >>> lowShift;
          // A shift by 32 would be a shift by 0: split it.
          word = (word << (used - 1)) << 1;
          avail -= used;
          bit += used;
        } else {
          word = peek32(w, bit) | 0;
          nzero = Math.clz32(word);
          used = nzero + 1 + fs;
          if (used <= 32) {
            low = ((word << (nzero + 1)) >>> 1) >>> lowShift;
            word = (word << (used - 1)) << 1;
            avail = 32 - used;
            bit += used;
          } else {
            // A quotient that does not fit one look-ahead with its low bits: count zero words.
            if (word !== 0) {
              bit += nzero + 1;
            } else {
              nzero = 0;
              do {
                if (bit >= endBits) throw truncated(i, npix, end);
                nzero += 32;
                bit += 32;
                word = peek32(w, bit) | 0;
              } while (word === 0);
              const more = Math.clz32(word);
              nzero += more;
              bit += more + 1;
            }
            low = (peek32(w, bit) >>> 1) >>> lowShift;
            bit += fs;
            word = peek32(w, bit) | 0;
            avail = 32;
          }
        }
        let diff = (nzero << fs) | low;
        diff = (diff >>> 1) ^ -(diff & 1);
        lastpix = (lastpix + diff) & valueMask;
        output[i] = (lastpix << signShift) >> signShift;
      }
      if (bit > endBits) throw truncated(imax, npix, end);
    }
  }
}
