import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FitsErrorCode } from '../src/errors.js';
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
