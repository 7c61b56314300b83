import type { ByteSource } from './types.js';

/** A ByteSource over bytes already in memory. Reads are views, never copies. */
export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const start = Math.max(0, Math.min(offset, bytes.length));
      return bytes.subarray(start, Math.max(start, Math.min(offset + length, bytes.length)));
    },
  };
}
