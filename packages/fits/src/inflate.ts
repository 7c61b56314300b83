import { FitsError, FitsErrorCode } from './errors.js';

/**
 * Decompresses one gzip or zlib stream. The core takes it as a parameter so that it stays free of
 * `node:` imports: browsers and Node both have `webInflate`; Node callers may pass the faster
 * `nodeInflate` from `@aims/fits/node`. `maxOutputBytes`, when given, bounds the output: a tile of
 * known size must never be allowed to inflate into gigabytes (deflate reaches ratios of ~1000:1).
 * It may answer synchronously: a tile of a few kilobytes inflates in microseconds, less than the
 * round trip of an asynchronous call. The bytes it returns belong to the caller, which may
 * overwrite them (the pixel reader byte-swaps them in place).
 */
export type Inflate = ((data: Uint8Array, maxOutputBytes?: number) => Uint8Array | Promise<Uint8Array>) & {
  /** When present, used to inflate runs of gzip tiles in one call (see `InflateConcatenated`). */
  concatenated?: InflateConcatenated;
};

/**
 * Inflates gzip members written back to back and returns their outputs one after the other (what
 * gunzip does with a multi-member stream, RFC 1952 §2.2). `maxOutputBytes` bounds the total.
 * `output`, when given (at least `maxOutputBytes + 1` bytes, owned by the caller), may receive the
 * bytes: the result is then a view of it, and the caller reuses it from run to run instead of
 * having a new buffer allocated for every call.
 */
export type InflateConcatenated = (
  data: Uint8Array,
  maxOutputBytes: number,
  output?: Uint8Array,
) => Uint8Array | Promise<Uint8Array>;

/** The gzip magic bytes (RFC 1952); anything else is taken as a zlib stream (RFC 1950). */
export function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

/** Inflate with the standard DecompressionStream (WHATWG Compression Streams). */
export const webInflate: Inflate = async (data, maxOutputBytes = Number.POSITIVE_INFINITY) => {
  const stream = new DecompressionStream(isGzip(data) ? 'gzip' : 'deflate');
  const writer = stream.writable.getWriter();
  // Errors of the write side surface again on the read side; swallow them here so none is unhandled.
  writer.write(data).catch(() => {});
  writer.close().catch(() => {});

  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.readable.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxOutputBytes) {
        await reader.cancel().catch(() => {});
        throw new FitsError(
          FitsErrorCode.BAD_COMPRESSION,
          `deflate stream inflates beyond the ${maxOutputBytes} bytes expected`,
        );
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof FitsError) throw error;
    throw new FitsError(FitsErrorCode.BAD_COMPRESSION, `corrupt deflate stream: ${(error as Error).message}`);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
};
