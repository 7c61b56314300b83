import type { ImageHdu } from '../../src/image.js';
import type { CardValue } from '../../src/types.js';
import { mapHeader, recordingSource } from './image-hdu.js';

/** One tile's cells: bytes for the variable-length columns, numbers for the scalar ones. */
export interface TileCells {
  compressed?: Uint8Array;
  gzip?: Uint8Array;
  /** Big-endian elements of UNCOMPRESSED_DATA (type from `uncompressedType`). */
  uncompressed?: Uint8Array;
  zscale?: number;
  zzero?: number;
  zblank?: number;
}

export interface CompressedHduSpec {
  zbitpix: number;
  axes: number[];
  tile?: number[];
  algorithm: string;
  tiles: TileCells[];
  keywords?: Record<string, CardValue>;
  /** Keywords of the image header (BZERO, BLANK…). */
  imageKeywords?: Record<string, CardValue>;
  uncompressedType?: 'I' | 'J' | 'E' | 'D';
  /** Column order is fixed; these say which optional columns exist. */
  columns?: Array<'GZIP_COMPRESSED_DATA' | 'UNCOMPRESSED_DATA' | 'ZSCALE' | 'ZZERO' | 'ZBLANK'>;
  /** Bytes before the data unit, so offsets are not all zero. */
  dataOffset?: number;
}

/** Builds the data unit (rows + heap) and the headers of a tile-compressed image by hand. */
export function compressedHdu(spec: CompressedHduSpec) {
  const optional = spec.columns ?? [];
  const layout: Array<{ name: string; tform: string; bytes: number }> = [
    { name: 'COMPRESSED_DATA', tform: spec.algorithm === 'PLIO_1' ? '1PI' : '1PB', bytes: 8 },
  ];
  if (optional.includes('GZIP_COMPRESSED_DATA')) layout.push({ name: 'GZIP_COMPRESSED_DATA', tform: '1PB', bytes: 8 });
  if (optional.includes('UNCOMPRESSED_DATA'))
    layout.push({ name: 'UNCOMPRESSED_DATA', tform: `1P${spec.uncompressedType ?? 'I'}`, bytes: 8 });
  if (optional.includes('ZSCALE')) layout.push({ name: 'ZSCALE', tform: '1D', bytes: 8 });
  if (optional.includes('ZZERO')) layout.push({ name: 'ZZERO', tform: '1D', bytes: 8 });
  if (optional.includes('ZBLANK')) layout.push({ name: 'ZBLANK', tform: '1J', bytes: 4 });
  const rowBytes = layout.reduce((n, c) => n + c.bytes, 0);
  const elementBytes = { I: 2, J: 4, E: 4, D: 8 }[spec.uncompressedType ?? 'I'];

  const heapParts: Uint8Array[] = [];
  let heapSize = 0;
  const rows = new DataView(new ArrayBuffer(rowBytes * spec.tiles.length));
  spec.tiles.forEach((cells, row) => {
    let at = row * rowBytes;
    const descriptor = (bytes: Uint8Array | undefined, element: number) => {
      const data = bytes ?? new Uint8Array(0);
      rows.setUint32(at, data.length / element);
      rows.setUint32(at + 4, data.length === 0 ? 0 : heapSize);
      heapParts.push(data);
      heapSize += data.length;
      at += 8;
    };
    for (const column of layout) {
      if (column.name === 'COMPRESSED_DATA') descriptor(cells.compressed, spec.algorithm === 'PLIO_1' ? 2 : 1);
      else if (column.name === 'GZIP_COMPRESSED_DATA') descriptor(cells.gzip, 1);
      else if (column.name === 'UNCOMPRESSED_DATA') descriptor(cells.uncompressed, elementBytes);
      else if (column.name === 'ZBLANK') {
        rows.setInt32(at, cells.zblank ?? 0);
        at += 4;
      } else {
        rows.setFloat64(at, (column.name === 'ZSCALE' ? cells.zscale : cells.zzero) ?? 0);
        at += 8;
      }
    }
  });

  const dataOffset = spec.dataOffset ?? 2880;
  const bytes = new Uint8Array(dataOffset + rows.byteLength + heapSize);
  bytes.set(new Uint8Array(rows.buffer), dataOffset);
  let heapAt = dataOffset + rows.byteLength;
  for (const part of heapParts) {
    bytes.set(part, heapAt);
    heapAt += part.length;
  }

  const raw: Record<string, CardValue> = {
    XTENSION: 'BINTABLE',
    BITPIX: 8,
    NAXIS: 2,
    NAXIS1: rowBytes,
    NAXIS2: spec.tiles.length,
    PCOUNT: heapSize,
    GCOUNT: 1,
    TFIELDS: layout.length,
    ZIMAGE: true,
    ZCMPTYPE: spec.algorithm,
    ZBITPIX: spec.zbitpix,
    ZNAXIS: spec.axes.length,
    ...spec.keywords,
  };
  layout.forEach((column, i) => {
    raw[`TTYPE${i + 1}`] = column.name;
    raw[`TFORM${i + 1}`] = column.tform;
  });
  spec.axes.forEach((length, i) => {
    raw[`ZNAXIS${i + 1}`] = length;
    if (spec.tile) raw[`ZTILE${i + 1}`] = spec.tile[i]!;
  });
  const hdu: ImageHdu = {
    index: 1,
    type: 'COMPRESSED_IMAGE',
    header: mapHeader({ XTENSION: 'IMAGE', BITPIX: spec.zbitpix, ...spec.imageKeywords }),
    rawHeader: mapHeader(raw),
    dataOffset,
    dataLength: rows.byteLength + heapSize,
    bitpix: spec.zbitpix,
    axes: spec.axes,
  };
  return { hdu, bytes, source: recordingSource(bytes), heapOffset: dataOffset + rows.byteLength };
}
