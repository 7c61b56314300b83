/**
 * The byte-level steps of GZIP tiles and the unquantization of quantized float tiles, in
 * WebAssembly SIMD: GZIP_2's byte planes interleaved 16 pixels at a time by byte shuffles,
 * big-endian words swapped, 16-bit values widened and converted to float32, and subtractive
 * dithering computed two pixels per f64x2 instruction. In JavaScript these passes took about as
 * long as zlib itself for a quantized float frame (docs/performance.md, "Pixels").
 *
 * Bit for bit the same as the JavaScript loops: the dither arithmetic is the same IEEE double
 * operations in the same order, `((i − r) + 0.5) × scale + zero`, rounded once to float32
 * (f32x4.demote_f64x2_zero rounds to nearest even, as a Float32Array store does).
 *
 * WebAssembly code sees only its own memory: a tile is loaded into it a chunk at a time (native
 * copies), transformed there while it is in the CPU's cache, and copied out. Every call is
 * synchronous, so one instance per thread serves every read. Where WebAssembly SIMD is missing
 * `simdTiles()` is undefined and the callers keep their JavaScript loops.
 */
import {
  advance,
  F64,
  f64Const,
  I32,
  i32Add,
  i32Const,
  instantiate,
  localGet,
  localSet,
  localTee,
  loopUntil,
  SIMD,
  shuffle,
  simd,
  V128,
  v128Load,
  v128Store,
  type WasmFunction,
  wasmModule,
} from '../wasm-binary.js';

/** Pixels handled per call into the module: the tile of one 16,384-pixel row, or a part of a larger tile. */
export const SIMD_CHUNK_PIXELS = 16 * 1024;
/** Below this many pixels the copies in and out cost more than the kernels save. */
export const SIMD_TILE_MIN_PIXELS = 256;
/** Room after each region: the kernels round a count up to whole vectors (16 pixels at most). */
const SLACK = 256;
const REGION = SIMD_CHUNK_PIXELS * 4 + SLACK;
/** The input bytes of a chunk: big-endian words, or GZIP_2's planes `SIMD_CHUNK_PIXELS` bytes apart. */
const INPUT = 0;
/** Native int32 values of a chunk. */
const INTEGERS = REGION;
/** Float32 results of a chunk. */
const OUTPUT = 2 * REGION;
/** The dither table (float32), with room for the vector that overruns its end. */
const RANDOM = 3 * REGION;
const RANDOM_ROOM = 10_000 * 4 + SLACK;
/** Four int32 lanes: the null counts of the last ditherMarked call. */
const COUNTS = RANDOM + RANDOM_ROOM;
const PAGES = Math.ceil((COUNTS + 16) / 65_536);
/** SUBTRACTIVE_DITHER_2's stored value for an exact zero (dither.ts). */
const DITHER_ZERO_VALUE = -2_147_483_646;
/** The NaN a Float32Array store of NaN writes (V8's canonical quiet NaN). */
const FLOAT32_NAN_BITS = 0x7fc00000;

// Byte shuffles (i8x16.shuffle lanes; 16–31 pick from the second operand).
const SWAP_WORDS = [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12];
const SWAP_PAIRS = [1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14];
/** Bytes 0–7 of two vectors interleaved: a0 b0 a1 b1 … */
const ZIP_LOW = [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23];
/** Bytes 8–15 of two vectors interleaved. */
const ZIP_HIGH = [8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31];
/** 16-bit lanes 0–3 of two vectors interleaved. */
const PAIRS_LOW = [0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23];
/** 16-bit lanes 4–7 of two vectors interleaved. */
const PAIRS_HIGH = [8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31];
/** The high 64 bits moved down (for the *_low conversions). */
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
/** The low 64 bits of each operand: two demoted f64x2 results side by side. */
const LOW_HALVES = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];

/** swap32(start, end): reverses the bytes of each 32-bit word of [start, end), 16 bytes a step. */
const swap32: WasmFunction = {
  name: 'swap32',
  params: [I32, I32],
  locals: [],
  body: loopUntil(0, 1, [
    ...localGet(0),
    ...localGet(0),
    ...v128Load(),
    ...localGet(0),
    ...v128Load(),
    ...shuffle(SWAP_WORDS),
    ...v128Store(),
    ...advance(0, 16),
  ]),
};

/**
 * unshuffle32(source, stride, target, end): GZIP_2 32-bit values, planes `stride` bytes apart (the
 * most significant byte of every value first), to native int32 at [target, end), 16 a step: the
 * planes are zipped pairwise into 16-bit halves, then the halves into words.
 */
const unshuffle32: WasmFunction = {
  name: 'unshuffle32',
  params: [I32, I32, I32, I32],
  // 4–7: the four planes' vectors (most significant first); 8, 9: the low and high halves.
  locals: [[6, V128]],
  body: loopUntil(2, 3, [
    ...localGet(0),
    ...v128Load(),
    ...localSet(4),
    ...localGet(0),
    ...localGet(1),
    ...i32Add,
    ...v128Load(),
    ...localSet(5),
    ...localGet(0),
    ...localGet(1),
    ...i32Add,
    ...localGet(1),
    ...i32Add,
    ...v128Load(),
    ...localSet(6),
    ...localGet(0),
    ...localGet(1),
    ...i32Add,
    ...localGet(1),
    ...i32Add,
    ...localGet(1),
    ...i32Add,
    ...v128Load(),
    ...localSet(7),
    // Pixels 0–7 of the step: low halves from planes 3 and 2, high halves from planes 1 and 0.
    ...[...localGet(7), ...localGet(6), ...shuffle(ZIP_LOW), ...localSet(8)],
    ...[...localGet(5), ...localGet(4), ...shuffle(ZIP_LOW), ...localSet(9)],
    ...[...localGet(2), ...localGet(8), ...localGet(9), ...shuffle(PAIRS_LOW), ...v128Store(0)],
    ...[...localGet(2), ...localGet(8), ...localGet(9), ...shuffle(PAIRS_HIGH), ...v128Store(16)],
    // Pixels 8–15.
    ...[...localGet(7), ...localGet(6), ...shuffle(ZIP_HIGH), ...localSet(8)],
    ...[...localGet(5), ...localGet(4), ...shuffle(ZIP_HIGH), ...localSet(9)],
    ...[...localGet(2), ...localGet(8), ...localGet(9), ...shuffle(PAIRS_LOW), ...v128Store(32)],
    ...[...localGet(2), ...localGet(8), ...localGet(9), ...shuffle(PAIRS_HIGH), ...v128Store(48)],
    ...advance(0, 16),
    ...advance(2, 64),
  ]),
};

/**
 * shuffled16(source, stride, target, end, offset): GZIP_2 16-bit values, two planes `stride` bytes
 * apart (high bytes first), to float32 `value + offset` at [target, end), 16 a step: planes zipped
 * into int16, widened to int32, offset added, converted (exact: every result is below 2^24).
 */
const shuffled16: WasmFunction = {
  name: 'shuffled16',
  params: [I32, I32, I32, I32, I32],
  // 5: high bytes, 6: low bytes, 7: eight int16 values, 8: the offset in each lane.
  locals: [[4, V128]],
  body: [
    ...localGet(4),
    ...simd(SIMD.i32x4Splat),
    ...localSet(8),
    ...loopUntil(2, 3, [
      ...localGet(0),
      ...v128Load(),
      ...localSet(5),
      ...localGet(0),
      ...localGet(1),
      ...i32Add,
      ...v128Load(),
      ...localSet(6),
      ...[...localGet(6), ...localGet(5), ...shuffle(ZIP_LOW), ...localSet(7)],
      ...widenStore(SIMD.i32x4ExtendLowI16x8S, 0),
      ...widenStore(SIMD.i32x4ExtendHighI16x8S, 16),
      ...[...localGet(6), ...localGet(5), ...shuffle(ZIP_HIGH), ...localSet(7)],
      ...widenStore(SIMD.i32x4ExtendLowI16x8S, 32),
      ...widenStore(SIMD.i32x4ExtendHighI16x8S, 48),
      ...advance(0, 16),
      ...advance(2, 64),
    ]),
  ],
};

/**
 * bigEndian16(source, target, end, offset): big-endian 16-bit values (GZIP_1) to float32
 * `value + offset` at [target, end), 8 a step. Locals as in shuffled16, so `widenStore` serves both.
 */
const bigEndian16: WasmFunction = {
  name: 'bigEndian16',
  params: [I32, I32, I32, I32],
  // 4: unused (shuffled16's high bytes), 5–6: unused, 7: eight int16 values, 8: the offset.
  locals: [[5, V128]],
  body: [
    ...localGet(3),
    ...simd(SIMD.i32x4Splat),
    ...localSet(8),
    ...loopUntil(1, 2, [
      ...[...localGet(0), ...v128Load(), ...localGet(0), ...v128Load(), ...shuffle(SWAP_PAIRS), ...localSet(7)],
      ...widenStore(SIMD.i32x4ExtendLowI16x8S, 0, 1),
      ...widenStore(SIMD.i32x4ExtendHighI16x8S, 16, 1),
      ...advance(0, 16),
      ...advance(1, 32),
    ]),
  ],
};

/** Four of the int16 values in local 7 widened, offset, converted and stored at target + offset. */
function widenStore(extend: number, offset: number, target = 2): number[] {
  return [
    ...localGet(target),
    ...localGet(7),
    ...simd(extend, 0x01),
    ...localGet(8),
    ...simd(SIMD.i32x4Add, 0x01),
    ...simd(SIMD.f32x4ConvertI32x4S, 0x01),
    ...v128Store(offset),
  ];
}

/**
 * dither(integers, random, target, end, scale, zero): subtractive dithering (see dither.ts), four
 * pixels a step, to float32 at [target, end): `((i − r) + 0.5) × scale + zero` in f64x2 lanes.
 */
const dither: WasmFunction = ditherFunction(false);

/**
 * ditherMarked(integers, random, target, end, scale, zero, null, nullOn, zeroOn): the same, with
 * the two marked values of the convention: where nullOn is −1, integers equal to `null` give NaN
 * (0x7fc00000, as a Float32Array store of NaN writes) and are counted into the four lanes at
 * COUNTS; where zeroOn is −1, DITHER_ZERO_VALUE gives 0.0 (SUBTRACTIVE_DITHER_2). Null wins, as in
 * the loop. A separate function so that the common tile does not pay for the tests.
 */
const ditherMarked: WasmFunction = ditherFunction(true);

function ditherFunction(marked: boolean): WasmFunction {
  // Parameters: 0 integers, 1 random, 2 target, 3 end, 4 scale, 5 zero (f64); when marked also
  // 6 null value, 7 null on, 8 zero on (i32). Then the v128 locals.
  const first = marked ? 9 : 6;
  const scale = first;
  const zero = first + 1;
  const half = first + 2;
  const integers = first + 3;
  const random = first + 4;
  // ditherMarked only: the null value, null on, DITHER_ZERO_VALUE, zero on, NaN (splat in every
  // lane), the null count, the null mask of the step.
  const nullValue = first + 5;
  const nullOn = first + 6;
  const zeroMarker = first + 7;
  const zeroOn = first + 8;
  const nan = first + 9;
  const count = first + 10;
  const mask = first + 11;
  const splat = (from: number[], to: number) => [...from, ...simd(SIMD.i32x4Splat), ...localSet(to)];
  return {
    name: marked ? 'ditherMarked' : 'dither',
    params: marked ? [I32, I32, I32, I32, F64, F64, I32, I32, I32] : [I32, I32, I32, I32, F64, F64],
    locals: [[marked ? 12 : 5, V128]],
    body: [
      ...[...localGet(4), ...simd(SIMD.f64x2Splat), ...localSet(scale)],
      ...[...localGet(5), ...simd(SIMD.f64x2Splat), ...localSet(zero)],
      ...[...f64Const(0.5), ...simd(SIMD.f64x2Splat), ...localSet(half)],
      ...(marked
        ? [
            ...splat(localGet(6), nullValue),
            ...splat(localGet(7), nullOn),
            ...splat(i32Const(DITHER_ZERO_VALUE), zeroMarker),
            ...splat(localGet(8), zeroOn),
            ...splat(i32Const(FLOAT32_NAN_BITS), nan),
          ]
        : []),
      ...loopUntil(2, 3, [
        ...[...localGet(0), ...v128Load(), ...localSet(integers)],
        ...[...localGet(1), ...v128Load(), ...localSet(random)],
        ...localGet(2),
        ...ditherPair([...localGet(integers)], [...localGet(random)], scale, zero, half),
        ...ditherPair(
          [...localGet(integers), ...localGet(integers), ...shuffle(HIGH_HALF)],
          [...localGet(random), ...localGet(random), ...shuffle(HIGH_HALF)],
          scale,
          zero,
          half,
        ),
        ...shuffle(LOW_HALVES),
        ...(marked
          ? [
              // Zero markers: the result's bits cleared (+0.0).
              ...[...localGet(integers), ...localGet(zeroMarker), ...simd(SIMD.i32x4Eq), ...localGet(zeroOn)],
              ...[...simd(SIMD.v128And), ...simd(SIMD.v128AndNot)],
              // Nulls: the result's bits cleared and NaN's put in where the mask is set.
              ...[...localGet(integers), ...localGet(nullValue), ...simd(SIMD.i32x4Eq), ...localGet(nullOn)],
              ...[...simd(SIMD.v128And), ...localTee(mask), ...simd(SIMD.v128AndNot)],
              ...[...localGet(nan), ...localGet(mask), ...simd(SIMD.v128And), ...simd(SIMD.v128Or)],
              // Counted: each null lane's mask is −1.
              ...[...localGet(count), ...localGet(mask), ...simd(SIMD.i32x4Sub, 0x01), ...localSet(count)],
            ]
          : []),
        ...v128Store(),
        ...advance(0, 16),
        ...advance(1, 16),
        ...advance(2, 16),
      ]),
      ...(marked ? [...i32Const(COUNTS), ...localGet(count), ...v128Store()] : []),
    ],
  };
}

/** Two pixels: the low two lanes of `integers` and `random` to two float32 in the low half. */
function ditherPair(integers: number[], random: number[], scale: number, zero: number, half: number): number[] {
  return [
    ...integers,
    ...simd(SIMD.f64x2ConvertLowI32x4S, 0x01),
    ...random,
    ...simd(SIMD.f64x2PromoteLowF32x4),
    ...simd(SIMD.f64x2Sub, 0x01),
    ...localGet(half),
    ...simd(SIMD.f64x2Add, 0x01),
    ...localGet(scale),
    ...simd(SIMD.f64x2Mul, 0x01),
    ...localGet(zero),
    ...simd(SIMD.f64x2Add, 0x01),
    ...simd(SIMD.f32x4DemoteF64x2Zero),
  ];
}

const MODULE = wasmModule([swap32, unshuffle32, shuffled16, bigEndian16, dither, ditherMarked], PAGES);

/** Where a tile's quantized integers come from. */
export type IntegerLayout = 'big-endian' | 'shuffled';

export interface SimdTiles {
  /**
   * GZIP_2 16-bit values of a tile of `count` pixels (high-byte plane, then low-byte plane) to
   * float32 `value + offset` in `out` (offset 0, or 32768 for BZERO 32768).
   */
  shuffled16(bytes: Uint8Array, count: number, offset: number, out: Float32Array): void;
  /** Big-endian 16-bit values (GZIP_1, a plain data unit) to float32 `value + offset` in `out`. */
  bigEndian16(bytes: Uint8Array, count: number, offset: number, out: Float32Array): void;
  /**
   * Loads the integers of pixels [from, from + n) (n ≤ SIMD_CHUNK_PIXELS) of a tile of `count`
   * pixels: big-endian int32 words, or GZIP_2's four byte planes.
   */
  loadBytes(bytes: Uint8Array, layout: IntegerLayout, count: number, from: number, n: number): void;
  /** Loads native int32 values (a Rice-decoded tile). */
  loadIntegers(values: Int32Array, from: number, n: number): void;
  /**
   * Dithers the loaded pixels [at, at + n) with `random[next…next + n)` (next + n ≤ the table's
   * length) into the chunk's float32 results. Integers equal to `nullValue` give NaN, and with
   * `zeroMarked` (SUBTRACTIVE_DITHER_2) DITHER_ZERO_VALUE gives 0. Returns the count of nulls.
   */
  dither(
    random: Float32Array,
    at: number,
    n: number,
    next: number,
    scale: number,
    zero: number,
    nullValue: number | undefined,
    zeroMarked: boolean,
  ): number;
  /** Copies the chunk's first `n` results to `out` at `to`. */
  store(out: Float32Array, to: number, n: number): void;
}

let compiled: SimdTiles | null | undefined;

/** The kernels of this thread, compiled on first use; undefined where they cannot run. */
export function simdTiles(): SimdTiles | undefined {
  if (compiled === undefined) compiled = compile() ?? null;
  return compiled ?? undefined;
}

type Kernel = (...args: number[]) => void;

function compile(): SimdTiles | undefined {
  const exports = instantiate(MODULE);
  if (!exports) return undefined;
  const memory = (exports.memory as { buffer: ArrayBuffer }).buffer;
  const bytes = new Uint8Array(memory);
  const integers = new Int32Array(memory, INTEGERS, SIMD_CHUNK_PIXELS);
  const results = new Float32Array(memory, OUTPUT, SIMD_CHUNK_PIXELS);
  const randomView = new Float32Array(memory, RANDOM, RANDOM_ROOM / 4);
  const swap32 = exports.swap32 as Kernel;
  const unshuffle32 = exports.unshuffle32 as Kernel;
  const shuffled16 = exports.shuffled16 as Kernel;
  const bigEndian16 = exports.bigEndian16 as Kernel;
  const dither = exports.dither as Kernel;
  const ditherMarked = exports.ditherMarked as Kernel;
  const counts = new Int32Array(memory, COUNTS, 4);
  /** Where the loaded chunk's integers are: INPUT (swapped in place) or INTEGERS. */
  let loaded = INTEGERS;
  let table: Float32Array | undefined;
  const vectors = (n: number) => (n + 15) & ~15;
  return {
    shuffled16(source, count, offset, out) {
      for (let from = 0; from < count; from += SIMD_CHUNK_PIXELS) {
        const n = Math.min(SIMD_CHUNK_PIXELS, count - from);
        bytes.set(source.subarray(from, from + n), INPUT);
        bytes.set(source.subarray(count + from, count + from + n), INPUT + SIMD_CHUNK_PIXELS);
        shuffled16(INPUT, SIMD_CHUNK_PIXELS, OUTPUT, OUTPUT + vectors(n) * 4, offset);
        out.set(results.subarray(0, n), from);
      }
    },
    bigEndian16(source, count, offset, out) {
      for (let from = 0; from < count; from += SIMD_CHUNK_PIXELS) {
        const n = Math.min(SIMD_CHUNK_PIXELS, count - from);
        bytes.set(source.subarray(from * 2, (from + n) * 2), INPUT);
        bigEndian16(INPUT, OUTPUT, OUTPUT + vectors(n) * 4, offset);
        out.set(results.subarray(0, n), from);
      }
    },
    loadBytes(source, layout, count, from, n) {
      if (layout === 'big-endian') {
        bytes.set(source.subarray(from * 4, (from + n) * 4), INPUT);
        swap32(INPUT, INPUT + vectors(n) * 4);
        loaded = INPUT;
        return;
      }
      for (let plane = 0; plane < 4; plane++) {
        const start = plane * count + from;
        bytes.set(source.subarray(start, start + n), INPUT + plane * SIMD_CHUNK_PIXELS);
      }
      unshuffle32(INPUT, SIMD_CHUNK_PIXELS, INTEGERS, INTEGERS + vectors(n) * 4);
      loaded = INTEGERS;
    },
    loadIntegers(values, from, n) {
      integers.set(values.subarray(from, from + n));
      loaded = INTEGERS;
    },
    dither(random, at, n, next, scale, zero, nullValue, zeroMarked) {
      if (table !== random) {
        randomView.fill(0).set(random);
        table = random;
      }
      // Rounded up to whole vectors: the extra lanes read integers and random values past the run
      // (inside the regions' slack) and write results that the next run overwrites.
      const vectorEnd = at + ((n + 3) & ~3);
      const end = OUTPUT + vectorEnd * 4;
      // A null that is not an int32 never equals a stored integer.
      const nulls = nullValue !== undefined && (nullValue | 0) === nullValue;
      if (!nulls && !zeroMarked) {
        dither(loaded + at * 4, RANDOM + next * 4, OUTPUT + at * 4, end, scale, zero);
        return 0;
      }
      const marker = nulls ? nullValue : 0;
      ditherMarked(
        loaded + at * 4,
        RANDOM + next * 4,
        OUTPUT + at * 4,
        end,
        scale,
        zero,
        marker,
        nulls ? -1 : 0,
        zeroMarked ? -1 : 0,
      );
      let count = counts[0]! + counts[1]! + counts[2]! + counts[3]!;
      if (nulls) {
        // The extra lanes past the run were counted too.
        const values = new Int32Array(memory, loaded, SIMD_CHUNK_PIXELS + 4);
        for (let i = at + n; i < vectorEnd; i++) if (values[i] === marker) count--;
      }
      return count;
    },
    store(out, to, n) {
      out.set(results.subarray(0, n), to);
    },
  };
}
