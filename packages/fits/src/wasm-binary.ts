/**
 * Just enough of the WebAssembly binary format (core spec 2.0, §5) to write small SIMD kernels by
 * hand, instruction by instruction, without a toolchain or a dependency: each helper returns the
 * bytes of one instruction or one section. SIMD instructions carry the 0xfd prefix and a LEB128
 * opcode (spec §5.4.8).
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let n = value >>> 0;
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (for i32.const). */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let n = value | 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export const localGet = (index: number): number[] => [0x20, index];
export const localSet = (index: number): number[] => [0x21, index];
export const localTee = (index: number): number[] => [0x22, index];
export const i32Const = (value: number): number[] => [0x41, ...sleb(value)];
export const f64Const = (value: number): number[] => [0x44, ...new Uint8Array(new Float64Array([value]).buffer)];
export const i32Add: number[] = [0x6a];
/** local += step (i32). */
export const advance = (index: number, step: number): number[] => [
  ...localGet(index),
  ...i32Const(step),
  ...i32Add,
  ...localSet(index),
];

/** A SIMD instruction: the 0xfd prefix, its opcode, its immediates. */
export const simd = (opcode: number, ...immediates: number[]): number[] => [0xfd, ...uleb(opcode), ...immediates];
/** v128.load / v128.store with alignment hint 1 (any address) and a constant offset. */
export const v128Load = (offset = 0): number[] => simd(0x00, 0x00, ...uleb(offset));
export const v128Store = (offset = 0): number[] => simd(0x0b, 0x00, ...uleb(offset));
/** i8x16.shuffle: lanes 0–15 pick bytes of the first operand, 16–31 of the second. */
export const shuffle = (lanes: number[]): number[] => simd(0x0d, ...lanes);

/** SIMD opcodes used by the kernels (spec §5.4.8). */
export const SIMD = {
  i32x4Splat: 0x11,
  i32x4Eq: 0x37,
  v128And: 0x4e,
  v128AndNot: 0x4f,
  v128Or: 0x50,
  f64x2Splat: 0x14,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  i32x4ExtendLowI16x8S: 0xa7,
  i32x4ExtendHighI16x8S: 0xa8,
  i32x4Add: 0xae,
  i32x4Sub: 0xb1,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f32x4ConvertI32x4S: 0xfa,
  f64x2ConvertLowI32x4S: 0xfe,
} as const;

/**
 * `block { loop { if (cursor >= end) break; body; continue } }`: the loop of every kernel, over a
 * byte address `cursor` that the body advances.
 */
export const loopUntil = (cursor: number, end: number, body: number[]): number[] => [
  ...[0x02, 0x40, 0x03, 0x40], // block, loop (no result)
  ...localGet(cursor),
  ...localGet(end),
  ...[0x4f, 0x0d, 0x01], // i32.ge_u, br_if 1 (out of the block)
  ...body,
  ...[0x0c, 0x00, 0x0b, 0x0b], // br 0 (the loop again); end loop; end block
];

export interface WasmFunction {
  name: string;
  params: number[];
  /** Extra locals after the parameters, as (count, type) runs. */
  locals: [number, number][];
  body: number[];
}

const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
const name = (text: string): number[] => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];

/**
 * A module of functions without results over one memory of `pages` 64 KiB pages that never grows
 * (its views stay valid), exported as "memory"; each function is exported under its name.
 */
export function wasmModule(functions: WasmFunction[], pages: number): Uint8Array {
  const types = section(1, vector(functions.map((f) => [0x60, ...vector(f.params.map((type) => [type])), 0x00])));
  const declarations = section(3, vector(functions.map((_, i) => uleb(i))));
  const memory = section(5, [0x01, 0x01, ...uleb(pages), ...uleb(pages)]);
  const exports = section(
    7,
    vector([...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]), [...name('memory'), 0x02, 0x00]]),
  );
  const code = section(
    10,
    vector(
      functions.map((f) => {
        const body = [...vector(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.body, 0x0b];
        return [...uleb(body.length), ...body];
      }),
    ),
  );
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...types,
    ...declarations,
    ...memory,
    ...exports,
    ...code,
  ]);
}

/** The part of the WebAssembly API used here (the package's type libraries do not declare it). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

/**
 * The exports of a module, or undefined where WebAssembly or its SIMD instructions are missing (an
 * old engine) or compiling is refused (a page whose content security policy forbids it).
 */
export function instantiate(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
    if (typeof wasm !== 'object' || !wasm.validate(bytes)) return undefined;
    return new wasm.Instance(new wasm.Module(bytes)).exports;
  } catch {
    return undefined;
  }
}
