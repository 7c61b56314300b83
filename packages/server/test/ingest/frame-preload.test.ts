/**
 * A frame thread asked to preload the analysis (a one-shot `aims ingest` that measures pixels)
 * has it loaded before its first frame. piscina blocks an idle thread in Atomics.wait, which stops
 * every asynchronous step: imports started and not awaited by the thread's script stalled there
 * and were finished by the first frame instead.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFramePool } from '../../src/ingest/worker-pool.js';
import { REPO_ROOT } from '../support/fixtures.js';

const PROBE_WORKER = join(REPO_ROOT, 'packages/server/test/support/preload-probe.worker.mjs');
const JOB = { absPath: '/nonexistent.fits', skipAnalysis: false, normalize: { nightRolloverHour: 12 } };

async function sharpLoadedAtFirstTask(preloadAnalysis: boolean): Promise<unknown> {
  const pool = createFramePool(1, { workerFile: PROBE_WORKER, preloadAnalysis, startAll: true });
  try {
    // Time for imports left running to finish, were the thread not blocked.
    await new Promise((r) => setTimeout(r, 300));
    return await pool.run(JOB);
  } finally {
    await pool.close();
  }
}

describe('frame threads preloading the analysis', () => {
  it('have sharp loaded when their first frame comes', async () => {
    expect(await sharpLoadedAtFirstTask(true)).toBe(true);
  });

  it('load nothing ahead when not asked (a catalog-only ingest, the service)', async () => {
    expect(await sharpLoadedAtFirstTask(false)).toBe(false);
  });
});
