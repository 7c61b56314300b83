import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsError, FitsErrorCode } from '../src/errors.js';
import { readStructure } from '../src/hdu.js';
import { type ImagePixels, pixelArrayType, readImage } from '../src/image.js';
import { fileSource, nodeInflate } from '../src/node.js';
import { createPixelPool } from '../src/pixel-pool.js';
import { bufferSource } from '../src/source.js';
import { writeFits } from '../src/write.js';
import { bigEndian, imageHdu, recordingSource } from './support/image-hdu.js';

const FPACK = '/usr/bin/fpack';
const dir = mkdtempSync(join(tmpdir(), 'aims-pixel-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small sky (seeded): background, noise, a few stars; NaN holes in the float version. */
function sky(width: number, height: number, float: boolean): Float64Array {
  let state = 7;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const data = new Float64Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = 1000 + 40 * (random() - 0.5);
  for (let s = 0; s < 20; s++) {
    const at = Math.floor(random() * data.length);
    data[at] = 30000 * random();
  }
  if (float) for (let i = 0; i < data.length; i += 997) data[i] = Number.NaN;
  return float ? data : data.map(Math.round);
}

function frame(name: string, bitpix: 16 | -32, options: { bzero?: number; fpack?: string[] } = {}): string {
  const original = join(dir, `${name}.fits`);
  const data = sky(300, 200, bitpix < 0);
  const hdu = { cards: [], bitpix, axes: [300, 200], data, ...(options.bzero ? { bzero: options.bzero } : {}) };
  writeFileSync(original, writeFits([hdu]));
  if (!options.fpack) return original;
  const packed = `${original}.fz`;
  const run = spawnSync(FPACK, [...options.fpack, '-O', packed, original], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`fpack ${options.fpack.join(' ')}: ${run.stderr}`);
  return packed;
}

async function read(path: string, options: Parameters<typeof readImage>[2] = {}, fromFile = false) {
  const source = fromFile ? await fileSource(path) : bufferSource(new Uint8Array(readFileSync(path)));
  try {
    const { hdus } = await readStructure(source);
    const hdu = hdus.find((h) => h.type === 'COMPRESSED_IMAGE') ?? hdus[0]!;
    return await readImage(source, hdu, { inflate: nodeInflate, ...options });
  } finally {
    await source.close?.();
  }
}

const snapshot = (pixels: ImagePixels) => ({
  data: Array.from(pixels.data),
  blankCount: pixels.blankCount,
  mask: pixels.mask ? Array.from(pixels.mask) : undefined,
  type: pixels.data.constructor.name,
});

const plainFrames = () => [frame('int16', 16), frame('uint16', 16, { bzero: 32768 }), frame('float32', -32)];
const packedFrames = () => [
  frame('rice', 16, { fpack: ['-r'] }),
  frame('gzip1', 16, { fpack: ['-g1'] }),
  frame('gzip2-uint16', 16, { bzero: 32768, fpack: ['-g2'] }),
  frame('rice-tiles', 16, { fpack: ['-r', '-t', '64,64'] }),
  frame('float-rice', -32, { fpack: ['-q', '4'] }),
  frame('float-gzip2', -32, { fpack: ['-g2', '-q', '4'] }),
];

describe('readImage through a PixelPool', () => {
  it.each([
    ['plain frames', plainFrames],
    ['tile-compressed frames', () => (existsSync(FPACK) ? packedFrames() : [])],
  ])('gives the same pixels as fresh reads, read after read, reusing its arrays (%s)', async (_name, make) => {
    const paths = make();
    if (paths.length === 0) return; // fpack missing: the plain case still runs
    const fresh = new Map<string, ReturnType<typeof snapshot>>();
    for (const path of paths) fresh.set(path, snapshot(await read(path)));

    const pool = createPixelPool();
    const buffers = new Map<string, ArrayBufferLike>();
    for (let round = 0; round < 2; round++) {
      for (const path of paths) {
        for (const blank of ['nan', 'mask'] as const) {
          // From a file: the plain reader fills the pool's byte buffer instead of allocating.
          const pixels = await read(path, { pool, blank }, true);
          const expected = fresh.get(path)!;
          expect({ ...snapshot(pixels), mask: undefined }).toEqual({ ...expected, mask: undefined });
          if (blank === 'mask') {
            expect(pixels.mask).toBeDefined();
            expect(Array.from(pixels.mask!).every((m, i) => (m === 1) === Number.isNaN(expected.data[i]!))).toBe(true);
          }
          const type = pixels.data.constructor.name;
          if (!buffers.has(type)) buffers.set(type, pixels.data.buffer);
          expect(pixels.data.buffer).toBe(buffers.get(type));
        }
      }
    }
  });

  it('hands out arrays above its limit without keeping them', () => {
    const pool = createPixelPool({ maxElements: 100 });
    const small = pool.float32(100);
    expect(pool.float32(50).buffer).toBe(small.buffer);
    const big = pool.float32(101);
    expect(pool.float32(101).buffer).not.toBe(big.buffer);
    expect(pool.mask(10).every((m) => m === 0)).toBe(true);
  });
});

describe('readImage into a given output array', () => {
  const hdu = imageHdu(16, [3, 2]);
  const source = () => recordingSource(bigEndian(16, [1, 2, 3, 4, 5, 6]));

  it('writes into the start of the array and returns a view of it', async () => {
    const output = new Float32Array(10).fill(-1);
    const pixels = await readImage(source(), hdu, { output });
    expect(pixels.data.buffer).toBe(output.buffer);
    expect(Array.from(output)).toEqual([1, 2, 3, 4, 5, 6, -1, -1, -1, -1]);
    const rows = await readImage(source(), hdu, { output, rows: { start: 1, end: 2 } });
    expect(Array.from(rows.data)).toEqual([4, 5, 6]);
  });

  it('refuses an array too small or of the wrong type, before reading anything', async () => {
    const reading = source();
    const tooSmall = await readImage(reading, hdu, { output: new Float32Array(5) }).catch((e: unknown) => e);
    expect(tooSmall).toBeInstanceOf(FitsError);
    expect(tooSmall).toMatchObject({ code: FitsErrorCode.OUT_OF_RANGE, hduIndex: 0 });
    expect((tooSmall as FitsError).message).toMatch(/holds 5 values, but the read covers 6 pixels/);
    const wrongType = await readImage(reading, hdu, { output: new Float64Array(6) }).catch((e: unknown) => e);
    expect(wrongType).toMatchObject({ code: FitsErrorCode.OUT_OF_RANGE });
    expect((wrongType as FitsError).message).toMatch(/Float64Array.*Float32Array/);
    expect(reading.reads).toEqual([]);
  });

  it('says which array type an HDU reads as', () => {
    expect(pixelArrayType(imageHdu(16, [2, 2]))).toBe('float32');
    expect(pixelArrayType(imageHdu(16, [2, 2], { BZERO: 32768 }))).toBe('float32');
    expect(pixelArrayType(imageHdu(32, [2, 2]))).toBe('float64');
    expect(pixelArrayType(imageHdu(-32, [2, 2], { BSCALE: 2 }))).toBe('float64');
  });

  it.skipIf(!existsSync(FPACK))('fills it from tile-compressed data as well', async () => {
    const path = frame('output-rice', 16, { fpack: ['-r'] });
    const expected = snapshot(await read(path));
    const output = new Float32Array(300 * 200 + 7);
    const pixels = await read(path, { output });
    expect(pixels.data.buffer).toBe(output.buffer);
    expect(snapshot(pixels)).toEqual(expected);
    const small = await read(path, { output: new Float32Array(100) }).catch((e: unknown) => e);
    expect(small).toMatchObject({ code: FitsErrorCode.OUT_OF_RANGE });
  });
});
