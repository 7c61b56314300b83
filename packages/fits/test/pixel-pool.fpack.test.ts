import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FitsErrorCode } from '../src/errors.js';
import { readStructure } from '../src/hdu.js';
import { readImage } from '../src/image.js';
import { nodeInflate } from '../src/node.js';
import { bufferSource } from '../src/source.js';
import { expectPooledReadsMatchFresh, FPACK, frame, packedFrames, read, snapshot } from './support/pool-frames.js';

describe.skipIf(!existsSync(FPACK))('pooled and given outputs on tile-compressed frames written by fpack', () => {
  it('gives the same pixels as fresh reads, read after read, reusing its arrays', async () => {
    await expectPooledReadsMatchFresh(packedFrames());
  });

  it('fills a given output array', async () => {
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

describe.skipIf(!existsSync(FPACK))('GZIP tiles inflated in runs (nodeInflate.concatenated)', () => {
  const tileByTile = (data: Uint8Array, max?: number) => nodeInflate(data, max);

  it('gives the pixels of tile-by-tile inflation', async () => {
    const paths = [
      frame('runs-gzip1', 16, { fpack: ['-g1'] }),
      frame('runs-gzip2', 16, { fpack: ['-g2'] }),
      frame('runs-gzip2-uint16', 16, { bzero: 32768, fpack: ['-g2'] }),
      frame('runs-gzip1-tiles', 16, { fpack: ['-g1', '-t', '300,7'] }),
      frame('runs-float-gzip1', -32, { fpack: ['-g1', '-q', '4'] }),
      frame('runs-float-gzip2', -32, { fpack: ['-g2', '-q', '4'] }),
    ];
    let calls = 0;
    const counting = Object.assign((data: Uint8Array, max?: number) => nodeInflate(data, max), {
      concatenated: (data: Uint8Array, max: number) => {
        calls++;
        return nodeInflate.concatenated!(data, max);
      },
    });
    expect(tileByTile).not.toHaveProperty('concatenated');
    for (const path of paths) {
      const expected = snapshot(await read(path, { inflate: tileByTile }));
      expect(snapshot(await read(path, { inflate: counting }))).toEqual(expected);
      // Part of the rows: runs cover only the tiles inside them, the edges go tile by tile.
      const rows = { start: 37, end: 151 };
      const part = snapshot(await read(path, { inflate: tileByTile, rows }));
      expect(snapshot(await read(path, { inflate: counting, rows }))).toEqual(part);
    }
    // 200 row tiles of 600 bytes per frame: a few runs each, not one call per tile.
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThan(paths.length * 2 * 10);
  });

  it('leaves a run with a damaged tile to the tile-by-tile path, which names the tile', async () => {
    const path = frame('runs-damaged', 16, { fpack: ['-g1'] });
    const bytes = new Uint8Array(readFileSync(path));
    const { hdus } = await readStructure(bufferSource(bytes));
    const hdu = hdus.find((h) => h.type === 'COMPRESSED_IMAGE')!;
    // Flip bytes in the middle of the heap: some tile's deflate data no longer checks out.
    const middle = hdu.dataOffset + Math.floor(hdu.dataLength * 0.6);
    for (let i = middle; i < middle + 40; i++) bytes[i] = bytes[i]! ^ 0x5a;
    const error = await readImage(bufferSource(bytes), hdu, { inflate: nodeInflate }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: FitsErrorCode.BAD_COMPRESSION });
    expect((error as Error).message).toMatch(/^tile \d+: /);
  });
});
