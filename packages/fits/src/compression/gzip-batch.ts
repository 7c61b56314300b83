// GZIP_1/GZIP_2 tiles of integers (or of quantized floats) inflated many at a time, when the
// inflate function can do that.
import { arrayDescriptor } from '../bintable.js';
import type { InflateConcatenated } from '../inflate.js';
import { convertBigEndian, convertIntegers, type PixelSink } from '../pixel-transform.js';
import { convertShuffled16, readIntegers, readShuffledIntegers } from './tile-codecs.js';
import { type TileContext, tileNull, unquantizeTile, unquantizeTileBytes } from './tile-decode.js';
import type { TileRef } from './tile-grid.js';

/**
 * Output bytes per batch: enough that the cost of one inflate call is spread over dozens of row
 * tiles, small enough that the output buffer is recycled by the allocator instead of being faulted
 * in fresh on every call.
 */
const BATCH_BYTES = 512 * 1024;

interface Member {
  tile: TileRef;
  local: number;
  pixels: number;
  /** Inflated bytes of this tile (the gzip trailer's ISIZE). */
  size: number;
  target: Float32Array | Float64Array;
}

/**
 * fpack writes the tiles in order, back to back in the heap, each one a gzip member (RFC 1952).
 * Runs of such tiles are inflated in one call, as one multi-member stream: in Node one zlib call
 * per row tile costs about as much as the inflation itself. A tile takes part only when the gzip
 * trailer of its member states a size of 1, 2 or 4 bytes per pixel and its pixels go straight to
 * the output (`targets`). Anything unexpected (a gap in the heap, a member that does not inflate
 * to what its trailer says, a corrupt stream) leaves the run to the tile-by-tile path, which
 * reports the precise error. Returns the table rows placed.
 */
export async function inflateTileRuns(
  context: TileContext,
  tiles: TileRef[],
  inflateConcatenated: InflateConcatenated,
  target: (tile: TileRef) => Float32Array | Float64Array | undefined,
  scratch: Int32Array,
  sink: PixelSink,
): Promise<Set<number>> {
  const { table, columns, rows, firstRow, heap, params } = context;
  const placed = new Set<number>();
  // Descriptors count bytes only for a byte column (1PB, as every writer uses for gzip).
  if ((columns.data.format.arrayType ?? 'B') !== 'B') return placed;
  // zlib's output for every run of this read (Node's inflate writes into it; see InflateConcatenated).
  let output: Uint8Array | undefined;
  let run: Member[] = [];
  let runStart = 0;
  let runEnd = 0;
  let runBytes = 0;

  const flush = async () => {
    const members = run;
    run = [];
    if (members.length < 2) return; // one tile gains nothing here
    let bytes: Uint8Array;
    try {
      const compressed = await heap(columns.data, { offset: runStart, length: runEnd - runStart });
      output ??= new Uint8Array(BATCH_BYTES + 1);
      bytes = await inflateConcatenated(compressed, runBytes, runBytes < output.length ? output : undefined);
    } catch {
      return;
    }
    if (bytes.length !== runBytes) return;
    let at = 0;
    for (const member of members) {
      const slice = bytes.subarray(at, at + member.size);
      at += member.size;
      const width = (member.size / member.pixels) as 1 | 2 | 4;
      const nullValue = tileNull(context, member.local);
      const out: PixelSink = { data: member.target, mask: undefined, blankCount: 0 };
      const shuffled = params.algorithm === 'GZIP_2' && width !== 1;
      if (context.quantized) {
        const layout = shuffled ? 'shuffled' : 'big-endian';
        const { target, local, tile } = member;
        // In the SIMD kernels straight from the inflated bytes where they run; else in two passes.
        const nulls =
          width === 4
            ? unquantizeTileBytes(context, slice, layout, member.pixels, target, local, tile.row, nullValue)
            : undefined;
        if (nulls !== undefined) out.blankCount = nulls;
        else {
          const integers = scratch.subarray(0, member.pixels);
          if (shuffled) readShuffledIntegers(slice, width, integers);
          else readIntegers(slice, width, integers);
          out.blankCount = unquantizeTile(context, integers, target, local, tile.row, nullValue);
        }
      } else if (params.algorithm === 'GZIP_2' && width !== 1) {
        const fast =
          width === 2 && convertShuffled16(slice, member.pixels, context.transform, nullValue, scratch, member.target);
        if (!fast) {
          const integers = scratch.subarray(0, member.pixels);
          readShuffledIntegers(slice, width, integers);
          convertIntegers(integers, 0, member.pixels, context.transform, nullValue, out, 0);
        }
      } else {
        const { transform } = context;
        const withNull = nullValue === transform.blank ? transform : { ...transform, blank: nullValue };
        convertBigEndian(slice, 0, width * 8, withNull, member.pixels, out, 0, true);
      }
      sink.blankCount += out.blankCount;
      placed.add(member.tile.row);
    }
  };

  for (const tile of tiles) {
    const local = tile.row - firstRow;
    const descriptor = arrayDescriptor(table, columns.data, rows, local);
    const out = target(tile);
    const pixels = tile.extent.reduce((a, b) => a * b, 1);
    // Tile bytes in the span read at the start are looked at without an `await` (4,176 tiles in a
    // 6248×4176 frame).
    const member =
      out && descriptor.length >= 18
        ? (heap.now(columns.data, descriptor) ?? (await heap(columns.data, descriptor).catch(() => undefined)))
        : undefined;
    const size = member && memberSize(member);
    const fits = size !== undefined && [1, 2, 4].includes(size / pixels);
    if (!out || !fits || size === undefined) {
      await flush();
      continue;
    }
    if (run.length > 0 && (descriptor.offset !== runEnd || runBytes + size > BATCH_BYTES)) await flush();
    if (run.length === 0) {
      runStart = descriptor.offset;
      runEnd = descriptor.offset;
      runBytes = 0;
    }
    run.push({ tile, local, pixels, size, target: out });
    runEnd += descriptor.length;
    runBytes += size;
  }
  await flush();
  return placed;
}

/** ISIZE of a gzip member: its last four bytes, little-endian; undefined if it is not gzip. */
function memberSize(bytes: Uint8Array): number | undefined {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return undefined;
  const n = bytes.length;
  return (bytes[n - 4]! | (bytes[n - 3]! << 8) | (bytes[n - 2]! << 16) | (bytes[n - 1]! << 24)) >>> 0;
}
