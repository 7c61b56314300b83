// One tile from its table row to its pixels: heap bytes, decoder, unquantization, nulls.
import {
  type ArrayDescriptor,
  arrayDescriptor,
  type BinaryColumn,
  type BinaryTable,
  cellNumber,
  findColumn,
  readExactly,
} from '../bintable.js';
import { FitsError, FitsErrorCode } from '../errors.js';
import type { Inflate } from '../inflate.js';
import { convertBigEndian, type PixelTransform } from '../pixel-transform.js';
import type { ByteSource } from '../types.js';
import { unquantize, unquantizeBytes } from './dither.js';
import type { IntegerLayout } from './simd-tiles.js';
import { decodeFloatTile, decodeIntegerTile, decodeIntegerTileNow, readIntegers } from './tile-codecs.js';
import type { TileRef } from './tile-grid.js';
import type { TileParameters } from './tile-parameters.js';

/** Heap spans up to this size are read in one call instead of one call per tile. */
const HEAP_SPAN_BYTES = 64 * 1024 * 1024;

export interface Columns {
  data: BinaryColumn;
  gzip: BinaryColumn | undefined;
  uncompressed: BinaryColumn | undefined;
  scale: BinaryColumn | undefined;
  zero: BinaryColumn | undefined;
  blank: BinaryColumn | undefined;
}

export interface TileContext {
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
  /** Set when the tile was written into the output already: the count of its undefined pixels. */
  placed?: number;
}

export interface Scratch {
  integers: Int32Array;
  floats: Float64Array | undefined;
}

/**
 * Decodes one tile. `direct`, when given, is where the tile's pixels go in the output (the tile
 * covers whole output rows, in order, and no mask is asked for): a GZIP_1 tile is then converted
 * and a quantized one unquantized straight into it, and the result says so with `placed`, sparing
 * a pass through a scratch array.
 */
export async function decodeTile(
  context: TileContext,
  tile: TileRef,
  hduIndex: number,
  scratch: Scratch,
  direct?: Float32Array | Float64Array,
): Promise<DecodedTile> {
  const { params, table, columns, rows, quantized, inflate } = context;
  const local = tile.row - context.firstRow;
  const pixelCount = tile.extent.reduce((a, b) => a * b, 1);
  const descriptor = arrayDescriptor(table, columns.data, rows, local);
  try {
    if (descriptor.length === 0) {
      const values = await rawTile(context, local, pixelCount);
      return { values, nullValue: values instanceof Int32Array ? tileNull(context, local) : undefined };
    }
    const compressed = context.heap.now(columns.data, descriptor) ?? (await context.heap(columns.data, descriptor));
    const integerBytes = quantized ? 4 : ((Math.abs(params.bitpix) / 8) as 1 | 2 | 4 | 8);
    if (params.bitpix < 0 && !quantized) {
      if (params.algorithm !== 'GZIP_1' && params.algorithm !== 'GZIP_2' && params.algorithm !== 'NOCOMPRESS') {
        throw new FitsError(FitsErrorCode.BAD_MANDATORY, `${params.algorithm} of floating-point data needs ZSCALE`);
      }
      const values = await decodeFloatTile(params.algorithm, compressed, pixelCount, integerBytes as 4 | 8, inflate);
      return { values, nullValue: undefined };
    }
    if (direct && params.algorithm === 'GZIP_1' && !quantized && params.bitpix > 0) {
      const placed = await inflateInto(context, compressed, pixelCount, tileNull(context, local), direct);
      if (placed !== undefined) return { values: direct, nullValue: undefined, placed };
    }
    const geometry = { pixelCount, width: tile.extent[0]!, height: tile.extent[1] ?? 1, integerBytes };
    const integers = await decodeIntegerTile(
      params,
      compressed,
      geometry,
      inflate,
      scratch.integers.subarray(0, pixelCount),
    );
    return finishIntegers(context, tile, local, integers, scratch, direct);
  } catch (error) {
    throw tileError(error, hduIndex, tile.row, table.heapOffset + descriptor.offset);
  }
}

/**
 * `decodeTile` without a promise, for the common RICE_1 tile: its bytes lie in the heap span read
 * at the start and its algorithm needs no inflate. Undefined for any other tile (then call
 * `decodeTile`). An `await` per tile and the promises around it cost about 10 % of a 4096² RICE_1
 * read, most of it in the garbage collector (docs/performance.md).
 */
export function decodeTileNow(
  context: TileContext,
  tile: TileRef,
  hduIndex: number,
  scratch: Scratch,
  direct?: Float32Array | Float64Array,
): DecodedTile | undefined {
  const { params, table, columns, rows, quantized } = context;
  if (params.algorithm === 'GZIP_1' || params.algorithm === 'GZIP_2' || (params.bitpix < 0 && !quantized)) return;
  const local = tile.row - context.firstRow;
  const descriptor = arrayDescriptor(table, columns.data, rows, local);
  const compressed = descriptor.length > 0 ? context.heap.now(columns.data, descriptor) : undefined;
  if (!compressed) return;
  const pixelCount = tile.extent.reduce((a, b) => a * b, 1);
  const integerBytes = quantized ? 4 : ((Math.abs(params.bitpix) / 8) as 1 | 2 | 4 | 8);
  const geometry = { pixelCount, width: tile.extent[0]!, height: tile.extent[1] ?? 1, integerBytes };
  try {
    const integers = decodeIntegerTileNow(params, compressed, geometry, scratch.integers.subarray(0, pixelCount));
    return integers && finishIntegers(context, tile, local, integers, scratch, direct);
  } catch (error) {
    throw tileError(error, hduIndex, tile.row, table.heapOffset + descriptor.offset);
  }
}

/** A tile's decoded integers to its result: PLIO's offset, the null value, unquantization. */
function finishIntegers(
  context: TileContext,
  tile: TileRef,
  local: number,
  integers: Int32Array,
  scratch: Scratch,
  direct: Float32Array | Float64Array | undefined,
): DecodedTile {
  const { params, quantized, transform } = context;
  if (params.algorithm === 'PLIO_1' && plioCodesPhysical(params, transform)) {
    // PLIO holds no negative values, so CFITSIO codes unsigned 16-bit images by their
    // physical values (stored + 32768); take the offset off again to get stored values.
    for (let i = 0; i < integers.length; i++) integers[i] = integers[i]! - 32768;
  }
  const nullValue = tileNull(context, local);
  if (!quantized) return { values: integers, nullValue };
  if (direct && transform.identity) {
    const nulls = unquantizeTile(context, integers, direct, local, tile.row, nullValue);
    return { values: direct, nullValue: undefined, placed: nulls };
  }
  scratch.floats ??= new Float64Array(scratch.integers.length);
  const floats = scratch.floats.subarray(0, integers.length);
  unquantizeTile(context, integers, floats, local, tile.row, nullValue);
  return { values: floats, nullValue: undefined };
}

/**
 * A GZIP_1 integer tile inflated and converted straight into the output: its bytes are big-endian
 * integers like a plain data unit's. Returns the count of undefined pixels, or undefined when the
 * integers are 64-bit or the length is wrong (the general path then decodes it, or says why not).
 */
async function inflateInto(
  context: TileContext,
  compressed: Uint8Array,
  pixelCount: number,
  nullValue: number | undefined,
  direct: Float32Array | Float64Array,
): Promise<number | undefined> {
  const bytes = await context.inflate(compressed, pixelCount * 8);
  const width = bytes.length / pixelCount;
  if (width !== 1 && width !== 2 && width !== 4) return undefined;
  const { transform } = context;
  const sink = { data: direct, mask: undefined, blankCount: 0 };
  const withNull = nullValue === transform.blank ? transform : { ...transform, blank: nullValue };
  convertBigEndian(bytes, 0, width * 8, withNull, pixelCount, sink, 0, true);
  return sink.blankCount;
}

function plioCodesPhysical(params: TileParameters, transform: PixelTransform): boolean {
  return params.bitpix === 16 && transform.bzero === 32768 && transform.bscale === 1;
}

export function findColumns(table: BinaryTable): Columns {
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

export type HeapRead = ((column: BinaryColumn, descriptor: ArrayDescriptor) => Promise<Uint8Array>) & {
  /**
   * The same bytes without a promise when they lie in the span read at the start, else undefined
   * (then call the function). Per-tile awaits cost about 2 µs each, 4,096 of them per 4096² frame.
   */
  now(column: BinaryColumn, descriptor: ArrayDescriptor): Uint8Array | undefined;
};

/**
 * Reads tiles' bytes from the heap: one read of the whole span when the tiles lie close together
 * (the usual case, tiles are written in order), else one read per tile. Every descriptor is
 * checked against the heap's bounds first.
 */
export async function heapReader(
  source: ByteSource,
  table: BinaryTable,
  columns: Columns,
  rows: Uint8Array,
  firstRow: number,
  tiles: TileRef[],
  /** A reusable buffer for the span, when the source can read into one. */
  spanBuffer?: (length: number) => Uint8Array,
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
    const offset = table.heapOffset + start;
    if (spanBuffer && source.readInto) {
      const target = spanBuffer(end - start);
      const read = await source.readInto(offset, target);
      if (read < target.length) {
        throw new FitsError(
          FitsErrorCode.TRUNCATED,
          `the file ends at byte ${offset + read}, inside HDU ${table.hduIndex}'s data`,
          {
            byteOffset: offset + read,
            hduIndex: table.hduIndex,
          },
        );
      }
      // A plain Uint8Array view even when the pool hands out Node Buffers: the decoders index
      // tile bytes one by one, and a Buffer there made RICE_1 reads 50 % slower (a second
      // receiver type at every byte load).
      span = new Uint8Array(target.buffer, target.byteOffset, target.length);
    } else {
      span = await readExactly(source, offset, end - start, table.hduIndex);
    }
  }
  const inSpan = (column: BinaryColumn, descriptor: ArrayDescriptor): Uint8Array | undefined => {
    const size = descriptor.length * elementSize(column);
    if (span && column === columns.data && descriptor.offset >= start && descriptor.offset + size <= end) {
      return span.subarray(descriptor.offset - start, descriptor.offset - start + size);
    }
    return undefined;
  };
  const read = async (column: BinaryColumn, descriptor: ArrayDescriptor) => {
    const size = descriptor.length * elementSize(column);
    if (!Number.isSafeInteger(descriptor.offset + size) || descriptor.offset + size > table.heapSize) {
      throw new FitsError(
        FitsErrorCode.BAD_COMPRESSION,
        `descriptor (${descriptor.length} elements at ${descriptor.offset}) points outside the ${table.heapSize}-byte heap`,
      );
    }
    return (
      inSpan(column, descriptor) ?? readExactly(source, table.heapOffset + descriptor.offset, size, table.hduIndex)
    );
  };
  return Object.assign(read, { now: inSpan });
}

function elementSize(column: BinaryColumn): number {
  const type = column.format.arrayType ?? 'B';
  return type === 'I' ? 2 : type === 'J' || type === 'E' ? 4 : type === 'K' || type === 'D' ? 8 : 1;
}

/** ZBLANK of the tile (column, then keyword); for integer images BLANK of the image header. */
export function tileNull(context: TileContext, local: number): number | undefined {
  const { table, columns, rows, params, transform } = context;
  const column = columns.blank ? cellNumber(table, columns.blank, rows, local) : undefined;
  return column ?? params.blank ?? (params.bitpix > 0 ? transform.blank : undefined);
}

export function unquantizeTile(
  context: TileContext,
  integers: Int32Array,
  out: Float32Array | Float64Array,
  local: number,
  tableRow: number,
  nullValue: number | undefined,
): number {
  const { params } = context;
  const { scale, zero } = tileScaling(context, local);
  return unquantize(integers, out, scale, zero, params.quantize, tableRow + 1, params.ditherSeed, nullValue);
}

/**
 * `unquantizeTile` from a GZIP tile's inflated bytes (see `unquantizeBytes`): the count of nulls,
 * or undefined when the kernels do not take the tile (the caller then reads the integers and
 * unquantizes them).
 */
export function unquantizeTileBytes(
  context: TileContext,
  bytes: Uint8Array,
  layout: IntegerLayout,
  count: number,
  out: Float32Array | Float64Array,
  local: number,
  tableRow: number,
  nullValue: number | undefined,
): number | undefined {
  const { params } = context;
  const { scale, zero } = tileScaling(context, local);
  return unquantizeBytes(
    bytes,
    layout,
    count,
    out,
    scale,
    zero,
    params.quantize,
    tableRow + 1,
    params.ditherSeed,
    nullValue,
  );
}

/** ZSCALE and ZZERO of a tile (column, then keyword). */
function tileScaling(context: TileContext, local: number): { scale: number; zero: number } {
  const { table, columns, rows, params } = context;
  const scale = (columns.scale ? cellNumber(table, columns.scale, rows, local) : undefined) ?? params.scale ?? 1;
  const zero = (columns.zero ? cellNumber(table, columns.zero, rows, local) : undefined) ?? params.zero ?? 0;
  return { scale, zero };
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
