import { badCompression } from './bad-compression.js';
import { inverseHTransform, levelsFor } from './h-transform.js';

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

/** MSB-first bit reader over the tile's bytes; reading past the end is BAD_COMPRESSION. */
class BitReader {
  private buffer = 0;
  private bitsLeft = 0;

  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
  ) {}

  private nextByte(): number {
    if (this.pos >= this.bytes.length) {
      throw badCompression(ALGORITHM, 'compressed tile ends inside the coefficient bit stream', this.pos);
    }
    return this.bytes[this.pos++]!;
  }

  /** Drops the rest of the current byte: the next read starts at a byte boundary. */
  alignToByte(): void {
    this.bitsLeft = 0;
  }

  bit(): number {
    if (this.bitsLeft === 0) {
      this.buffer = this.nextByte();
      this.bitsLeft = 8;
    }
    this.bitsLeft--;
    return (this.buffer >> this.bitsLeft) & 1;
  }

  /** n ≤ 8 bits as an unsigned number. */
  bits(n: number): number {
    if (this.bitsLeft < n) {
      this.buffer = ((this.buffer << 8) | this.nextByte()) & 0xffff;
      this.bitsLeft += 8;
    }
    this.bitsLeft -= n;
    return (this.buffer >> this.bitsLeft) & ((1 << n) - 1);
  }

  /**
   * One quadtree code: 3-bit codes for 1, 2, 4, 8; 4-bit for 3, 5, 10, 12, 15; 5-bit for 6, 7,
   * 9, 11, 13; 6-bit for 0 and 14 (the fixed table of the H-compress coder).
   */
  huffman(): number {
    let c = this.bits(3);
    if (c < 4) return 1 << c;
    c = (c << 1) | this.bit();
    switch (c) {
      case 8:
        return 3;
      case 9:
        return 5;
      case 10:
        return 10;
      case 11:
        return 12;
      case 12:
        return 15;
    }
    c = (c << 1) | this.bit();
    switch (c) {
      case 26:
        return 6;
      case 27:
        return 7;
      case 28:
        return 9;
      case 29:
        return 11;
      case 30:
        return 13;
    }
    c = (c << 1) | this.bit();
    return c === 62 ? 0 : 14;
  }
}

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

/** Adds `planeValue` to the quadrant's coefficients whose bit the 4-bit codes set (layout as above). */
function insertBitPlane(
  codes: Uint8Array,
  nqx: number,
  nqy: number,
  a: Float64Array,
  offset: number,
  stride: number,
  planeValue: number,
): void {
  let k = 0;
  for (let i = 0; i < nqx; i += 2) {
    const hasX = i + 1 < nqx;
    for (let j = 0; j < nqy; j += 2, k++) {
      const code = codes[k]!;
      if (code === 0) continue;
      const s00 = offset + i * stride + j;
      const hasY = j + 1 < nqy;
      if (code & 8) a[s00] = a[s00]! + planeValue;
      if (hasY && code & 4) a[s00 + 1] = a[s00 + 1]! + planeValue;
      if (hasX && code & 2) a[s00 + stride] = a[s00 + stride]! + planeValue;
      if (hasX && hasY && code & 1) a[s00 + stride + 1] = a[s00 + stride + 1]! + planeValue;
    }
  }
}

/** Decodes the bit planes of one nqx × nqy quadrant of `a` (row stride `stride`), most significant first. */
function decodeQuadrant(
  reader: BitReader,
  a: Float64Array,
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
      for (let i = 0; i < blocks; i++) codes[i] = reader.bits(4);
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
    insertBitPlane(codes, nqx, nqy, a, offset, stride, 2 ** bit);
  }
}

function readInt32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
}

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

  const a = new Float64Array(nx * ny);
  const nx2 = (nx + 1) >> 1;
  const ny2 = (ny + 1) >> 1;
  const reader = new BitReader(input, HEADER_BYTES);
  // Quadrants: sums [0, nx2) × [0, ny2), y differences, x differences, cross differences.
  decodeQuadrant(reader, a, 0, ny, nx2, ny2, planes[0]);
  decodeQuadrant(reader, a, ny2, ny, nx2, ny >> 1, planes[1]);
  decodeQuadrant(reader, a, ny * nx2, ny, nx >> 1, ny2, planes[1]);
  decodeQuadrant(reader, a, ny * nx2 + ny2, ny, nx >> 1, ny >> 1, planes[2]);
  if (reader.bits(4) !== 0) throw badCompression(ALGORITHM, 'missing end-of-planes code', reader.pos);

  reader.alignToByte();
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== 0 && reader.bit() === 1) a[i] = -a[i]!;
  }
  a[0] = sumAll;
  if (scale > 1) for (let i = 0; i < a.length; i++) a[i] = a[i]! * scale;

  inverseHTransform(a, nx, ny, smooth, scale);
  // Int32Array assignment wraps modulo 2^32, as CFITSIO's (int) cast of its 64-bit results does.
  output.set(a);
}
