// Byte order of typed arrays: FITS data are big-endian, typed arrays use the platform's order.

/** Typed-array views read in the platform's byte order (little-endian on every machine we know of). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The byte swaps of Node's Buffer (a Uint8Array): native code, 3–5× faster than the loops below. */
interface NativeSwaps {
  swap16(): unknown;
  swap32(): unknown;
  swap64(): unknown;
}

/**
 * Swaps `bytes` in place with the platform's own code when they are a Node Buffer (as the byte
 * buffers of `createNodePixelPool` are); false when they are not. The core imports nothing from
 * Node: it only looks for the methods.
 */
export function nativeSwap(bytes: Uint8Array, size: number): boolean {
  const swaps = bytes as Uint8Array & Partial<NativeSwaps>;
  if (typeof swaps.swap16 !== 'function' || typeof swaps.swap32 !== 'function' || typeof swaps.swap64 !== 'function') {
    return false;
  }
  if (size === 2) swaps.swap16();
  else if (size === 4) swaps.swap32();
  else if (size === 8) swaps.swap64();
  else return false;
  return true;
}

/**
 * Big-endian words of `size` bytes to the platform's order, in place: natively for a Node Buffer,
 * else through 32-bit words:
 * 16-bit values two at a time, 64-bit ones as two swapped halves exchanged. Uses Int32Array
 * views (a Uint32Array element above 2^31 is not a small integer to V8 and halves the speed).
 */
export function toNativeOrder(bytes: Uint8Array, size: number, count: number): void {
  if (!LITTLE_ENDIAN || count === 0) return;
  if (nativeSwap(bytes.subarray(0, count * size), size)) return;
  const { buffer, byteOffset } = bytes;
  if (byteOffset % 4 !== 0) {
    // Not aligned for 32-bit views (no reader here passes such bytes): byte by byte.
    for (let at = 0; at < count * size; at += size) bytes.subarray(at, at + size).reverse();
    return;
  }
  if (size === 2) {
    const pairs = new Int32Array(buffer, byteOffset, count >>> 1);
    for (let i = 0; i < pairs.length; i++) {
      const w = pairs[i]!;
      pairs[i] = ((w & 0x00ff00ff) << 8) | ((w >>> 8) & 0x00ff00ff);
    }
    if (count & 1) {
      const b = byteOffset + (count - 1) * 2;
      const last = new Uint8Array(buffer, b, 2);
      const first = last[0]!;
      last[0] = last[1]!;
      last[1] = first;
    }
    return;
  }
  const words = new Int32Array(buffer, byteOffset, (count * size) >>> 2);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    words[i] = (w << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24);
  }
  if (size === 8) {
    for (let i = 0; i < words.length; i += 2) {
      const high = words[i]!;
      words[i] = words[i + 1]!;
      words[i + 1] = high;
    }
  }
}
