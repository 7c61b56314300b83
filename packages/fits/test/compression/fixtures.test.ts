import { rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { hcompressDecode } from '../../src/compression/hcompress.js';
import { plioDecode } from '../../src/compression/plio.js';
import { riceDecode } from '../../src/compression/rice.js';
import { describeWithFixtures, FIXTURES_DIR, fixtureFiles } from '../support/fixtures.js';
import {
  assemble,
  bigEndianWords,
  type CompressedImage,
  firstDifference,
  fpack,
  type PlainImage,
  readCompressedImage,
  readPlainImage,
  tempDir,
} from '../support/tile-fixtures.js';

/**
 * Every 2-D integer image among the shared fixtures, packed by fpack with each algorithm and
 * decoded tile by tile: the pixels must come back exactly. Refusals by fpack are listed with their
 * reason, so a new refusal (or a new success) shows up as a failure.
 */

const MAX_BYTES = 3_000_000; // keeps the run short; the larger fixtures are the same cameras

const ALGORITHMS = {
  RICE_1: ['-r'],
  PLIO_1: ['-p'],
  HCOMPRESS_1: ['-h', '-s', '0'],
} as const;
type Algorithm = keyof typeof ALGORITHMS;

const FPACK_REFUSES: Record<string, string> = {
  'astropy-astropy-data/gc_2mass_k.fits PLIO_1': 'BZERO 1500: negative stored values, which PLIO cannot hold',
  'cds-astro-fitsrs/HST_FGS.fits PLIO_1': '32-bit values outside PLIO’s 0 … 2^24 range',
};
/** Files CFITSIO will not read at all (fpack fails with every algorithm). */
const FPACK_CANNOT_READ: Record<string, string> = {
  'cds-astro-fitsrs/Npix8.fits': 'last data block not padded to 2880 bytes',
  'cds-astro-fitsrs/Npix691539.fits': 'last data block not padded to 2880 bytes',
};

const dir = tempDir('fixtures');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function eligible(path: string): PlainImage | undefined {
  if (/\.(gz|fz)$/.test(path) || statSync(path).size > MAX_BYTES) return undefined;
  try {
    const image = readPlainImage(path);
    return image.naxis === 2 && image.width >= 4 && image.height >= 4 ? image : undefined;
  } catch {
    return undefined; // floating point, no image, or a truncated file
  }
}

function decode(algorithm: Algorithm, compressed: CompressedImage): Int32Array {
  return assemble(compressed, (tile, out) => {
    if (algorithm === 'RICE_1')
      riceDecode(tile.bytes, out, compressed.params.BLOCKSIZE!, compressed.params.BYTEPIX as 1 | 2 | 4);
    else if (algorithm === 'PLIO_1') plioDecode(bigEndianWords(tile.bytes), out);
    else hcompressDecode(tile.bytes, out, tile.width, tile.height, false);
  });
}

const images = fixtureFiles()
  .map((path) => ({ name: relative(FIXTURES_DIR, path), path, image: eligible(path) }))
  .filter((f): f is { name: string; path: string; image: PlainImage } => f.image !== undefined);

describeWithFixtures('tile decoders on every integer image fixture packed by fpack', () => {
  it('finds the fixtures', () => {
    expect(images.length).toBeGreaterThanOrEqual(20);
  });

  for (const { name, path, image } of images) {
    for (const algorithm of Object.keys(ALGORITHMS) as Algorithm[]) {
      it(`${algorithm} ${name}`, () => {
        const packed = join(dir, `${name.replace(/\W/g, '_')}.${algorithm}.fz`);
        const refusal = FPACK_REFUSES[`${name} ${algorithm}`] ?? FPACK_CANNOT_READ[name];
        if (refusal) {
          expect(() => fpack([...ALGORITHMS[algorithm]], path, packed), refusal).toThrow();
          return;
        }
        fpack([...ALGORITHMS[algorithm]], path, packed);
        const compressed = readCompressedImage(packed);
        expect(compressed.algorithm).toBe(algorithm);
        // PLIO codes unsigned 16-bit images by their physical values (see plio.test.ts).
        const offset = algorithm === 'PLIO_1' && image.bitpix === 16 && image.bzero === 32768 ? 32768 : 0;
        const expected = offset === 0 ? image.values : image.values.map((v) => v + offset);
        expect(firstDifference(decode(algorithm, compressed), expected)).toBe(-1);
      });
    }
  }
});
