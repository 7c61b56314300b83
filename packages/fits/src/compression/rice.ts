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
 * Decodes one RICE_1 tile into `output` (its length is the tile's pixel count). `blockSize` and
 * `bytePix` are the tile's BLOCKSIZE and BYTEPIX (the convention's defaults are 32 and 4). Throws
 * FitsError BAD_COMPRESSION when the stream ends early or holds an impossible FS value.
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

  const fsBits = FS_BITS[bytePix];
  const fsMax = FS_MAX[bytePix];
  const rawBits = bytePix * 8;
  // Sums wrap at the pixel width; `| 0` below is the 32-bit case.
  const valueMask = bytePix === 4 ? -1 : bytePix === 2 ? 0xffff : 0xff;
  // 16-bit values are sign-extended on output; shifting by 0 leaves 8- and 32-bit ones unchanged.
  const signShift = bytePix === 2 ? 16 : 0;

  let lastpix = 0;
  for (let k = 0; k < bytePix; k++) lastpix = (lastpix << 8) | input[k]!;
  let pos = bytePix;
  // Bit buffer: the low `nbits` bits of `b` are the unread bits of the bytes read so far. Between
  // pixels nbits ≤ 7, and during an FS read b holds at most fs + 7 ≤ 31 bits, so it stays a
  // non-negative int32.
  let b = 0;
  let nbits = 0;
  let i = 0;
  while (i < npix) {
    nbits -= fsBits;
    while (nbits < 0) {
      if (pos >= end) throw truncated(i, npix, pos);
      b = (b << 8) | input[pos++]!;
      nbits += 8;
    }
    const fs = (b >>> nbits) - 1;
    b &= (1 << nbits) - 1;
    const imax = Math.min(i + blockSize, npix);

    if (fs < 0) {
      const value = (lastpix << signShift) >> signShift;
      output.fill(value, i, imax);
      i = imax;
    } else if (fs === fsMax) {
      for (; i < imax; i++) {
        let diff = b;
        let need = rawBits - nbits;
        while (need >= 8) {
          if (pos >= end) throw truncated(i, npix, pos);
          diff = (diff << 8) | input[pos++]!;
          need -= 8;
        }
        if (need > 0) {
          if (pos >= end) throw truncated(i, npix, pos);
          const byte = input[pos++]!;
          nbits = 8 - need;
          diff = (diff << need) | (byte >>> nbits);
          b = byte & ((1 << nbits) - 1);
        } else {
          b = 0;
          nbits = 0;
        }
        // Undo the zig-zag mapping without a branch: even → diff/2, odd → ~(diff/2).
        diff = (diff >>> 1) ^ -(diff & 1);
        lastpix = (lastpix + diff) & valueMask;
        output[i] = (lastpix << signShift) >> signShift;
      }
    } else if (fs > fsMax) {
      // Only reachable for BYTEPIX 4 (a 5-bit field holds up to 31): no encoder writes it.
      throw badCompression(ALGORITHM, `invalid FS value ${fs} in the block at pixel ${i}`, pos);
    } else {
      for (; i < imax; i++) {
        // Unary part: skip whole zero bytes, then find the leading one bit.
        while (b === 0) {
          if (pos >= end) throw truncated(i, npix, pos);
          nbits += 8;
          b = input[pos++]!;
        }
        const nzero = nbits - (32 - Math.clz32(b));
        nbits -= nzero + 1;
        b ^= 1 << nbits;
        nbits -= fs;
        while (nbits < 0) {
          if (pos >= end) throw truncated(i, npix, pos);
          b = (b << 8) | input[pos++]!;
          nbits += 8;
        }
        let diff = (nzero << fs) | (b >>> nbits);
        b &= (1 << nbits) - 1;
        diff = (diff >>> 1) ^ -(diff & 1);
        lastpix = (lastpix + diff) & valueMask;
        output[i] = (lastpix << signShift) >> signShift;
      }
    }
  }
}
