/**
 * A gzip bomb among the frames: a valid FITS header followed by tens of megabytes of zeros, which
 * gzip squeezes a thousandfold. Ingest stops inflating it at AIMS_MAX_INFLATE_RATIO and leaves a
 * reason in the ledger that is not retried; an ordinary gzipped frame beside it is ingested.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeFits } from '@aims/fits';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { countByState, listLedger } from '../../src/db/ingest-ledger.repository.js';
import { createIngestService } from '../../src/ingest/ingest-service.js';
import { EventBus } from '../../src/util/events.js';
import { DIALECTS, useTestDatabase } from '../support/databases.js';
import { generateFrame } from '../support/synthetic-frames.js';

const BLOCK = 2880;

/** A primary header for a 16-bit WIDTH×HEIGHT image, padded to its block, then that many zero bytes. */
function zeroFrame(width: number, height: number): Buffer {
  const cards = [
    'SIMPLE  =                    T',
    'BITPIX  =                   16',
    'NAXIS   =                    2',
    `NAXIS1  = ${String(width).padStart(20)}`,
    `NAXIS2  = ${String(height).padStart(20)}`,
    "DATE-OBS= '2024-05-02T01:02:03'",
    'END',
  ].map((card) => card.padEnd(80));
  const header = Buffer.from(cards.join('').padEnd(BLOCK, ' '), 'latin1');
  const dataBytes = Math.ceil((width * height * 2) / BLOCK) * BLOCK;
  return Buffer.concat([header, Buffer.alloc(dataBytes)]);
}

function ordinaryFrame(): Uint8Array {
  const frame = generateFrame({ width: 64, height: 64, seed: 5, stars: { count: 10, fwhm: 3 } });
  return writeFits([
    {
      bitpix: 16,
      bzero: 32768,
      axes: [64, 64],
      data: frame.data,
      cards: [
        { key: 'DATE-OBS', value: '2024-05-02T01:02:03' },
        { key: 'OBJECT', value: 'M 13' },
        { key: 'EXPTIME', value: 60 },
      ],
    },
  ]);
}

for (const dialect of DIALECTS) {
  describe(`decompression ratio budget on ${dialect}`, () => {
    const t = useTestDatabase(dialect);
    let work: string;

    beforeEach(() => {
      work = mkdtempSync(join(tmpdir(), 'aims-inflate-'));
    });
    afterEach(() => rmSync(work, { recursive: true, force: true }));

    it('fails a .fits.gz that inflates past the ratio, for good, and ingests an ordinary one', async () => {
      const images = join(work, 'images');
      mkdirSync(join(images, 'night'), { recursive: true });
      // 64 MiB of pixels; gzip level 9 makes it about a thousand times smaller.
      const bomb = gzipSync(zeroFrame(8192, 4096), { level: 9 });
      expect(bomb.length).toBeLessThan(256 * 1024);
      writeFileSync(join(images, 'night/bomb.fits.gz'), bomb);
      writeFileSync(join(images, 'night/ok.fits.gz'), gzipSync(ordinaryFrame(), { level: 9 }));

      const config = loadConfig(
        { AIMS_DATA_DIR: join(work, 'data'), AIMS_STABLE_SECONDS: '0', AIMS_MAX_INFLATE_RATIO: '100' },
        { imageDirs: [images] },
      );
      expect(config.maxInflateRatio).toBe(100);
      const service = createIngestService(config, t.database, new EventBus(), { threads: 0 });
      try {
        await service.rescan();
        await service.pipeline.drain();
      } finally {
        await service.stop();
      }

      expect(await countByState(t.database)).toMatchObject({ ingested: 1, failed: 1 });
      const byPath = Object.fromEntries(
        (await listLedger(t.database, { limit: 10 })).items.map((e) => [e.rel_path, e]),
      );
      expect(byPath['night/ok.fits.gz']?.state).toBe('ingested');
      const failed = byPath['night/bomb.fits.gz'];
      expect(failed?.state).toBe('failed');
      expect(failed?.retryable).toBe(false);
      expect(failed?.attempts).toBe(1);
      expect(failed?.reason).toMatch(/inflates more than 100× its compressed size/);
      expect(failed?.reason).toMatch(/AIMS_MAX_INFLATE_RATIO/);
    });
  });
}

describe('AIMS_MAX_INFLATE_RATIO', () => {
  it('defaults to 100 and refuses a ratio below 2', () => {
    expect(loadConfig({}).maxInflateRatio).toBe(100);
    expect(loadConfig({ AIMS_MAX_INFLATE_RATIO: '1000' }).maxInflateRatio).toBe(1000);
    expect(() => loadConfig({ AIMS_MAX_INFLATE_RATIO: '1' })).toThrow(/AIMS_MAX_INFLATE_RATIO/);
  });
});
