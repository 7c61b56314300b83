// Frames written here (and packed by fpack) for the pixel-pool tests, and the check they share.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { readStructure } from '../../src/hdu.js';
import { type ImagePixels, readImage } from '../../src/image.js';
import { fileSource, nodeInflate } from '../../src/node.js';
import { createPixelPool } from '../../src/pixel-pool.js';
import { bufferSource } from '../../src/source.js';
import { writeFits } from '../../src/write.js';

export const FPACK = '/usr/bin/fpack';
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

export function frame(name: string, bitpix: 16 | -32, options: { bzero?: number; fpack?: string[] } = {}): string {
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

export async function read(path: string, options: Parameters<typeof readImage>[2] = {}, fromFile = false) {
  const source = fromFile ? await fileSource(path) : bufferSource(new Uint8Array(readFileSync(path)));
  try {
    const { hdus } = await readStructure(source);
    const hdu = hdus.find((h) => h.type === 'COMPRESSED_IMAGE') ?? hdus[0]!;
    return await readImage(source, hdu, { inflate: nodeInflate, ...options });
  } finally {
    await source.close?.();
  }
}

export const snapshot = (pixels: ImagePixels) => ({
  data: Array.from(pixels.data),
  blankCount: pixels.blankCount,
  mask: pixels.mask ? Array.from(pixels.mask) : undefined,
  type: pixels.data.constructor.name,
});

export const plainFrames = () => [frame('int16', 16), frame('uint16', 16, { bzero: 32768 }), frame('float32', -32)];
export const packedFrames = () => [
  frame('rice', 16, { fpack: ['-r'] }),
  frame('gzip1', 16, { fpack: ['-g1'] }),
  frame('gzip2-uint16', 16, { bzero: 32768, fpack: ['-g2'] }),
  frame('rice-tiles', 16, { fpack: ['-r', '-t', '64,64'] }),
  frame('float-rice', -32, { fpack: ['-q', '4'] }),
  frame('float-gzip2', -32, { fpack: ['-g2', '-q', '4'] }),
];

/**
 * Reads every frame fresh, then twice more through one pool (from the file, so the plain reader
 * fills the pool's byte buffer), with and without a mask: every read must equal the fresh one, and
 * the pool must hand back the same array each time.
 */
export async function expectPooledReadsMatchFresh(paths: string[]): Promise<void> {
  const fresh = new Map<string, ReturnType<typeof snapshot>>();
  for (const path of paths) fresh.set(path, snapshot(await read(path)));
  const pool = createPixelPool();
  const buffers = new Map<string, ArrayBufferLike>();
  for (let round = 0; round < 2; round++) {
    for (const path of paths) {
      for (const blank of ['nan', 'mask'] as const) {
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
}
