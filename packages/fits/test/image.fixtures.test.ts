import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { type Hdu, readStructure } from '../src/hdu.js';
import { type ImagePixels, readImage } from '../src/image.js';
import type { Inflate } from '../src/inflate.js';
import { nodeInflate, openFits } from '../src/node.js';
import { bufferSource } from '../src/source.js';
import { astropyDataFiles, astropyReference, type ReferenceHdu } from './support/astropy-reference.js';
import { describeWithFixtures, fixture, fixtureFiles } from './support/fixtures.js';

/**
 * Every image HDU of every fixture and of astropy's test data, read by readImage and compared with
 * astropy's `.data`: exactly for integer data, to float precision for floating-point data.
 */
const files = [...fixtureFiles(), ...astropyDataFiles()];
const reference = astropyReference(files);
afterAll(() => reference.dispose());

const IMAGE_TYPES = new Set(['PRIMARY', 'IMAGE', 'COMPRESSED_IMAGE']);
/** Files whose bytes are gzip: the reader takes the decompressed bytes (node.ts does this for real files). */
function fileBytes(path: string): Uint8Array {
  const bytes = new Uint8Array(readFileSync(path));
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(gunzipSync(bytes)) : bytes;
}

/** First index where the two arrays disagree beyond float precision, or -1. */
function firstMismatch(
  ours: ImagePixels['data'],
  theirs: Float64Array,
  exact: boolean,
  single: boolean,
  bzero: number,
): number {
  // astropy scales in the precision of its result: a float32 result carries float32 rounding of BZERO.
  const epsilon = single || ours instanceof Float32Array ? 2 ** -22 : 2 ** -50;
  for (let i = 0; i < theirs.length; i++) {
    const a = ours[i]!;
    const b = theirs[i]!;
    if (Number.isNaN(a) || Number.isNaN(b)) {
      if (Number.isNaN(a) !== Number.isNaN(b)) return i;
      continue;
    }
    if (a === b) continue;
    if (exact || Math.abs(a - b) > epsilon * (Math.abs(b) + Math.abs(bzero))) return i;
  }
  return -1;
}

describe.skipIf(reference.skipReason !== undefined)('readImage matches astropy on every image HDU', () => {
  it('has astropy pixels for the image HDUs of the fixtures and of astropy (not a vacuous table)', () => {
    const compared = Object.entries(reference.files).flatMap(([file, entry]) =>
      (entry.hdus ?? []).filter((hdu) => !hdu.error).map(() => file),
    );
    expect(compared.length).toBeGreaterThanOrEqual(60);
    const compressed = compared.filter((file) => /\.fz$|_rice|_gzip|_plio|_hcomp|comp/.test(file));
    expect(compressed.length).toBeGreaterThanOrEqual(9);
  });

  for (const path of files) {
    const expected = reference.files[path];
    const name = path.split('/').slice(-2).join('/');
    const referenceHdus = (expected?.hdus ?? []).filter((hdu) => hdu.error === undefined);
    if (referenceHdus.length === 0) continue;
    it(name, async () => {
      const source = bufferSource(fileBytes(path));
      const structure = await readStructure(source);
      const byIndex = new Map<number, Hdu>(structure.hdus.map((hdu) => [hdu.index, hdu]));
      for (const ref of referenceHdus) {
        const hdu = byIndex.get(ref.index);
        expect(hdu, `HDU ${ref.index}`).toBeDefined();
        if (!hdu || !IMAGE_TYPES.has(hdu.type))
          throw new Error(`HDU ${ref.index} is ${hdu?.type}, astropy reads an image`);
        await compareHdu(source, hdu, ref);
      }
    });
  }
});

async function compareHdu(source: ReturnType<typeof bufferSource>, hdu: Hdu, ref: ReferenceHdu): Promise<void> {
  const pixels = await readImage(source, hdu);
  const theirs = reference.pixels(ref);
  const shape = ref.shape ?? [];
  expect(pixels.axes, `HDU ${hdu.index} axes`).toEqual([...shape].reverse());
  expect(pixels.data.length, `HDU ${hdu.index} pixel count`).toBe(theirs.length);
  const integer = /int|uint|>i|>u|<i|<u|^i|^u/.test(ref.dtype ?? '');
  const at = firstMismatch(pixels.data, theirs, integer, /float32|f4/.test(ref.dtype ?? ''), ref.bzero ?? 0);
  expect(
    at === -1 ? 'all equal' : `pixel ${at}: ours ${pixels.data[at]} astropy ${theirs[at]}`,
    `HDU ${hdu.index}`,
  ).toBe('all equal');
  const nan = theirs.reduce((n, v) => (Number.isNaN(v) ? n + 1 : n), 0);
  expect(pixels.blankCount, `HDU ${hdu.index} blank count`).toBe(nan);

  // A band of rows of the last plane is the same slice of the whole read.
  const height = pixels.axes[1] ?? 1;
  if (pixels.axes.length === 0 || height === 0 || pixels.width === 0) return;
  const plane = pixels.depth - 1;
  const rows = { start: Math.floor(height / 2), end: Math.min(height, Math.floor(height / 2) + 3) };
  const band = await readImage(source, hdu, { rows, plane });
  const from = (plane * height + rows.start) * pixels.width;
  expect(band.data, `HDU ${hdu.index} rows ${rows.start}–${rows.end} of plane ${plane}`).toEqual(
    pixels.data.subarray(from, from + (rows.end - rows.start) * pixels.width),
  );
}

describeWithFixtures('the tile-compressed m13 files hold exactly the pixels of m13.fits', () => {
  const original = fixture('nom-tam-fits/m13.fits');
  for (const name of ['m13_rice.fits', 'm13_gzip.fits', 'm13_plio.fits', 'm13_hcomp.fits']) {
    it(name, async () => {
      const expected = await firstImage(original);
      const compressed = fixture(`nom-tam-fits/${name}`);
      for (const inflate of [undefined, nodeInflate]) {
        const pixels = await firstImage(compressed, inflate);
        expect(pixels.axes).toEqual([300, 300]);
        expect(pixels.data).toEqual(expected.data);
      }
      // Any row range of the compressed file is the same slice of the original.
      const source = bufferSource(fileBytes(compressed));
      const hdu = (await readStructure(source)).hdus.find((h) => h.type === 'COMPRESSED_IMAGE')!;
      const rows = await readImage(source, hdu, { rows: { start: 123, end: 171 } });
      expect(rows.data).toEqual(expected.data.subarray(123 * 300, 171 * 300));
    });
  }
});

async function firstImage(path: string, inflate?: Inflate): Promise<ImagePixels> {
  const source = bufferSource(fileBytes(path));
  const { hdus } = await readStructure(source);
  const hdu = hdus.find((h) => h.type === 'COMPRESSED_IMAGE' || h.axes.length > 0)!;
  return readImage(source, hdu, inflate ? { inflate } : {});
}

describeWithFixtures(
  'gzip-compressed files read through openFits give the same pixels as their decompressed bytes',
  () => {
    for (const path of files.filter((f) => /\.gz$/.test(f))) {
      it(path.split('/').slice(-2).join('/'), async () => {
        const fits = await openFits(path);
        try {
          const hdu = fits.structure.hdus.find((h) => h.axes.length >= 2)!;
          const streamed = await readImage(fits.source, hdu, { rows: { start: 10, end: 20 } });
          const inMemory = await readImage(bufferSource(fileBytes(path)), hdu, { rows: { start: 10, end: 20 } });
          expect(streamed.data.length).toBe(10 * hdu.axes[0]!);
          expect(streamed.data).toEqual(inMemory.data);
        } finally {
          await fits.close();
        }
      });
    }
  },
);
