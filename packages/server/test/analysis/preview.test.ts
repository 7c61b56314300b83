import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import {
  blockFactor,
  Downsampler,
  orientationFromCd,
  renderCutout,
  renderPreviews,
} from '../../src/analysis/preview.js';
import { generateFrame } from '../support/synthetic-frames.js';

const dir = mkdtempSync(join(tmpdir(), 'aims-preview-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('previews', () => {
  it('writes a grey thumbnail and medium image in PNG and WebP within the sizes', async () => {
    const frame = generateFrame({ width: 2000, height: 1500, seed: 4, stars: { count: 200, fwhm: 3 } });
    const files = await renderPreviews(frame, { dir, name: 'mono' });
    expect(files.map((f) => `${f.size}.${f.format}`).sort()).toEqual([
      'medium.png',
      'medium.webp',
      'thumbnail.png',
      'thumbnail.webp',
    ]);
    for (const f of files) {
      const meta = await sharp(f.path).metadata();
      expect(meta.format).toBe(f.format);
      expect(Math.max(meta.width!, meta.height!)).toBe(f.size === 'thumbnail' ? 256 : 1000);
      expect(meta.width! / meta.height!).toBeCloseTo(2000 / 1500, 1);
      if (f.format === 'png') expect(meta.channels).toBe(1);
    }
  });

  it('asinh: the sky lands at about 0.2 of full scale, stars near white', async () => {
    const frame = generateFrame({ width: 800, height: 800, seed: 7, stars: { count: 150, fwhm: 3 } });
    const [file] = await renderPreviews(frame, { dir, name: 'sky', formats: ['png'], thumbnailSize: 800 });
    const { data } = await sharp(file!.path).raw().toBuffer({ resolveWithObject: true });
    const sorted = Uint8Array.from(data).sort();
    expect(Math.abs(sorted[sorted.length >> 1]! / 255 - 0.2)).toBeLessThan(0.04);
    expect(sorted[sorted.length - 1]).toBe(255);
  });

  it('a thumbnail written alone is averaged straight to its size and looks as one resized from the medium', async () => {
    const frame = generateFrame({ width: 1024, height: 1024, seed: 12, stars: { count: 120, fwhm: 3 } });
    const alone = await renderPreviews(frame, { dir, name: 'alone', formats: ['png'], sizes: ['thumbnail'] });
    const both = await renderPreviews(frame, { dir, name: 'both', formats: ['png'], mediumSize: 512 });
    const fromMedium = both.find((f) => f.size === 'thumbnail')!;
    const quartiles = async (path: string) => {
      const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
      const sorted = Uint8Array.from(data).sort();
      const at = (q: number) => sorted[Math.floor(q * (sorted.length - 1))]!;
      return { width: info.width, height: info.height, median: at(0.5), spread: at(0.75) - at(0.25) };
    };
    const a = await quartiles(alone[0]!.path);
    const b = await quartiles(fromMedium.path);
    expect([a.width, a.height]).toEqual([256, 256]);
    expect(Math.abs(a.median - b.median)).toBeLessThanOrEqual(4);
    // Averaged over 4×4 pixels the noise is half that of 2×2; the display limits follow, so the
    // sky's grain stays as the resize from the 2×2 average left it (without: twice as wide).
    expect(a.spread / b.spread).toBeGreaterThan(0.7);
    expect(a.spread / b.spread).toBeLessThan(1.4);
    const down = new Downsampler(6248, 4176, 256, null, true);
    expect([down.factor, down.outWidth]).toEqual([24, 260]);
  });

  it('blockFactor is the block size a Downsampler of the same size takes', () => {
    for (const [w, h, target, bayer, atLeast] of [
      [1024, 1024, 512, null, false],
      [1024, 1024, 256, null, true],
      [6248, 4176, 256, null, true],
      [6248, 4176, 1024, 'RGGB', false],
      [801, 333, 256, 'GRBG', true],
    ] as const)
      expect(blockFactor(w, h, target, bayer, atLeast)).toBe(new Downsampler(w, h, target, bayer, atLeast).factor);
  });

  it('a Downsampler given back hands its arrays to the next one, emptied', () => {
    const first = new Downsampler(64, 64, 16);
    first.addRows(new Float32Array(64 * 64).fill(1000), 0, 64);
    const used = first.planes()[0]!;
    expect(used[0]).toBe(1000);
    first.release();
    // Smaller, then a colour one: views of the kept arrays, or arrays of their own.
    const next = new Downsampler(32, 24, 16);
    const alternating = new Float32Array(32 * 24).map((_, i) => i % 2);
    next.addRows(alternating, 0, 24);
    const plane = next.planes()[0]!;
    expect(plane.buffer).toBe(used.buffer);
    expect(plane.length).toBe(16 * 12);
    expect(plane.every((v) => v === 0.5)).toBe(true);
    next.release();
    const colour = new Downsampler(64, 48, 16, 'RGGB');
    colour.addRows(new Float32Array(64 * 48).fill(7), 0, 48);
    expect(colour.planes().map((p) => p.every((v) => v === 7))).toEqual([true, true, true]);
    colour.release();
    const grey = new Downsampler(64, 48, 16);
    grey.addRows(new Float32Array(64 * 48).fill(3), 0, 48);
    expect(grey.planes()[0]!.every((v) => v === 3)).toBe(true);
  });

  it('writes again into a preview folder removed since its last preview', async () => {
    const frame = generateFrame({ width: 300, height: 200, seed: 13 });
    const folder = join(dir, 'gone', 'ab');
    const options = { dir: folder, name: 'again', formats: ['webp' as const], sizes: ['thumbnail' as const] };
    await renderPreviews(frame, options);
    rmSync(join(dir, 'gone'), { recursive: true, force: true });
    const [file] = await renderPreviews(frame, options);
    expect((await sharp(file!.path).metadata()).format).toBe('webp');
  });

  it('debayers a mosaic into colour with the channels in the right places', async () => {
    const frame = generateFrame({ width: 800, height: 600, seed: 5, bayer: 'GRBG', background: 1000, readNoise: 1 });
    const down = new Downsampler(frame.width, frame.height, 200, 'GRBG');
    down.addRows(frame.data, 0, frame.height);
    const [r, g, b] = down.planes().map((p) => p.reduce((a, v) => a + v, 0) / p.length) as [number, number, number];
    // The generator's channel responses: R 0.8, G 1, B 0.6 of the sky.
    expect(r / g).toBeCloseTo(0.8, 2);
    expect(b / g).toBeCloseTo(0.6, 2);
    const files = await renderPreviews(frame, { dir, name: 'colour', bayerPattern: 'GRBG', formats: ['png'] });
    const meta = await sharp(files[0]!.path).metadata();
    expect(meta.channels).toBe(3);
  });

  it('shows FITS row 0 at the bottom, and rotates north up', async () => {
    // One bright square near the FITS origin's opposite corner: x small, y large → top left.
    const width = 400;
    const height = 300;
    const data = new Float32Array(width * height).map((_, i) => 100 + (i % 7));
    for (let y = 250; y < 280; y++) for (let x = 20; x < 50; x++) data[y * width + x] = 5000;
    const brightest = async (path: string) => {
      const { data: px, info } = await sharp(path).greyscale().raw().toBuffer({ resolveWithObject: true });
      let best = 0;
      for (let i = 0; i < px.length; i++) if (px[i]! > px[best]!) best = i;
      return { x: (best % info.width) / info.width, y: Math.floor(best / info.width) / info.height };
    };
    const [plain] = await renderPreviews({ width, height, data }, { dir, name: 'plain', formats: ['png'] });
    const p = await brightest(plain!.path);
    expect(p.x).toBeLessThan(0.2);
    expect(p.y).toBeLessThan(0.2);
    // North 90° counter-clockwise from up (pointing left): turning clockwise by 90° puts it up,
    // and the top-left corner goes to the top right.
    const [turned] = await renderPreviews(
      { width, height, data },
      { dir, name: 'turned', formats: ['png'], northUp: true, rotationDeg: 90 },
    );
    const t = await brightest(turned!.path);
    expect(t.x).toBeGreaterThan(0.8);
    expect(t.y).toBeLessThan(0.2);
  });

  it('derives the rotation and parity from a CD matrix', () => {
    const s = 1e-4;
    expect(orientationFromCd(-s, 0, 0, s)).toEqual({ rotationDeg: 0, flipped: false });
    // Image rotated so that north points along −x (left) in the display.
    const r = orientationFromCd(0, s, s, 0);
    expect(r.flipped).toBe(false);
    expect(Math.abs(r.rotationDeg)).toBeCloseTo(90, 6);
    expect(orientationFromCd(s, 0, 0, s).flipped).toBe(true);
  });

  it('renders a full-resolution cutout of the requested size', async () => {
    const frame = generateFrame({ width: 600, height: 400, seed: 6, stars: { count: 50, fwhm: 3 } });
    const png = await renderCutout(frame, { x: 100, y: 50, width: 200, height: 120 });
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([200, 120, 1]);
    writeFileSync(join(dir, 'cutout.png'), png);
    await expect(renderCutout(frame, { x: 900, y: 0, width: 10, height: 10 })).rejects.toThrow(/outside/);
  });
});
