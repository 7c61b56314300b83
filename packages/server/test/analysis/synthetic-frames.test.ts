import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SYSTEM_PYTHON } from '../support/fixtures.js';
import { generateFrame } from '../support/synthetic-frames.js';

const dir = mkdtempSync(join(tmpdir(), 'aims-synthetic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hasAstropy = spawnSync(SYSTEM_PYTHON, ['-c', 'import astropy']).status === 0;

describe('synthetic frames', () => {
  it('are reproducible from their seed and quantized as their BITPIX stores them', () => {
    const a = generateFrame({ width: 64, height: 48, seed: 3, bitpix: 16, stars: { count: 5 } });
    const b = generateFrame({ width: 64, height: 48, seed: 3, bitpix: 16, stars: { count: 5 } });
    expect(b.data).toEqual(a.data);
    expect(a.truth.stars).toHaveLength(5);
    expect(a.data.every((v) => Number.isInteger(v) && v >= 0 && v <= 65535)).toBe(true);
    const bytes = generateFrame({ width: 64, height: 48, seed: 3, bitpix: 8, background: 40 });
    expect(bytes.data.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).toBe(true);
  });

  it.skipIf(!hasAstropy)('write FITS files that astropy reads back (verify=exception) with the same pixels', () => {
    for (const bitpix of [8, 16, 32, -32, -64] as const) {
      const frame = generateFrame({
        width: 40,
        height: 30,
        seed: 9,
        bitpix,
        background: bitpix === 8 ? 30 : 1000,
        stars: { count: 3, minFlux: 100, maxFlux: 1000 },
        bayer: bitpix === 16 ? 'RGGB' : undefined,
      });
      const path = join(dir, `f${bitpix}.fits`);
      frame.writeTo(path);
      const out = execFileSync(
        SYSTEM_PYTHON,
        [
          '-c',
          'import sys, json; from astropy.io import fits\n' +
            'h = fits.open(sys.argv[1]); h.verify("exception")\n' +
            'd = h[0].data.astype(float); print(json.dumps([float(d.sum()), h[0].header["IMAGETYP"], h[0].header.get("BAYERPAT"), h[0].header["BITPIX"]]))',
          path,
        ],
        { encoding: 'utf8' },
      );
      const [sum, type, bayer, storedBitpix] = JSON.parse(out) as [number, string, string | null, number];
      const expected = frame.data.reduce((s, v) => s + v, 0);
      expect(Math.abs(sum - expected) / expected).toBeLessThan(1e-9);
      expect(type).toBe('Light Frame');
      expect(bayer).toBe(bitpix === 16 ? 'RGGB' : null);
      expect(storedBitpix).toBe(bitpix);
    }
  });
});
