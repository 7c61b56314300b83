import { badCompression } from './bad-compression.js';
import { inverseHTransform, levelsFor } from './h-transform.js';
import { fitsInt32, inverseHTransformInt32 } from './h-transform-int32.js';
import { BitReader } from './hcompress-bit-reader.js';

/**
 * HCOMPRESS_1 decoding (R. White's H-transform coder; Pence et al. 2009 §4.4; CFITSIO's
 * fits_hdecompress describes the same stream).
 *
 * Stream: magic 0xDD 0x99; nx, ny, scale as big-endian int32; the sum of all pixels as a
 * big-endian int64; the bit-plane counts of the three quadrant groups (3 bytes); then, MSB first,
 * the bit planes of the four coefficient quadrants, each plane quadtree-coded (nybble 0xF and
 * Huffman-coded 4-bit codes) or written directly (nybble 0, one nybble per 2×2 block); an end
 * nybble 0; and, from the next byte boundary, one sign bit per non-zero coefficient.
 * Coefficients are then multiplied by `scale` and the inverse H-transform gives the pixels.
 *
 * Axis naming: HCOMPRESS calls the slow axis x and the fast axis y, the transpose of FITS. The
 * stream's nx is the tile's height (FITS axis 2) and ny its width (FITS axis 1); the output is
 * row-major with FITS axis 1 fastest, which is HCOMPRESS's a[x][y] order unchanged.
 */

const ALGORITHM = 'HCOMPRESS_1';
const MAGIC_0 = 0xdd;
const MAGIC_1 = 0x99;
/** Magic, nx, ny, scale, the int64 sum and three bit-plane counts. */
const HEADER_BYTES = 2 + 4 + 4 + 4 + 8 + 3;
/**
 * Coefficients are carried in float64 (see h-transform.ts). A genuine tile of 32-bit pixels needs
 * about 33 + log2(tile side) planes; more than 52 cannot be exact and is not a real stream.
 */
const MAX_BIT_PLANES = 52;
/** Bit planes held in the low int32 word of a coefficient; the rest go to a second array. */
const LOW_BITS = 30;

/**
 * Expands an (nx+1)/2 × (ny+1)/2 array of 4-bit codes in place into nx × ny one-bit flags (bit 3
 * of a code is [2i][2j], bit 2 [2i][2j+1], bit 1 [2i+1][2j], bit 0 [2i+1][2j+1]), then replaces
 * each set flag, last to first, by the next Huffman code.
 */
function expandQuadtree(reader: BitReader, codes: Uint8Array, nx: number, ny: number): void {
  const sourceStride = (ny + 1) >> 1;
  // Backwards, so that no code is overwritten before it is read.
  for (let i = ((nx + 1) >> 1) - 1; i >= 0; i--) {
    for (let j = sourceStride - 1; j >= 0; j--) {
      const code = codes[i * sourceStride + j]!;
      const s00 = 2 * i * ny + 2 * j;
      const hasY = 2 * j + 1 < ny;
      if (2 * i + 1 < nx) {
        codes[s00 + ny] = (code >> 1) & 1;
        if (hasY) codes[s00 + ny + 1] = code & 1;
      }
      if (hasY) codes[s00 + 1] = (code >> 2) & 1;
      codes[s00] = (code >> 3) & 1;
    }
  }
  for (let i = nx * ny - 1; i >= 0; i--) {
    if (codes[i] !== 0) codes[i] = reader.huffman();
  }
}

/**
 * Sets bit `bit` (< 30) of the quadrant's coefficients whose flag the 4-bit codes carry (layout as
 * above). Interior 2 × 2 blocks are written without branches: noise planes are half ones.
 */
function insertBitPlane(
  codes: Uint8Array,
  nqx: number,
  nqy: number,
  a: Int32Array,
  offset: number,
  stride: number,
  bit: number,
): void {
  let k = 0;
  const evenY = nqy & ~1;
  for (let i = 0; i < nqx; i += 2) {
    let s00 = offset + i * stride;
    let j = 0;
    if (i + 1 < nqx) {
      for (; j < evenY; j += 2, k++, s00 += 2) {
        const code = codes[k]!;
        if (code === 0) continue;
        a[s00] = a[s00]! | (((code >> 3) & 1) << bit);
        a[s00 + 1] = a[s00 + 1]! | (((code >> 2) & 1) << bit);
        a[s00 + stride] = a[s00 + stride]! | (((code >> 1) & 1) << bit);
        a[s00 + stride + 1] = a[s00 + stride + 1]! | ((code & 1) << bit);
      }
    }
    // Edge blocks: the last row of an odd nqx, the last column of an odd nqy.
    for (; j < nqy; j += 2, k++, s00 += 2) {
      const code = codes[k]!;
      const hasX = i + 1 < nqx;
      const hasY = j + 1 < nqy;
      a[s00] = a[s00]! | (((code >> 3) & 1) << bit);
      if (hasY) a[s00 + 1] = a[s00 + 1]! | (((code >> 2) & 1) << bit);
      if (hasX) a[s00 + stride] = a[s00 + stride]! | (((code >> 1) & 1) << bit);
      if (hasX && hasY) a[s00 + stride + 1] = a[s00 + stride + 1]! | ((code & 1) << bit);
    }
  }
}

/**
 * Decodes the bit planes of one nqx × nqy quadrant (row stride `stride`), most significant first.
 * Planes 0–29 go to `low`, planes 30 and up (ZBITPIX 32 tiles only) to `high` as bits 0–22.
 */
function decodeQuadrant(
  reader: BitReader,
  low: Int32Array,
  high: Int32Array | undefined,
  offset: number,
  stride: number,
  nqx: number,
  nqy: number,
  bitPlanes: number,
): void {
  if (bitPlanes === 0) return;
  const levels = levelsFor(Math.max(nqx, nqy, 1));
  // Holds the largest expansion; an empty quadrant (nqx or nqy 0) still expands a 1-wide tree.
  const codes = new Uint8Array(Math.max(1, (nqx + 1) >> 1) * Math.max(1, (nqy + 1) >> 1));
  const blocks = ((nqx + 1) >> 1) * ((nqy + 1) >> 1);
  for (let bit = bitPlanes - 1; bit >= 0; bit--) {
    const format = reader.bits(4);
    if (format === 0) {
      // Written directly: one nybble per 2×2 block.
      reader.nybbles(codes, blocks);
    } else if (format === 0xf) {
      codes[0] = reader.huffman();
      let nx = 1;
      let ny = 1;
      let nfx = nqx;
      let nfy = nqy;
      let c = 2 ** levels;
      for (let k = 1; k < levels; k++) {
        // The quadtree grows by halvings of nqx and nqy rounded up, ending at (nqx+1)/2 × (nqy+1)/2.
        c /= 2;
        nx *= 2;
        ny *= 2;
        if (nfx <= c) nx -= 1;
        else nfx -= c;
        if (nfy <= c) ny -= 1;
        else nfy -= c;
        expandQuadtree(reader, codes, nx, ny);
      }
    } else {
      throw badCompression(ALGORITHM, `bad bit-plane format code ${format}`, reader.pos);
    }
    if (bit < LOW_BITS) insertBitPlane(codes, nqx, nqy, low, offset, stride, bit);
    else insertBitPlane(codes, nqx, nqy, high!, offset, stride, bit - LOW_BITS);
  }
}

function readInt32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
}

/**
 * Decodes one HCOMPRESS_1 tile of `tileWidth` × `tileHeight` pixels (FITS axes 1 and 2) into
 * `output` (exactly that many values, axis 1 fastest). `smooth` is the tile's ZVAL for SMOOTH.
 * Values are the tile's integers before ZSCALE/ZZERO; lossy tiles of 8- or 16-bit images can come
 * out slightly beyond the ZBITPIX range and must be clamped to it, as CFITSIO does. Throws
 * FitsError BAD_COMPRESSION for anything that is not a complete stream for this tile.
 */
export function hcompressDecode(
  input: Uint8Array,
  output: Int32Array,
  tileWidth: number,
  tileHeight: number,
  smooth: boolean,
): void {
  if (!Number.isInteger(tileWidth) || !Number.isInteger(tileHeight) || tileWidth < 1 || tileHeight < 1) {
    throw badCompression(ALGORITHM, `bad tile size ${tileWidth} × ${tileHeight}`);
  }
  if (output.length !== tileWidth * tileHeight) {
    throw badCompression(ALGORITHM, `output holds ${output.length} values, the tile ${tileWidth * tileHeight}`);
  }
  if (input.length < HEADER_BYTES) throw badCompression(ALGORITHM, 'compressed tile is shorter than its header', 0);
  if (input[0] !== MAGIC_0 || input[1] !== MAGIC_1) throw badCompression(ALGORITHM, 'bad magic number', 0);
  // HCOMPRESS's nx is the slow axis: the tile's height.
  const nx = readInt32(input, 2);
  const ny = readInt32(input, 6);
  const scale = readInt32(input, 10);
  if (nx !== tileHeight || ny !== tileWidth) {
    throw badCompression(ALGORITHM, `stream holds ${ny} × ${nx} pixels, the tile is ${tileWidth} × ${tileHeight}`, 2);
  }
  // Exact below 2^53, which every genuine sum of ≤ 32-bit pixels over a tile is.
  const sumAll = readInt32(input, 14) * 2 ** 32 + (readInt32(input, 18) >>> 0);
  const planes = [input[22]!, input[23]!, input[24]!] as const;
  for (const p of planes) {
    if (p > MAX_BIT_PLANES) throw badCompression(ALGORITHM, `${p} bit planes is more than any real tile needs`, 22);
  }

  // Magnitudes are decoded straight into `output` (bits 0–29) and, for tiles with more planes,
  // a second int32 array (bits 30 and up); signs follow.
  const n = nx * ny;
  const maxPlanes = Math.max(...planes);
  output.fill(0);
  const high = maxPlanes > LOW_BITS ? new Int32Array(n) : undefined;
  const nx2 = (nx + 1) >> 1;
  const ny2 = (ny + 1) >> 1;
  const reader = new BitReader(input, HEADER_BYTES);
  // Quadrants: sums [0, nx2) × [0, ny2), y differences, x differences, cross differences.
  decodeQuadrant(reader, output, high, 0, ny, nx2, ny2, planes[0]);
  decodeQuadrant(reader, output, high, ny2, ny, nx2, ny >> 1, planes[1]);
  decodeQuadrant(reader, output, high, ny * nx2, ny, nx >> 1, ny2, planes[1]);
  decodeQuadrant(reader, output, high, ny * nx2 + ny2, ny, nx >> 1, ny >> 1, planes[2]);
  if (reader.bits(4) !== 0) throw badCompression(ALGORITHM, 'missing end-of-planes code', reader.pos);
  reader.alignToByte();

  // CFITSIO multiplies by the scale only when it is above 1.
  const factor = Math.max(scale, 1);
  const maxCoefficient = (2 ** maxPlanes - 1) * factor;
  if (high === undefined) {
    reader.applySigns(output);
    // Most 8- and 16-bit tiles fit the faster int32 inverse; the rest (ZBITPIX 32, smoothing) run
    // in float64. Both give the same pixels.
    if (!smooth && fitsInt32(sumAll * factor, maxCoefficient, nx, ny)) {
      output[0] = sumAll;
      if (factor > 1) for (let i = 0; i < n; i++) output[i] = output[i]! * factor;
      inverseHTransformInt32(output, nx, ny);
      return;
    }
  }
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = (high === undefined ? 0 : high[i]! * 2 ** LOW_BITS) + output[i]!;
  if (high !== undefined) reader.applySigns(a);
  a[0] = sumAll;
  if (factor > 1) for (let i = 0; i < n; i++) a[i] = a[i]! * factor;
  inverseHTransform(a, nx, ny, smooth, scale);
  // Int32Array assignment wraps modulo 2^32, as CFITSIO's (int) cast of its 64-bit results does.
  output.set(a);
}
