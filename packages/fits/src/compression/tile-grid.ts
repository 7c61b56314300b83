// Where tiles sit in the image (FITS Standard 4.0 §10.1: tiles in table order, NAXIS1 fastest).
import type { ImageRegion } from '../image-region.js';
import { convertFloats, convertIntegers, type PixelSink, type PixelTransform } from '../pixel-transform.js';
import type { TileParameters } from './tile-parameters.js';

/** One tile the request touches: its table row and where it sits in the image. */
export interface TileRef {
  row: number;
  origin: number[];
  extent: number[];
}

/** The tiles, in table order, that hold rows [rowStart, rowEnd) of the requested planes. */
export function tilesFor(params: TileParameters, region: ImageRegion): TileRef[] {
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

/** Copies the rows of a decoded tile that the request covers into the output. */
export function placeTile(
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
