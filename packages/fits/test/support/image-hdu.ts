import type { ImageHdu } from '../../src/image.js';
import type { ByteSource, CardValue, HduType, HeaderLike } from '../../src/types.js';

/** A header made of a plain keyword → value map, for hand-built test HDUs. */
export function mapHeader(values: Record<string, CardValue>): HeaderLike {
  return { get: (key) => values[key] };
}

/** An image HDU whose data unit starts at `dataOffset` of the source. */
export function imageHdu(
  bitpix: number,
  axes: number[],
  keywords: Record<string, CardValue> = {},
  options: { type?: HduType; dataOffset?: number; rawHeader?: Record<string, CardValue> } = {},
): ImageHdu {
  const bytes = axes.length === 0 ? 0 : axes.reduce((a, b) => a * b, 1) * (Math.abs(bitpix) / 8);
  return {
    index: 0,
    type: options.type ?? 'PRIMARY',
    header: mapHeader({ BITPIX: bitpix, NAXIS: axes.length, ...keywords }),
    rawHeader: mapHeader(options.rawHeader ?? {}),
    dataOffset: options.dataOffset ?? 0,
    dataLength: bytes,
    bitpix,
    axes,
  };
}

/** A byte source over memory that records every read, so tests can see which bytes were asked for. */
export function recordingSource(bytes: Uint8Array): ByteSource & { reads: Array<[number, number]> } {
  const reads: Array<[number, number]> = [];
  return {
    size: bytes.length,
    reads,
    async read(offset: number, length: number) {
      reads.push([offset, length]);
      return bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length));
    },
  };
}

/** Big-endian bytes of `values` stored as `bitpix`. */
export function bigEndian(bitpix: number, values: Array<number | bigint>): Uint8Array {
  const size = Math.abs(bitpix) / 8;
  const view = new DataView(new ArrayBuffer(values.length * size));
  values.forEach((value, i) => {
    const at = i * size;
    if (bitpix === 8) view.setUint8(at, Number(value));
    else if (bitpix === 16) view.setInt16(at, Number(value));
    else if (bitpix === 32) view.setInt32(at, Number(value));
    else if (bitpix === 64) view.setBigInt64(at, BigInt(value));
    else if (bitpix === -32) view.setFloat32(at, Number(value));
    else view.setFloat64(at, Number(value));
  });
  return new Uint8Array(view.buffer);
}
