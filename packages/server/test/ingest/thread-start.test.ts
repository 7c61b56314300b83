/**
 * How the thread pool starts its threads: never through a synchronous `require()` of an ES module,
 * which a thread stopped half-way through (a pool closed while its threads still start) turned
 * into a V8 fatal error of the whole process on Node 20.19 and later.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FrameJob } from '../../src/ingest/frame.job.js';
import { createFramePool, FRAME_THREAD_YOUNG_GENERATION_MB } from '../../src/ingest/worker-pool.js';
import { compiledExecArgv, createThreadPool, threadExecArgv } from '../../src/util/thread-pool.js';
import { REPO_ROOT } from '../support/fixtures.js';

const EXEC_ARGV_WORKER = join(REPO_ROOT, 'packages/server/test/support/exec-argv.worker.mjs');
const RESOURCE_LIMITS_WORKER = join(REPO_ROOT, 'packages/server/test/support/resource-limits.worker.mjs');
const NO_REQUIRE_ESM = '--no-experimental-require-module';

describe('thread start-up', () => {
  it('adds the flag that turns off require(esm) once, keeping the other arguments', () => {
    expect(threadExecArgv(['--max-old-space-size=512'])).toEqual(['--max-old-space-size=512', NO_REQUIRE_ESM]);
    expect(threadExecArgv([NO_REQUIRE_ESM])).toEqual([NO_REQUIRE_ESM]);
  });

  it("starts a pool's threads without require(esm), so piscina imports the script", async () => {
    const pool = createThreadPool({
      filename: EXEC_ARGV_WORKER,
      threads: 1,
      execArgv: compiledExecArgv(process.execArgv),
    });
    try {
      expect(await pool.run<string[]>(0)).toContain(NO_REQUIRE_ESM);
    } finally {
      await pool.close();
    }
  });

  it('closes a pool at any moment of its threads starting without harm', async () => {
    for (let delayMs = 0; delayMs < 60; delayMs += 6) {
      const pool = createThreadPool({
        filename: EXEC_ARGV_WORKER,
        threads: 2,
        minThreads: 2,
        execArgv: compiledExecArgv(process.execArgv),
      });
      await new Promise((r) => setTimeout(r, delayMs));
      await pool.close();
    }
    // Still here: a thread stopped while it loaded its script did not abort the process.
    const pool = createThreadPool({ filename: EXEC_ARGV_WORKER, threads: 1 });
    try {
      expect(await pool.run<string[]>(0)).toContain(NO_REQUIRE_ESM);
    } finally {
      await pool.close();
    }
  });

  it("starts the frame pool's threads with a small young generation", async () => {
    // V8's default lets each frame thread's new space grow to 3 × 16 MB (docs/performance.md, Memory).
    const pool = createFramePool(1, { workerFile: RESOURCE_LIMITS_WORKER });
    try {
      const limits = (await pool.run({ absPath: '/nothing' } as FrameJob)) as unknown as {
        maxYoungGenerationSizeMb: number;
      };
      expect(FRAME_THREAD_YOUNG_GENERATION_MB).toBeLessThanOrEqual(16);
      expect(limits.maxYoungGenerationSizeMb).toBe(FRAME_THREAD_YOUNG_GENERATION_MB);
    } finally {
      await pool.close();
    }
  });
});
