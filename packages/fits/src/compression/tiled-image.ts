import {
  type ArrayDescriptor,
  type BinaryColumn,
  type BinaryTable,
  arrayDescriptor,
  binaryTable,
  cellNumber,
  findColumn,
  readExactly,
  readTableRows,
} from '../bintable.js';
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
import { type Inflate, webInflate } from '../inflate.js';
import {
  convertFloats,
  convertIntegers,
  type PixelSink,
  type PixelTransform,
  pixelTransform,
} from '../pixel-transform.js';
import type { ByteSource } from '../types.js';
import { unquantize } from './dither.js';
import { decodeFloatTile, decodeIntegerTile, readIntegers } from './tile-codecs.js';
import { type TileParameters, tileParameters } from './tile-parameters.js';

/** Tiles decoded at the same time (asynchronous inflation overlaps; the rest is synchronous). */
const TILE_CONCURRENCY = 8;
/** Scratch pixels all workers may hold together (beyond one tile's worth). */
const SCRATCH_PIXELS = 16 * 1024 * 1024;
/** Heap spans up to this size are read in one call instead of one call per tile. */
const HEAP_SPAN_BYTES = 64 * 1024 * 1024;

interface Columns {
  data: BinaryColumn;
  gzip: BinaryColumn | undefined;
  uncompressed: BinaryColumn | undefined;
  scale: BinaryColumn | undefined;
  zero: BinaryColumn | undefined;
  blank: BinaryColumn | undefined;
}

/** One tile the request touches: its table row and where it sits in the image. */
interface TileRef {
  row: number;
  origin: number[];
  extent: number[];
}

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
  const transform = pixelTransform(params.bitpix, hdu.header);
  const sink = allocatePixels(region, transform.float64, options);
  if (region.pixelCount === 0) return pixelsResult(image, region, sink);

  const tiles = tilesFor(params, region);
  const expectedTiles = params.axes.reduce((n, length, i) => n * Math.ceil(length / params.tile[i]!), 1);
  if (table.rowCount < expectedTiles) {
    throw new FitsError(FitsErrorCode.BAD_MANDATORY, `${table.rowCount} rows for ${expectedTiles} tiles`, {
      hduIndex: hdu.index,
    });
  }
  const firstRow = tiles[0]!.row;
  const lastRow = tiles[tiles.length - 1]!.row;
  const rows = await readTableRows(source, table, firstRow, lastRow + 1);
  const heap = await heapReader(source, table, columns, rows, firstRow, tiles);
  const inflate = options.inflate ?? webInflate;
  const quantized = params.bitpix < 0 && (columns.scale !== undefined || params.scale !== undefined);

  const context: TileContext = { params, table, columns, rows, firstRow, heap, inflate, quantized, transform };
  let next = 0;
  const tilePixels = params.tile.reduce((a, b) => a * b, 1);
  const maxPixels = options.limits?.maxPixelsInMemory ?? DEFAULT_LIMITS.maxPixelsInMemory;
  if (tilePixels > maxPixels) {
    throw new FitsError(FitsErrorCode.TOO_LARGE, `tiles of ${tilePixels} pixels are over the limit of ${maxPixels}`, {
      hduIndex: hdu.index,
    });
  }
  // Tiles are independent: several in flight hide the latency of asynchronous inflation. Each
  // worker decodes into its own scratch arrays, copied out before the next tile.
  const workers = Math.max(1, Math.min(TILE_CONCURRENCY, tiles.length, Math.floor(SCRATCH_PIXELS / tilePixels)));
  const worker = async () => {
    const scratch: Scratch = { integers: new Int32Array(tilePixels), floats: undefined };
    while (next < tiles.length) {
      const tile = tiles[next++]!;
      const decoded = await decodeTile(context, tile, hdu.index, scratch);
      placeTile(decoded.values, decoded.nullValue, tile, region, params, transform, sink);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return pixelsResult(image, region, sink);
}

interface TileContext {
  params: TileParameters;
  table: BinaryTable;
  columns: Columns;
  rows: Uint8Array;
  firstRow: number;
  heap: HeapRead;
  inflate: Inflate;
  quantized: boolean;
  transform: PixelTransform;
}

interface DecodedTile {
  values: Int32Array | Float32Array | Float64Array;
  /** The integer that marks an undefined pixel in `values` (integer tiles only). */
  nullValue: number | undefined;
}

interface Scratch {
  integers: Int32Array;
  floats: Float64Array | undefined;
}

async function decodeTile(
  context: TileContext,
  tile: TileRef,
  hduIndex: number,
  scratch: Scratch,
): Promise<DecodedTile> {
  const { params, table, columns, rows, quantized, transform, inflate } = context;
  const local = tile.row - context.firstRow;
  const pixelCount = tile.extent.reduce((a, b) => a * b, 1);
  const descriptor = arrayDescriptor(table, columns.data, rows, local);
  try {
    if (descriptor.length === 0) {
      const values = await rawTile(context, local, pixelCount);
      return { values, nullValue: values instanceof Int32Array ? tileNull(context, local) : undefined };
    }
    const compressed = await context.heap(columns.data, descriptor);
    const integerBytes = quantized ? 4 : ((Math.abs(params.bitpix) / 8) as 1 | 2 | 4 | 8);
    if (params.bitpix < 0 && !quantized) {
      if (params.algorithm !== 'GZIP_1' && params.algorithm !== 'GZIP_2' && params.algorithm !== 'NOCOMPRESS') {
        throw new FitsError(FitsErrorCode.BAD_MANDATORY, `${params.algorithm} of floating-point data needs ZSCALE`);
      }
      const values = await decodeFloatTile(params.algorithm, compressed, pixelCount, integerBytes as 4 | 8, inflate);
      return { values, nullValue: undefined };
    }
    const geometry = { pixelCount, width: tile.extent[0]!, height: tile.extent[1] ?? 1, integerBytes };
    const integers = await decodeIntegerTile(
      params,
      compressed,
      geometry,
      inflate,
      scratch.integers.subarray(0, pixelCount),
    );
    if (params.algorithm === 'PLIO_1' && plioCodesPhysical(params, transform)) {
      // PLIO holds no negative values, so CFITSIO codes unsigned 16-bit images by their
      // physical values (stored + 32768); take the offset off again to get stored values.
      for (let i = 0; i < integers.length; i++) integers[i] = integers[i]! - 32768;
    }
    const nullValue = tileNull(context, local);
    if (!quantized) return { values: integers, nullValue };
    scratch.floats ??= new Float64Array(scratch.integers.length);
    const floats = scratch.floats.subarray(0, pixelCount);
    unquantizeTile(context, integers, floats, local, tile.row, nullValue);
    return { values: floats, nullValue: undefined };
  } catch (error) {
    throw tileError(error, hduIndex, tile.row, table.heapOffset + descriptor.offset);
  }
}

function plioCodesPhysical(params: TileParameters, transform: PixelTransform): boolean {
  return params.bitpix === 16 && transform.bzero === 32768 && transform.bscale === 1;
}

function findColumns(table: BinaryTable): Columns {
  const data = findColumn(table, 'COMPRESSED_DATA');
  if (!data || (data.format.type !== 'P' && data.format.type !== 'Q')) {
    throw new FitsError(
      FitsErrorCode.BAD_MANDATORY,
      'a compressed image needs a variable-length COMPRESSED_DATA column',
      {
        hduIndex: table.hduIndex,
      },
    );
  }
  const variable = (name: string) => {
    const column = findColumn(table, name);
    return column && (column.format.type === 'P' || column.format.type === 'Q') ? column : undefined;
  };
  return {
    data,
    gzip: variable('GZIP_COMPRESSED_DATA'),
    uncompressed: variable('UNCOMPRESSED_DATA'),
    scale: findColumn(table, 'ZSCALE'),
    zero: findColumn(table, 'ZZERO'),
    blank: findColumn(table, 'ZBLANK'),
  };
}

/** The tiles, in table order, that hold rows [rowStart, rowEnd) of the requested planes. */
function tilesFor(params: TileParameters, region: ImageRegion): TileRef[] {
  const { axes, tile } = params;
  const counts = axes.map((length, i) => Math.ceil(length / tile[i]!));
  const wanted = new Set<number>();
  const firstTileRow = axes.length > 1 ? Math.floor(region.rowStart / tile[1]!) : 0;
  const lastTileRow = axes.length > 1 ? Math.floor((region.rowEnd - 1) / tile[1]!) : 0;
  for (const plane of region.planes) {
    // Tile index along NAXIS3, NAXIS4…: the plane's coordinates divided by the tile lengths.
    let higher = 0;
    let stride = counts[0]! * (counts[1] ?? 1);
    let rest = plane;
    for (let k = 2; k < axes.length; k++) {
      const coordinate = rest % axes[k]!;
      rest = Math.floor(rest / axes[k]!);
      higher += Math.floor(coordinate / tile[k]!) * stride;
      stride *= counts[k]!;
    }
    for (let t1 = firstTileRow; t1 <= lastTileRow; t1++) {
      for (let t0 = 0; t0 < counts[0]!; t0++) wanted.add(higher + t1 * counts[0]! + t0);
    }
  }
  return [...wanted]
    .sort((a, b) => a - b)
    .map((row) => {
      const origin: number[] = [];
      const extent: number[] = [];
      let rest = row;
      for (let k = 0; k < axes.length; k++) {
        const index = rest % counts[k]!;
        rest = Math.floor(rest / counts[k]!);
        origin.push(index * tile[k]!);
        extent.push(Math.min(tile[k]!, axes[k]! - index * tile[k]!));
      }
      return { row, origin, extent };
    });
}

type HeapRead = (column: BinaryColumn, descriptor: ArrayDescriptor) => Promise<Uint8Array>;

/**
 * Reads tiles' bytes from the heap: one read of the whole span when the tiles lie close together
 * (the usual case, tiles are written in order), else one read per tile. Every descriptor is
 * checked against the heap's bounds first.
 */
async function heapReader(
  source: ByteSource,
  table: BinaryTable,
  columns: Columns,
  rows: Uint8Array,
  firstRow: number,
  tiles: TileRef[],
): Promise<HeapRead> {
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const tile of tiles) {
    const descriptor = arrayDescriptor(table, columns.data, rows, tile.row - firstRow);
    if (descriptor.length === 0) continue;
    start = Math.min(start, descriptor.offset);
    end = Math.max(end, descriptor.offset + descriptor.length * elementSize(columns.data));
  }
  let span: Uint8Array | undefined;
  if (end > start && end <= table.heapSize && end - start <= HEAP_SPAN_BYTES) {
    span = await readExactly(source, table.heapOffset + start, end - start, table.hduIndex);
  }
  return async (column, descriptor) => {
    const size = descriptor.length * elementSize(column);
    if (!Number.isSafeInteger(descriptor.offset + size) || descriptor.offset + size > table.heapSize) {
      throw new FitsError(
        FitsErrorCode.BAD_COMPRESSION,
        `descriptor (${descriptor.length} elements at ${descriptor.offset}) points outside the ${table.heapSize}-byte heap`,
      );
    }
    if (span && column === columns.data && descriptor.offset >= start && descriptor.offset + size <= end) {
      return span.subarray(descriptor.offset - start, descriptor.offset - start + size);
    }
    return readExactly(source, table.heapOffset + descriptor.offset, size, table.hduIndex);
  };
}

function elementSize(column: BinaryColumn): number {
  const type = column.format.arrayType ?? 'B';
  return type === 'I' ? 2 : type === 'J' || type === 'E' ? 4 : type === 'K' || type === 'D' ? 8 : 1;
}

/** ZBLANK of the tile (column, then keyword); for integer images BLANK of the image header. */
function tileNull(context: TileContext, local: number): number | undefined {
  const { table, columns, rows, params, transform } = context;
  const column = columns.blank ? cellNumber(table, columns.blank, rows, local) : undefined;
  return column ?? params.blank ?? (params.bitpix > 0 ? transform.blank : undefined);
}

function unquantizeTile(
  context: TileContext,
  integers: Int32Array,
  out: Float64Array,
  local: number,
  tableRow: number,
  nullValue: number | undefined,
): void {
  const { table, columns, rows, params } = context;
  const scale = (columns.scale ? cellNumber(table, columns.scale, rows, local) : undefined) ?? params.scale ?? 1;
  const zero = (columns.zero ? cellNumber(table, columns.zero, rows, local) : undefined) ?? params.zero ?? 0;
  unquantize(integers, out, scale, zero, params.quantize, tableRow + 1, params.ditherSeed, nullValue);
}

/** A tile stored without the image's algorithm: GZIP_COMPRESSED_DATA or UNCOMPRESSED_DATA. */
async function rawTile(
  context: TileContext,
  local: number,
  pixelCount: number,
): Promise<Int32Array | Float32Array | Float64Array> {
  const { table, columns, rows, params, heap, inflate } = context;
  const gzip = columns.gzip ? arrayDescriptor(table, columns.gzip, rows, local) : undefined;
  if (columns.gzip && gzip && gzip.length > 0) {
    const bytes = await heap(columns.gzip, gzip);
    if (params.bitpix > 0) {
      const size = (params.bitpix / 8) as 1 | 2 | 4;
      return decodeIntegerTile(
        { ...params, algorithm: 'GZIP_1' },
        bytes,
        { pixelCount, width: 0, height: 0, integerBytes: size },
        inflate,
      );
    }
    return decodeFloatTile('GZIP_1', bytes, pixelCount, params.bitpix === -32 ? 4 : 8, inflate);
  }
  const raw = columns.uncompressed ? arrayDescriptor(table, columns.uncompressed, rows, local) : undefined;
  if (columns.uncompressed && raw && raw.length > 0) {
    if (raw.length !== pixelCount) {
      throw new FitsError(
        FitsErrorCode.BAD_COMPRESSION,
        `UNCOMPRESSED_DATA holds ${raw.length} values for ${pixelCount} pixels`,
      );
    }
    const bytes = await heap(columns.uncompressed, raw);
    const type = columns.uncompressed.format.arrayType;
    if (type === 'E' || type === 'D')
      return decodeFloatTile('NOCOMPRESS', bytes, pixelCount, type === 'E' ? 4 : 8, inflate);
    const out = new Int32Array(pixelCount);
    readIntegers(bytes, elementSize(columns.uncompressed), out);
    return out;
  }
  throw new FitsError(FitsErrorCode.BAD_COMPRESSION, 'tile has no data in any column');
}

/** Copies the rows of a decoded tile that the request covers into the output. */
function placeTile(
  values: Int32Array | Float32Array | Float64Array,
  nullValue: number | undefined,
  tile: TileRef,
  region: ImageRegion,
  params: TileParameters,
  transform: PixelTransform,
  sink: PixelSink,
): void {
  const { axes } = params;
  const width = tile.extent[0]!;
  const height = tile.extent[1] ?? 1;
  const rowsPerPlane = region.rowEnd - region.rowStart;
  const y0 = Math.max(region.rowStart, tile.origin[1] ?? 0);
  const y1 = Math.min(region.rowEnd, (tile.origin[1] ?? 0) + height);
  region.planes.forEach((plane, slot) => {
    // Where this plane falls inside the tile along NAXIS3…, or skip it if outside.
    let inside = 0;
    let stride = 1;
    let rest = plane;
    for (let k = 2; k < axes.length; k++) {
      const coordinate = rest % axes[k]!;
      rest = Math.floor(rest / axes[k]!);
      const offset = coordinate - tile.origin[k]!;
      if (offset < 0 || offset >= tile.extent[k]!) return;
      inside += offset * stride;
      stride *= tile.extent[k]!;
    }
    for (let y = y0; y < y1; y++) {
      const from = (inside * height + (y - (tile.origin[1] ?? 0))) * width;
      const to = slot * rowsPerPlane * region.width + (y - region.rowStart) * region.width + tile.origin[0]!;
      if (values instanceof Int32Array) convertIntegers(values, from, width, transform, nullValue, sink, to);
      else convertFloats(values, from, width, transform, sink, to);
    }
  });
}

/** Every failure inside a tile becomes a FitsError that names the tile and its place in the file. */
function tileError(error: unknown, hduIndex: number, row: number, tileOffset: number): FitsError {
  if (error instanceof FitsError) {
    if (error.code === FitsErrorCode.TRUNCATED) return error;
    const byteOffset =
      error.code === FitsErrorCode.BAD_COMPRESSION ? tileOffset + (error.byteOffset ?? 0) : error.byteOffset;
    const position = byteOffset === undefined ? { hduIndex } : { hduIndex, byteOffset };
    return new FitsError(error.code, `tile ${row + 1}: ${error.message}`, position);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new FitsError(FitsErrorCode.BAD_COMPRESSION, `tile ${row + 1}: ${message}`, {
    hduIndex,
    byteOffset: tileOffset,
  });
}
