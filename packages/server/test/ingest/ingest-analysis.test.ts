import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryImages } from '../../src/db/image-query.js';
import { getImage } from '../../src/db/images.repository.js';
import { scanTree } from '../../src/ingest/discovery.js';
import { IngestPipeline } from '../../src/ingest/pipeline.js';
import { createFramePool } from '../../src/ingest/worker-pool.js';
import { previewPath } from '../../src/util/preview-paths.js';
import { withTestDatabase } from '../support/databases.js';
import { writeSyntheticNight } from '../support/synthetic-night.js';

describe('ingest with pixel analysis', () => {
  it('measures, scores against comparable frames and renders a thumbnail for every frame', async () => {
    const work = mkdtempSync(join(tmpdir(), 'aims-analysis-ingest-'));
    try {
      // One target, one filter, one exposure: every frame is comparable with the others.
      writeSyntheticNight(join(work, 'images'), {
        count: 8,
        width: 128,
        height: 128,
        styles: ['nina'],
        seed: 3,
        uniform: true,
      });
      await withTestDatabase('sqlite', async (database) => {
        const pipeline = new IngestPipeline({
          database,
          pool: createFramePool(0),
          stableMs: 0,
          skipAnalysis: false,
          previewDir: join(work, 'previews'),
          qualityThreshold: 60,
          normalize: { nightRolloverHour: 12 },
        });
        const found = [];
        for await (const c of scanTree(join(work, 'images'))) found.push(c);
        await pipeline.enqueue(found);
        await pipeline.drain();

        const page = await queryImages(database, {}, { limit: 100 });
        expect(page.total).toBe(8);
        for (const item of page.items) {
          expect(item.star_count).toBeGreaterThanOrEqual(5);
          // The synthetic stars have a FWHM of 3 px.
          expect(item.fwhm_px).toBeGreaterThan(2.7);
          expect(item.fwhm_px).toBeLessThan(3.3);
          expect(item.background).toBeGreaterThan(900);
          expect(item.quality_score).not.toBeNull();
          const detail = await getImage(database, item.id);
          expect(detail?.quality_version).toBe(1);
          expect(detail?.quality_components).toHaveProperty('mode');
          // Ingest writes the thumbnail in WebP; the medium image and PNG are rendered on demand.
          const written = (size: 'thumb' | 'medium', format: 'png' | 'webp') =>
            existsSync(previewPath(join(work, 'previews'), detail!.sha256, size, format));
          expect(written('thumb', 'webp')).toBe(true);
          expect(written('thumb', 'png')).toBe(false);
          expect(written('medium', 'webp')).toBe(false);
        }
        // The later frames had at least five comparable frames before them: relative scoring.
        const modes = await Promise.all(
          page.items.map(async (i) => (await getImage(database, i.id))?.quality_components?.mode),
        );
        expect(modes).toContain('relative');
        expect(modes).toContain('absolute');
      });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
