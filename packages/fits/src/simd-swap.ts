/**
 * Byte swaps of big-endian float32 words with a NaN count, in WebAssembly SIMD: 16 bytes per
 * instruction where a JavaScript loop handles one word at a time. A plain float frame's read is the
 * file read and this pass; in JavaScript the pass took twice the read (4096² float32: 25–40 ms CPU
 * against 5–9 ms for this one, docs/performance.md, "Pixels").
 *
 * WebAssembly code sees only its own memory, so the words are copied into a small memory of the
 * module's own (a native copy), swapped and counted there, and copied back: the piece is small
 * enough to stay in the CPU's cache between the three steps. The memory never grows, so its views
 * stay valid; every call is synchronous, so one instance per thread serves every read.
 *
 * Where WebAssembly or its SIMD instructions are missing (an old engine, a page whose CSP forbids
 * compiling it), `simdSwap()` is undefined and the callers keep their JavaScript loops.
 */

/** Memory pages (64 KiB each) of the module: the piece copied in and out per call. */
const PAGES = 4;
const PIECE_BYTES = PAGES * 64 * 1024;
/** Below this many words the copies cost more than they save. */
export const SIMD_SWAP_MIN_WORDS = 4096;

// The module, instruction by instruction (WebAssembly core spec 2.0, binary format §5; SIMD
// opcodes carry the 0xfd prefix). One function, swap32(start, end) → NaN count, over the bytes
// [start, end) of its memory, `end − start` a multiple of 16:
//
//   loop while start < end:
//     v = v128.load(start)
//     v128.store(start, i8x16.shuffle(v, v, 3 2 1 0 7 6 5 4 11 10 9 8 15 14 13 12))
//     nans = i32x4.sub(nans, f32x4.ne(v', v'))   (a NaN is the one value unequal to itself: −1)
//     start += 16
//   return the sum of the four lanes of nans
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]; // "\0asm", version 1
const TYPES = [0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f]; // (i32, i32) → i32
const FUNCTIONS = [0x03, 0x02, 0x01, 0x00]; // one function of type 0
const MEMORY = [0x05, 0x04, 0x01, 0x01, PAGES, PAGES]; // minimum = maximum: never grows
const EXPORTS = [
  [0x07, 0x13, 0x02],
  [0x06, ...'swap32'.split('').map((c) => c.charCodeAt(0)), 0x00, 0x00], // function 0
  [0x06, ...'memory'.split('').map((c) => c.charCodeAt(0)), 0x02, 0x00], // memory 0
].flat();
const START = 0x00;
const END = 0x01;
const NANS = 0x02;
const WORDS = 0x03;
const BODY = [
  [0x01, 0x02, 0x7b], // locals: 2 × v128 (NANS, WORDS), zero at entry
  [0x02, 0x40, 0x03, 0x40], // block, loop
  [0x20, START, 0x20, END, 0x4f, 0x0d, 0x01], // if start >= end (unsigned): break out of the block
  [0x20, START], // the store's address
  [0x20, START, 0xfd, 0x00, 0x02, 0x00, 0x22, WORDS, 0x20, WORDS], // v128.load (align 4), twice
  [0xfd, 0x0d, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12], // i8x16.shuffle: each word reversed
  [0x22, WORDS, 0xfd, 0x0b, 0x02, 0x00], // keep it, v128.store
  [0x20, NANS, 0x20, WORDS, 0x20, WORDS, 0xfd, 0x42, 0xfd, 0xb1, 0x01, 0x21, NANS], // f32x4.ne, i32x4.sub
  [0x20, START, 0x41, 0x10, 0x6a, 0x21, START], // start += 16
  [0x0c, 0x00, 0x0b, 0x0b], // continue the loop; end loop, end block
  [0x20, NANS, 0xfd, 0x1b, 0x00, 0x20, NANS, 0xfd, 0x1b, 0x01, 0x6a], // i32x4.extract_lane 0 + 1
  [0x20, NANS, 0xfd, 0x1b, 0x02, 0x6a, 0x20, NANS, 0xfd, 0x1b, 0x03, 0x6a], // + lane 2 + lane 3
  [0x0b], // end of the function
].flat();
const CODE = [0x0a, BODY.length + 2, 0x01, BODY.length, ...BODY];
const MODULE = new Uint8Array([HEADER, TYPES, FUNCTIONS, MEMORY, EXPORTS, CODE].flat());

export interface SimdSwap {
  /**
   * Swaps `count` big-endian 32-bit words of `from` into native order at `to` (the same words or
   * another array of that length), and returns how many of them are float32 NaNs.
   */
  swap32(from: Int32Array, to: Int32Array, count: number): number;
}

/** The part of the WebAssembly API used here (the package's type libraries do not declare it). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

let compiled: SimdSwap | null | undefined;

/** The kernel of this thread, compiled on first use; undefined where it cannot run. */
export function simdSwap(): SimdSwap | undefined {
  if (compiled === undefined) compiled = compile();
  return compiled ?? undefined;
}

function compile(): SimdSwap | null {
  try {
    const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
    if (typeof wasm !== 'object' || !wasm.validate(MODULE)) return null;
    const { exports } = new wasm.Instance(new wasm.Module(MODULE));
    const run = exports.swap32 as (start: number, end: number) => number;
    const memory = new Uint8Array((exports.memory as { buffer: ArrayBuffer }).buffer);
    return {
      swap32(from, to, count) {
        const source = new Uint8Array(from.buffer, from.byteOffset, count * 4);
        const target = new Uint8Array(to.buffer, to.byteOffset, count * 4);
        let nans = 0;
        for (let at = 0; at < source.length; at += PIECE_BYTES) {
          const length = Math.min(PIECE_BYTES, source.length - at);
          memory.set(source.subarray(at, at + length));
          // The last piece is rounded up to whole 16-byte vectors over zeros (0.0 is not NaN).
          const padded = (length + 15) & ~15;
          memory.fill(0, length, padded);
          nans += run(0, padded);
          target.set(memory.subarray(0, length), at);
        }
        return nans;
      },
    };
  } catch {
    // Compiling WebAssembly refused (a content security policy): the JavaScript loops stay.
    return null;
  }
}
