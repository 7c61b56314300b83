import { DEFAULT_LIMITS, type Limits } from './constants.js';
import { FitsError, FitsErrorCode } from './errors.js';
import type { Inflate } from './inflate.js';
import type { PixelPool } from './pixel-pool.js';
import type { PixelSink } from './pixel-transform.js';
import type { ByteSource, HduType, HeaderLike } from './types.js';

/** Pixels of an image HDU (or of rows / one plane of it), as physical values. */
export interface ImagePixels {
  /** NAXIS1. */
  width: number;
  /** Rows in `data` per plane: rowEnd − rowStart. */
  height: number;
  /** Planes in `data` (1 when `plane` was asked for). */
  depth: number;
  /** NAXISn of the whole image (ZNAXISn for a compressed one). */
  axes: number[];
  rowStart: number;
  rowEnd: number;
  /** Plane after plane, row after row, NAXIS1 fastest. */
  data: Float32Array | Float64Array;
  /** Pixels that are undefined: BLANK in integer data, NaN in floating-point data. */
  blankCount: number;
  /** 1 where the pixel is undefined, with `blank: 'mask'`. */
  mask?: Uint8Array;
}

export interface ReadImageOptions {
  /** Rows of each plane, 0-based, `end` exclusive. Only these rows' bytes are read. */
  rows?: { start: number; end: number };
  /** One plane (0-based index over NAXIS3 × NAXIS4 …) instead of all of them. */
  plane?: number;
  /** Undefined pixels are NaN either way; 'mask' also returns a mask. */
  blank?: 'nan' | 'mask';
  /** Used for GZIP_1/GZIP_2 tiles; defaults to the standard DecompressionStream. */
  inflate?: Inflate;
  limits?: Partial<Limits>;
  /**
   * Where to write the pixels: at least as many values as the read covers, of the type the image
   * reads as (`pixelArrayType`). `data` is then a view of its start. A shorter array or the other
   * type is a FITS_OUT_OF_RANGE error, thrown before anything is read.
   */
  output?: Float32Array | Float64Array;
  /**
   * Arrays reused across reads (`createPixelPool`): the output, the mask and read buffers come
   * from it. The next read through the same pool overwrites this read's `data`.
   */
  pool?: PixelPool;
}

/**
 * The part of an HDU the pixel reader needs. The HDU layer's `Hdu` satisfies it; tests build it by
 * hand.
 */
export interface ImageHdu {
  readonly index: number;
  readonly type: HduType;
  /** For a compressed image, the header of the image it holds (BSCALE, BZERO, BLANK…). */
  readonly header: HeaderLike;
  /** For a compressed image, the BINTABLE header as written (ZIMAGE, ZCMPTYPE, TFORMn…). */
  readonly rawHeader: HeaderLike;
  readonly dataOffset: number;
  readonly dataLength: number;
  readonly bitpix: number;
  readonly axes: readonly number[];
}

/** What part of the image a request covers, checked against the image's axes. */
export interface ImageRegion {
  width: number;
  height: number;
  planeCount: number;
  rowStart: number;
  rowEnd: number;
  planes: number[];
  pixelCount: number;
}

/** Checks the requested rows and plane against NAXISn and the pixel limit, before any allocation. */
export function imageRegion(hdu: ImageHdu, options: ReadImageOptions): ImageRegion {
  const axes = hdu.axes;
  const width = axes.length === 0 ? 0 : axes[0]!;
  const height = axes.length === 0 ? 0 : (axes[1] ?? 1);
  let planeCount = axes.length === 0 ? 0 : 1;
  for (let i = 2; i < axes.length; i++) planeCount *= axes[i]!;

  const rowStart = options.rows?.start ?? 0;
  const rowEnd = options.rows?.end ?? height;
  if (
    !Number.isInteger(rowStart) ||
    !Number.isInteger(rowEnd) ||
    rowStart < 0 ||
    rowEnd > height ||
    rowStart > rowEnd
  ) {
    throw new FitsError(
      FitsErrorCode.OUT_OF_RANGE,
      `rows ${rowStart}–${rowEnd} are outside the image's ${height} rows (0-based, end exclusive)`,
      { hduIndex: hdu.index },
    );
  }
  const maxPixels = options.limits?.maxPixelsInMemory ?? DEFAULT_LIMITS.maxPixelsInMemory;
  if (options.plane !== undefined) {
    if (!Number.isInteger(options.plane) || options.plane < 0 || options.plane >= planeCount) {
      throw new FitsError(
        FitsErrorCode.OUT_OF_RANGE,
        `plane ${options.plane} is outside the image's ${planeCount} planes`,
        {
          hduIndex: hdu.index,
        },
      );
    }
  }
  const planesWanted = options.plane === undefined ? planeCount : 1;
  const pixelCount = width * (rowEnd - rowStart) * planesWanted;
  // Planes are counted too: a header may declare billions of empty (NAXIS1 = 0) planes.
  if (pixelCount > maxPixels || planesWanted > maxPixels) {
    throw new FitsError(
      FitsErrorCode.TOO_LARGE,
      `HDU ${hdu.index}: ${pixelCount} pixels in ${planesWanted} planes requested, over the limit of ${maxPixels}; read fewer rows or one plane`,
      { hduIndex: hdu.index },
    );
  }
  const planes = options.plane === undefined ? Array.from({ length: planeCount }, (_, i) => i) : [options.plane];
  return { width, height, planeCount, rowStart, rowEnd, planes, pixelCount };
}

export function allocatePixels(
  region: ImageRegion,
  float64: boolean,
  options: ReadImageOptions,
  hduIndex?: number,
): PixelSink {
  const count = region.pixelCount;
  const { output, pool } = options;
  if (output) {
    const wanted = float64 ? 'Float64Array' : 'Float32Array';
    const given = output instanceof Float64Array ? 'Float64Array' : 'Float32Array';
    const position = hduIndex === undefined ? {} : { hduIndex };
    if (given !== wanted) {
      throw new FitsError(
        FitsErrorCode.OUT_OF_RANGE,
        `the output is a ${given}, but this image reads as ${wanted} (see pixelArrayType)`,
        position,
      );
    }
    if (output.length < count) {
      throw new FitsError(
        FitsErrorCode.OUT_OF_RANGE,
        `the output holds ${output.length} values, but the read covers ${count} pixels`,
        position,
      );
    }
  }
  try {
    const data = output
      ? output.subarray(0, count)
      : pool
        ? float64
          ? pool.float64(count)
          : pool.float32(count)
        : float64
          ? new Float64Array(count)
          : new Float32Array(count);
    const mask = options.blank === 'mask' ? (pool ? pool.mask(count) : new Uint8Array(count)) : undefined;
    return { data, mask, blankCount: 0 };
  } catch (error) {
    // Within the limit but more than this process can have now: still the caller's to handle.
    if (!(error instanceof RangeError)) throw error;
    throw new FitsError(FitsErrorCode.TOO_LARGE, `cannot allocate ${count} pixels: ${error.message}`);
  }
}

export function pixelsResult(hdu: ImageHdu, region: ImageRegion, sink: PixelSink): ImagePixels {
  const result: ImagePixels = {
    width: region.width,
    height: region.rowEnd - region.rowStart,
    depth: region.planes.length,
    axes: [...hdu.axes],
    rowStart: region.rowStart,
    rowEnd: region.rowEnd,
    data: sink.data,
    blankCount: sink.blankCount,
  };
  if (sink.mask) result.mask = sink.mask;
  return result;
}

const BYTES_PER_PIXEL: Record<number, number> = { 8: 1, 16: 2, 32: 4, 64: 8, [-32]: 4, [-64]: 8 };

/** Where the rows and planes asked for lie in a plain (uncompressed) image's data unit. */
export interface PlainLayout {
  region: ImageRegion;
  bytesPerPixel: number;
  /** Bytes of one row, and of one whole plane (every row, not only those asked for). */
  rowBytes: number;
  planeBytes: number;
}

/**
 * The layout of a plain image read: fails at once on a BITPIX that is not a FITS data type, and on
 * a file known to end before the last byte asked for (before any output is allocated).
 */
export function plainLayout(source: Pick<ByteSource, 'size'>, hdu: ImageHdu, options: ReadImageOptions): PlainLayout {
  const bytesPerPixel = BYTES_PER_PIXEL[hdu.bitpix];
  if (bytesPerPixel === undefined) {
    throw new FitsError(FitsErrorCode.BAD_MANDATORY, `BITPIX ${hdu.bitpix} is not a FITS data type`, {
      hduIndex: hdu.index,
    });
  }
  const region = imageRegion(hdu, options);
  const rowBytes = region.width * bytesPerPixel;
  const planeBytes = rowBytes * (hdu.axes[1] ?? (region.width > 0 ? 1 : 0));
  const lastPlane = region.planes[region.planes.length - 1];
  if (source.size !== undefined && lastPlane !== undefined && region.pixelCount > 0) {
    const end = hdu.dataOffset + lastPlane * planeBytes + region.rowEnd * rowBytes;
    if (end > source.size) {
      throw new FitsError(
        FitsErrorCode.TRUNCATED,
        `HDU ${hdu.index}: the file ends at byte ${source.size}, before the data unit's byte ${end}`,
        { byteOffset: source.size, hduIndex: hdu.index },
      );
    }
  }
  return { region, bytesPerPixel, rowBytes, planeBytes };
}
