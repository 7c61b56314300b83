import { binaryTable, readTableRows } from '../bintable.js';
import { DEFAULT_LIMITS } from '../constants.js';
import { FitsError, FitsErrorCode } from '../errors.js';
import {
  allocatePixels,
  type ImageHdu,
  type ImagePixels,
  type ImageRegion,
  imageRegion,
  pixelsResult,
  type ReadImageOptions,
} from '../image-region.js';
import { webInflate } from '../inflate.js';
import { type PixelSink, pixelTransform } from '../pixel-transform.js';
import type { ByteSource } from '../types.js';
import { inflateTileRuns } from './gzip-batch.js';
import { decodeTile, decodeTileNow, findColumns, heapReader, type Scratch, type TileContext } from './tile-decode.js';
import { placeTile, type TileRef, tilesFor } from './tile-grid.js';
import { tileParameters } from './tile-parameters.js';

/** Tiles decoded at the same time (asynchronous inflation overlaps; the rest is synchronous). */
const TILE_CONCURRENCY = 8;

/** Scratch pixels all workers may hold together (beyond one tile's worth). */
const SCRATCH_PIXELS = 16 * 1024 * 1024;

/**
 * Reads a tile-compressed image (the tiled-image convention, FITS Standard 4.0 §10), decompressing
 * only the tiles that hold the requested rows and plane.
 */
export async function readCompressedImage(
  source: ByteSource,
  hdu: ImageHdu,
  options: ReadImageOptions,
): Promise<ImagePixels> {
  const params = tileParameters(hdu.rawHeader, hdu.index);
  const table = binaryTable(hdu);
  const columns = findColumns(table);
  const image: ImageHdu = { ...hdu, axes: params.axes, bitpix: params.bitpix };
  const region = imageRegion(image, options);
  // Checked before anything is allocated or listed: the table's rows bound what a header can ask for.
  const expectedTiles = params.axes.reduce((n, length, i) => n * Math.ceil(length / params.tile[i]!), 1);
  if (table.rowCount < expectedTiles) {
    throw new FitsError(FitsErrorCode.BAD_MANDATORY, `${table.rowCount} rows for ${expectedTiles} tiles`, {
      hduIndex: hdu.index,
    });
  }
  const tilePixels = params.tile.reduce((a, b) => a * b, 1);
  const maxPixels = options.limits?.maxPixelsInMemory ?? DEFAULT_LIMITS.maxPixelsInMemory;
  if (tilePixels > maxPixels) {
    throw new FitsError(FitsErrorCode.TOO_LARGE, `tiles of ${tilePixels} pixels are over the limit of ${maxPixels}`, {
      hduIndex: hdu.index,
    });
  }
  const transform = pixelTransform(params.bitpix, hdu.header);
  const sink = allocatePixels(region, transform.float64, options, hdu.index);
  if (region.pixelCount === 0) return pixelsResult(image, region, sink);

  const allTiles = tilesFor(params, region);
  const firstRow = allTiles[0]!.row;
  const lastRow = allTiles[allTiles.length - 1]!.row;
  const rows = await readTableRows(source, table, firstRow, lastRow + 1);
  const pool = options.pool;
  const heap = await heapReader(source, table, columns, rows, firstRow, allTiles, (n) =>
    pool ? pool.bytes(n) : new Uint8Array(n),
  );
  const inflate = options.inflate ?? webInflate;
  const quantized = params.bitpix < 0 && (columns.scale !== undefined || params.scale !== undefined);

  const context: TileContext = { params, table, columns, rows, firstRow, heap, inflate, quantized, transform };
  let tiles = allTiles;
  const gzip = params.algorithm === 'GZIP_1' || params.algorithm === 'GZIP_2';
  // Quantized tiles are unquantized straight into the output only when no BZERO/BSCALE follows.
  const runs = params.bitpix > 0 || (quantized && transform.identity);
  if (inflate.concatenated && gzip && runs && !sink.mask) {
    const scratch = allocateScratch(tilePixels, hdu.index);
    const target = (tile: TileRef) => directTarget(tile, region, sink);
    const placed = await inflateTileRuns(context, tiles, inflate.concatenated, target, scratch, sink);
    if (placed.size > 0) tiles = tiles.filter((tile) => !placed.has(tile.row));
  }
  let next = 0;
  // Tiles are independent: several in flight hide the latency of asynchronous inflation. Each
  // worker decodes into its own scratch arrays, copied out before the next tile.
  const workers = Math.max(1, Math.min(TILE_CONCURRENCY, tiles.length, Math.floor(SCRATCH_PIXELS / tilePixels)));
  let failed = false;
  const worker = async () => {
    try {
      const scratch: Scratch = { integers: allocateScratch(tilePixels, hdu.index), floats: undefined };
      while (!failed && next < tiles.length) {
        const tile = tiles[next++]!;
        const direct = directTarget(tile, region, sink);
        const decoded =
          decodeTileNow(context, tile, hdu.index, scratch, direct) ??
          (await decodeTile(context, tile, hdu.index, scratch, direct));
        if (decoded.placed !== undefined) sink.blankCount += decoded.placed;
        else placeTile(decoded.values, decoded.nullValue, tile, region, params, transform, sink);
      }
    } catch (error) {
      // The first failure is the answer; the other workers stop instead of decoding on.
      failed = true;
      throw error;
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return pixelsResult(image, region, sink);
}

/**
 * The part of the output a tile fills, when the tile is one run of whole output rows (tiles as wide
 * as the image, of a 2-D image or one plane, inside the requested rows) and no mask is asked for.
 */
function directTarget(tile: TileRef, region: ImageRegion, sink: PixelSink): Float32Array | Float64Array | undefined {
  if (sink.mask || region.planes.length !== 1 || tile.extent[0] !== region.width) return;
  for (let k = 2; k < tile.extent.length; k++) if (tile.extent[k] !== 1) return;
  const top = tile.origin[1] ?? 0;
  const height = tile.extent[1] ?? 1;
  if (top < region.rowStart || top + height > region.rowEnd) return;
  const start = (top - region.rowStart) * region.width;
  return sink.data.subarray(start, start + height * region.width);
}

function allocateScratch(tilePixels: number, hduIndex: number): Int32Array {
  try {
    return new Int32Array(tilePixels);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new FitsError(FitsErrorCode.TOO_LARGE, `cannot allocate a tile of ${tilePixels} pixels`, { hduIndex });
  }
}
