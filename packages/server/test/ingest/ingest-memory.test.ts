/**
 * Ingest under a small analysis memory budget, with real worker threads sharing it: frames within
 * the budget are measured whole, a frame over it is measured in bands that fit, and nothing is
 * lost or counted twice on the way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryImages } from '../../src/db/image-query.js';
import { getImage } from '../../src/db/images.repository.js';
import { countByState } from '../../src/db/ingest-ledger.repository.js';
import { scanTree } from '../../src/ingest/discovery.js';
import { BYTES_PER_PIXEL } from '../../src/ingest/memory-budget.js';
import { IngestPipeline } from '../../src/ingest/pipeline.js';
import { createFramePool } from '../../src/ingest/worker-pool.js';
import { DIALECTS, withTestDatabase } from '../support/databases.js';
import { writeSyntheticNight } from '../support/synthetic-night.js';

/** Enough for 100,000 pixels measured whole: a 256×256 frame fits, a 128×1200 one does not. */
const BUDGET_BYTES = 100_000 * BYTES_PER_PIXEL + 1024;

for (const dialect of DIALECTS) {
  describe(`ingest within an analysis memory budget (${dialect})`, () => {
    it('measures frames over the budget in bands and loses nothing', async () => {
      const work = mkdtempSync(join(tmpdir(), 'aims-memory-ingest-'));
      const pool = createFramePool(2);
      try {
        const images = join(work, 'images');
        writeSyntheticNight(join(images, 'small'), { count: 6, width: 256, height: 256, seed: 11, uniform: true });
        writeSyntheticNight(join(images, 'tall'), {
          count: 2,
          width: 128,
          height: 1200,
          seed: 12,
          uniform: true,
          start: '2024-06-02T22:00:00Z',
        });
        await withTestDatabase(dialect, async (database) => {
          const pipeline = new IngestPipeline({
            database,
            pool,
            stableMs: 0,
            skipAnalysis: false,
            previewDir: join(work, 'previews'),
            normalize: { nightRolloverHour: 12 },
            analysisMemoryBytes: BUDGET_BYTES,
          });
          const found = [];
          for await (const c of scanTree(images)) found.push(c);
          expect(found).toHaveLength(8);
          await pipeline.enqueue(found);
          await pipeline.drain();

          const states = await countByState(database);
          expect(states.ingested).toBe(8);
          expect(states.pending).toBe(0);
          expect(states.failed).toBe(0);
          const page = await queryImages(database, {}, { limit: 100 });
          expect(page.total).toBe(8);
          for (const item of page.items) {
            const detail = await getImage(database, item.id);
            const note = detail?.analysis_note ?? null;
            if (item.naxis2 === 1200) expect(note).toMatch(/measured on 5 bands of \d+ rows/);
            else expect(note).toBeNull();
            // Whole or in bands, the synthetic stars (FWHM 3 px) are measured.
            expect(item.star_count).toBeGreaterThanOrEqual(3);
            expect(item.fwhm_px).toBeGreaterThan(2.7);
            expect(item.fwhm_px).toBeLessThan(3.3);
          }
        });
      } finally {
        await pool.close();
        rmSync(work, { recursive: true, force: true });
      }
    });
  });
}
