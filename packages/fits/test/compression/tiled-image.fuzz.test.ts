import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFitsError } from '../../src/errors.js';
import { type Hdu, readStructure } from '../../src/hdu.js';
import { readImage } from '../../src/image.js';
import { nodeInflate } from '../../src/node.js';
import { bufferSource } from '../../src/source.js';
import type { CardValue } from '../../src/types.js';
import { describeWithFixtures, fixture } from '../support/fixtures.js';

/**
 * Damaged tile-compressed files: flipped heap bytes, files cut short, descriptors and Z keywords
 * set to arbitrary values. Every read must end, either with pixels or with a FitsError — never
 * another exception, never a hang.
 */
const FILES = [
  'nom-tam-fits/m13_rice.fits',
  'nom-tam-fits/m13_gzip.fits',
  'nom-tam-fits/m13_plio.fits',
  'nom-tam-fits/m13_hcomp.fits',
  'nom-tam-fits/m13real_rice.fits',
  'esheldon-fitsio/test_rice_dither2_seed42.fits.fz',
];
const RUNS = 40;
/** A read of a 300×300 image takes milliseconds; anything near this means a loop went wrong. */
const READ_TIMEOUT_MS = 10_000;

async function load(name: string) {
  const bytes = new Uint8Array(readFileSync(fixture(name)));
  const { hdus } = await readStructure(bufferSource(bytes));
  const hdu = hdus.find((h) => h.type === 'COMPRESSED_IMAGE')!;
  const rowBytes = Number(hdu.rawHeader.get('NAXIS1'));
  const rowCount = Number(hdu.rawHeader.get('NAXIS2'));
  return { bytes, hdu, heapStart: hdu.dataOffset + rowBytes * rowCount, rowBytes, rowCount };
}

/** Reads and classifies the outcome: 'ok', a FitsError code, or throws for anything else. */
async function outcome(bytes: Uint8Array, hdu: Hdu, rows?: { start: number; end: number }): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`read did not end within ${READ_TIMEOUT_MS} ms`)), READ_TIMEOUT_MS);
  });
  try {
    const pixels = await Promise.race([
      readImage(bufferSource(bytes), hdu, { inflate: nodeInflate, ...(rows ? { rows } : {}) }),
      timeout,
    ]);
    expect(pixels.data.length).toBe(pixels.width * pixels.height * pixels.depth);
    return 'ok';
  } catch (error) {
    if (isFitsError(error)) return error.code;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function withKeyword(hdu: Hdu, key: string, value: CardValue): Hdu {
  const raw = hdu.rawHeader;
  const rawHeader = Object.create(raw) as typeof raw;
  rawHeader.get = (k: string) => (k === key ? value : raw.get(k));
  return { ...hdu, rawHeader };
}

// Generous: on a loaded 2-core machine 40 decodes of a few files can take tens of seconds.
describeWithFixtures('damaged tile-compressed data gives FitsError codes', { timeout: 180_000 }, () => {
  it('a ZNAXISn of -0 (a real-valued card) reads as an empty image, not a negative zero', async () => {
    const file = await load(FILES[0]!);
    expect(await outcome(file.bytes, withKeyword(file.hdu, 'ZNAXIS2', -0))).toBe('ok');
  });

  for (const name of FILES) {
    describe(name, () => {
      it('flipped heap bytes', async () => {
        const file = await load(name);
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 12 }),
            async (flips) => {
              const bytes = file.bytes.slice();
              const heapLength = file.hdu.dataOffset + file.hdu.dataLength - file.heapStart;
              for (const [at, mask] of flips) bytes[file.heapStart + (at % heapLength)]! ^= mask;
              expect(['ok', 'FITS_BAD_COMPRESSION']).toContain(await outcome(bytes, file.hdu));
            },
          ),
          { numRuns: RUNS },
        );
      });

      it('files cut short anywhere in the data unit', async () => {
        const file = await load(name);
        await fc.assert(
          fc.asyncProperty(fc.nat({ max: file.hdu.dataLength - 1 }), async (keep) => {
            const bytes = file.bytes.subarray(0, file.hdu.dataOffset + keep);
            expect(['FITS_TRUNCATED', 'ok']).toContain(await outcome(bytes, file.hdu));
          }),
          { numRuns: RUNS },
        );
        // The last rows need the last bytes: a file one byte short cannot give them.
        const short = file.bytes.subarray(0, file.hdu.dataOffset + file.hdu.dataLength - 1);
        expect(await outcome(short, file.hdu)).toBe('FITS_TRUNCATED');
      });

      it('arbitrary descriptors', async () => {
        const file = await load(name);
        await fc.assert(
          fc.asyncProperty(
            fc.nat({ max: file.rowCount - 1 }),
            fc.integer({ min: 0, max: 0xffffffff }),
            fc.integer({ min: 0, max: 0xffffffff }),
            async (row, length, offset) => {
              const bytes = file.bytes.slice();
              const view = new DataView(bytes.buffer);
              view.setUint32(file.hdu.dataOffset + row * file.rowBytes, length);
              view.setUint32(file.hdu.dataOffset + row * file.rowBytes + 4, offset);
              const result = await outcome(bytes, file.hdu);
              expect(['ok', 'FITS_BAD_COMPRESSION']).toContain(result);
            },
          ),
          { numRuns: RUNS },
        );
      });

      it('arbitrary Z keywords', async () => {
        const file = await load(name);
        const keys = [
          'ZBITPIX',
          'ZNAXIS',
          'ZNAXIS1',
          'ZNAXIS2',
          'ZTILE1',
          'ZTILE2',
          'ZVAL1',
          'ZVAL2',
          'ZCMPTYPE',
          'ZQUANTIZ',
          'ZDITHER0',
        ];
        const values = fc.oneof(
          fc.integer({ min: -70, max: 70 }),
          fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
          fc.constantFrom('RICE_1', 'GZIP_2', 'PLIO_1', 'HCOMPRESS_1', 'NOCOMPRESS', 'SUBTRACTIVE_DITHER_2', 'X', ''),
          fc.constant(null),
          fc.double({ noNaN: false }),
        );
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...keys), values, async (key, value) => {
            const result = await outcome(file.bytes, withKeyword(file.hdu, key, value), undefined);
            expect(result).toMatch(/^(ok|FITS_[A-Z_]+)$/);
          }),
          { numRuns: RUNS },
        );
      });
    });
  }
});
