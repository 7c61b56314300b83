import { tileParameters } from './compression/tile-parameters.js';
import { readCompressedImage } from './compression/tiled-image.js';
import { FitsError, FitsErrorCode } from './errors.js';
import {
  allocatePixels,
  type ImageHdu,
  type ImagePixels,
  pixelsResult,
  plainLayout,
  type ReadImageOptions,
} from './image-region.js';
import { convertBigEndian, pixelTransform } from './pixel-transform.js';
import type { ByteSource } from './types.js';

export type { ImageHdu, ImagePixels, ReadImageOptions } from './image-region.js';

/** Bytes read per source call: large enough to amortize the call, small beside the output. */
const READ_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * The array type `readImage` returns for this HDU: float32 for 8- and 16-bit integers and float32
 * data whose physical values it holds exactly, float64 otherwise. For callers that pass `output`.
 */
export function pixelArrayType(hdu: ImageHdu): 'float32' | 'float64' {
  if (hdu.type === 'COMPRESSED_IMAGE') {
    return pixelTransform(tileParameters(hdu.rawHeader, hdu.index).bitpix, hdu.header).float64 ? 'float64' : 'float32';
  }
  return pixelTransform(hdu.bitpix, hdu.header).float64 ? 'float64' : 'float32';
}

export async function readImage(
  source: ByteSource,
  hdu: ImageHdu,
  options: ReadImageOptions = {},
): Promise<ImagePixels> {
  if (hdu.type === 'COMPRESSED_IMAGE') {
    return readCompressedImage(source, hdu, options);
  }
  if (hdu.type !== 'PRIMARY' && hdu.type !== 'IMAGE') {
    const code = hdu.type === 'RANDOM_GROUPS' ? FitsErrorCode.UNSUPPORTED : FitsErrorCode.OUT_OF_RANGE;
    throw new FitsError(code, `HDU ${hdu.index} is ${hdu.type}, not an image`, { hduIndex: hdu.index });
  }
  return readPlainImage(source, hdu, options);
}

async function readPlainImage(source: ByteSource, hdu: ImageHdu, options: ReadImageOptions): Promise<ImagePixels> {
  const { region, bytesPerPixel, rowBytes, planeBytes } = plainLayout(source, hdu, options);
  const transform = pixelTransform(hdu.bitpix, hdu.header);
  const sink = allocatePixels(region, transform.float64, options, hdu.index);

  const rowsPerChunk = Math.max(1, Math.floor(READ_CHUNK_BYTES / Math.max(1, rowBytes)));
  // Floating-point values that need no scaling are read straight into the output and byte-swapped
  // there: the stored and the returned value have the same size. Others go through one buffer
  // reused for every chunk when the source can fill it, instead of a fresh one per read.
  const inPlace =
    source.readInto !== undefined &&
    (hdu.bitpix === -32 || hdu.bitpix === -64) &&
    transform.identity &&
    sink.data.BYTES_PER_ELEMENT === bytesPerPixel;
  const chunkBytes = Math.min(rowsPerChunk, region.rowEnd - region.rowStart) * rowBytes;
  const scratch =
    source.readInto && chunkBytes > 0 && !inPlace
      ? options.pool
        ? options.pool.bytes(chunkBytes)
        : new Uint8Array(chunkBytes)
      : undefined;
  let out = 0;
  for (const plane of region.planes) {
    for (let row = region.rowStart; row < region.rowEnd; row += rowsPerChunk) {
      const rows = Math.min(rowsPerChunk, region.rowEnd - row);
      const offset = hdu.dataOffset + plane * planeBytes + row * rowBytes;
      const length = rows * rowBytes;
      const into = inPlace
        ? new Uint8Array(sink.data.buffer, sink.data.byteOffset + out * bytesPerPixel, length)
        : scratch?.subarray(0, length);
      const bytes =
        into && source.readInto
          ? into.subarray(0, await source.readInto(offset, into))
          : await source.read(offset, length);
      if (bytes.length < length) {
        throw new FitsError(
          FitsErrorCode.TRUNCATED,
          `HDU ${hdu.index}: the data unit ends at byte ${offset + bytes.length}, inside row ${row + Math.floor(bytes.length / rowBytes)}`,
          { byteOffset: offset + bytes.length, hduIndex: hdu.index },
        );
      }
      // Bytes read into the reader's own buffer may be swapped in place on the way.
      const own = into !== undefined && source.readInto !== undefined;
      convertBigEndian(bytes, 0, hdu.bitpix, transform, rows * region.width, sink, out, own);
      out += rows * region.width;
    }
  }
  return pixelsResult(hdu, region, sink);
}
