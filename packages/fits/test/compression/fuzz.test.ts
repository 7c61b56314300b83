import { rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hcompressDecode } from '../../src/compression/hcompress.js';
import { plioDecode } from '../../src/compression/plio.js';
import { riceDecode } from '../../src/compression/rice.js';
import { FitsErrorCode, isFitsError } from '../../src/errors.js';
import { describeWithFixtures, fixture, HAVE_FIXTURES } from '../support/fixtures.js';
import {
  bigEndianWords,
  type CompressedTile,
  fpack,
  readCompressedImage,
  syntheticImage,
  tempDir,
  writePlainImage,
} from '../support/tile-fixtures.js';

/**
 * Hostile input: real compressed tiles, truncated and with bytes flipped or overwritten. Every
 * decoder must either decode something or throw FitsError BAD_COMPRESSION: no other exception, no
 * read past the end, no hang (the test timeout would catch one).
 */

interface Sample {
  label: string;
  tile: CompressedTile;
  decode: (bytes: Uint8Array, tile: CompressedTile) => void;
}

const dir = tempDir('fuzz');
const samples: Sample[] = [];
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pack(name: string, args: string[], source: string): CompressedTile[] {
  const packed = join(dir, `${name}.fz`);
  fpack(args, source, packed);
  return readCompressedImage(packed).tiles;
}

beforeAll(() => {
  if (!HAVE_FIXTURES) return;
  const rice = (bytePix: 1 | 2 | 4) => (bytes: Uint8Array, tile: CompressedTile) =>
    riceDecode(bytes, new Int32Array(tile.width * tile.height), 32, bytePix);
  const plio = (bytes: Uint8Array, tile: CompressedTile) =>
    plioDecode(bigEndianWords(bytes), new Int32Array(tile.width * tile.height));
  const hcompress = (smooth: boolean) => (bytes: Uint8Array, tile: CompressedTile) =>
    hcompressDecode(bytes, new Int32Array(tile.width * tile.height), tile.width, tile.height, smooth);

  const image32 = join(dir, 'int32.fits');
  writePlainImage(image32, syntheticImage(32, 64, 48, 'mixed', 5));
  const image8 = fixture('indilib-indi/m42_test.fits');
  const m13 = fixture('nom-tam-fits/m13.fits');

  const add = (label: string, tiles: CompressedTile[], decode: Sample['decode']) => {
    // A few tiles from each file: the first, one from the middle, the last.
    for (const tile of [tiles[0]!, tiles[tiles.length >> 1]!, tiles[tiles.length - 1]!]) {
      samples.push({ label, tile, decode });
    }
  };
  add('RICE_1 BYTEPIX 4 (m13_rice.fits)', readCompressedImage(fixture('nom-tam-fits/m13_rice.fits')).tiles, rice(4));
  add('RICE_1 BYTEPIX 2', pack('rice16', ['-r', '-t', '300,3'], m13), rice(2));
  add('RICE_1 BYTEPIX 1', pack('rice8', ['-r'], image8), rice(1));
  add('RICE_1 BYTEPIX 4, full-range int32', pack('rice32', ['-r'], image32), rice(4));
  add('PLIO_1 (m13_plio.fits)', readCompressedImage(fixture('nom-tam-fits/m13_plio.fits')).tiles, plio);
  add('PLIO_1 8-bit', pack('plio8', ['-p'], image8), plio);
  add('HCOMPRESS_1 lossless', pack('h16', ['-h', '-s', '0', '-t', '60,20'], m13), hcompress(false));
  add('HCOMPRESS_1 lossy, smoothed', pack('h16lossy', ['-h', '-s', '4', '-t', '60,20'], m13), hcompress(true));
  add('HCOMPRESS_1 32-bit (64-bit coefficients)', pack('h32', ['-h', '-s', '0', '-w'], image32), hcompress(false));
});

/** Runs one decode; returns how it ended, failing the test on anything but success or BAD_COMPRESSION. */
function decodeOrBadCompression(sample: Sample, bytes: Uint8Array): 'decoded' | 'rejected' {
  try {
    sample.decode(bytes, sample.tile);
    return 'decoded';
  } catch (error) {
    if (isFitsError(error) && error.code === FitsErrorCode.BAD_COMPRESSION) return 'rejected';
    throw new Error(`${sample.label}: ${String(error)}`, { cause: error });
  }
}

const mutation = fc.record({
  sample: fc.nat(),
  truncateTo: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  flips: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), byte: fc.nat(255) }), {
    maxLength: 6,
  }),
});

describeWithFixtures('tile decoders on corrupted real tiles', () => {
  it('decode the unmodified samples', () => {
    expect(samples.length).toBe(27);
    for (const sample of samples) expect(decodeOrBadCompression(sample, sample.tile.bytes)).toBe('decoded');
  });

  it('reject every truncation of a tile, or decode it', () => {
    // Truncation must never read past the end; most truncations are detected.
    let rejected = 0;
    let total = 0;
    for (const sample of samples) {
      const bytes = sample.tile.bytes;
      const step = Math.max(1, Math.floor(bytes.length / 40));
      for (let length = 0; length < bytes.length; length += step) {
        total++;
        if (decodeOrBadCompression(sample, bytes.subarray(0, length)) === 'rejected') rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(total * 0.8);
  });

  it('survive random truncations, byte flips and overwrites (fast-check)', () => {
    const outcomes = { decoded: 0, rejected: 0 };
    fc.assert(
      fc.property(mutation, ({ sample: index, truncateTo, flips }) => {
        const sample = samples[index % samples.length]!;
        let bytes = sample.tile.bytes.slice();
        for (const { at, byte } of flips) bytes[Math.floor(at * bytes.length)] = byte;
        if (truncateTo !== undefined) bytes = bytes.subarray(0, Math.floor(truncateTo * bytes.length));
        outcomes[decodeOrBadCompression(sample, bytes)]++;
      }),
      { numRuns: 1500 },
    );
    // Both outcomes occur: the corruption really reaches the decoders.
    expect(outcomes.rejected).toBeGreaterThan(100);
    expect(outcomes.decoded).toBeGreaterThan(10);
  });

  it('survive pure garbage of any length', () => {
    fc.assert(
      fc.property(fc.nat(), fc.uint8Array({ maxLength: 600 }), (index, garbage) => {
        const sample = samples[index % samples.length]!;
        decodeOrBadCompression(sample, garbage);
        // An HCOMPRESS header that matches the tile, followed by garbage, reaches the bit planes.
        if (garbage.length > 0 && sample.label.startsWith('HCOMPRESS')) {
          const withHeader = new Uint8Array(25 + garbage.length);
          withHeader.set(sample.tile.bytes.subarray(0, 25));
          withHeader.set(garbage, 25);
          decodeOrBadCompression(sample, withHeader);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
