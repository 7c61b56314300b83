import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rebuildCatalogSummary } from '../../src/db/catalog-summary.js';
import { type Database, inTransaction, openDatabase } from '../../src/db/connection.js';
import { plannerStatistics, refreshStatisticsIfStale } from '../../src/db/planner-statistics.js';
import { fakeSha256 } from '../support/images.js';

/** A small catalog counts as big, and no pause between two indexes. */
const FAST = { minFrames: 100, pauseMs: 0 };

async function addFrames(database: Database, from: number, count: number) {
  const rows = Array.from({ length: count }, (_, i) => ({
    root: '/stats',
    rel_path: `s${from + i}.fits`,
    size_bytes: 2880,
    mtime_ms: 0,
    sha256: fakeSha256(30_000_000 + from + i),
    hdu_index: 0,
    ingested_at: 0,
    updated_at: 0,
    date_obs_ms: 1_700_000_000_000 + (from + i) * 60_000,
    ccd_temp: -20 + ((from + i) % 40) * 0.5,
  }));
  for (let i = 0; i < rows.length; i += 500)
    await database.db
      .insertInto('images')
      .values(rows.slice(i, i + 500))
      .execute();
  await inTransaction(database, (tx) => rebuildCatalogSummary(tx));
}

describe('sqlite: planner statistics after the catalog grows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aims-stats-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a full analysis (STAT4 samples) once the catalog has grown by a quarter, and not before', async () => {
    const database = await openDatabase(`sqlite:${join(dir, 'catalog.db')}`);
    try {
      await addFrames(database, 0, 400);
      // The bounded analysis at open keeps no samples: stale once there are enough frames.
      expect(await plannerStatistics(database, 1000)).toMatchObject({ frames: 400, stale: false });
      expect(await plannerStatistics(database, 100)).toMatchObject({ frames: 400, samples: false, stale: true });

      const refreshed = await refreshStatisticsIfStale(database, undefined, FAST);
      expect(refreshed?.indexes).toBeGreaterThan(20);
      expect(await plannerStatistics(database, 100)).toEqual({
        frames: 400,
        analyzedRows: 400,
        samples: true,
        stale: false,
      });
      expect(await refreshStatisticsIfStale(database, undefined, FAST)).toBeNull();

      await addFrames(database, 400, 90);
      expect(await plannerStatistics(database, 100)).toMatchObject({ frames: 490, stale: false });
      await addFrames(database, 490, 20);
      expect(await plannerStatistics(database, 100)).toMatchObject({ frames: 510, analyzedRows: 400, stale: true });
      expect(await refreshStatisticsIfStale(database, undefined, FAST)).not.toBeNull();
      expect(await plannerStatistics(database, 100)).toMatchObject({ analyzedRows: 510, samples: true, stale: false });
    } finally {
      await database.close();
    }
  });
});
