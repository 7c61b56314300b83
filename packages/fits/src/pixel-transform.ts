import { LITTLE_ENDIAN, nativeSwap } from './byte-order.js';
import { SIMD_TILE_MIN_PIXELS, simdTiles } from './compression/simd-tiles.js';
import { SIMD_SWAP_MIN_WORDS, simdSwap } from './simd-swap.js';
import type { CardValue, HeaderLike } from './types.js';

/**
 * How stored array values become physical values (FITS Standard 4.0 §5.3):
 * `physical = BZERO + BSCALE × stored`, and for integer arrays a stored value equal to BLANK is
 * undefined. One transform serves plain images and decompressed tiles.
 */
export interface PixelTransform {
  bscale: number;
  bzero: number;
  /** True when BSCALE = 1 and BZERO = 0: the stored value is the physical value. */
  identity: boolean;
  /** Stored BLANK for 8/16/32-bit integers; `undefined` when none (or for floating-point data). */
  blank: number | undefined;
  /** BLANK of a 64-bit array as two 32-bit words (high signed, low unsigned). */
  blank64: { high: number; low: number } | undefined;
  /**
   * BITPIX 64 with BZERO = 2^63 (unsigned 64-bit convention): the value is the stored word with its
   * sign bit flipped, read as unsigned. Done on the two 32-bit words so the one rounding to double
   * happens once, exactly as numpy's uint64 → float64.
   */
  unsigned64: boolean;
  /** Output array type: float32 where it holds every physical value exactly enough, else float64. */
  float64: boolean;
}

const TWO_POW_63 = 2n ** 63n;
/** Integers up to 2^24 are exact in float32 (24-bit significand). */
const FLOAT32_EXACT_INTEGER = 2 ** 24;

/** A finite number from a card value (numbers, bigints and numeric strings written by sloppy tools). */
export function cardNumber(value: CardValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value.trim().replace(/[dD]/, 'e'));
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/**
 * An integer from a card value, accepting an integral float such as BLANK = -32768.0 (HiPS tiles
 * write that; the standard wants an integer, so it is tolerated here and reported by the header
 * layer as a problem).
 */
export function cardInteger(value: CardValue | undefined): number | bigint | undefined {
  if (typeof value === 'bigint') return value;
  const number = cardNumber(value);
  return number !== undefined && Number.isInteger(number) ? number : undefined;
}

/**
 * The transform for stored values of `bitpix` under `header`'s BSCALE, BZERO and BLANK.
 * `blankOverride` replaces BLANK (tile compression's ZBLANK).
 */
export function pixelTransform(bitpix: number, header: HeaderLike, blankOverride?: number): PixelTransform {
  const bscale = cardNumber(header.get('BSCALE')) ?? 1;
  const bzeroValue = header.get('BZERO');
  const bzero = cardNumber(bzeroValue) ?? 0;
  const identity = bscale === 1 && bzero === 0;
  const unsigned64 =
    bitpix === 64 &&
    bscale === 1 &&
    (bzeroValue === TWO_POW_63 || (typeof bzeroValue === 'number' && bzeroValue === 2 ** 63));

  let blank: number | undefined;
  let blank64: PixelTransform['blank64'];
  if (bitpix > 0) {
    const stored = blankOverride ?? cardInteger(header.get('BLANK'));
    if (bitpix === 64 && stored !== undefined) {
      const word = BigInt.asUintN(64, BigInt(stored));
      blank64 = { high: Number(BigInt.asIntN(32, word >> 32n)), low: Number(word & 0xffffffffn) };
    } else if (stored !== undefined) {
      blank = Number(stored);
    }
  }

  return { bscale, bzero, identity, blank, blank64, unsigned64, float64: needsFloat64(bitpix, bscale, bzero) };
}

/**
 * Float32 for 8/16-bit integers and float32 data, unless scaling would make float32 lose
 * information: integer results beyond 2^24, or a BSCALE step too small next to the magnitude.
 */
function needsFloat64(bitpix: number, bscale: number, bzero: number): boolean {
  if (bitpix === -32) return !(bscale === 1 && bzero === 0);
  if (bitpix !== 8 && bitpix !== 16) return true;
  const magnitude = Math.abs(bzero) + Math.abs(bscale) * 2 ** bitpix;
  if (Number.isInteger(bscale) && Number.isInteger(bzero)) return magnitude > FLOAT32_EXACT_INTEGER;
  return magnitude / Math.abs(bscale) > FLOAT32_EXACT_INTEGER / 2;
}

/** Output of one conversion: where undefined pixels were marked and how many. */
export interface PixelSink {
  data: Float32Array | Float64Array;
  /** 1 where the pixel is undefined (BLANK or NaN), when the caller asked for a mask. */
  mask: Uint8Array | undefined;
  blankCount: number;
}

/**
 * Converts `count` big-endian stored values from `bytes` (at `byteOffset`) into physical values at
 * `sink.data[outOffset…]`, BZERO/BSCALE and BLANK in the same pass.
 *
 * The common cases (16-bit and 32-bit integers, float32, float64, on a little-endian machine and
 * aligned input) read whole words through a typed-array view and swap their bytes with shifts:
 * one monomorphic loop per case, several times faster than a DataView call or four byte loads per
 * pixel. Anything else takes the general loop.
 *
 * `scratch`: the bytes are the caller's own buffer (a file read into a pool buffer, a freshly
 * inflated tile) and may be overwritten. 16-bit values are then byte-swapped in place and handed to
 * one native typed-array conversion (see `convert16InPlace`).
 */
export function convertBigEndian(
  bytes: Uint8Array,
  byteOffset: number,
  bitpix: number,
  transform: PixelTransform,
  count: number,
  sink: PixelSink,
  outOffset: number,
  scratch = false,
): void {
  const size = Math.abs(bitpix) / 8;
  const at = bytes.byteOffset + byteOffset;
  if (LITTLE_ENDIAN && count > 0 && at % size === 0 && !sink.mask) {
    if (
      scratch &&
      bitpix === 16 &&
      convert16InPlace(bytes.subarray(byteOffset), transform, count, sink.data, outOffset)
    ) {
      return;
    }
    const blanks = convertAligned(bytes.buffer, at, bitpix, transform, count, sink.data, outOffset);
    if (blanks >= 0) {
      sink.blankCount += blanks;
      return;
    }
  }
  convertGeneral(bytes, byteOffset, bitpix, transform, count, sink, outOffset);
}

/**
 * The fast paths; -1 when the case is not one of them. Returns the count of undefined pixels. The
 * loops below repeat one another on purpose (one per word size, with and without BLANK): a shared
 * loop would put a call or a branch per pixel back into the hottest code of a read.
 */
function convertAligned(
  buffer: ArrayBufferLike,
  at: number,
  bitpix: number,
  transform: PixelTransform,
  count: number,
  data: Float32Array | Float64Array,
  outOffset: number,
): number {
  const { bscale, bzero, identity } = transform;
  switch (bitpix) {
    case 16: {
      const words = new Uint16Array(buffer, at, count);
      if (transform.blank === undefined) {
        return identity
          ? convert16(words, count, data, outOffset, 0, 1)
          : convert16(words, count, data, outOffset, bzero, bscale);
      }
      return convert16Blank(words, count, data, outOffset, transform.blank, bzero, bscale);
    }
    case 32: {
      // Int32Array views throughout: a Uint32Array element above 2^31 is not a small integer to V8,
      // and the loops over one ran at half the speed (docs/performance.md).
      const words = new Int32Array(buffer, at, count);
      // An int32 never equals 2^32: a BLANK test that is never true, without comparing with NaN.
      const blank = transform.blank ?? 2 ** 32;
      return convert32(words, count, data, outOffset, blank, bzero, bscale, identity);
    }
    case -32: {
      const words = new Int32Array(buffer, at, count);
      if (identity && data instanceof Float32Array) {
        return swapFloat32(words, count, new Int32Array(data.buffer, data.byteOffset + outOffset * 4, count));
      }
      return -1;
    }
    case -64: {
      const words = new Int32Array(buffer, at, count * 2);
      if (identity && data instanceof Float64Array) {
        return swapFloat64(words, count, new Int32Array(data.buffer, data.byteOffset + outOffset * 8, count * 2));
      }
      return -1;
    }
    default:
      return -1;
  }
}

/**
 * 16-bit values without BLANK whose physical value is the stored one (identity) or the stored one
 * plus 32768 (the unsigned 16-bit convention, BZERO = 32768, that most cameras write). The bytes are
 * swapped in place two pixels per 32-bit word, with the sign bit of each half flipped in the
 * unsigned case (stored + 32768 is the stored int16 read as uint16 with its top bit inverted), and
 * one `data.set` of an Int16Array or Uint16Array view converts them natively: about twice the speed
 * of a fused shift-and-store loop per pixel. False when the case is not one of these.
 */
function convert16InPlace(
  bytes: Uint8Array,
  transform: PixelTransform,
  count: number,
  data: Float32Array | Float64Array,
  outOffset: number,
): boolean {
  const { bscale, bzero, blank } = transform;
  const unsigned = bscale === 1 && bzero === 32768;
  const { buffer, byteOffset: at } = bytes;
  if (blank !== undefined || !(transform.identity || unsigned) || at % 4 !== 0) return false;
  if (!unsigned && nativeSwap(bytes.subarray(0, count * 2), 2)) {
    // A Node Buffer (a pool from `createNodePixelPool`, zlib's output): Buffer's own swap.
    data.set(new Int16Array(buffer, at, count), outOffset);
    return true;
  }
  const kernels = count >= SIMD_TILE_MIN_PIXELS ? simdTiles() : undefined;
  if (kernels && data instanceof Float32Array) {
    // Other bytes (runs of GZIP_1 tiles inflated into a plain array): swapped, widened and
    // converted in one pass of the SIMD kernels.
    kernels.bigEndian16(bytes, count, unsigned ? 32768 : 0, data.subarray(outOffset, outOffset + count));
    return true;
  }
  const pairs = new Int32Array(buffer, at, count >>> 1);
  const flip = unsigned ? 0x80008000 | 0 : 0;
  for (let i = 0; i < pairs.length; i++) {
    const w = pairs[i]!;
    pairs[i] = (((w & 0x00ff00ff) << 8) | ((w >>> 8) & 0x00ff00ff)) ^ flip;
  }
  if (count & 1) {
    // The odd last pixel, on its own.
    const last = new Uint16Array(buffer, at + (count - 1) * 2, 1);
    const w = last[0]!;
    last[0] = (((w & 0xff) << 8) | (w >>> 8)) ^ (flip & 0xffff);
  }
  data.set(unsigned ? new Uint16Array(buffer, at, count) : new Int16Array(buffer, at, count), outOffset);
  return true;
}

/** 16-bit words without BLANK: swap the two bytes and sign-extend, `(low << 24 >> 16) | high`. */
function convert16(
  words: Uint16Array,
  count: number,
  data: Float32Array | Float64Array,
  outOffset: number,
  bzero: number,
  bscale: number,
): number {
  if (bzero === 0 && bscale === 1) {
    for (let i = 0; i < count; i++) {
      const w = words[i]!;
      data[outOffset + i] = (((w & 0xff) << 24) >> 16) | (w >>> 8);
    }
  } else {
    for (let i = 0; i < count; i++) {
      const w = words[i]!;
      data[outOffset + i] = bzero + bscale * ((((w & 0xff) << 24) >> 16) | (w >>> 8));
    }
  }
  return 0;
}

/** 16-bit words with BLANK: a separate loop, so that the common case does not pay for the test. */
function convert16Blank(
  words: Uint16Array,
  count: number,
  data: Float32Array | Float64Array,
  outOffset: number,
  blank: number,
  bzero: number,
  bscale: number,
): number {
  let blanks = 0;
  for (let i = 0; i < count; i++) {
    const w = words[i]!;
    const stored = (((w & 0xff) << 24) >> 16) | (w >>> 8);
    if (stored === blank) {
      data[outOffset + i] = Number.NaN;
      blanks++;
    } else data[outOffset + i] = bzero + bscale * stored;
  }
  return blanks;
}

function convert32(
  words: Int32Array,
  count: number,
  data: Float32Array | Float64Array,
  outOffset: number,
  blank: number,
  bzero: number,
  bscale: number,
  identity: boolean,
): number {
  let blanks = 0;
  for (let i = 0; i < count; i++) {
    const w = words[i]!;
    const stored = (w << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24);
    if (stored === blank) {
      data[outOffset + i] = Number.NaN;
      blanks++;
    } else data[outOffset + i] = identity ? stored : bzero + bscale * stored;
  }
  return blanks;
}

/**
 * Big-endian float32 words to native ones, bit for bit (a NaN keeps its payload, as numpy's byte
 * swap does). A word is NaN when its exponent bits are all set and its fraction is not zero.
 * Large runs go to the WebAssembly SIMD kernel (about 4× the speed of this loop); the loop stays
 * for short ones and where the kernel cannot run.
 */
function swapFloat32(words: Int32Array, count: number, out: Int32Array): number {
  const simd = count >= SIMD_SWAP_MIN_WORDS ? simdSwap() : undefined;
  if (simd) return simd.swap32(words, out, count);
  let nans = 0;
  for (let i = 0; i < count; i++) {
    const w = words[i]!;
    const x = (w << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24);
    out[i] = x;
    // Counted without a branch: NaN is rare, but a branch here measured slower than the add.
    nans += (x & 0x7fffffff) > 0x7f800000 ? 1 : 0;
  }
  return nans;
}

function swapFloat64(words: Int32Array, count: number, out: Int32Array): number {
  let nans = 0;
  for (let i = 0, j = 0; i < count; i++, j += 2) {
    const a = words[j]!;
    const b = words[j + 1]!;
    const high = (a << 24) | ((a & 0xff00) << 8) | ((a >>> 8) & 0xff00) | (a >>> 24);
    out[j] = (b << 24) | ((b & 0xff00) << 8) | ((b >>> 8) & 0xff00) | (b >>> 24);
    out[j + 1] = high;
    // NaN: exponent all ones and a fraction that is not zero (in either word).
    const top = high & 0x7fffffff;
    if (top > 0x7ff00000 || (top === 0x7ff00000 && out[j] !== 0)) nans++;
  }
  return nans;
}

/** Any BITPIX, any alignment, any byte order, with a mask: a DataView or byte loads per pixel. */
function convertGeneral(
  bytes: Uint8Array,
  byteOffset: number,
  bitpix: number,
  transform: PixelTransform,
  count: number,
  sink: PixelSink,
  outOffset: number,
): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset + byteOffset, count * (Math.abs(bitpix) / 8));
  const { data, mask } = sink;
  const { bscale, bzero, identity } = transform;
  const blank = transform.blank ?? Number.NaN;
  let blanks = 0;
  switch (bitpix) {
    case 8:
    case 16:
    case 32: {
      // Big-endian words assembled from bytes in one monomorphic loop per width: several times
      // faster than a DataView call per pixel through a shared closure.
      const at = bytes.byteOffset + byteOffset;
      const source = at === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.subarray(byteOffset);
      const size = bitpix / 8;
      for (let i = 0, b = 0; i < count; i++, b += size) {
        const stored =
          size === 1
            ? source[b]!
            : size === 2
              ? ((source[b]! << 24) >> 16) | source[b + 1]!
              : (source[b]! << 24) | (source[b + 1]! << 16) | (source[b + 2]! << 8) | source[b + 3]!;
        if (stored === blank) {
          data[outOffset + i] = Number.NaN;
          if (mask) mask[outOffset + i] = 1;
          blanks++;
        } else {
          data[outOffset + i] = identity ? stored : bzero + bscale * stored;
        }
      }
      break;
    }
    case 64: {
      const blank64 = transform.blank64;
      for (let i = 0; i < count; i++) {
        const high = view.getInt32(i * 8);
        const low = view.getUint32(i * 8 + 4);
        if (blank64 !== undefined && high === blank64.high && low === blank64.low) {
          data[outOffset + i] = Number.NaN;
          if (mask) mask[outOffset + i] = 1;
          blanks++;
        } else if (transform.unsigned64) {
          data[outOffset + i] = ((high ^ 0x80000000) >>> 0) * 4294967296 + low;
        } else {
          // high × 2^32 is exact in a double; adding `low` rounds once, like int64 → float64.
          const stored = high * 4294967296 + low;
          data[outOffset + i] = identity ? stored : bzero + bscale * stored;
        }
      }
      break;
    }
    case -32:
    case -64: {
      for (let i = 0; i < count; i++) {
        const stored = bitpix === -32 ? view.getFloat32(i * 4) : view.getFloat64(i * 8);
        if (Number.isNaN(stored)) {
          data[outOffset + i] = Number.NaN;
          if (mask) mask[outOffset + i] = 1;
          blanks++;
        } else {
          data[outOffset + i] = identity ? stored : bzero + bscale * stored;
        }
      }
      break;
    }
    default:
      throw new RangeError(`BITPIX ${bitpix} is not a FITS data type`);
  }
  sink.blankCount += blanks;
}

/**
 * Converts decoded integers (a decompressed tile, one row segment at a time) into physical values.
 * `nullValue` is the tile's null marker (ZBLANK, else BLANK).
 */
export function convertIntegers(
  values: Int32Array,
  start: number,
  count: number,
  transform: PixelTransform,
  nullValue: number | undefined,
  sink: PixelSink,
  outOffset: number,
): void {
  const { data, mask } = sink;
  const { bscale, bzero, identity } = transform;
  if (identity) {
    // Int32 → float conversion of a whole segment in one native call; nulls are patched after.
    data.set(values.subarray(start, start + count), outOffset);
    if (nullValue === undefined) return;
    let blanks = 0;
    for (let i = 0; i < count; i++) {
      if (values[start + i] === nullValue) {
        data[outOffset + i] = Number.NaN;
        if (mask) mask[outOffset + i] = 1;
        blanks++;
      }
    }
    sink.blankCount += blanks;
    return;
  }
  if (nullValue === undefined) {
    // Unsigned 16-bit frames (BZERO 32768) take this path: no null test per pixel.
    for (let i = 0; i < count; i++) data[outOffset + i] = bzero + bscale * values[start + i]!;
    return;
  }
  let blanks = 0;
  for (let i = 0; i < count; i++) {
    const stored = values[start + i]!;
    if (stored === nullValue) {
      data[outOffset + i] = Number.NaN;
      if (mask) mask[outOffset + i] = 1;
      blanks++;
    } else {
      data[outOffset + i] = bzero + bscale * stored;
    }
  }
  sink.blankCount += blanks;
}

/** Copies floating-point values (a decoded or unquantized tile) into the output, scaling and counting NaN. */
export function convertFloats(
  values: Float32Array | Float64Array,
  start: number,
  count: number,
  transform: PixelTransform,
  sink: PixelSink,
  outOffset: number,
): void {
  const { data, mask } = sink;
  const { bscale, bzero, identity } = transform;
  let blanks = 0;
  for (let i = 0; i < count; i++) {
    const value = values[start + i]!;
    if (Number.isNaN(value)) {
      data[outOffset + i] = Number.NaN;
      if (mask) mask[outOffset + i] = 1;
      blanks++;
    } else {
      data[outOffset + i] = identity ? value : bzero + bscale * value;
    }
  }
  sink.blankCount += blanks;
}
