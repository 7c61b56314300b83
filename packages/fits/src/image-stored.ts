import { toNativeOrder } from './byte-order.js';
import { FitsError, FitsErrorCode } from './errors.js';
import { type ImageHdu, plainLayout, type ReadImageOptions } from './image-region.js';
import { pixelTransform } from './pixel-transform.js';
import type { ByteSource } from './types.js';

/** A plain image's stored values in the platform's byte order, unscaled. */
export type StoredArray = Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

/**
 * The stored values of an image HDU (or of rows / one plane of it), as the data unit holds them
 * but in native byte order: no BZERO/BSCALE, BLANK left as it is. For callers that want the
 * integers themselves (statistics of counts, copies, exports) or that scale lazily; `readImage`
 * gives physical values.
 */
export interface StoredPixels {
  width: number;
  /** Rows in `data` per plane: rowEnd − rowStart. */
  height: number;
  /** Planes in `data`. */
  depth: number;
  axes: number[];
  rowStart: number;
  rowEnd: number;
  bitpix: number;
  /** BITPIX 8 → Uint8Array, 16 → Int16Array, 32 → Int32Array, 64 → BigInt64Array, −32/−64 → floats. */
  data: StoredArray;
  /** physical = bzero + bscale × stored (1 and 0 when the header has none). */
  bscale: number;
  bzero: number;
  /** Stored value of undefined integer pixels (BLANK), when the header has one below 64 bits. */
  blank: number | undefined;
}

export type ReadStoredOptions = Pick<ReadImageOptions, 'rows' | 'plane' | 'limits' | 'pool'>;

/**
 * Reads a plain image's stored values. The bytes are read straight into the returned array (from
 * `options.pool`'s byte buffer when given: the next read through the pool overwrites it) and
 * byte-swapped there, so the cost is the file read and one pass of swaps, as numpy's
 * `astype('=i2')` of a FITS array. Tile-compressed HDUs are not handled here: `readImage` decodes
 * them.
 */
export async function readStoredImage(
  source: ByteSource,
  hdu: ImageHdu,
  options: ReadStoredOptions = {},
): Promise<StoredPixels> {
  if (hdu.type !== 'PRIMARY' && hdu.type !== 'IMAGE') {
    throw new FitsError(
      FitsErrorCode.UNSUPPORTED,
      `HDU ${hdu.index} is ${hdu.type}: stored values are read from plain images only`,
      {
        hduIndex: hdu.index,
      },
    );
  }
  const { region, bytesPerPixel: size, rowBytes, planeBytes } = plainLayout(source, hdu, options);
  const transform = pixelTransform(hdu.bitpix, hdu.header);
  const partBytes = (region.rowEnd - region.rowStart) * rowBytes;
  const total = partBytes * region.planes.length;
  // The pool's byte buffer starts its own ArrayBuffer, so every typed view of it is aligned.
  const bytes = options.pool ? options.pool.bytes(total) : new Uint8Array(total);
  let at = 0;
  for (const plane of region.planes) {
    const offset = hdu.dataOffset + plane * planeBytes + region.rowStart * rowBytes;
    const target = bytes.subarray(at, at + partBytes);
    let read: number;
    if (source.readInto) read = await source.readInto(offset, target);
    else {
      const part = await source.read(offset, partBytes);
      target.set(part);
      read = part.length;
    }
    if (read < partBytes) {
      throw new FitsError(FitsErrorCode.TRUNCATED, `HDU ${hdu.index}: the data unit ends at byte ${offset + read}`, {
        byteOffset: offset + read,
        hduIndex: hdu.index,
      });
    }
    at += partBytes;
  }
  const count = total / size;
  if (size > 1) toNativeOrder(bytes, size, count);
  return {
    width: region.width,
    height: region.rowEnd - region.rowStart,
    depth: region.planes.length,
    axes: [...hdu.axes],
    rowStart: region.rowStart,
    rowEnd: region.rowEnd,
    bitpix: hdu.bitpix,
    data: storedView(bytes, hdu.bitpix, count),
    bscale: transform.bscale,
    bzero: transform.bzero,
    blank: transform.blank,
  };
}

function storedView(bytes: Uint8Array, bitpix: number, count: number): StoredArray {
  const { buffer, byteOffset } = bytes;
  switch (bitpix) {
    case 16:
      return new Int16Array(buffer, byteOffset, count);
    case 32:
      return new Int32Array(buffer, byteOffset, count);
    case 64:
      return new BigInt64Array(buffer, byteOffset, count);
    case -32:
      return new Float32Array(buffer, byteOffset, count);
    case -64:
      return new Float64Array(buffer, byteOffset, count);
    default:
      return bytes.subarray(0, count);
  }
}
