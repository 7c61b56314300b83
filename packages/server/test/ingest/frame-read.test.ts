import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type FrameJob, processFrame } from '../../src/ingest/frame.job.js';
import { generateFrame } from '../support/synthetic-frames.js';

const dir = mkdtempSync(join(tmpdir(), 'aims-frame-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const job = (absPath: string): FrameJob => ({
  absPath,
  skipAnalysis: false,
  normalize: { nightRolloverHour: 12 },
  previewDir: join(dir, 'previews'),
});

async function processed(absPath: string) {
  const outcome = await processFrame(job(absPath));
  if (outcome.ok !== true) throw new Error(JSON.stringify(outcome));
  return outcome.frame;
}

describe('whole-file reads (the buffer each frame gives to the next)', () => {
  // Sizes up and down, so that a frame reads into a larger buffer kept from the one before.
  const files = [
    { width: 300, height: 200, seed: 1 },
    { width: 500, height: 400, seed: 2 },
    { width: 200, height: 150, seed: 3 },
    { width: 320, height: 240, seed: 4 },
  ].map((size) => {
    const path = join(dir, `frame-${size.seed}.fits`);
    const frame = generateFrame({ ...size, stars: { count: 40, fwhm: 3 } });
    // A DATASUM that never matches: each result then carries the sum of the bytes it was verified
    // from, after the frame's previews (another frame's bytes there would change it).
    frame.cards.push({ key: 'DATASUM', value: '0' });
    frame.writeTo(path);
    return path;
  });

  it('hashes and measures each frame as if it were read alone, one after the other and side by side', async () => {
    const expected = files.map((path) => createHash('sha256').update(readFileSync(path)).digest('hex'));
    const alone = [];
    for (const path of files) alone.push(await processed(path));
    expect(alone.map((f) => f.sha256)).toEqual(expected);
    expect(alone.map((f) => f.sizeBytes)).toEqual(files.map((path) => readFileSync(path).length));
    expect(alone.every((f) => f.checksums[0]?.computedDatasum && (f.quality?.star_count ?? 0) > 0)).toBe(true);
    // In reverse order (each buffer now larger than the next file), then overlapping.
    const reversed = [];
    for (const path of [...files].reverse()) reversed.push(await processed(path));
    // Side by side, each started while the one before is still being measured (its buffer still
    // in use: the checksums are verified from it once the previews are written).
    const started = [];
    for (const path of files) {
      started.push(processed(path));
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    const together = await Promise.all(started);
    for (const frames of [reversed.reverse(), together])
      expect(frames.map((f) => [f.sha256, f.quality, f.checksums])).toEqual(
        alone.map((f) => [f.sha256, f.quality, f.checksums]),
      );
  });

  it('a file that is no FITS gives its buffer back for the next frame', async () => {
    const broken = join(dir, 'broken.fits');
    writeFileSync(broken, Buffer.alloc(5760, 0x41));
    expect(await processFrame(job(broken))).toMatchObject({ ok: false, retry: false });
    const frame = await processed(files[1]!);
    expect(frame.sha256).toBe(createHash('sha256').update(readFileSync(files[1]!)).digest('hex'));
  });
});
