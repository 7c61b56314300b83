import { FitsError, FitsErrorCode } from '../errors.js';
import type { Inflate } from '../inflate.js';
import type { PixelTransform } from '../pixel-transform.js';
import { hcompressDecode } from './hcompress.js';
import { plioDecode } from './plio.js';
import { riceDecode } from './rice.js';
import { SIMD_TILE_MIN_PIXELS, simdTiles } from './simd-tiles.js';
import type { TileParameters } from './tile-parameters.js';

/** Typed-array views read in the platform's byte order (little-endian on every machine we know of). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Limits of the integers a ZBITPIX stores (8-bit FITS data are unsigned). */
const STORED_RANGE: Partial<Record<number, [number, number]>> = { 8: [0, 255], 16: [-32768, 32767] };

export function clampToStoredType(values: Int32Array, bitpix: number): void {
  const range = STORED_RANGE[bitpix];
  if (!range) return;
  const [min, max] = range;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) values[i] = min;
    else if (v > max) values[i] = max;
  }
}

/**
 * Turns the compressed bytes of one tile into its integers (in the tile's own order, NAXIS1
 * fastest). The bit-level decoders live beside this file; this is only the dispatch and the
 * byte-level steps around them (inflate, unshuffle, big-endian words).
 */
export interface TileGeometry {
  /** Pixels in the tile. */
  pixelCount: number;
  /** Extent of the tile along NAXIS1 and NAXIS2 (HCOMPRESS_1 needs them). */
  width: number;
  height: number;
  /** Bytes per integer in GZIP and NOCOMPRESS streams: |ZBITPIX|/8, or 4 for quantized floats. */
  integerBytes: 1 | 2 | 4 | 8;
}

export async function decodeIntegerTile(
  params: TileParameters,
  compressed: Uint8Array,
  geometry: TileGeometry,
  inflate: Inflate,
  /** Where to decode (reused from tile to tile); a new array when absent. */
  out: Int32Array = new Int32Array(geometry.pixelCount),
): Promise<Int32Array> {
  const decoded = decodeIntegerTileNow(params, compressed, geometry, out);
  if (decoded) return decoded;
  // GZIP_1 / GZIP_2. Writers differ in the integer width they gzip (nom-tam-fits writes 16-bit
  // images as 32-bit integers), so the width is what the inflated length says it is, as astropy does.
  const bytes = await inflate(compressed, geometry.pixelCount * 8);
  const width = bytes.length / geometry.pixelCount;
  if (width !== 1 && width !== 2 && width !== 4 && width !== 8) {
    throw new FitsError(
      FitsErrorCode.BAD_COMPRESSION,
      `${params.algorithm}: tile inflates to ${bytes.length} bytes, not a whole number of integers for ${geometry.pixelCount} pixels`,
    );
  }
  if (params.algorithm === 'GZIP_2' && width !== 1) readShuffledIntegers(bytes, width, out);
  else readIntegers(bytes, width, out);
  return out;
}

/**
 * The algorithms that need no inflate, synchronously (undefined for GZIP_1 / GZIP_2): a tile whose
 * bytes are in memory already is then decoded without a promise, as RICE_1 tiles mostly are.
 */
export function decodeIntegerTileNow(
  params: TileParameters,
  compressed: Uint8Array,
  geometry: TileGeometry,
  out: Int32Array,
): Int32Array | undefined {
  switch (params.algorithm) {
    case 'RICE_1':
      if (params.bytePix === 8) return unsupported('RICE_1 with BYTEPIX 8');
      riceDecode(compressed, out, params.blockSize, params.bytePix);
      return out;
    case 'PLIO_1': {
      // PLIO line lists are 16-bit words (the column is 1PI): big-endian in the heap.
      const view = new DataView(compressed.buffer, compressed.byteOffset, compressed.byteLength);
      const words = new Int16Array(compressed.byteLength >> 1);
      for (let i = 0; i < words.length; i++) words[i] = view.getInt16(i * 2);
      plioDecode(words, out);
      return out;
    }
    case 'HCOMPRESS_1':
      hcompressDecode(compressed, out, geometry.width, geometry.height, params.hcompressSmooth);
      // Lossy HCOMPRESS (SCALE > 0) can overshoot the stored type by a few counts (−32782 in a
      // 16-bit frame); CFITSIO clamps, and without it a saturated star would wrap to black.
      if (params.hcompressScale > 0) clampToStoredType(out, params.bitpix);
      return out;
    case 'NOCOMPRESS':
      checkLength('NOCOMPRESS', compressed.length, geometry.pixelCount * geometry.integerBytes);
      readIntegers(compressed, geometry.integerBytes, out);
      return out;
    case 'GZIP_1':
    case 'GZIP_2':
      return undefined;
  }
}

/**
 * A tile of unquantized floating-point values: GZIP_COMPRESSED_DATA (the lossless fallback for
 * tiles that cannot be quantized), GZIP_1/GZIP_2 of a float image compressed losslessly
 * (`fpack -q 0`), or the raw big-endian values of NOCOMPRESS / UNCOMPRESSED_DATA.
 */
export async function decodeFloatTile(
  algorithm: 'GZIP_1' | 'GZIP_2' | 'NOCOMPRESS',
  compressed: Uint8Array,
  pixelCount: number,
  floatBytes: 4 | 8,
  inflate: Inflate,
): Promise<Float32Array | Float64Array> {
  const size = pixelCount * floatBytes;
  let bytes = algorithm === 'NOCOMPRESS' ? compressed : await inflate(compressed, size);
  checkLength(algorithm, bytes.length, size);
  if (algorithm === 'GZIP_2') bytes = unshuffle(bytes, floatBytes);
  const out = floatBytes === 4 ? new Float32Array(pixelCount) : new Float64Array(pixelCount);
  // Assembled into the output's own 32-bit words, bit for bit, without a DataView call per value.
  // A float64 is two words: on a little-endian host the low word comes first in memory.
  const words = new Uint32Array(out.buffer);
  const step = floatBytes / 4;
  for (let i = 0, b = 0; i < words.length; i += step) {
    for (let k = step - 1; k >= 0; k--, b += 4) {
      words[i + (LITTLE_ENDIAN ? k : step - 1 - k)] =
        (bytes[b]! << 24) | (bytes[b + 1]! << 16) | (bytes[b + 2]! << 8) | bytes[b + 3]!;
    }
  }
  return out;
}

/**
 * GZIP_2 integers read straight from their byte planes (most significant bytes of every value
 * first, then the next; see `unshuffle`), without unshuffling into a second array first.
 */
export function readShuffledIntegers(bytes: Uint8Array, size: 2 | 4 | 8, out: Int32Array): void {
  const count = out.length;
  if (size === 2) {
    for (let i = 0; i < count; i++) out[i] = ((bytes[i]! << 24) >> 16) | bytes[count + i]!;
    return;
  }
  if (size === 4 && LITTLE_ENDIAN && count % 4 === 0 && bytes.byteOffset % 4 === 0) {
    // Four pixels at a time: one 32-bit word from each plane holds one byte of each of them
    // (quantized float tiles; 1.7× the speed of four byte loads per pixel).
    const quarter = count >>> 2;
    const planes = new Int32Array(bytes.buffer, bytes.byteOffset, count);
    for (let j = 0, k = 0; j < quarter; j++, k += 4) {
      const a = planes[j]!;
      const b = planes[quarter + j]!;
      const c = planes[2 * quarter + j]!;
      const d = planes[3 * quarter + j]!;
      out[k] = ((a & 0xff) << 24) | ((b & 0xff) << 16) | ((c & 0xff) << 8) | (d & 0xff);
      out[k + 1] = ((a & 0xff00) << 16) | ((b & 0xff00) << 8) | (c & 0xff00) | ((d >>> 8) & 0xff);
      out[k + 2] = ((a & 0xff0000) << 8) | (b & 0xff0000) | ((c >>> 8) & 0xff00) | ((d >>> 16) & 0xff);
      out[k + 3] = (a & 0xff000000) | ((b >>> 8) & 0xff0000) | ((c >>> 16) & 0xff00) | (d >>> 24);
    }
    return;
  }
  if (size === 4) {
    const c2 = 2 * count;
    const c3 = 3 * count;
    for (let i = 0; i < count; i++) {
      out[i] = (bytes[i]! << 24) | (bytes[count + i]! << 16) | (bytes[c2 + i]! << 8) | bytes[c3 + i]!;
    }
    return;
  }
  readIntegers(unshuffle(bytes, size), size, out);
}

/**
 * GZIP_2 16-bit values straight to physical values, for tiles without nulls whose physical value is
 * the stored one or the stored one + 32768 (BZERO 32768). Into float32 in the SIMD kernels where
 * they run (`simdTiles`); else the two byte planes are interleaved four
 * pixels at a time through 32-bit words into `scratch` as little-endian int16 (sign bits flipped in
 * the unsigned case, see `convert16InPlace`), then one native `set` converts them. About 1.5× the
 * speed of building int32 values pixel by pixel. False when the tile is not such a case (the caller
 * then takes the general path): nulls, other scaling, a big-endian host, a count that is not a
 * multiple of 4 or planes not 4-byte aligned.
 */
export function convertShuffled16(
  bytes: Uint8Array,
  count: number,
  transform: PixelTransform,
  nullValue: number | undefined,
  scratch: Int32Array,
  out: Float32Array | Float64Array,
): boolean {
  const unsigned = transform.bscale === 1 && transform.bzero === 32768;
  if (nullValue !== undefined || !(transform.identity || unsigned) || bytes.length < 2 * count) return false;
  const kernels = count >= SIMD_TILE_MIN_PIXELS ? simdTiles() : undefined;
  if (kernels && out instanceof Float32Array) {
    kernels.shuffled16(bytes, count, unsigned ? 32768 : 0, out);
    return true;
  }
  if (!LITTLE_ENDIAN) return false;
  if (count % 4 !== 0 || bytes.byteOffset % 4 !== 0 || bytes.length < 2 * count || scratch.length * 2 < count) {
    return false;
  }
  const high = new Int32Array(bytes.buffer, bytes.byteOffset, count >>> 2);
  const low = new Int32Array(bytes.buffer, bytes.byteOffset + count, count >>> 2);
  const flip = unsigned ? 0x80008000 | 0 : 0;
  for (let j = 0, k = 0; j < high.length; j++, k += 2) {
    const h = high[j]!;
    const l = low[j]!;
    scratch[k] = ((l & 0xff) | ((h & 0xff) << 8) | ((l & 0xff00) << 8) | ((h & 0xff00) << 16)) ^ flip;
    scratch[k + 1] = (((l >>> 16) & 0xff) | ((h >>> 8) & 0xff00) | ((l >>> 8) & 0xff0000) | (h & 0xff000000)) ^ flip;
  }
  const values = unsigned
    ? new Uint16Array(scratch.buffer, scratch.byteOffset, count)
    : new Int16Array(scratch.buffer, scratch.byteOffset, count);
  out.set(values);
  return true;
}

/** Raw big-endian integers of UNCOMPRESSED_DATA (element type from the column's TFORM). */
export function readIntegers(bytes: Uint8Array, size: number, out: Int32Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = out.length;
  switch (size) {
    case 1:
      out.set(bytes.subarray(0, count));
      return;
    case 2:
      for (let i = 0, b = 0; i < count; i++, b += 2) out[i] = ((bytes[b]! << 24) >> 16) | bytes[b + 1]!;
      return;
    case 4:
      if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
        // Whole words swapped with shifts: about twice the speed of four byte loads per value.
        const words = new Int32Array(bytes.buffer, bytes.byteOffset, count);
        for (let i = 0; i < count; i++) {
          const w = words[i]!;
          out[i] = (w << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24);
        }
        return;
      }
      for (let i = 0, b = 0; i < count; i++, b += 4) {
        out[i] = (bytes[b]! << 24) | (bytes[b + 1]! << 16) | (bytes[b + 2]! << 8) | bytes[b + 3]!;
      }
      return;
    case 8:
      for (let i = 0; i < count; i++) {
        const high = view.getInt32(i * 8);
        const low = view.getInt32(i * 8 + 4);
        // Only 64-bit words that hold a 32-bit value fit the tile's integers.
        if (high !== low >> 31) {
          throw new FitsError(FitsErrorCode.BAD_COMPRESSION, `64-bit tile value at ${i} does not fit 32 bits`);
        }
        out[i] = low;
      }
      return;
    default:
      throw new FitsError(FitsErrorCode.UNSUPPORTED, `${size * 8}-bit integers in compressed tiles are not supported`);
  }
}

/**
 * GZIP_2 stores the most significant byte of every value first, then the next byte of every value,
 * and so on (byte shuffling improves the compression of smooth data). This undoes it.
 */
export function unshuffle(bytes: Uint8Array, size: number): Uint8Array {
  if (size === 1) return bytes;
  const count = bytes.length / size;
  const out = new Uint8Array(bytes.length);
  for (let k = 0; k < size; k++) {
    const plane = k * count;
    for (let i = 0; i < count; i++) out[i * size + k] = bytes[plane + i]!;
  }
  return out;
}

function checkLength(algorithm: string, actual: number, expected: number): void {
  if (actual !== expected) {
    throw new FitsError(
      FitsErrorCode.BAD_COMPRESSION,
      `${algorithm}: tile holds ${actual} bytes, expected ${expected}`,
    );
  }
}

function unsupported(algorithm: string): never {
  throw new FitsError(FitsErrorCode.UNSUPPORTED, `${algorithm} tiles cannot be decoded`);
}
